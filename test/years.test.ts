// Dates of any year 1900–2199 are values like any other (FORMATS.md §3): the banking-day calendar and the SLA
// deadlines of RULES.md §1 hold in 1999, 1985, 1950 and 2150 as they do in 2026. Hand-made books; every deadline
// below is worked out by hand from the closing days of RULES.md §1 and Copenhagen's clock of that year.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, ids, idsOf, txn } from './helpers/books.ts';
import { materialiseLayer } from '../src/pipeline/models.ts';
import { computeLatency } from '../src/pipeline/latency.ts';
import type { Db } from '../src/db.ts';

/** The latency mart the batch writes. */
const latencyRows = (db: Db) =>
  db.all<{ municipality: string; stage: string; n: number; within_sla: number; breached: number; in_flight: number }>(
    `SELECT * FROM latency ORDER BY municipality = 'ALL', municipality, stage`,
  );

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

/** The latency items of one stage: id, deadline (UTC), completed / breached / in flight. */
async function items(books: Books, stage: string) {
  await materialiseLayer(books.db, 'intermediate');
  await computeLatency(books.db);
  return books.db.all(`
    SELECT item_id, strftime(deadline, '%Y-%m-%dT%H:%M:%SZ') AS deadline, completed, breached, in_flight
    FROM latency_items WHERE stage = '${stage}' ORDER BY item_id`);
}

describe('a captured payment of 1999 with no booking (R10, psp_to_debitor)', () => {
  // Paid Maundy Thursday 1 April 1999 12:00 CEST (10:00Z); psp_to_debitor = 1 banking day: Good Friday 2 April and
  // Easter Monday 5 April are closed, so the banking day is Tuesday 6 April → 00:00 Wednesday 7 April CEST
  // (EU summer time since 28 March 1999) = 1999-04-06T22:00:00Z.
  const DEADLINE = '1999-04-06T22:00:00Z';

  it('fires at its deadline, not a millisecond before', async () => {
    b = await Books.open(DEADLINE);
    await b.add('psp_transactions', txn('T1999', '1999-04-01 10:00:00', '100.00'));
    await b.evaluate();
    const rows = await b.rule('R10');
    expect(idsOf(rows)).toEqual([ids('T1999', '100.00', { psp_txn_id: 'T1999' })]);
    expect(rows[0].detail).toBe(
      'Borgeren betalte 100,00 kr. i betalingsløsningen 01-04-1999 12:00 (transaktion T1999), men betalingen er ikke bogført i debitorsystemet; fristen udløb 07-04-1999 00:00.',
    );
    expect(await b.ruleAt('1999-04-06T21:59:59.999Z', 'R10')).toEqual([]);
  });

  it('fires still in 2026 and is a breached item of latency', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('psp_transactions', txn('T1999', '1999-04-01 10:00:00', '100.00'));
    await b.evaluate();
    expect(idsOf(await b.rule('R10'))).toEqual([ids('T1999', '100.00', { psp_txn_id: 'T1999' })]);
    expect(await items(b, 'psp_to_debitor')).toEqual([
      { item_id: 'T1999', deadline: DEADLINE, completed: false, breached: true, in_flight: false },
    ]);
    const row = (await latencyRows(b.db)).find((r) => r.municipality === '101' && r.stage === 'psp_to_debitor');
    expect(row).toMatchObject({ n: 0, within_sla: 0, breached: 1, in_flight: 0 });
  });
});

describe('a claim received in 1999 with no invoice (R09, claim_to_payable)', () => {
  // Received Thursday 30 December 1999 10:00 CET (09:00Z); 31 December and 1 January (a Saturday anyway) are closed,
  // the weekend too: the banking day is Monday 3 January 2000 → 00:00 Tuesday 4 January CET = 2000-01-03T23:00:00Z.
  const DEADLINE = '2000-01-03T23:00:00Z';

  it('fires at its deadline across the year end, not a millisecond before; it is breached in latency', async () => {
    b = await Books.open(DEADLINE);
    await b.add('debitor_claims', claim('C1999', null, '1999-12-30 09:00:00', '80.00'));
    await b.evaluate();
    const rows = await b.rule('R09');
    expect(idsOf(rows)).toEqual([ids('C1999', '80.00', { claim_id: 'C1999' })]);
    expect(rows[0].detail).toBe(
      'Fordringen C1999 (modtaget 30-12-1999 10:00, restance 80,00 kr.) er ikke gjort betalbar i betalingsløsningen; fristen udløb 04-01-2000 00:00.',
    );
    expect(await items(b, 'claim_to_payable')).toEqual([
      { item_id: 'C1999', deadline: DEADLINE, completed: false, breached: true, in_flight: false },
    ]);
    expect(await b.ruleAt('2000-01-03T22:59:59.999Z', 'R09')).toEqual([]);
  });

  it('the deadline of a claim of May 1999 passes over Great Prayer Day', async () => {
    // Received Thursday 29 April 1999; Friday 30 April 1999 is Great Prayer Day (4th Friday after Easter 4 April),
    // so the banking day is Monday 3 May → 00:00 Tuesday 4 May CEST = 1999-05-03T22:00:00Z; in flight a ms before.
    b = await Books.open('1999-05-03T21:59:59.999Z');
    await b.add('debitor_claims', claim('C1', null, '1999-04-29 10:00:00', '80.00'));
    await b.evaluate();
    expect(await b.rule('R09')).toEqual([]);
    expect(await items(b, 'claim_to_payable')).toEqual([
      { item_id: 'C1', deadline: '1999-05-03T22:00:00Z', completed: false, breached: false, in_flight: true },
    ]);
  });
});

