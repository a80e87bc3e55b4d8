// Incremental nights at the level of the models (src/pipeline/incremental.ts): two databases hold the same books night
// after night, one evaluated incrementally, the other with the full evaluation (the reference); every night their
// marts must be equal, row for row. The books are the hand-made set on which every rule fires (all-rules-books), and
// each night changes them the way a night's files or the clock would: the change's ids are recorded in cur_touched as
// the books step does (src/ingest/current.ts; the end-to-end nights test covers that part with real files).
// Checked by breaking the code on purpose: without the SLA-deadline windows of dueWindows the time-only night differs
// (R09 and the claim's stage stay in flight); without the closure's rounds the coverage night differs (the claim's
// fee keeps its old R18 verdict); without the per-municipality comparison the first PSP transaction of 561 leaves its
// payments' R11 standing; deleting kept rows by their first item column only leaves stale rows after the weekend;
// without the window of the rows' own instants the payment reversed by time alone keeps its R14.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db.ts';
import { lit } from '../../src/db.ts';
import { commitNight, evaluateStep, planNight, type Night } from '../../src/pipeline/incremental.ts';
import { Books, claim, coverage, fee, payment, txn, type Kind, type RowIn } from '../helpers/books.ts';
import { allRulesBooks } from '../helpers/all-rules-books.ts';

const MARTS = ['discrepancies', 'reversals', 'latency_items', 'latency', 'latency_negative', 'suggestions', 'discrepancy_hints', 'delivery_status'];

async function evaluate(db: Db, full: boolean, deliveries?: number): Promise<Night> {
  const night = await planNight(db, { full, deliveries });
  for (const step of ['rules', 'suggestions', 'latency'] as const) await evaluateStep(db, night, step);
  await commitNight(db, night);
  return night;
}

async function marts(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const m of MARTS) out[m] = JSON.stringify(await db.all(`SELECT * FROM ${m} ORDER BY ALL`), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  return out;
}

