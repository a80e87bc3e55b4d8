-- worklist/handled.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- each municipality's, counted and capped within it, in its order.
SELECT municipality AS __municipality, case_ref, rule, severity, municipality, key_id, amount::VARCHAR AS amount, handling_status,
       CAST(follow_up AS VARCHAR) AS follow_up, assignee, note, handled_by,
       strftime(handled_at, '%Y-%m-%dT%H:%M:%SZ') AS handled_at,
       count(*) OVER (PARTITION BY municipality) AS total,
       count(*) FILTER (WHERE handling_status = 'explained') OVER (PARTITION BY municipality) AS explained
FROM discrepancy_states d
WHERE state <> 'resolved' AND (handling_status = 'explained' OR (handling_status = 'awaiting' AND NOT handling_due))
  AND municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
QUALIFY row_number() OVER (PARTITION BY municipality ORDER BY handling_status = 'explained', follow_up NULLS LAST, rule, key_id) <= {{table_cap}}
ORDER BY municipality, handling_status = 'explained', follow_up NULLS LAST, rule, key_id
