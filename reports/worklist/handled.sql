-- The open discrepancies that are handled and off the worklist (FORMATS.md §8): explained, and awaiting whose
-- follow-up date has not passed, with their notes, assignee and who handled them; the soonest follow-up first, then
-- the explained ones by rule. {{municipality}} '' means every municipality.
SELECT case_ref, rule, severity, municipality, key_id, amount::VARCHAR AS amount, handling_status,
       CAST(follow_up AS VARCHAR) AS follow_up, assignee, note, handled_by,
       strftime(handled_at, '%Y-%m-%dT%H:%M:%SZ') AS handled_at,
       count(*) OVER () AS total,
       count(*) FILTER (WHERE handling_status = 'explained') OVER () AS explained
FROM discrepancy_states d
WHERE state <> 'resolved' AND (handling_status = 'explained' OR (handling_status = 'awaiting' AND NOT handling_due))
  AND ({{municipality}} = '' OR municipality = {{municipality}})
ORDER BY handling_status = 'explained', follow_up NULLS LAST, rule, municipality, key_id
LIMIT {{table_cap}}
