-- The snapshot's discrepancy_states: the latest recorded run's discrepancies (ds_recorded) with their handling as it
-- stands now (the snapshot's handling table, where a change from a case page is applied at once), in the columns the
-- run writes (src/handling/lifecycle.ts handlingColumnsSql, given as {{handling_columns}}), so the report's worklist
-- SQL and the discrepancies.xlsx writer read it unchanged and show the current handling.
CREATE VIEW discrepancy_states AS
SELECT r.* EXCLUDE (case_ref), {{handling_columns}}
FROM ds_recorded r
LEFT JOIN handling h ON h.municipality = r.municipality AND h.rule = r.rule AND h.key_id = r.key_id;
-- The journal entries recorded on a case page that have not reached the database file yet (a run held it).
CREATE TABLE journal_pending (id VARCHAR, case_ref VARCHAR, municipality VARCHAR, recorded_at TIMESTAMP, who VARCHAR);
