// Boundaries of RULES.md that a realistic one-character bug in the SQL would cross (issue 16's mutation run): each
// case is worked out by hand from RULES.md, with the near miss beside it. asOf Thursday 26 November 2026 13:00 in
// Copenhagen unless said otherwise; SLA defaults (fee_to_claim 1 h, debitor_to_fbs 2 banking days).
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, ids, idsOf, payment, txn } from '../helpers/books.ts';

const AS_OF = '2026-11-26T12:00:00Z';
let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

describe('claim net is never below 0 (RULES.md §1)', () => {
  it('a claim reduced by more than its principal has net 0: covered 20 is an excess of 20, not 70', async () => {
    b = await Books.open(AS_OF);
    // C1: principal 100 − adjustments 150 → net 0 (not −50); covered 20 → outstanding −20 → R16 amount 20.00
    // C2 (near miss): principal 100 − 80 → net 20; covered 20 → outstanding 0 → no R16
    await b.add('debitor_claims', claim('C1', null, '2026-11-20 08:00:00', '100.00'), claim('C2', null, '2026-11-20 08:00:00', '100.00'));
    await b.add(
      'debitor_adjustments',
      { adjustment_id: 'D1', claim_id: 'C1', amount: '150.00', registered_at: '2026-11-20 09:00:00' },
      { adjustment_id: 'D2', claim_id: 'C2', amount: '80.00', registered_at: '2026-11-20 09:00:00' },
    );
    await b.add('debitor_payments', payment('P1', '2026-11-21 08:00:00', '20.00'), payment('P2', '2026-11-21 08:00:00', '20.00'));
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C1', '2026-11-21 09:00:00', '20.00'),
      coverage('V2', 'P2', 'C2', '2026-11-21 09:00:00', '20.00'),
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R16'))).toEqual([ids('C1', '20.00', { claim_id: 'C1' })]);
    expect(await b.db.all(`SELECT claim_id, net::VARCHAR AS net, outstanding::VARCHAR AS outstanding FROM int_claims ORDER BY claim_id`)).toEqual([
      { claim_id: 'C1', net: '0.00', outstanding: '-20.00' },
      { claim_id: 'C2', net: '20.00', outstanding: '0.00' },
    ]);
  });

  it('R05 compares the floored claim net: fee net 100, claim reduced by 150 → amount 0 − 100 = −100.00', async () => {
    b = await Books.open(AS_OF);
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-20 08:30:00', '100.00'));
    await b.add('debitor_adjustments', { adjustment_id: 'D1', claim_id: 'C1', amount: '150.00', registered_at: '2026-11-20 09:00:00' });
    await b.evaluate();
    expect(idsOf(await b.rule('R05'))).toEqual([ids('C1', '-100.00', { fee_id: 'F1', claim_id: 'C1' })]);
  });
});

describe('R05 amount = claim net − fee net, with its sign (RULES.md §3)', () => {
  it('only the debtor side reduced: negative; only the FBS side reduced: positive; both alike: no R05', async () => {
    b = await Books.open(AS_OF);
    await b.add('fbs_fees', fee('FD', '2026-11-20 08:00:00', '100.00'), fee('FF', '2026-11-20 08:00:00', '100.00'), fee('FB', '2026-11-20 08:00:00', '100.00'));
    await b.add(
      'debitor_claims',
      claim('CD', 'FD', '2026-11-20 08:30:00', '100.00'),
      claim('CF', 'FF', '2026-11-20 08:30:00', '100.00'),
      claim('CB', 'FB', '2026-11-20 08:30:00', '100.00'),
    );
    // CD: claim net 70, fee net 100 → −30.00; CF: claim net 100, fee net 70 → +30.00; CB: 70 and 70 → mirrored
    await b.add(
      'debitor_adjustments',
      { adjustment_id: 'DD', claim_id: 'CD', amount: '30.00', registered_at: '2026-11-20 09:00:00' },
      { adjustment_id: 'DB', claim_id: 'CB', amount: '30.00', registered_at: '2026-11-20 09:00:00' },
    );
    await b.add(
      'fbs_adjustments',
      { adjustment_id: 'AF', fee_id: 'FF', amount: '30.00', created_at: '2026-11-20 09:00:00' },
      { adjustment_id: 'AB', fee_id: 'FB', amount: '30.00', created_at: '2026-11-20 09:00:00' },
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R05'))).toEqual([
      ids('CD', '-30.00', { fee_id: 'FD', claim_id: 'CD' }),
      ids('CF', '30.00', { fee_id: 'FF', claim_id: 'CF' }),
    ]);
  });
});

