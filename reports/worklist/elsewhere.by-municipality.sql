-- worklist/elsewhere.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- the same rows, in its order within each municipality.
SELECT municipality AS __municipality, case_ref, rule, severity, municipality, key_id, amount::VARCHAR AS amount,
       CASE WHEN state = 'resolved' THEN 'resolved'
            WHEN handling_status = 'explained' THEN 'explained'
            WHEN handling_status = 'awaiting' AND NOT coalesce(handling_due, false) THEN 'awaiting'
            ELSE 'info' END AS place,
       CAST(follow_up AS VARCHAR) AS follow_up
FROM discrepancy_states
WHERE case_ref IS NOT NULL AND municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
  AND NOT (state <> 'resolved' AND severity IN ('critical', 'warning')
           AND (handling_status IN ('open', 'in_progress') OR coalesce(handling_due, false)))
ORDER BY municipality, case_ref
