// `afstem history` prints the past runs from the `runs` table as an aligned table.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration, historyCommand } from '../src/commands/history.ts';
import { Db } from '../src/db.ts';
import { openDatabase } from '../src/schema/migrate.ts';
import { recordRun } from '../src/run/runs.ts';
import { BATCH_STEPS } from '../src/run/steps.ts';
import type { Summary } from '../src/run/summary.ts';
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
    // 120 columns: short headers, no run id (a database from before step times has no steps column)
    const r = await capture(() => historyCommand(['--config', config]));
    expect(r.result, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'run  asOf                  started                 duration  files  rej  crit  warn  info  new  res  exit',
        '---  --------------------  --------------------  ----------  -----  ---  ----  ----  ----  ---  ---  ----',
        '  1  2026-11-25T04:10:00Z  2026-11-25T05:00:00Z      42.3 s     10    2    58    40     5  103    0     3',
        '  2  2026-11-26T04:20:30Z  2026-11-26T05:00:01Z  3 min 07 s     12    0    61    43     5    3    7     0',
        '  3                        2026-11-27T05:00:02Z     running',
        '(left out to fit 120 columns: run id; --wide shows all)',
        '',
      ].join('\n'),
    );
    const wide = await capture(() => historyCommand(['--config', config, '--wide']));
    expect(wide.stdout).toBe(
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
    expect(last.stdout.split('\n')).toHaveLength(4); // a narrow table keeps the run id
    expect(last.stdout).toMatch(/^  3 +2026-11-27T05:00:02Z +running +20261127T050002Z-cccc$/m);
    expect(last.stdout).not.toContain('2026-11-26T04:20:30Z');
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

  it('records each step’s duration with the run, adding the column to an older runs table, and shows them', async () => {
    const dir = tempDir('history-steps');
    const config = writeConfig(dir);
    await makeDb(path.join(dir, 'db.duckdb'), `${RUNS_DDL.slice(0, -1)}, summary_json VARCHAR)`);
    const db = await openDatabase(path.join(dir, 'db.duckdb')); // schema migration 2 adds steps_json
    try {
      const summary = { totals: { open: 3, critical: 2, warning: 1, info: 0 } } as Summary;
      await recordRun(db, {
        runSeq: 1, runId: '20261127T050000Z-dddd', asOf: '2026-11-27T04:00:00.000000Z', startedAt: new Date('2026-11-27T05:00:00Z'),
        exitCode: 0, filesRead: 4, rowsRejected: 0, newCount: 3, resolvedCount: 0, summary,
        steps: [
          { id: 'load', step: 'load the inbox', ms: 23_640.4 },
          { id: 'books', step: 'build the current books', ms: 1_200 },
          { id: 'rules', step: 'evaluate rules R01–R22', ms: 2_310 },
          { id: 'stages', step: 'measure the four stages', ms: 800 },
          { id: 'outputs', step: 'write the outputs', ms: 400 },
          { id: 'report', step: 'write the report', ms: 64_000 },
        ],
      });
      expect(await db.value(`SELECT steps_json FROM runs`)).toBe(
        '[{"id":"load","step":"load the inbox","ms":23640},{"id":"books","step":"build the current books","ms":1200},' +
          '{"id":"rules","step":"evaluate rules R01–R22","ms":2310},{"id":"stages","step":"measure the four stages","ms":800},' +
          '{"id":"outputs","step":"write the outputs","ms":400},{"id":"report","step":"write the report","ms":64000}]',
      );
    } finally {
      db.close();
    }
    const r = await capture(() => historyCommand(['--config', config]));
    expect(r.result, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/exit  steps$/);
    expect(lines[2]).toMatch(/ 0  load 23\.6 s, books 1\.2 s,$/);
    expect(lines[3].trim()).toBe('rules 2.3 s, stages 0.8 s,');
    expect(lines[4].trim()).toBe('outputs 0.4 s, report 1 min 04 s');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(120);
    const wide = await capture(() => historyCommand(['--config', config, '--wide']));
    expect(wide.stdout.split('\n')[0]).toMatch(/exit    load  books  rules  stages  outputs      report  run id$/);
    expect(wide.stdout.split('\n')[2]).toMatch(/ 0  23\.6 s  1\.2 s  2\.3 s   0\.8 s    0\.4 s  1 min 04 s  20261127T050000Z-dddd$/);
  });

  // Checked against the code before step ids (labels as keys): the wide table had two columns, `rules` for the old
  // run and `evaluate rules R01–R23` for the new one, and the narrow one said `evaluate rules R01–R23 1.9 s`.
  it('keys the steps by id: a run recorded with labels alone (today\'s main) and one whose rules step names another range share the columns', async () => {
    const dir = tempDir('history-ids');
    const config = writeConfig(dir);
    // steps_json exactly as the batch wrote it before steps had ids (src/pipeline/runs.ts, 2026-12-06)
    const labelsOnly = JSON.stringify([
      { step: 'load the inbox', ms: 1000 }, { step: 'build the current books', ms: 200 },
      { step: 'import the handling folder', ms: 50 }, { step: 'evaluate rules R01–R22', ms: 2310 },
      { step: 'suggest matches and watch the deliveries', ms: 300 }, { step: 'measure the four stages', ms: 800 },
      { step: 'write the outputs', ms: 400 }, { step: 'write the report', ms: 500 }, { step: "write the municipalities' reports", ms: 600 },
    ]);
    await makeDb(
      path.join(dir, 'db.duckdb'),
      `${RUNS_DDL.slice(0, -1)}, summary_json VARCHAR, steps_json VARCHAR);
       INSERT INTO runs VALUES (1, '20261126T050000Z-aaaa', '2026-11-26 04:00:00', '2026-11-26 05:00:00', '2026-11-26 05:00:07',
         0, 4, 0, 2, 1, 0, 3, 0, '{}', '${labelsOnly.replace(/'/g, "''")}')`,
    );
    const db = await Db.open(path.join(dir, 'db.duckdb'));
    try {
      const summary = { totals: { open: 3, critical: 2, warning: 1, info: 0 } } as Summary;
      // a later run after a rule R23 was added: the rules step's label names the new range, its id is the same
      const ids = ['load', 'books', 'handling', 'rules', 'suggestions', 'stages', 'outputs', 'report', 'municipalities'] as const;
      const steps = ids.map((id, i) => ({ id, step: id === 'rules' ? 'evaluate rules R01–R23' : BATCH_STEPS[id], ms: 1900 + i }));
      await recordRun(db, {
        runSeq: 2, runId: '20261127T050000Z-bbbb', asOf: '2026-11-27T04:00:00.000000Z', startedAt: new Date('2026-11-27T05:00:00Z'),
        exitCode: 0, filesRead: 4, rowsRejected: 0, newCount: 0, resolvedCount: 0, summary, steps,
      });
    } finally {
      db.close();
    }
    const wide = await capture(() => historyCommand(['--config', config, '--wide']));
    expect(wide.result, wide.stderr).toBe(0);
    const [head, , one, two] = wide.stdout.split('\n');
    const headers = head.split(/\s{2,}/);
    expect(headers.slice(headers.indexOf('exit') + 1)).toEqual([
      'load', 'books', 'handling', 'rules', 'suggestions', 'stages', 'outputs', 'report',
      'municipalities', 'run id',
    ]);
    expect(one).toMatch(/ 0  +1\.0 s  +0\.2 s  +0\.1 s  +2\.3 s  +0\.3 s  +0\.8 s  +0\.4 s  +0\.5 s  +0\.6 s  20261126T050000Z-aaaa$/);
    expect(two).toMatch(/ 0  +1\.9 s  +1\.9 s  +1\.9 s  +1\.9 s  +1\.9 s  +1\.9 s  +1\.9 s  +1\.9 s  +1\.9 s  20261127T050000Z-bbbb$/);
    const narrow = await capture(() => historyCommand(['--config', config]));
    expect(narrow.stdout).not.toContain('evaluate rules');
    expect(narrow.stdout.match(/rules \d\.\d s/g)).toEqual(['rules 2.3 s', 'rules 1.9 s']);
  });

  it('exits 2 with a clear message when there is no database yet', async () => {
    const dir = tempDir('history-nodb');
    const r = await capture(() => historyCommand(['--config', writeConfig(dir)]));
    expect(r.result).toBe(2);
    expect(r.stderr).toContain('no database at');
    expect(r.stderr).toContain('run the batch first');
  });

  it('formats durations', () => {
    expect(formatDuration(800)).toBe('0.8 s');
    expect(formatDuration(187_400)).toBe('3 min 07 s');
    expect(formatDuration(3_723_000)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('running');
  });
});