describe('the completion instant runs over (covered_at, coverage_id), not coverage_id (RULES.md §1)', () => {
  // Claim C1 of fee F1, net 100: VA 30 on Wed 25 Nov, VB 50 on Mon 23 Nov, VC 20 on Tue 24 Nov. In covered_at order
  // the sum reaches 100 at VA, Wed 25 Nov (in coverage_id order it would at VC, Tue 24 Nov). debitor_to_fbs
  // {businessDays: 2} from Wed 25 Nov: Thu 26, Fri 27 → deadline 00:00 Sat 28 Nov (2026-11-27T23:00:00Z); from
  // Tue 24 Nov it would be 00:00 Fri 27 Nov.
  async function books(asOf: string) {
    b?.close();
    b = await Books.open(asOf);
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-20 08:30:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('PA', '2026-11-25 08:00:00', '30.00'),
      payment('PB', '2026-11-23 08:00:00', '50.00'),
      payment('PC', '2026-11-24 08:00:00', '20.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('VA', 'PA', 'C1', '2026-11-25 09:00:00', '30.00'),
      coverage('VB', 'PB', 'C1', '2026-11-23 09:00:00', '50.00'),
      coverage('VC', 'PC', 'C1', '2026-11-24 09:00:00', '20.00'),
    );
    await b.evaluate();
    return b;
  }

  it('R18 has not fired on Friday 27 November at noon; it fires at 00:00 Saturday 28 November', async () => {
    expect(await (await books('2026-11-27T11:00:00Z')).rule('R18')).toEqual([]);
    expect(idsOf(await (await books('2026-11-27T23:00:00Z')).rule('R18'))).toEqual([ids('F1', '100.00', { fee_id: 'F1', claim_id: 'C1' })]);
  });
});

