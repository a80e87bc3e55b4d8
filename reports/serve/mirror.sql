-- A case's handling as the database file has it right after the server wrote a change there, to be put into the
-- snapshot instead of applying the change a second time: read from the file, its handling row and its trail rows
-- ($case_ref) with every column as text; then, in the snapshot, its handling row removed, to be inserted again as
-- read, and the trail rows it does not have yet added (trail rows are only ever appended, here too).
SELECT municipality, rule, key_id, case_ref, status, assignee, note, CAST(follow_up AS VARCHAR) AS follow_up, handled_by,
       CAST(handled_at AS VARCHAR) AS handled_at
FROM handling WHERE case_ref = $case_ref;
SELECT CAST(seq AS VARCHAR) AS seq, case_ref, municipality, rule, key_id, old_status, new_status, old_assignee, new_assignee,
       old_note, new_note, CAST(old_follow_up AS VARCHAR) AS old_follow_up, CAST(new_follow_up AS VARCHAR) AS new_follow_up,
       who, CAST(changed_at AS VARCHAR) AS changed_at, source
FROM handling_trail WHERE case_ref = $case_ref ORDER BY seq;
DELETE FROM handling WHERE case_ref = $case_ref;
