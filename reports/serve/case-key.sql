-- The reference and municipality of case $case_ref in the user's scope, for recording a change on it: no row when the
-- case is not in the scope (another municipality's case reads as one that does not exist).
SELECT case_ref, municipality FROM discrepancy_states WHERE case_ref = $case_ref
