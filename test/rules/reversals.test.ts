// Reversal proposals (RULES.md §4): newest active coverages first until their sum reaches the excess.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, payment } from '../helpers/books.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

async function reversals(books: Books) {
  await books.evaluate();
  return books.db.all('SELECT * FROM reversals');
}

describe('reversals', () => {
  it('one coverage is enough when the newest covers the excess', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-20 08:10:00', '100.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-21 10:00:00', '60.00'), payment('P2', '2026-11-21 11:00:00', '70.00'));
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C1', '2026-11-21 10:00:00', '60.00'),
      coverage('V2', 'P2', 'C1', '2026-11-21 11:00:00', '70.00'),
    );
    expect(await reversals(b)).toEqual([
      {
        municipality: '101',
        claim_id: 'C1',
        fee_id: 'F1',
        excess_amount: '30.00',
        coverage_ids: 'V2',
        payment_ids: 'P2',
        reverse_amount: '70.00',
        reapply_amount: '40.00',
      },
    ]);
  });

  it('two coverages when the newest is not enough; a reversed newer coverage is skipped', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C2', null, '2026-11-20 08:10:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 10:00:00', '80.00'),
      payment('P2', '2026-11-21 11:00:00', '30.00'),
      payment('P3', '2026-11-21 12:00:00', '20.00'),
      payment('P4', '2026-11-21 13:00:00', '99.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C2', '2026-11-21 10:00:00', '80.00'),
      coverage('V2', 'P2', 'C2', '2026-11-21 11:00:00', '30.00'),
      coverage('V3', 'P3', 'C2', '2026-11-21 12:00:00', '20.00'),
      coverage('V4', 'P4', 'C2', '2026-11-21 13:00:00', '99.00', { reversed_at: '2026-11-22 13:00:00' }),
    );
    // covered 130, excess 30: V3 (20) < 30, V3 + V2 = 50 >= 30.
    expect(await reversals(b)).toEqual([
      {
        municipality: '101',
        claim_id: 'C2',
        fee_id: null,
        excess_amount: '30.00',
        coverage_ids: 'V3 V2',
        payment_ids: 'P3 P2',
        reverse_amount: '50.00',
        reapply_amount: '20.00',
      },
    ]);
  });

  it('a tie in covered_at is decided by coverage_id descending; a sum exactly at the excess stops', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C3', null, '2026-11-20 08:10:00', '100.00'), claim('C4', null, '2026-11-20 08:10:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 10:00:00', '90.00'),
      payment('PA', '2026-11-21 12:00:00', '20.00'),
      payment('PB', '2026-11-21 12:00:00', '15.00'),
      payment('Q1', '2026-11-21 10:00:00', '100.00'),
      payment('Q2', '2026-11-21 11:00:00', '20.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C3', '2026-11-21 10:00:00', '90.00'),
      coverage('VA', 'PA', 'C3', '2026-11-21 12:00:00', '20.00'),
      coverage('VB', 'PB', 'C3', '2026-11-21 12:00:00', '15.00'),
      coverage('W1', 'Q1', 'C4', '2026-11-21 10:00:00', '100.00'),
      coverage('W2', 'Q2', 'C4', '2026-11-21 11:00:00', '20.00'),
    );
    expect(await reversals(b)).toEqual([
      // covered 125, excess 25: VB (15, 'VB' > 'VA') first, then VA: 35 >= 25.
      {
        municipality: '101',
        claim_id: 'C3',
        fee_id: null,
        excess_amount: '25.00',
        coverage_ids: 'VB VA',
        payment_ids: 'PB PA',
        reverse_amount: '35.00',
        reapply_amount: '10.00',
      },
      // covered 120, excess 20: W2 (20) reaches it exactly; nothing to pay in again.
      {
        municipality: '101',
        claim_id: 'C4',
        fee_id: null,
        excess_amount: '20.00',
        coverage_ids: 'W2',
        payment_ids: 'Q2',
        reverse_amount: '20.00',
        reapply_amount: '0.00',
      },
    ]);
  });

  it('a payment with two selected coverages is listed once', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C5', null, '2026-11-20 08:10:00', '20.00'));
    await b.add('debitor_payments', payment('P9', '2026-11-21 10:00:00', '60.00'));
    await b.add(
      'debitor_coverages',
      coverage('X1', 'P9', 'C5', '2026-11-21 10:00:00', '30.00'),
      coverage('X2', 'P9', 'C5', '2026-11-21 11:00:00', '30.00'),
    );
    expect(await reversals(b)).toEqual([
      {
        municipality: '101',
        claim_id: 'C5',
        fee_id: null,
        excess_amount: '40.00',
        coverage_ids: 'X2 X1',
        payment_ids: 'P9',
        reverse_amount: '60.00',
        reapply_amount: '20.00',
      },
    ]);
  });

  it('no proposal for a claim that is exactly covered', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C6', null, '2026-11-20 08:10:00', '20.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-21 10:00:00', '20.00'));
    await b.add('debitor_coverages', coverage('X1', 'P1', 'C6', '2026-11-21 10:00:00', '20.00'));
    expect(await reversals(b)).toEqual([]);
  });
});
