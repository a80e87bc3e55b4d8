// Payment rules R10-R15 and R17: each fires on a hand-made case and not on its near miss.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, ids, idsOf, payment, txn } from '../helpers/books.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

describe('R10 psp_payment_not_booked', () => {
  // Paid Thursday 26 Nov 2026 10:00 UTC; psp_to_debitor = 1 banking day (Fri 27) → 00:00 Sat 28 Nov = 2026-11-27T23:00:00Z.
  it('fires at the deadline with the transaction amount and its claim; not a millisecond before', async () => {
    b = await Books.open('2026-11-27T23:00:00Z');
    await b.add('psp_transactions', txn('T1', '2026-11-26 10:00:00', '100.00', { claim_id: 'C1' }));
    await b.evaluate();
    const rows = await b.rule('R10');
    expect(idsOf(rows)).toEqual([ids('T1', '100.00', { psp_txn_id: 'T1', claim_id: 'C1' })]);
    expect(rows[0].detail).toBe(
      'Borgeren betalte 100,00 kr. i betalingsløsningen 26-11-2026 11:00 (transaktion T1, fordring C1), men betalingen er ikke bogført i debitorsystemet; fristen udløb 28-11-2026 00:00.',
    );
    expect(await b.ruleAt('2026-11-27T22:59:59.999Z', 'R10')).toEqual([]);
  });

  it('does not fire for a refunded transaction or a booked one; a reversed payment does not match', async () => {
    b = await Books.open('2026-12-02T12:00:00Z');
    await b.add(
      'psp_transactions',
      txn('T1', '2026-11-26 10:00:00', '100.00', { status: 'refunded' }),
      txn('T2', '2026-11-26 10:00:00', '100.00'),
      txn('T3', '2026-11-26 10:00:00', '100.00'),
    );
    await b.add(
      'debitor_payments',
      payment('P2', '2026-11-26 11:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T2' }),
      payment('P3', '2026-11-26 11:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T3', reversed_at: '2026-11-27 11:00:00' }),
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R10'))).toEqual([ids('T3', '100.00', { psp_txn_id: 'T3' })]);
  });
});

describe('R11 booking_without_psp_txn', () => {
  it('fires for a psp payment with an unknown or empty reference where transactions are loaded', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('psp_transactions', txn('T1', '2026-11-20 10:00:00', '10.00', { status: 'failed' }));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 10:00:00', '10.00', { channel: 'psp', psp_txn_ref: 'TX' }),
      payment('P2', '2026-11-21 10:00:00', '20.00', { channel: 'psp' }),
      payment('P3', '2026-11-21 10:00:00', '30.00', { channel: 'psp', psp_txn_ref: 'T1' }), // names a failed txn: known
      payment('P4', '2026-11-21 10:00:00', '40.00', { channel: 'bank', psp_txn_ref: 'TX' }),
      payment('P5', '2026-11-21 10:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'TX', reversed_at: '2026-11-22 10:00:00' }),
    );
    await b.evaluate();
    const rows = await b.rule('R11');
    expect(idsOf(rows)).toEqual([
      ids('P1', '10.00', { payment_id: 'P1', psp_txn_id: 'TX' }),
      ids('P2', '20.00', { payment_id: 'P2' }),
    ]);
    expect(rows[0].severity).toBe('warning');
  });

  it('does not fire where the municipality has no transaction created by asOf', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('psp_transactions', txn('T1', '2026-11-26 12:00:01', '10.00'));
    await b.add('psp_transactions', txn('T9', '2026-11-20 10:00:00', '10.00', { municipality: '621' }));
    await b.add('debitor_payments', payment('P1', '2026-11-21 10:00:00', '10.00', { channel: 'psp', psp_txn_ref: 'TX' }));
    await b.evaluate();
    expect(await b.rule('R11')).toEqual([]);
  });
});

describe('R12 psp_amount_mismatch and R13 duplicate_booking', () => {
  it('R12 fires 50 øre apart with payment - transaction; equal amounts do not fire', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('psp_transactions', txn('T1', '2026-11-20 10:00:00', '100.00'), txn('T2', '2026-11-20 10:00:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 10:00:00', '100.50', { channel: 'psp', psp_txn_ref: 'T1' }),
      payment('P2', '2026-11-21 10:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T2' }),
    );
    await b.evaluate();
    const rows = await b.rule('R12');
    expect(idsOf(rows)).toEqual([ids('P1', '0.50', { payment_id: 'P1', psp_txn_id: 'T1' })]);
    expect(rows[0].lineage).toBe('101/psp_transactions_2026-11-26.csv:2; 101/debitor_payments_2026-11-26.csv:2');
  });

  it('R13: the earliest active payment (then smallest id) is matched; later ones fire; reversed ones are ignored', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('psp_transactions', txn('T1', '2026-11-20 10:00:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('PB', '2026-11-21 10:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T1' }),
      payment('PA', '2026-11-21 10:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T1' }),
      payment('P0', '2026-11-21 09:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T1', reversed_at: '2026-11-22 09:00:00' }),
    );
    await b.evaluate();
    const rows = await b.rule('R13');
    expect(idsOf(rows)).toEqual([ids('PB', '100.00', { payment_id: 'PB', psp_txn_id: 'T1' })]);
    expect(rows[0].severity).toBe('critical');
    expect(await b.db.value(`SELECT payment_id FROM int_transactions WHERE txn_id = 'T1'`)).toBe('PA');
    // before P0 was reversed, P0 is the matched payment and both PA and PB are duplicates
    expect(idsOf(await b.ruleAt('2026-11-22T08:59:59Z', 'R13'))).toEqual([
      ids('PA', '100.00', { payment_id: 'PA', psp_txn_id: 'T1' }),
      ids('PB', '100.00', { payment_id: 'PB', psp_txn_id: 'T1' }),
    ]);
  });

  it('R13 does not fire for a single active payment', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('psp_transactions', txn('T1', '2026-11-20 10:00:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('PA', '2026-11-21 10:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T1' }),
      payment('PB', '2026-11-21 11:00:00', '100.00', { channel: 'psp', psp_txn_ref: 'T1', reversed_at: '2026-11-22 09:00:00' }),
    );
    await b.evaluate();
    expect(await b.rule('R13')).toEqual([]);
  });
});

