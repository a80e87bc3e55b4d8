// Discrepancy lifecycle (FORMATS.md §7): new → persisting → resolved → reopened with a new first_seen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { RULE_CODES } from '../../src/pipeline/catalog.ts';
import { assignCaseRefs } from '../../src/pipeline/case-refs.ts';
import { computeLatency } from '../../src/pipeline/latency.ts';
import { materialise } from '../../src/pipeline/models.ts';

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
  it('new → persisting → resolved → reopened with a new first_seen', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'), fee('F2', '2026-11-26 09:00:00', '10.50'));

    const r1 = await run(b, 1, '2026-11-26T12:00:00Z');
    expect(Object.keys(r1)).toEqual(RULE_CODES); // every rule of the catalog, zeros included
    expect(r1.R01).toEqual({ open: 2, new: 2, persisting: 0, resolved: 0, amount: '135.50' });
    expect(r1.R02).toEqual(ZERO);
    expect(r1.R22).toEqual(ZERO);
    expect(await states(b)).toEqual([
      { rule: 'R01', municipality: '101', key_id: 'F1', amount: '125.00', first_seen: '2026-11-26 12:00:00', state: 'new', resolved_at: null },
      { rule: 'R01', municipality: '101', key_id: 'F2', amount: '10.50', first_seen: '2026-11-26 12:00:00', state: 'new', resolved_at: null },
    ]);

    // the next night: the same two, now persisting with their first_seen
    const r2 = await run(b, 2, '2026-11-26T18:00:00Z');
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

  it('a look back (asOf not later than the latest recorded night) compares with the recorded nights before it and records nothing', async () => {
    b = await Books.open('2026-10-20T12:00:00Z');
    // F1 waits from 1 October, F2 from 10 November; C1 gives F1 its claim on 15 November
    await b.add('fbs_fees', fee('F1', '2026-10-01 09:00:00', '100.00'), fee('F2', '2026-11-10 09:00:00', '20.00'));
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-15 08:00:00', '100.00'));
    const recorded = async () => ({
      history: await b!.db.value('SELECT count(*) FROM discrepancy_history'),
      runs: await b!.db.all(`SELECT run_seq, strftime(as_of, '%Y-%m-%d') AS d FROM lifecycle_runs ORDER BY run_seq`),
    });

    // two recorded nights: 20 October (F1 open) and 26 November (F1 resolved, F2 new)
    expect((await run(b, 1, '2026-10-20T12:00:00Z')).R01).toMatchObject({ open: 1, new: 1 });
    expect((await run(b, 2, '2026-11-26T12:00:00Z')).R01).toMatchObject({ open: 1, new: 1, persisting: 0, resolved: 1 });
    const before = await recorded();
    // (C1, received 15 November with no invoice, is R09 on 26 November: four rows in all)
    expect(before).toEqual({ history: 4, runs: [{ run_seq: 1, d: '2026-10-20' }, { run_seq: 2, d: '2026-11-26' }] });

    // an auditor looks back into 12 November: compared with 20 October, F1 persists (first seen 20 October), F2 is
    // new; nothing resolves, nothing is recorded
    const back = await run(b, 3, '2026-11-12T12:00:00Z');
    expect(back.R01).toEqual({ open: 2, new: 1, persisting: 1, resolved: 0, amount: '120.00' });
    expect((await states(b)).filter((r) => r.rule === 'R01')).toEqual([
      { rule: 'R01', municipality: '101', key_id: 'F1', amount: '100.00', first_seen: '2026-10-20 12:00:00', state: 'persisting', resolved_at: null },
      { rule: 'R01', municipality: '101', key_id: 'F2', amount: '20.00', first_seen: '2026-11-12 12:00:00', state: 'new', resolved_at: null },
    ]);
    expect(await recorded()).toEqual(before);

    // a second run of the latest night (same asOf): compared with 20 October, not with itself, so F2 stays new
    const again = await run(b, 3, '2026-11-26T12:00:00Z');
    expect(again.R01).toEqual({ open: 1, new: 1, persisting: 0, resolved: 1, amount: '20.00' });
    expect(await recorded()).toEqual(before);

    // the next night after both is what it would have been without them: F2 persisting since 26 November
    const next = await run(b, 3, '2026-11-27T12:00:00Z');
    expect(next.R01).toEqual({ open: 1, new: 0, persisting: 1, resolved: 0, amount: '20.00' });
    expect((await states(b)).filter((r) => r.rule === 'R01')).toEqual([
      { rule: 'R01', municipality: '101', key_id: 'F2', amount: '20.00', first_seen: '2026-11-26 12:00:00', state: 'persisting', resolved_at: null },
    ]);
    expect((await recorded()).runs).toEqual([{ run_seq: 1, d: '2026-10-20' }, { run_seq: 2, d: '2026-11-26' }, { run_seq: 3, d: '2026-11-27' }]);
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

  it('case_ref: S- and a number per identity, stable across runs, new numbers in identity order, kept when reopened', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F2', '2026-11-26 09:00:00', '10.00'), fee('F1', '2026-11-26 09:00:00', '10.00'));
    const refs = async () =>
      Object.fromEntries(
        (await b!.db.all<{ rule: string; key_id: string; case_ref: string; state: string }>(
          `SELECT rule, key_id, case_ref, state FROM discrepancy_states ORDER BY rule, key_id`,
        )).map((r) => [`${r.rule}/${r.key_id}`, `${r.case_ref} ${r.state}`]),
      );
    await run(b, 1, '2026-11-26T12:00:00Z');
    expect(await refs()).toEqual({ 'R01/F1': 'S-1 new', 'R01/F2': 'S-2 new' });

    // night 2: F0 (sorts first) and a claim naming no fee are new: the next numbers, by rule, municipality, key
    await b.add('fbs_fees', fee('F0', '2026-11-27 08:00:00', '10.00'));
    await b.add('debitor_claims', claim('C9', 'NOFEE', '2026-11-27 08:00:00', '10.00'));
    await run(b, 2, '2026-11-27T12:00:00Z');
    expect(await refs()).toMatchObject({ 'R01/F0': 'S-3 new', 'R01/F1': 'S-1 persisting', 'R01/F2': 'S-2 persisting', 'R02/C9': 'S-4 new' });

    // night 3: F1 gets its claim (resolved, keeps S-1); night 4: the claim is gone again, F1 reopens as S-1
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-28 08:00:00', '10.00'));
    await run(b, 3, '2026-11-28T12:00:00Z');
    expect((await refs())['R01/F1']).toBe('S-1 resolved');
    await b.clear('debitor_claims', `claim_id = 'C1'`);
    await run(b, 4, '2026-11-29T12:00:00Z');
    expect((await refs())['R01/F1']).toBe('S-1 new');
    const table = await b.db.all(`SELECT case_no, municipality, rule, key_id FROM case_refs ORDER BY case_no`);
    expect(table).toEqual([
      { case_no: 1, municipality: '101', rule: 'R01', key_id: 'F1' },
      { case_no: 2, municipality: '101', rule: 'R01', key_id: 'F2' },
      { case_no: 3, municipality: '101', rule: 'R01', key_id: 'F0' },
      { case_no: 4, municipality: '101', rule: 'R02', key_id: 'C9' },
    ]);
    // handling is not recorded yet: every row is open
    expect(await b.db.value(`SELECT string_agg(DISTINCT handling_status) FROM discrepancy_states`)).toBe('open');
    // assigning again (e.g. a look back that records nothing else) changes nothing for known identities
    expect(await assignCaseRefs(b.db, new Date('2026-11-29T12:00:00Z'))).toBe(0);
    expect(await b.db.value(`SELECT count(*) FROM case_refs`)).toBe(4);
  });

  it('the same runs on a fresh database give the same case numbers', async () => {
    const numbers = async () => {
      const books = await Books.open('2026-11-26T12:00:00Z');
      try {
        await books.add('fbs_fees', fee('FB', '2026-11-26 09:00:00', '10.00'), fee('FA', '2026-11-26 09:00:00', '10.00', { municipality: '561' }));
        await books.add('debitor_claims', claim('CA', null, '2026-11-26 09:00:00', '10.00'));
        await run(books, 1, '2026-11-26T12:00:00Z');
        return await books.db.all(`SELECT rule, municipality, key_id, case_ref FROM discrepancy_states ORDER BY case_ref`);
      } finally {
        books.close();
      }
    };
    const first = await numbers();
    // identity order: rule, then municipality, then key (R01 101 FB, R01 561 FA, then R02's claim; CA's
    // claim_to_payable deadline, 1 banking day, has not passed)
    expect(first.map((r) => `${r.case_ref} ${r.rule} ${r.municipality} ${r.key_id}`)).toEqual([
      'S-1 R01 101 FB',
      'S-2 R01 561 FA',
      'S-3 R02 101 CA',
    ]);
    expect(await numbers()).toEqual(first);
  });
});

