// A whole evaluation starts from a checkpointed database (src/pipeline/incremental.ts evaluateStep): rows loaded
// before it are written to the file, so that DuckDB may evict them while the evaluation holds every model's TEMP
// tables (not yet checkpointed, they stay in its memory: at 10,000,000 fees a first run ran out of a 1 GiB limit). An
// incremental night does not pay for the checkpoint. Observed as the write-ahead log's size when the first model runs:
// empty on a whole evaluation, holding the night's rows on an incremental one. Checked: without the checkpoint the
// first test fails (the log holds the rows added before the evaluation).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitNight, evaluateStep, planNight } from '../../src/pipeline/incremental.ts';
import { Books, claim, fee } from '../helpers/books.ts';

describe('a whole evaluation', () => {
  let dir: string;
  let books: Books;
  /** The size of the write-ahead log when the night's first model statement ran. */
  let walAtFirstModel: number | null = null;

  async function night(full: boolean): Promise<void> {
    walAtFirstModel = null;
    const db = books.db;
    const run = db.run.bind(db);
    db.run = async (sql: string, ...rest: unknown[]) => {
      if (walAtFirstModel === null && /^\s*CREATE OR REPLACE (TEMP )?(TABLE|VIEW)\b[\s\S]*--/.test(sql)) {
        const wal = `${db.file}.wal`;
        walAtFirstModel = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
      }
      return (run as (...a: unknown[]) => Promise<void>)(sql, ...rest);
    };
    try {
      const n = await planNight(db, { full, deliveries: 1 });
      expect(n.full).toBe(full);
      for (const step of ['rules', 'suggestions', 'latency'] as const) await evaluateStep(db, n, step);
      await commitNight(db, n);
    } finally {
      db.run = run;
    }
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-checkpoint-'));
    books = await Books.open('2026-11-26T12:00:00Z', { file: path.join(dir, 'afstem.duckdb') });
  });

  afterAll(() => {
    books?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the rows loaded before it to the database file first', async () => {
    await books.add('fbs_fees', ...Array.from({ length: 400 }, (_x, i) => fee(`F${i}`, '2026-11-20 08:00:00', '100.00')));
    await books.add('debitor_claims', ...Array.from({ length: 400 }, (_x, i) => claim(`C${i}`, `F${i}`, '2026-11-20 09:00:00', '100.00')));
    await night(true);
    expect(walAtFirstModel).toBe(0);
  });

  it('an incremental night does not checkpoint: its rows are still in the log when it evaluates', async () => {
    await books.add('fbs_fees', fee('F900', '2026-11-26 08:00:00', '40.00'));
    await books.db.run(`INSERT INTO cur_touched VALUES ('101', 'F900')`);
    await night(false);
    expect(walAtFirstModel).toBeGreaterThan(0);
  });
});
