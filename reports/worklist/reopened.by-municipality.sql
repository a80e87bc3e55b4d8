-- worklist/reopened.sql -- for every municipality of {{municipalities}} (codes joined by commas) at once, each row led by its __municipality:
-- each municipality's reopened cases and their earlier trail, counted and capped within it, in its order.
WITH reopened AS (
  SELECT d.case_ref, d.rule, d.municipality, d.key_id, d.first_seen
  FROM discrepancy_states d
  WHERE d.state <> 'resolved' AND d.municipality IN (SELECT unnest(string_split({{municipalities}}, ',')))
    AND EXISTS (SELECT 1 FROM handling_trail t
                WHERE t.municipality = d.municipality AND t.rule = d.rule AND t.key_id = d.key_id
                  AND t.changed_at <= d.first_seen))
SELECT r.municipality AS __municipality, r.case_ref, r.rule, r.municipality, r.key_id, strftime(r.first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen,
       t.seq, strftime(t.changed_at, '%Y-%m-%dT%H:%M:%SZ') AS changed_at, t.who, t.source,
       t.old_status, t.new_status, t.old_assignee, t.new_assignee, t.old_note, t.new_note,
       CAST(t.old_follow_up AS VARCHAR) AS old_follow_up, CAST(t.new_follow_up AS VARCHAR) AS new_follow_up,
       count(DISTINCT r.case_ref) OVER (PARTITION BY r.municipality) AS cases
FROM reopened r
JOIN handling_trail t ON t.municipality = r.municipality AND t.rule = r.rule AND t.key_id = r.key_id
  AND t.changed_at <= r.first_seen
QUALIFY row_number() OVER (PARTITION BY r.municipality ORDER BY r.rule, r.key_id, t.seq) <= {{table_cap}}
ORDER BY r.municipality, r.rule, r.key_id, t.seq