describe('an incremental night equals the full evaluation of the same books', () => {
  let inc: Books;
  let ref: Books;
  const nights: { name: string; night: Night; discrepancies: number }[] = [];

  /** The same change in both databases; the incremental one learns its ids as the books step would tell it. */
  async function change(kind: Kind, rows: RowIn[], remove?: { column: string; id: string; links: string[] }): Promise<void> {
    for (const b of [inc, ref]) {
      if (remove) await b.clear(kind, `${remove.column} = ${lit(remove.id)}`);
      if (rows.length) await b.add(kind, ...rows);
    }
    const ids = rows.flatMap((r) => Object.entries(r).filter(([k, v]) => v && /(^|_)(id|ref)$/.test(k) && k !== 'coverage_id' && k !== 'adjustment_id' && k !== 'invoice_id').map(([, v]) => [r.municipality ?? '101', v!]));
    for (const id of remove?.links ?? []) ids.push(['101', id]); // the removed row's ids, as it was
    for (const [m, id] of ids) await inc.db.run(`INSERT INTO cur_touched VALUES (${lit(m)}, ${lit(id)})`);
  }

  /** `deliveries`: how many the night's load registered (a rerun with none reuses the kept evaluation). */
  async function night(name: string, asOf: string, deliveries?: number): Promise<void> {
    await inc.setAsOf(asOf);
    await ref.setAsOf(asOf);
    const n = await evaluate(inc.db, false, deliveries);
    await evaluate(ref.db, true);
    const [a, b] = [await marts(inc.db), await marts(ref.db)];
    for (const m of MARTS) expect(a[m], `${name}: ${m}`).toEqual(b[m]);
    nights.push({ name, night: n, discrepancies: JSON.parse(a.discrepancies).length });
  }

  beforeAll(async () => {
    inc = await allRulesBooks();
    ref = await allRulesBooks();
    // a payment reversed at 11:30 the next day: reversed by time alone on the 'time only' night, within an hour of its
    // asOf, so that only the window of the rows' own instants finds it (not one of the SLA deadlines')
    for (const b of [inc, ref]) await b.add('debitor_payments', payment('P91', '2026-11-21 08:00:00', '12.00', { reversed_at: '2026-11-27 11:30:00' }));
    await night('first', '2026-11-26T12:00:00Z');
    await night('rerun', '2026-11-26T12:00:00Z', 0);
    await night('rerun with a delivery registered', '2026-11-26T12:00:00Z', 1);
    // a fee (its R01 deadline 14:30 comes on the next night by time alone), a claim for an old fee, a claim without one
    await change('fbs_fees', [fee('F50', '2026-11-26 13:30:00', '75.00'), fee('F51', '2026-11-20 08:00:00', '40.00')]);
    await change('debitor_claims', [claim('C51', 'F51', '2026-11-26 13:30:00', '40.00'), claim('C60', null, '2026-11-26 13:00:00', '25.00')]);
    await night('late rows', '2026-11-26T14:00:00Z');
    // nothing new: Friday 27 Nov (F50's hour deadline passes), then Monday 30 Nov (C60's banking-day deadline passes)
    await night('time only', '2026-11-27T12:00:00Z');
    await night('after a weekend', '2026-11-30T23:30:00Z');
    // a payment covering C17 again and C51 twice: overcoverage, reversal proposals, R15, R16
    await change('debitor_payments', [payment('P70', '2026-11-30 08:00:00', '80.00')]);
    await change('debitor_coverages', [
      coverage('V70', 'P70', 'C51', '2026-11-30 09:00:00', '40.00'),
      coverage('V71', 'P70', 'C51', '2026-11-30 09:05:00', '30.00'),
      coverage('V72', 'P70', 'C17', '2026-11-30 09:10:00', '10.00'),
    ]);
    await night('coverages', '2026-12-01T06:00:00Z');
    // the duplicate claim of F03 withdrawn (a replaced delivery without it)
    await change('debitor_claims', [], { column: 'claim_id', id: 'C03b', links: ['C03b', 'F03'] });
    await night('a claim gone', '2026-12-01T07:00:00Z');
    // 561's first PSP transaction: every payment of 561 is judged again (R11 needs the municipality's transactions)
    await change('debitor_payments', [payment('P80', '2026-11-30 08:00:00', '15.00', { municipality: '561', channel: 'psp', psp_txn_ref: 'NOPE' })]);
    await night('561 payment', '2026-12-01T08:00:00Z');
    await change('psp_transactions', [txn('T80', '2026-12-01 08:30:00', '15.00', { municipality: '561' })]);
    await night('561 transaction', '2026-12-01T09:00:00Z');
    await night('look back', '2026-11-30T12:00:00Z');
    await night('after the look back', '2026-12-02T12:00:00Z');
  }, 600_000);

  afterAll(() => {
    inc?.close();
    ref?.close();
  });

  it('equals the reference on every night (asserted in the set-up, night by night, mart by mart)', () => {
    expect(nights.map((n) => n.name)).toEqual(['first', 'rerun', 'rerun with a delivery registered', 'late rows', 'time only', 'after a weekend', 'coverages', 'a claim gone', '561 payment', '561 transaction', 'look back', 'after the look back']);
    expect(nights.every((n) => n.discrepancies > 0)).toBe(true);
  });

  it('evaluates whole only when it must, and otherwise only the items of the night', () => {
    const by = new Map(nights.map((n) => [n.name, n.night]));
    expect(by.get('first')).toMatchObject({ full: true, reason: 'no kept evaluation' });
    expect(by.get('look back')).toMatchObject({ full: true, reason: 'a look back' });
    expect(by.get('rerun')).toMatchObject({ full: false, reuse: true, items: 0, rows: 0, municipalities: 0 });
    expect(by.get('rerun with a delivery registered')).toMatchObject({ full: false, items: 0, rows: 0, municipalities: 0 });
    expect(by.get('rerun with a delivery registered')!.reuse).toBeUndefined();
    for (const n of ['late rows', 'time only', 'coverages', 'a claim gone', '561 payment', 'after the look back']) {
      expect(by.get(n)!.full, n).toBe(false);
      expect(by.get(n)!.items, n).toBeGreaterThan(0);
    }
    // a night re-evaluates a part of the books, not all of them
    expect(by.get('a claim gone')!.rows).toBeLessThan(20);
    expect(by.get('561 transaction')).toMatchObject({ full: false, municipalities: 1 });
  });

  it('a changed SLA, the books rebuilt, or --full evaluate everything', async () => {
    await inc.setAsOf('2026-12-02T13:00:00Z', { sla: { fee_to_claim: { hours: 2 } } });
    expect(await planNight(inc.db)).toMatchObject({ full: true, reason: 'the rules, the macros, the municipalities, the SLA or the calendar changed' });
    await inc.setAsOf('2026-12-02T13:00:00Z');
    // the plan above forgot the kept evaluation: a night that fails before commitNight leaves the next to evaluate whole
    expect(await planNight(inc.db)).toMatchObject({ full: true, reason: 'no kept evaluation' });
    await evaluate(inc.db, true);
    expect(await planNight(inc.db, { full: true })).toMatchObject({ full: true, reason: '--full' });
    await evaluate(inc.db, true);
    await inc.db.run(`INSERT INTO cur_touched VALUES (NULL, NULL)`);
    expect(await planNight(inc.db)).toMatchObject({ full: true, reason: 'the books were rebuilt' });
  });
});
