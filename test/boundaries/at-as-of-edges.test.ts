// Edges of RULES.md §1 and §3–§5 that the mutation run (bench/mutate.ts) showed no test pinned, each worked out by
// hand from the rules with the near miss beside it: what happens exactly AT asOf has happened (a claim received, a
// payment or coverage reversed at asOf), the latest reversal dates an over-coverage, and the reversal proposal takes
// the newest coverage by covered_at even when coverage ids sort the other way. asOf Thursday 26 November 2026 12:00 UTC.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, ids, idsOf, payment, txn } from '../helpers/books.ts';

const AS_OF = '2026-11-26T12:00:00Z';
const AT = '2026-11-26 12:00:00';
const BEFORE = '2026-11-26T11:59:59.999Z';
let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

describe('a claim received exactly at asOf matches its fee (RULES.md §1: it has happened)', () => {
  it('not R02 and not R01 at asOf; 1 ms earlier the claim has not arrived and the fee is R01', async () => {
    b = await Books.open(AS_OF);
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('C1', 'F1', AT, '100.00'));
    await b.evaluate();
    expect(await b.rule('R02')).toEqual([]);
    expect(await b.rule('R01')).toEqual([]);
    expect(await b.db.all(`SELECT claim_id, fee_exists, is_the_claim FROM int_claims`)).toEqual([{ claim_id: 'C1', fee_exists: true, is_the_claim: true }]);
    expect(idsOf(await b.ruleAt(BEFORE, 'R01'))).toEqual([ids('F1', '100.00', { fee_id: 'F1' })]);
    expect(await b.rule('R02')).toEqual([]);
  });

  it('the completion instant of a claim received at asOf and covered twice at asOf is asOf', async () => {
    // net 100, coverages 60 + 40 at asOf: the running sum reaches 100 at the second (same covered_at): asOf
    b = await Books.open(AS_OF);
    await b.add('debitor_claims', claim('C1', null, AT, '100.00'));
    await b.add('debitor_payments', payment('P1', AT, '60.00'), payment('P2', AT, '40.00'));
    await b.add('debitor_coverages', coverage('V1', 'P1', 'C1', AT, '60.00'), coverage('V2', 'P2', 'C1', AT, '40.00'));
    await b.evaluate();
    expect(await b.db.all(`SELECT claim_id, outstanding::VARCHAR AS outstanding, CAST(completed_at AS VARCHAR) AS completed_at FROM int_claims`)).toEqual([
      { claim_id: 'C1', outstanding: '0.00', completed_at: AT },
    ]);
  });
});

describe('R22 at an extract taken exactly at asOf, events at that instant included (RULES.md §3)', () => {
  it('a coverage made and reversed at the extract instant leaves the outstanding at net; one made and kept covers it', async () => {
    // C1: net 100, coverage 100 at asOf reversed at asOf → outstanding 100 = shown 100: no R22
    // C2 (near miss): net 100, coverage 100 at asOf, active → outstanding 0, shown 100 → R22 amount 100 − 0 = 100.00
    b = await Books.open(AS_OF);
    await b.add('debitor_claims', claim('C1', null, '2026-11-20 08:00:00', '100.00'), claim('C2', null, '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-26 11:00:00', '100.00'), payment('P2', '2026-11-26 11:00:00', '100.00'));
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C1', AT, '100.00', { reversed_at: AT }),
      coverage('V2', 'P2', 'C2', AT, '100.00'),
    );
    await b.add(
      'borgerblikket_claims',
      { claim_id: 'C1', shown_outstanding: '100.00', extracted_at: AT },
      { claim_id: 'C2', shown_outstanding: '100.00', extracted_at: AT },
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R22'))).toEqual([ids('C2', '100.00', { claim_id: 'C2' })]);
  });
});

