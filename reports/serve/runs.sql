-- The last recorded runs (afstem history), newest first: asOf, start, duration, files read, rows rejected, the open
-- discrepancies per severity, new and resolved, the exit code and each step's duration ([{"step":…,"ms":…}]).
SELECT run_id, strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') AS as_of, strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at,
       CAST(epoch_ms(finished_at) - epoch_ms(started_at) AS BIGINT) AS duration_ms, files_read, rows_rejected,
       critical, warning, info, new_count, resolved_count, exit_code, steps_json
FROM runs
ORDER BY as_of DESC, run_seq DESC
LIMIT {{limit}}
