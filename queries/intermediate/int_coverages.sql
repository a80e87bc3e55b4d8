-- int_coverages: every coverage covered by asOf (as in int_base_coverages) with its claim as of asOf: whether the
-- claim exists, its fee (source_ref) and lineage. Feeds R17 (active coverage on a reversed payment) and the reversal
-- proposals of over-covered claims.
-- Source: int_base_coverages, int_claims; RULES.md §1 (active), §4; seed 003 (SF1590_B_03 §1.2.1).
-- incremental: item (its rows read the rows of one fee, claim, payment or transaction and those tied to them)
SELECT
  v.*,
  c.claim_id IS NOT NULL AS claim_exists,
  c.source_ref AS claim_fee_id,
  c.src AS claim_src
FROM int_base_coverages v
LEFT JOIN int_claims c ON c.municipality = v.municipality AND c.claim_id = v.claim_id
