// `afstem history` prints the past runs from the `runs` table as an aligned table.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration, historyCommand } from '../src/commands/history.ts';
import { capture, makeDb, tempDir, writeConfig } from './helpers/command-fixture.ts';

const RUNS_DDL = `CREATE TABLE runs (run_seq INTEGER, run_id VARCHAR, as_of TIMESTAMP, started_at TIMESTAMP, finished_at TIMESTAMP,
  exit_code INTEGER, files_read INTEGER, rows_rejected INTEGER, critical INTEGER, warning INTEGER, info INTEGER,
  new_count INTEGER, resolved_count INTEGER)`;

describe('history', () => {
  it('prints asOf, start, duration, files, rejected rows, severities, new and resolved per run, oldest first', async () => {
    const dir = tempDir('history');
    const config = writeConfig(dir);
    await makeDb(
      path.join(dir, 'db.duckdb'),
      `${RUNS_DDL};
       INSERT INTO runs VALUES
        (2, '20261126T050001Z-bbbb', '2026-11-26 04:20:30', '2026-11-26 05:00:01', '2026-11-26 05:03:08.400', 0, 12, 0, 61, 43, 5, 3, 7),
        (1, '20261125T050000Z-aaaa', '2026-11-25 04:10:00', '2026-11-25 05:00:00', '2026-11-25 05:00:42.250', 3, 10, 2, 58, 40, 5, 103, 0),
        (3, '20261127T050002Z-cccc', NULL, '2026-11-27 05:00:02', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);`,
    );
    const r = await capture(() => historyCommand(['--config', config]));
    expect(r.result, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'run  asOf                  started                 duration  files  rejected  critical  warning  info  new  resolved  exit  run id',
        '---  --------------------  --------------------  ----------  -----  --------  --------  -------  ----  ---  --------  ----  ---------------------',
        '  1  2026-11-25T04:10:00Z  2026-11-25T05:00:00Z      42.3 s     10         2        58       40     5  103         0     3  20261125T050000Z-aaaa',
        '  2  2026-11-26T04:20:30Z  2026-11-26T05:00:01Z  3 min 07 s     12         0        61       43     5    3         7     0  20261126T050001Z-bbbb',
        '  3                        2026-11-27T05:00:02Z     running                                                                 20261127T050002Z-cccc',
        '',
      ].join('\n'),
    );
    const last = await capture(() => historyCommand(['--config', config, '--limit', '1']));
    expect(last.stdout.split('\n')).toHaveLength(4);
    expect(last.stdout).toContain('20261127T050002Z-cccc');
  });

  it('says so when no run has been recorded, and rejects a bad option', async () => {
    const dir = tempDir('history0');
    const config = writeConfig(dir);
    await makeDb(path.join(dir, 'db.duckdb'), RUNS_DDL);
    const r = await capture(() => historyCommand(['--config', config]));
    expect(r.result).toBe(0);
    expect(r.stdout).toBe('no runs recorded yet\n');
    expect((await capture(() => historyCommand(['--config', config, '--bogus']))).result).toBe(2);
    expect((await capture(() => historyCommand([]))).result).toBe(2);
    const help = await capture(() => historyCommand(['--help']));
    expect(help.result).toBe(0);
    expect(help.stdout).toContain('usage: afstem history --config <file>');
  });

  it('formats durations', () => {
    expect(formatDuration(800)).toBe('0.8 s');
    expect(formatDuration(187_400)).toBe('3 min 07 s');
    expect(formatDuration(3_723_000)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('running');
  });
});