describe('Copenhagen time before 1996 follows its own history', () => {
  it('1985: summer time ended on the last Sunday of September', async () => {
    // Received Friday 27 September 1985 12:00 CEST (10:00Z); banking day Monday 30 September → 00:00 Tuesday
    // 1 October, which in 1985 was already winter time (CET, summer time ended Sunday 29 September) = 23:00Z.
    b = await Books.open('1985-09-30T23:00:00Z');
    await b.add('debitor_claims', claim('C1985', null, '1985-09-27 10:00:00', '80.00'));
    await b.evaluate();
    expect((await b.rule('R09'))[0]?.detail).toBe(
      'Fordringen C1985 (modtaget 27-09-1985 12:00, restance 80,00 kr.) er ikke gjort betalbar i betalingsløsningen; fristen udløb 01-10-1985 00:00.',
    );
    expect(await b.ruleAt('1985-09-30T22:59:59.999Z', 'R09')).toEqual([]);
  });

  it('1950: no summer time at all, Great Prayer Day closed', async () => {
    // Received Thursday 4 May 1950 11:00 CET (10:00Z, no summer time 1949–1979); Friday 5 May 1950 is Great Prayer
    // Day (Easter 9 April); banking day Monday 8 May → 00:00 Tuesday 9 May CET = 1950-05-08T23:00:00Z.
    b = await Books.open('1950-05-08T23:00:00Z');
    await b.add('psp_transactions', txn('T1950', '1950-05-04 10:00:00', '25.00'));
    await b.evaluate();
    expect((await b.rule('R10'))[0]?.detail).toBe(
      'Borgeren betalte 25,00 kr. i betalingsløsningen 04-05-1950 11:00 (transaktion T1950), men betalingen er ikke bogført i debitorsystemet; fristen udløb 09-05-1950 00:00.',
    );
    expect(await b.ruleAt('1950-05-08T22:59:59.999Z', 'R10')).toEqual([]);
  });
});

describe('2150', () => {
  // Easter Sunday 12 April 2150. Paid Maundy Thursday 9 April 2150 10:00Z; Good Friday 10 and Easter Monday 13 April
  // are closed: the banking day is Tuesday 14 April → 00:00 Wednesday 15 April CEST = 2150-04-14T22:00:00Z.
  it('a captured payment with no booking fires R10 at its deadline and is breached in latency', async () => {
    b = await Books.open('2150-04-14T22:00:00Z');
    await b.add('psp_transactions', txn('T2150', '2150-04-09 10:00:00', '100.00'));
    await b.evaluate();
    const rows = await b.rule('R10');
    expect(idsOf(rows)).toEqual([ids('T2150', '100.00', { psp_txn_id: 'T2150' })]);
    expect(rows[0].detail).toBe(
      'Borgeren betalte 100,00 kr. i betalingsløsningen 09-04-2150 12:00 (transaktion T2150), men betalingen er ikke bogført i debitorsystemet; fristen udløb 15-04-2150 00:00.',
    );
    expect(await items(b, 'psp_to_debitor')).toEqual([
      { item_id: 'T2150', deadline: '2150-04-14T22:00:00Z', completed: false, breached: true, in_flight: false },
    ]);
    expect(await b.ruleAt('2150-04-14T21:59:59.999Z', 'R10')).toEqual([]);
  });

  it('a claim of 2150 answered by an invoice the next banking day is within SLA; unanswered it is in flight', async () => {
    // Received Thursday 4 June 2150 10:00Z; 5 June (a Friday) is closed: banking day Monday 8 June → 00:00 Tuesday
    // 9 June CEST = 2150-06-08T22:00:00Z. Invoice Monday 8 June 10:00Z: within, 96 h.
    b = await Books.open('2150-06-08T21:00:00Z');
    await b.add('debitor_claims', claim('C1', null, '2150-06-04 10:00:00', '80.00'), claim('C2', null, '2150-06-04 10:00:00', '80.00'));
    await b.add('psp_invoices', { invoice_id: 'I1', claim_id: 'C1', amount: '80.00', published_at: '2150-06-08 10:00:00' });
    await b.evaluate();
    expect(await b.rule('R09')).toEqual([]);
    expect(await items(b, 'claim_to_payable')).toEqual([
      { item_id: 'C1', deadline: '2150-06-08T22:00:00Z', completed: true, breached: false, in_flight: false },
      { item_id: 'C2', deadline: '2150-06-08T22:00:00Z', completed: false, breached: false, in_flight: true },
    ]);
    const row = (await latencyRows(b.db)).find((r) => r.municipality === '101' && r.stage === 'claim_to_payable');
    expect(row).toMatchObject({ n: 1, p50_hours: '96.00', within_sla: 1, breached: 0, in_flight: 1 });
  });

  it('a claim received on 31 December 2199 has its deadline in 2200', async () => {
    // Tuesday 31 December 2199 is closed; Wednesday 1 January 2200 too: banking day Thursday 2 January 2200
    // → 00:00 Friday 3 January CET = 2200-01-02T23:00:00Z.
    b = await Books.open('2200-01-02T23:00:00Z');
    await b.add('debitor_claims', claim('C2199', null, '2199-12-31 10:00:00', '80.00'));
    await b.evaluate();
    expect(idsOf(await b.rule('R09'))).toEqual([ids('C2199', '80.00', { claim_id: 'C2199' })]);
    expect(await b.ruleAt('2200-01-02T22:59:59.999Z', 'R09')).toEqual([]);
  });
});