describe('a payment reversed exactly at asOf is not active (RULES.md §1), so it is not the matched payment', () => {
  it('the later booking on the transaction is the match, not a duplicate; 1 ms earlier it is R13', async () => {
    // T1 captured 100.00; P1 booked first but reversed at asOf; P2 booked later → P2 is THE payment: no R13, no R10
    b = await Books.open(AS_OF);
    await b.add('psp_transactions', txn('T1', '2026-11-24 10:00:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-24 11:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T1', reversed_at: AT }),
      payment('P2', '2026-11-25 09:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T1' }),
    );
    await b.evaluate();
    expect(await b.rule('R13')).toEqual([]);
    expect(await b.rule('R10')).toEqual([]);
    expect(await b.db.all(`SELECT txn_id, payment_id FROM int_transactions`)).toEqual([{ txn_id: 'T1', payment_id: 'P2' }]);
    // the near miss: before asOf P1 is active and earlier, P2 is the duplicate booking
    expect(idsOf(await b.ruleAt(BEFORE, 'R13'))).toEqual([ids('P2', '100.00', { payment_id: 'P2', psp_txn_id: 'T1' })]);
  });
});

describe('R16 arose at the LATEST event that moved the outstanding (RULES.md §5)', () => {
  it('of two reversed coverages, the later reversal (23 November), not the earlier (19 November)', async () => {
    // C1 net 100; active VA 100 (17 Nov) and VB 50 (18 Nov) → excess 50; VC reversed 19 Nov, VD reversed 23 Nov
    b = await Books.open(AS_OF);
    await b.add('debitor_claims', claim('C1', null, '2026-11-16 08:00:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-17 08:00:00', '100.00'),
      payment('P2', '2026-11-18 08:00:00', '50.00'),
      payment('P3', '2026-11-18 09:00:00', '30.00'),
      payment('P4', '2026-11-18 10:00:00', '30.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('VA', 'P1', 'C1', '2026-11-17 09:00:00', '100.00'),
      coverage('VB', 'P2', 'C1', '2026-11-18 09:00:00', '50.00'),
      coverage('VC', 'P3', 'C1', '2026-11-18 10:00:00', '30.00', { reversed_at: '2026-11-19 10:00:00' }),
      coverage('VD', 'P4', 'C1', '2026-11-18 11:00:00', '30.00', { reversed_at: '2026-11-23 10:00:00' }),
    );
    await b.evaluate();
    const rows = await b.rule('R16');
    expect(idsOf(rows)).toEqual([ids('C1', '50.00', { claim_id: 'C1' })]);
    expect(String(rows[0].arose_at)).toMatch(/^2026-11-23[ T]10:00:00/);
  });
});

describe('the reversal proposal goes newest first by covered_at, then coverage_id (RULES.md §4)', () => {
  it('coverage ids that do not follow covered_at: the newest (VA, 23 Nov) is taken, not the highest id (VC, 22 Nov)', async () => {
    // net 100, three coverages of 40 → excess 20; newest by covered_at is VA (23 Nov): reverse 40, reapply 20
    b = await Books.open(AS_OF);
    await b.add('debitor_claims', claim('C1', null, '2026-11-20 08:00:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 08:00:00', '40.00'),
      payment('P2', '2026-11-21 08:00:00', '40.00'),
      payment('P3', '2026-11-21 08:00:00', '40.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('VA', 'P1', 'C1', '2026-11-23 09:00:00', '40.00'),
      coverage('VB', 'P2', 'C1', '2026-11-21 09:00:00', '40.00'),
      coverage('VC', 'P3', 'C1', '2026-11-22 09:00:00', '40.00'),
    );
    await b.evaluate();
    expect(await b.db.all('SELECT claim_id, excess_amount, coverage_ids, payment_ids, reverse_amount, reapply_amount FROM reversals')).toEqual([
      { claim_id: 'C1', excess_amount: '20.00', coverage_ids: 'VA', payment_ids: 'P1', reverse_amount: '40.00', reapply_amount: '20.00' },
    ]);
  });
});