describe('R14 unapplied_payment and R15 overapplied_payment', () => {
  it('R14 fires with the remainder (a reversed coverage does not count); R15 fires one øre over', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C1', null, '2026-11-20 08:00:00', '500.00'));
    await b.add(
      'debitor_payments',
      payment('P14', '2026-11-21 10:00:00', '100.00'),
      payment('P15', '2026-11-21 10:00:00', '100.00'),
      payment('POK', '2026-11-21 10:00:00', '100.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P14', 'C1', '2026-11-21 10:00:00', '60.00'),
      coverage('V2', 'P14', 'C1', '2026-11-21 10:00:00', '40.00', { reversed_at: '2026-11-22 10:00:00' }),
      coverage('V3', 'P15', 'C1', '2026-11-21 10:00:00', '60.00'),
      coverage('V4', 'P15', 'C1', '2026-11-21 10:00:00', '40.01'),
      coverage('V5', 'POK', 'C1', '2026-11-21 10:00:00', '100.00'),
    );
    await b.evaluate();
    const r14 = await b.rule('R14');
    expect(idsOf(r14)).toEqual([ids('P14', '40.00', { payment_id: 'P14' })]);
    expect(r14[0].severity).toBe('info');
    const r15 = await b.rule('R15');
    expect(idsOf(r15)).toEqual([ids('P15', '0.01', { payment_id: 'P15' })]);
    expect(r15[0].lineage).toBe(
      '101/debitor_payments_2026-11-26.csv:3; 101/debitor_coverages_2026-11-26.csv:4; 101/debitor_coverages_2026-11-26.csv:5',
    );
  });

  it('neither fires for a reversed payment or one fully applied; a coverage reversed after asOf still counts', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C1', null, '2026-11-20 08:00:00', '500.00'));
    await b.add(
      'debitor_payments',
      payment('PREV', '2026-11-21 10:00:00', '100.00', { reversed_at: '2026-11-22 10:00:00' }),
      payment('POK', '2026-11-21 10:00:00', '100.00'),
    );
    await b.add('debitor_coverages', coverage('V5', 'POK', 'C1', '2026-11-21 10:00:00', '100.00', { reversed_at: '2026-11-26 12:00:01' }));
    await b.evaluate();
    expect(await b.rule('R14')).toEqual([]);
    expect(await b.rule('R15')).toEqual([]);
  });
});

describe('R17 coverage_on_reversed_payment', () => {
  it('fires for an active coverage of a reversed payment, with its payment and claim', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C17', 'F17', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_payments', payment('P17', '2026-11-21 10:00:00', '100.00', { reversed_at: '2026-11-23 10:00:00' }));
    await b.add('debitor_coverages', coverage('V17', 'P17', 'C17', '2026-11-21 10:00:00', '100.00'));
    await b.evaluate();
    const rows = await b.rule('R17');
    expect(idsOf(rows)).toEqual([ids('V17', '100.00', { coverage_id: 'V17', payment_id: 'P17', claim_id: 'C17' })]);
    expect(rows[0].detail).toBe(
      'Dækningen V17 på 100,00 kr. af fordringen C17 er stadig aktiv, men indbetalingen P17 blev tilbageført 23-11-2026 11:00.',
    );
  });

  it('does not fire when the coverage is reversed too, or the payment reversal is after asOf', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C17', null, '2026-11-20 08:00:00', '100.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-21 10:00:00', '50.00', { reversed_at: '2026-11-23 10:00:00' }),
      payment('P2', '2026-11-21 10:00:00', '50.00', { reversed_at: '2026-11-26 12:00:01' }),
    );
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C17', '2026-11-21 10:00:00', '50.00', { reversed_at: '2026-11-23 10:00:00' }),
      coverage('V2', 'P2', 'C17', '2026-11-21 10:00:00', '50.00'),
    );
    await b.evaluate();
    expect(await b.rule('R17')).toEqual([]);
  });
});
