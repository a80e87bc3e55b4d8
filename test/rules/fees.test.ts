// Fee rules R01, R07, R18, R19, R20: each fires on a hand-made case and not on its near miss.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, ids, idsOf, payment } from '../helpers/books.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

describe('R01 fee_not_transferred', () => {
  it('fires when the fee_to_claim deadline is reached (asOf = deadline), with the exact row', async () => {
    b = await Books.open('2026-11-26T10:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'));
    await b.evaluate();
    const rows = await b.rule('R01');
    expect(rows).toEqual([
      {
        rule: 'R01',
        severity: 'critical',
        municipality: '101',
        key_id: 'F1',
        fee_id: 'F1',
        claim_id: null,
        payment_id: null,
        psp_txn_id: null,
        coverage_id: null,
        amount: '125.00',
        detail:
          'Gebyret F1 på 125,00 kr. er oprettet i FBS 26-11-2026 10:00 men er ikke overført til debitorsystemet; fristen udløb 26-11-2026 11:00.',
        lineage: '101/fbs_fees_2026-11-26.csv:2',
        arose_at: '2026-11-26 10:00:00', // the deadline that passed: created 09:00 + 1 h
        age_banking_days: 0,
      },
    ]);
  });

  it('does not fire one microsecond before the deadline, nor one millisecond before via asOf', async () => {
    b = await Books.open('2026-11-26T10:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-26 09:00:00.000001', '125.00'));
    await b.add('fbs_fees', fee('F2', '2026-11-26 09:00:00', '125.00'));
    await b.evaluate();
    expect(idsOf(await b.rule('R01'))).toEqual([ids('F2', '125.00', { fee_id: 'F2' })]);
    expect(await b.ruleAt('2026-11-26T09:59:59.999Z', 'R01')).toEqual([]);
  });

  it('scope follows the Copenhagen date of created_at vs goLive (2026-04-14)', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    // 2026-04-13 21:59:59 UTC is 23:59:59 on 13 April in Copenhagen (CEST): before go-live.
    await b.add('fbs_fees', fee('OLD', '2026-04-13 21:59:59', '10.00'));
    // 2026-04-13 22:00:00 UTC is 00:00 on 14 April in Copenhagen: in scope.
    await b.add('fbs_fees', fee('NEW', '2026-04-13 22:00:00', '20.00'));
    await b.evaluate();
    expect(idsOf(await b.rule('R01'))).toEqual([ids('NEW', '20.00', { fee_id: 'NEW' })]);
  });

  it('a cancelled fee or a fee with a claim does not fire; cancellation or claim after asOf has not happened yet', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'fbs_fees',
      fee('CANC', '2026-11-26 08:00:00', '30.00', { status: 'cancelled', cancelled_at: '2026-11-26 11:00:00' }),
      fee('CANC_LATER', '2026-11-26 08:00:00', '31.00', { status: 'cancelled', cancelled_at: '2026-11-26 12:00:01' }),
      fee('CLAIMED', '2026-11-26 08:00:00', '32.00'),
      fee('CLAIMED_LATER', '2026-11-26 08:00:00', '33.00'),
      fee('OTHER_MUNI', '2026-11-26 08:00:00', '34.00'),
      fee('PAID', '2026-11-26 08:00:00', '35.00', { status: 'paid', paid_at: '2026-11-26 09:00:00', payment_source: 'cash' }),
    );
    await b.add(
      'debitor_claims',
      claim('C1', 'CLAIMED', '2026-11-26 11:30:00', '32.00'),
      claim('C2', 'CLAIMED_LATER', '2026-11-26 12:00:01', '33.00'),
      claim('C3', 'OTHER_MUNI', '2026-11-26 08:30:00', '34.00', { municipality: '561' }),
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R01'))).toEqual([
      ids('CANC_LATER', '31.00', { fee_id: 'CANC_LATER' }),
      ids('CLAIMED_LATER', '33.00', { fee_id: 'CLAIMED_LATER' }),
      ids('OTHER_MUNI', '34.00', { fee_id: 'OTHER_MUNI' }),
      ids('PAID', '35.00', { fee_id: 'PAID' }),
    ]);
  });

  it('a fee created after asOf does not exist yet', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('FUTURE', '2026-11-26 12:00:00.000001', '10.00'));
    await b.evaluate();
    expect(await b.rule('R01')).toEqual([]);
    expect(await b.db.value('SELECT count(*) FROM int_fees')).toBe(0);
  });
});

