-- The served worklist's snapshot (FORMATS.md §9): what its pages read, copied from the database file (attached
-- read-only as `src` for the moment of the copy) into the server's own in-memory database, so the server never keeps
-- the file open and a nightly run is never refused because the server is up. One statement per table; a table the
-- file does not have yet is left out (src/serve/snapshot.ts makes it empty).
-- The recorded runs' instants (the latest one is the asOf of the pages; applyHandling reads it).
CREATE TABLE lifecycle_runs AS SELECT * FROM src.main.lifecycle_runs;
-- The latest recorded run's discrepancies, for applyHandling's check that a case is open in it.
CREATE TABLE discrepancy_history AS SELECT * FROM src.main.discrepancy_history
  WHERE run_seq = (SELECT run_seq FROM src.main.lifecycle_runs ORDER BY as_of DESC, run_seq DESC LIMIT 1);
-- The latest recorded run's discrepancies (open, and those it resolved) without the handling they had then: the view
-- discrepancy_states (states.sql) joins the handling as it stands now.
CREATE TABLE ds_recorded AS SELECT * EXCLUDE (handling_status, assignee, note, follow_up, handled_by, handled_at, handling_due)
  FROM src.main.discrepancy_states;
-- The case handling, its trail and the case numbers (FORMATS.md §8).
CREATE TABLE handling AS SELECT * FROM src.main.handling;
CREATE TABLE handling_trail AS SELECT * FROM src.main.handling_trail;
CREATE TABLE case_refs AS SELECT * FROM src.main.case_refs;
-- What may explain an open discrepancy (best suggested match, overdue delivery), and the go-live view.
CREATE TABLE discrepancy_hints AS SELECT * FROM src.main.discrepancy_hints;
CREATE TABLE waves AS SELECT * FROM src.main.waves;
-- The recorded runs (afstem history), without their summaries.
CREATE TABLE runs AS SELECT * EXCLUDE (summary_json) FROM src.main.runs;
-- The built-in accounts and the journal entries that reached the database.
CREATE TABLE serve_users AS SELECT * FROM src.main.serve_users;
CREATE TABLE serve_journal_applied AS SELECT * FROM src.main.serve_journal_applied;
