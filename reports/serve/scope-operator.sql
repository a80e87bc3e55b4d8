-- What only an operator's pages read besides a scope (scope.sql): the recorded runs of every municipality
-- (afstem history). Added to the operator's scope {{schema}} alone.
CREATE VIEW {{schema}}.runs AS SELECT * FROM main.runs;
