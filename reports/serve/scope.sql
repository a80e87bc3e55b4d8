-- What one user's pages may read (FORMATS.md §9: every query filtered by the user's municipalities on the server):
-- a schema {{schema}} of views over the snapshot, each keeping the rows of the municipalities {{codes}} alone. A
-- page's connection reads through this schema only (its search_path), so every query of a page, the report's
-- worklist SQL run unchanged included, sees nothing of another municipality: no case, id, note, trail row or count.
CREATE SCHEMA {{schema}};
CREATE VIEW {{schema}}.discrepancy_states AS SELECT * FROM main.discrepancy_states WHERE municipality IN ({{codes}});
CREATE VIEW {{schema}}.discrepancy_hints AS SELECT * FROM main.discrepancy_hints WHERE municipality IN ({{codes}});
CREATE VIEW {{schema}}.handling_trail AS SELECT * FROM main.handling_trail WHERE municipality IN ({{codes}});
CREATE VIEW {{schema}}.waves AS SELECT * FROM main.waves WHERE municipality IN ({{codes}});
CREATE VIEW {{schema}}.journal_outcomes AS SELECT * FROM main.serve_journal_applied WHERE municipality IN ({{codes}});
CREATE VIEW {{schema}}.journal_pending AS SELECT * FROM main.journal_pending WHERE municipality IN ({{codes}});