describe('R07 replacement_cpr_on_prisme', () => {
  it('fires for replacement-CPR fees in scope on Prisme 2009 and Prisme 2015, with THE claim', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F561', '2026-11-20 10:00:00', '80.00', { municipality: '561', patron_type: 'adult_replacement_cpr' }));
    await b.add('fbs_fees', fee('F621', '2026-11-20 10:00:00', '60.00', { municipality: '621', patron_type: 'child_oa_replacement_cpr' }));
    await b.add('debitor_claims', claim('C561', 'F561', '2026-11-20 10:10:00', '80.00', { municipality: '561' }));
    await b.evaluate();
    const rows = await b.rule('R07');
    expect(idsOf(rows)).toEqual([
      ids('F561', '80.00', { fee_id: 'F561', claim_id: 'C561' }),
      ids('F621', '60.00', { fee_id: 'F621' }),
    ]);
    expect(rows[0].severity).toBe('warning');
    expect(rows[0].lineage).toBe('561/fbs_fees_2026-11-26.csv:2; 561/debitor_claims_2026-11-26.csv:2');
  });

  it('does not fire on KMD Opus, for a CPR borrower, or for a fee before go-live', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('KMD', '2026-11-20 10:00:00', '80.00', { patron_type: 'child_replacement_cpr' }));
    await b.add('fbs_fees', fee('CPR', '2026-11-20 10:00:00', '80.00', { municipality: '561', patron_type: 'adult_cpr' }));
    // 561 goes live 2026-06-01: 2026-05-31 21:59:59 UTC is still 31 May in Copenhagen.
    await b.add('fbs_fees', fee('OLD', '2026-05-31 21:59:59', '80.00', { municipality: '561', patron_type: 'adult_replacement_cpr' }));
    await b.evaluate();
    expect(await b.rule('R07')).toEqual([]);
  });
});

describe('R18 paid_not_visible_in_fbs', () => {
  // Claim completed Thursday 26 Nov 2026 10:00 UTC; debitor_to_fbs = 2 banking days: Fri 27, Mon 30 →
  // deadline 00:00 Tuesday 1 Dec Copenhagen = 2026-11-30T23:00:00Z.
  async function setup(books: Books, extraCoverage: Record<string, string> = {}) {
    await books.add('fbs_fees', fee('F18', '2026-11-20 08:00:00', '100.00'));
    await books.add('debitor_claims', claim('C18', 'F18', '2026-11-20 08:10:00', '100.00'));
    await books.add('debitor_payments', payment('P1', '2026-11-25 10:00:00', '60.00'), payment('P2', '2026-11-26 10:00:00', '40.00'));
    await books.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C18', '2026-11-25 10:00:00', '60.00'),
      coverage('V2', 'P2', 'C18', '2026-11-26 10:00:00', '40.00', extraCoverage),
    );
  }

  it('fires at asOf = deadline from the completion instant, amount = claim net', async () => {
    b = await Books.open('2026-11-30T23:00:00Z');
    await setup(b);
    await b.evaluate();
    const rows = await b.rule('R18');
    expect(idsOf(rows)).toEqual([ids('F18', '100.00', { fee_id: 'F18', claim_id: 'C18' })]);
    expect(rows[0].detail).toBe(
      'Gebyret F18 står stadig som åbent i FBS, men fordringen C18 blev fuldt betalt (100,00 kr.) i debitorsystemet 26-11-2026 11:00; fristen udløb 01-12-2026 00:00.',
    );
    expect(await b.db.value(`SELECT claim_completed_at FROM int_fees WHERE fee_id = 'F18'`)).toBe('2026-11-26 10:00:00');
  });

  it('does not fire a millisecond before the deadline', async () => {
    b = await Books.open('2026-11-30T22:59:59.999Z');
    await setup(b);
    await b.evaluate();
    expect(await b.rule('R18')).toEqual([]);
  });

  it('does not fire when a coverage is reversed (not fully covered) or the fee is paid; paid after asOf counts as open', async () => {
    b = await Books.open('2026-12-05T12:00:00Z');
    await setup(b, { reversed_at: '2026-12-01 09:00:00' });
    await b.evaluate();
    expect(await b.rule('R18')).toEqual([]);
    await b.clear('debitor_coverages');
    await b.clear('fbs_fees');
    await b.add('fbs_fees', fee('F18', '2026-11-20 08:00:00', '100.00', { status: 'paid', paid_at: '2026-12-05 12:00:00', payment_source: 'debitor' }));
    await b.add('debitor_coverages', coverage('V1', 'P1', 'C18', '2026-11-25 10:00:00', '60.00'), coverage('V2', 'P2', 'C18', '2026-11-26 10:00:00', '40.00'));
    await b.evaluate();
    expect(await b.rule('R18')).toEqual([]);
    expect(idsOf(await b.ruleAt('2026-12-05T11:59:59Z', 'R18'))).toEqual([ids('F18', '100.00', { fee_id: 'F18', claim_id: 'C18' })]);
  });
});

