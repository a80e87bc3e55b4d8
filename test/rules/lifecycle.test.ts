// Discrepancy lifecycle (FORMATS.md §7): new → persisting → resolved → reopened with a new first_seen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';
import { updateLifecycle } from '../../src/pipeline/lifecycle.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

const ZERO = { open: 0, new: 0, persisting: 0, resolved: 0, amount: '0.00' };

async function run(books: Books, runSeq: number, asOf: string) {
  await books.setAsOf(asOf);
  await books.evaluate();
  return updateLifecycle(books.db, runSeq, new Date(asOf));
}

async function states(books: Books) {
  return books.db.all(`SELECT rule, municipality, key_id, amount, first_seen, state, resolved_at FROM discrepancy_states ORDER BY rule, municipality, key_id`);
}

describe('updateLifecycle', () => {
  it('new → persisting (same batch twice) → resolved → reopened with a new first_seen', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'), fee('F2', '2026-11-26 09:00:00', '10.50'));

    const r1 = await run(b, 1, '2026-11-26T12:00:00Z');
    expect(Object.keys(r1)).toEqual(Array.from({ length: 22 }, (_, i) => `R${String(i + 1).padStart(2, '0')}`));
    expect(r1.R01).toEqual({ open: 2, new: 2, persisting: 0, resolved: 0, amount: '135.50' });
    expect(r1.R02).toEqual(ZERO);
    expect(r1.R22).toEqual(ZERO);
    expect(await states(b)).toEqual([
      { rule: 'R01', municipality: '101', key_id: 'F1', amount: '125.00', first_seen: '2026-11-26 12:00:00', state: 'new', resolved_at: null },
      { rule: 'R01', municipality: '101', key_id: 'F2', amount: '10.50', first_seen: '2026-11-26 12:00:00', state: 'new', resolved_at: null },
    ]);

    // the same batch again: identical first_seen, now persisting
    const r2 = await run(b, 2, '2026-11-26T12:00:00Z');
    expect(r2.R01).toEqual({ open: 2, new: 0, persisting: 2, resolved: 0, amount: '135.50' });
    expect(await states(b)).toEqual([
      { rule: 'R01', municipality: '101', key_id: 'F1', amount: '125.00', first_seen: '2026-11-26 12:00:00', state: 'persisting', resolved_at: null },
      { rule: 'R01', municipality: '101', key_id: 'F2', amount: '10.50', first_seen: '2026-11-26 12:00:00', state: 'persisting', resolved_at: null },
    ]);

    // F1 gets its claim: resolved, with its last known columns
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-27 08:00:00', '125.00'));
    const r3 = await run(b, 3, '2026-11-27T12:00:00Z');
    expect(r3.R01).toEqual({ open: 1, new: 0, persisting: 1, resolved: 1, amount: '10.50' });
    expect(await states(b)).toEqual([
      { rule: 'R01', municipality: '101', key_id: 'F1', amount: '125.00', first_seen: '2026-11-26 12:00:00', state: 'resolved', resolved_at: '2026-11-27 12:00:00' },
      { rule: 'R01', municipality: '101', key_id: 'F2', amount: '10.50', first_seen: '2026-11-26 12:00:00', state: 'persisting', resolved_at: null },
    ]);
    const resolvedRow = await b.db.one(`SELECT * FROM discrepancy_states WHERE state = 'resolved'`);
    expect(resolvedRow).toMatchObject({ severity: 'critical', fee_id: 'F1', claim_id: null, lineage: '101/fbs_fees_2026-11-26.csv:2' });

    // the claim disappears again (re-delivery): reopened as new with this run's asOf
    await b.clear('debitor_claims');
    const r4 = await run(b, 4, '2026-11-28T12:00:00Z');
    expect(r4.R01).toEqual({ open: 2, new: 1, persisting: 1, resolved: 0, amount: '135.50' });
    expect(await states(b)).toEqual([
      { rule: 'R01', municipality: '101', key_id: 'F1', amount: '125.00', first_seen: '2026-11-28 12:00:00', state: 'new', resolved_at: null },
      { rule: 'R01', municipality: '101', key_id: 'F2', amount: '10.50', first_seen: '2026-11-26 12:00:00', state: 'persisting', resolved_at: null },
    ]);
    // two rows per run: run 1 two new, run 2 two persisting, run 3 one resolved + one persisting, run 4 one new + one persisting
    expect(await b.db.value('SELECT count(*) FROM discrepancy_history')).toBe(8);
    expect(await b.db.value('SELECT count(*) FROM lifecycle_runs')).toBe(4);
  });

  it('re-running a run_seq replaces its record; state survives closing and reopening the database file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-lc-'));
    const file = path.join(dir, 'afstem.duckdb');
    try {
      b = await Books.open('2026-11-26T12:00:00Z', { file });
      await b.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'));
      await run(b, 1, '2026-11-26T12:00:00Z');
      const again = await run(b, 1, '2026-11-26T12:00:00Z');
      expect(again.R01).toEqual({ open: 1, new: 1, persisting: 0, resolved: 0, amount: '125.00' });
      b.close();
      b = await Books.open('2026-11-27T12:00:00Z', { file });
      const r2 = await run(b, 2, '2026-11-27T12:00:00Z');
      expect(r2.R01).toEqual({ open: 1, new: 0, persisting: 1, resolved: 0, amount: '125.00' });
      expect(await b.db.value(`SELECT first_seen FROM discrepancy_states WHERE key_id = 'F1'`)).toBe('2026-11-26 12:00:00');
    } finally {
      b?.close();
      b = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