describe('R18 needs the fee open in FBS (RULES.md §1: paid, else cancelled, else open)', () => {
  it('a cancelled fee does not fire; cancelled after asOf counts as open and fires', async () => {
    b = await Books.open(AS_OF);
    await b.add(
      'fbs_fees',
      fee('FX', '2026-11-20 08:00:00', '100.00', { status: 'cancelled', cancelled_at: '2026-11-21 08:00:00' }),
      fee('FO', '2026-11-20 08:00:00', '100.00', { status: 'cancelled', cancelled_at: '2026-11-26 12:00:01' }),
    );
    await b.add('debitor_claims', claim('CX', 'FX', '2026-11-20 08:30:00', '100.00'), claim('CO', 'FO', '2026-11-20 08:30:00', '100.00'));
    await b.add('debitor_payments', payment('PX', '2026-11-20 09:00:00', '100.00'), payment('PO', '2026-11-20 09:00:00', '100.00'));
    // fully covered Fri 20 Nov: the debitor_to_fbs deadline 00:00 Wed 25 Nov has passed by asOf
    await b.add(
      'debitor_coverages',
      coverage('VX', 'PX', 'CX', '2026-11-20 09:00:00', '100.00'),
      coverage('VO', 'PO', 'CO', '2026-11-20 09:00:00', '100.00'),
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R18'))).toEqual([ids('FO', '100.00', { fee_id: 'FO', claim_id: 'CO' })]);
  });
});

describe('R13 amount is the duplicate payment\'s amount (RULES.md §3)', () => {
  it('transaction 50.00 booked twice, the second as 45.00: R13 on the second with 45.00', async () => {
    b = await Books.open(AS_OF);
    await b.add('psp_transactions', txn('T1', '2026-11-20 08:00:00', '50.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 08:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'T1' }),
      payment('P2', '2026-11-21 09:00:00', '45.00', { channel: 'psp', psp_txn_ref: 'T1' }),
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R13'))).toEqual([ids('P2', '45.00', { payment_id: 'P2', psp_txn_id: 'T1' })]);
    expect(await b.rule('R12')).toEqual([]); // the matched payment P1 has the transaction's amount
  });
});

describe('R13 needs a transaction to match (RULES.md §3 R11, R13)', () => {
  it('two payments naming the same missing transaction are both R11, neither R13; two naming T1 are R13', async () => {
    b = await Books.open(AS_OF);
    await b.add('psp_transactions', txn('T1', '2026-11-20 08:00:00', '50.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 08:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'TX' }),
      payment('P2', '2026-11-21 09:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'TX' }),
      payment('P3', '2026-11-21 08:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'T1' }),
      payment('P4', '2026-11-21 09:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'T1' }),
    );
    await b.evaluate();
    expect((await b.rule('R11')).map((r) => r.key_id)).toEqual(['P1', 'P2']);
    expect((await b.rule('R13')).map((r) => r.key_id)).toEqual(['P4']);
  });
});

describe('THE claim is the earliest received_at even when its id sorts last (RULES.md §1)', () => {
  it('CB received 09:00 is the claim, CA received 10:00 the duplicate; R04 judges CB only', async () => {
    b = await Books.open(AS_OF);
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('CB', 'F1', '2026-11-20 09:00:00', '100.00'), claim('CA', 'F1', '2026-11-20 10:00:00', '90.00'));
    await b.evaluate();
    expect(idsOf(await b.rule('R03'))).toEqual([ids('CA', '90.00', { fee_id: 'F1', claim_id: 'CA' })]);
    expect(await b.rule('R04')).toEqual([]); // CA's 90.00 would be a mismatch, but CA is not the claim
  });
});

describe('Mit Overblik at the extract instant (RULES.md §3 R21, R22)', () => {
  it('a claim received exactly at extracted_at is judged by R22, and is not "received before" it for R21', async () => {
    b = await Books.open(AS_OF);
    await b.add(
      'debitor_claims',
      claim('C0', null, '2026-11-25 06:00:00', '40.00'), // exactly at extracted_at, shown 0 → R22 −40.00
      claim('C1', null, '2026-11-25 06:00:00.000001', '40.00'), // 1 µs later, shown 0 → not judged
      claim('CZ', null, '2026-11-25 06:00:00', '30.00'), // exactly at extracted_at, no row → no R21
      claim('CY', null, '2026-11-25 05:59:59.999999', '30.00'), // just before, no row → R21 30.00
    );
    await b.add(
      'borgerblikket_claims',
      { claim_id: 'C0', shown_outstanding: '0.00', extracted_at: '2026-11-25 06:00:00' },
      { claim_id: 'C1', shown_outstanding: '0.00', extracted_at: '2026-11-25 06:00:00' },
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R22')).map((r) => [r.key_id, r.amount])).toEqual([['C0', '-40.00']]);
    expect(idsOf(await b.rule('R21')).map((r) => [r.key_id, r.amount])).toEqual([['CY', '30.00']]);
  });

  it('a claim id used in two municipalities: the row of one does not show the other\'s claim', async () => {
    const munis = [
      { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14', borgerblikket: true },
      { code: '621', name: 'Kolding', debtorSystem: 'prisme_2015', wave: 3, goLive: '2026-09-01', borgerblikket: true },
    ];
    b = await Books.open(AS_OF, { municipalities: munis });
    await b.add(
      'debitor_claims',
      claim('C1', null, '2026-11-20 08:00:00', '10.00'),
      claim('C1', null, '2026-11-20 08:00:00', '20.00', { municipality: '621' }),
      claim('C9', null, '2026-11-20 08:00:00', '30.00', { municipality: '621' }),
    );
    await b.add(
      'borgerblikket_claims',
      { claim_id: 'C1', shown_outstanding: '10.00', extracted_at: '2026-11-25 06:00:00' },
      { municipality: '621', claim_id: 'C9', shown_outstanding: '30.00', extracted_at: '2026-11-25 06:00:00' },
    );
    await b.evaluate();
    // 621's C1 (20.00 outstanding) has no row in 621's extract: R21; 101's C1 is shown correctly: nothing
    expect((await b.rule('R21')).map((r) => [r.municipality, r.key_id, r.amount])).toEqual([['621', 'C1', '20.00']]);
    expect(await b.rule('R22')).toEqual([]);
  });
});

describe('reversal proposal: payments in the order of their first selected coverage (RULES.md §4)', () => {
  it('P1\'s coverages before and after P2\'s: payment_ids "P1 P2"', async () => {
    b = await Books.open(AS_OF);
    // principal 5, covered 10 + 15 + 10 = 35 → excess 30. Newest first: V3 (P1) 10, V2 (P2) 25, V1 (P1) 35 ≥ 30:
    // all three, reverse 35, reapply 5; P1 comes first (its first coverage, V3, is the newest), listed once
    await b.add('debitor_claims', claim('C1', null, '2026-11-20 08:00:00', '5.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-20 09:00:00', '20.00'), payment('P2', '2026-11-21 09:00:00', '15.00'));
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C1', '2026-11-20 10:00:00', '10.00'),
      coverage('V2', 'P2', 'C1', '2026-11-21 10:00:00', '15.00'),
      coverage('V3', 'P1', 'C1', '2026-11-22 10:00:00', '10.00'),
    );
    await b.evaluate();
    expect(await b.db.all(`SELECT claim_id, excess_amount::VARCHAR AS e, coverage_ids, payment_ids, reverse_amount::VARCHAR AS r,
      reapply_amount::VARCHAR AS a FROM reversals`)).toEqual([
      { claim_id: 'C1', e: '30.00', coverage_ids: 'V3 V2 V1', payment_ids: 'P1 P2', r: '35.00', a: '5.00' },
    ]);
  });
});