describe('R19 paid_in_fbs_not_in_debitor', () => {
  it('fires with the outstanding (one øre) or the fee amount when there is no claim', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    const paid = { status: 'paid', paid_at: '2026-11-25 12:00:00', payment_source: 'debitor' };
    await b.add('fbs_fees', fee('F19', '2026-11-20 08:00:00', '200.00', paid), fee('F19N', '2026-11-20 08:00:00', '45.50', paid));
    await b.add('debitor_claims', claim('C19', 'F19', '2026-11-20 08:10:00', '200.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-25 10:00:00', '199.99'));
    await b.add('debitor_coverages', coverage('V1', 'P1', 'C19', '2026-11-25 10:00:00', '199.99'));
    await b.evaluate();
    const rows = await b.rule('R19');
    expect(idsOf(rows)).toEqual([
      ids('F19', '0.01', { fee_id: 'F19', claim_id: 'C19' }),
      ids('F19N', '45.50', { fee_id: 'F19N' }),
    ]);
    expect(rows[0].severity).toBe('critical');
  });

  it('does not fire when the claim is fully covered, or the fee was paid by another source', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F19', '2026-11-20 08:00:00', '200.00', { status: 'paid', paid_at: '2026-11-25 12:00:00', payment_source: 'debitor' }));
    await b.add('fbs_fees', fee('FC', '2026-11-20 08:00:00', '20.00', { status: 'paid', paid_at: '2026-11-25 12:00:00', payment_source: 'cash' }));
    await b.add('debitor_claims', claim('C19', 'F19', '2026-11-20 08:10:00', '200.00'), claim('CC', 'FC', '2026-11-20 08:10:00', '20.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-25 10:00:00', '200.00'));
    await b.add('debitor_coverages', coverage('V1', 'P1', 'C19', '2026-11-25 10:00:00', '200.00'));
    await b.evaluate();
    expect(await b.rule('R19')).toEqual([]);
  });
});

describe('R20 paid_outside_debitor', () => {
  it('fires for a fee in scope paid in FBS by another source than debitor', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F20', '2026-11-20 08:00:00', '75.00', { status: 'paid', paid_at: '2026-11-25 12:00:00', payment_source: 'cash' }));
    await b.evaluate();
    const rows = await b.rule('R20');
    expect(idsOf(rows)).toEqual([ids('F20', '75.00', { fee_id: 'F20' })]);
    expect(rows[0].severity).toBe('warning');
  });

  it('does not fire when paid_at is after asOf, for debitor payments, or before go-live', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'fbs_fees',
      fee('LATER', '2026-11-20 08:00:00', '75.00', { status: 'paid', paid_at: '2026-11-26 12:00:01', payment_source: 'cash' }),
      fee('DEB', '2026-11-20 08:00:00', '75.00', { status: 'paid', paid_at: '2026-11-25 12:00:00', payment_source: 'debitor' }),
      fee('OLD', '2026-04-01 08:00:00', '75.00', { status: 'paid', paid_at: '2026-11-25 12:00:00', payment_source: 'app' }),
    );
    await b.evaluate();
    expect(await b.rule('R20')).toEqual([]);
  });
});
