-- Reopened discrepancies (FORMATS.md §8): open again after their handling was closed when they resolved; their
-- earlier trail (the changes before this episode's first_seen), oldest first per case. {{municipality}} '' means every
-- municipality.
WITH reopened AS (
  SELECT d.case_ref, d.rule, d.municipality, d.key_id, d.first_seen
  FROM discrepancy_states d
  WHERE d.state <> 'resolved' AND ({{municipality}} = '' OR d.municipality = {{municipality}})
    AND EXISTS (SELECT 1 FROM handling_trail t
                WHERE t.municipality = d.municipality AND t.rule = d.rule AND t.key_id = d.key_id
                  AND t.changed_at <= d.first_seen))
SELECT r.case_ref, r.rule, r.municipality, r.key_id, strftime(r.first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen,
       t.seq, strftime(t.changed_at, '%Y-%m-%dT%H:%M:%SZ') AS changed_at, t.who, t.source,
       t.old_status, t.new_status, t.old_assignee, t.new_assignee, t.old_note, t.new_note,
       CAST(t.old_follow_up AS VARCHAR) AS old_follow_up, CAST(t.new_follow_up AS VARCHAR) AS new_follow_up,
       count(DISTINCT r.case_ref) OVER () AS cases
FROM reopened r
JOIN handling_trail t ON t.municipality = r.municipality AND t.rule = r.rule AND t.key_id = r.key_id
  AND t.changed_at <= r.first_seen
ORDER BY r.rule, r.municipality, r.key_id, t.seq
LIMIT {{table_cap}}