describe('go-live status on the first night', () => {
  it('is red at once for a critical discrepancy that arose in April: the age comes from the data, not from first_seen', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-04-15 08:00:00', '100.00'), fee('F2', '2026-11-26 11:30:00', '100.00'));
    await run(b, 1, '2026-11-26T12:00:00Z');
    await computeLatency(b.db);
    await materialise(b.db, 'marts/waves.sql');
    const w = await b.db.all<{ municipality: string; status: string; reason: string; critical_over_2_banking_days: number }>(
      `SELECT municipality, status, reason, critical_over_2_banking_days FROM waves ORDER BY municipality`,
    );
    expect(w.find((r) => r.municipality === '101')).toEqual({
      municipality: '101',
      status: 'red',
      // F1 is 157 banking days old; F1 is the only fee past its deadline (F2's is 12:30) and has no claim
      reason:
        '1 kritisk afvigelse opstod for mere end 2 bankdage siden; ' +
        'kun 0,0 % af de ikke-annullerede gebyrer fra idriftsættelsen, hvis frist for gebyr → fordring er udløbet, har en fordring i debitorsystemet (0 af 1; mindst 95 % kræves)',
      critical_over_2_banking_days: 1,
    });
    // 561 and 621 went live before asOf's date but no fee is in scope
    expect(w.find((r) => r.municipality === '561')?.reason).toBe('intet gebyr er set siden idriftsættelsen 1. juni 2026');
  });
});

