-- The report's cases that are not on the worklist (reports/worklist/rows.sql), so the worklist's search finds a case
-- by its number wherever it is (FORMATS.md §8): resolved since the last run, explained, awaiting a follow-up date that
-- has not passed (the section Behandlede), or open but only for information (severity info: Afvigelser pr. regel).
-- {{municipality}} '' means every municipality (a municipality's report knows its own cases alone).
SELECT case_ref, rule, severity, municipality, key_id, amount::VARCHAR AS amount,
       CASE WHEN state = 'resolved' THEN 'resolved'
            WHEN handling_status = 'explained' THEN 'explained'
            WHEN handling_status = 'awaiting' AND NOT coalesce(handling_due, false) THEN 'awaiting'
            ELSE 'info' END AS place,
       CAST(follow_up AS VARCHAR) AS follow_up
FROM discrepancy_states
WHERE case_ref IS NOT NULL AND ({{municipality}} = '' OR municipality = {{municipality}})
  AND NOT (state <> 'resolved' AND severity IN ('critical', 'warning')
           AND (handling_status IN ('open', 'in_progress') OR coalesce(handling_due, false)))
ORDER BY case_ref
