-- The handling trail of one case (FORMATS.md §8) in the user's scope, oldest first: every change of its identity,
-- recorded on a case page, by `afstem note`, by an import, or by the run that closed it when it resolved.
SELECT seq, strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS changed_at, case_ref, rule, municipality, key_id, who, source,
       old_status, new_status, old_assignee, new_assignee, old_note, new_note,
       CAST(old_follow_up AS VARCHAR) AS old_follow_up, CAST(new_follow_up AS VARCHAR) AS new_follow_up
FROM handling_trail
WHERE case_ref = $case_ref
ORDER BY seq
