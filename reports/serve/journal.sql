-- The changes recorded on case $case_ref's page that are not in the trail as recorded (in the user's scope), newest
-- first: those still waiting for the nightly run to let go of the database ('pending'), and those that reached it
-- after a run and were then refused or found in conflict (FORMATS.md §8: applied only when nothing changed since).
SELECT 'pending' AS outcome, strftime(recorded_at, '%Y-%m-%dT%H:%M:%SZ') AS recorded_at, who, NULL AS reason
FROM journal_pending WHERE case_ref = $case_ref
UNION ALL
SELECT outcome, strftime(recorded_at, '%Y-%m-%dT%H:%M:%SZ'), who, reason
FROM journal_outcomes WHERE case_ref = $case_ref AND outcome IN ('refused', 'conflict')
ORDER BY recorded_at DESC
