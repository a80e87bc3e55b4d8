// Claim rules R02-R06, R08, R09, R16: each fires on a hand-made case and not on its near miss.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, ids, idsOf, payment } from '../helpers/books.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

describe('R02 claim_without_fee', () => {
  it('fires for an empty source_ref, an unknown fee, a fee of another municipality and a fee created after asOf', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F561', '2026-11-20 08:00:00', '10.00', { municipality: '561' }));
    await b.add('fbs_fees', fee('FUT', '2026-11-26 12:00:01', '10.00'));
    await b.add(
      'debitor_claims',
      claim('C1', null, '2026-11-25 08:00:00', '11.00'),
      claim('C2', 'FX', '2026-11-25 08:00:00', '12.00'),
      claim('C3', 'F561', '2026-11-25 08:00:00', '13.00'),
      claim('C4', 'FUT', '2026-11-25 08:00:00', '14.00'),
    );
    await b.evaluate();
    const rows = await b.rule('R02');
    expect(idsOf(rows)).toEqual([
      ids('C1', '11.00', { claim_id: 'C1' }),
      ids('C2', '12.00', { claim_id: 'C2', fee_id: 'FX' }),
      ids('C3', '13.00', { claim_id: 'C3', fee_id: 'F561' }),
      ids('C4', '14.00', { claim_id: 'C4', fee_id: 'FUT' }),
    ]);
    expect(rows[0].severity).toBe('warning');
    expect(rows[0].detail).toBe('Fordringen C1 på 11,00 kr. (modtaget 25-11-2026 09:00) har ingen henvisning til et gebyr i FBS.');
  });

  it('does not fire for a claim of a fee of the municipality, even a fee before go-live', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '10.00'), fee('OLD', '2026-01-20 08:00:00', '10.00'));
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-25 08:00:00', '10.00'), claim('C2', 'OLD', '2026-11-25 08:00:00', '10.00'));
    await b.evaluate();
    expect(await b.rule('R02')).toEqual([]);
  });
});

describe('R03 duplicate_transfer', () => {
  it('THE claim is the earliest received_at, then the smallest claim_id as text; the others fire', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F3', '2026-11-20 08:00:00', '50.00'));
    await b.add(
      'debitor_claims',
      claim('C9', 'F3', '2026-11-20 10:00:00', '50.00'),
      claim('C10', 'F3', '2026-11-20 10:00:00', '50.00'), // 'C10' < 'C9' as text: THE claim
      claim('C8', 'F3', '2026-11-20 11:00:00', '51.00'),
      claim('C7', 'F3', '2026-11-20 10:00:00', '52.00', { municipality: '561' }), // other municipality: R02, not R03
    );
    await b.evaluate();
    const rows = await b.rule('R03');
    expect(idsOf(rows)).toEqual([
      ids('C8', '51.00', { fee_id: 'F3', claim_id: 'C8' }),
      ids('C9', '50.00', { fee_id: 'F3', claim_id: 'C9' }),
    ]);
    expect(rows[1].detail).toBe(
      'Gebyret F3 er overført til debitorsystemet mere end én gang: fordringen C9 på 50,00 kr. (modtaget 20-11-2026 11:00) er en dublet af fordringen C10 (modtaget 20-11-2026 11:00).',
    );
    expect(rows[1].lineage).toBe('101/fbs_fees_2026-11-26.csv:2; 101/debitor_claims_2026-11-26.csv:3; 101/debitor_claims_2026-11-26.csv:2');
    expect(await b.db.value(`SELECT claim_id FROM int_fees WHERE fee_id = 'F3'`)).toBe('C10');
  });

  it('does not fire for a single claim, nor for a second claim received after asOf', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F3', '2026-11-20 08:00:00', '50.00'));
    await b.add('debitor_claims', claim('C1', 'F3', '2026-11-20 10:00:00', '50.00'), claim('C2', 'F3', '2026-11-26 12:00:00.000001', '50.00'));
    await b.evaluate();
    expect(await b.rule('R03')).toEqual([]);
  });
});

describe('R04 amount_mismatch', () => {
  it('fires one øre apart, amount = principal - fee amount, only on THE claim', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F4', '2026-11-20 08:00:00', '100.00'), fee('F5', '2026-11-20 08:00:00', '100.00'));
    await b.add(
      'debitor_claims',
      claim('C4', 'F4', '2026-11-20 08:10:00', '99.99'),
      claim('C5', 'F5', '2026-11-20 08:10:00', '100.00'),
      claim('C5B', 'F5', '2026-11-20 08:20:00', '120.00'), // duplicate: R03, not R04
    );
    await b.evaluate();
    const rows = await b.rule('R04');
    expect(idsOf(rows)).toEqual([ids('C4', '-0.01', { fee_id: 'F4', claim_id: 'C4' })]);
    expect(rows[0].severity).toBe('critical');
  });
});

describe('R05 adjustment_not_mirrored', () => {
  it('fires at the deadline counted from the latest FBS adjustment; not a millisecond before', async () => {
    b = await Books.open('2026-11-25T11:00:00Z');
    await b.add('fbs_fees', fee('F5', '2026-11-20 08:00:00', '100.00'));
    await b.add('fbs_adjustments', { adjustment_id: 'A0', fee_id: 'F5', amount: '10.00', created_at: '2026-11-21 10:00:00' });
    await b.add('fbs_adjustments', { adjustment_id: 'A1', fee_id: 'F5', amount: '20.00', created_at: '2026-11-25 10:00:00' });
    await b.add('debitor_claims', claim('C5', 'F5', '2026-11-20 08:10:00', '100.00'));
    await b.add('debitor_adjustments', { adjustment_id: 'D0', claim_id: 'C5', amount: '10.00', registered_at: '2026-11-21 10:30:00' });
    await b.evaluate();
    const rows = await b.rule('R05');
    // fee net 100 - 30 = 70, claim net 100 - 10 = 90: amount 90 - 70.
    expect(idsOf(rows)).toEqual([ids('C5', '20.00', { fee_id: 'F5', claim_id: 'C5' })]);
    expect(rows[0].detail).toBe(
      'Gebyret F5 står til 70,00 kr. i FBS, men fordringen C5 står til 90,00 kr. i debitorsystemet: en nedregulering eller annullering er ikke ført i begge systemer. Seneste ændring 25-11-2026 11:00, fristen udløb 25-11-2026 12:00.',
    );
    expect(rows[0].lineage).toBe(
      '101/fbs_fees_2026-11-26.csv:2; 101/fbs_adjustments_2026-11-26.csv:2; 101/fbs_adjustments_2026-11-26.csv:3; 101/debitor_claims_2026-11-26.csv:2; 101/debitor_adjustments_2026-11-26.csv:2',
    );
    expect(await b.ruleAt('2026-11-25T10:59:59.999Z', 'R05')).toEqual([]);
  });

  it('a debitor adjustment one øre short fires; a mirrored adjustment does not; the latest side counts', async () => {
    b = await Books.open('2026-11-25T13:00:00Z');
    await b.add('fbs_fees', fee('F5', '2026-11-20 08:00:00', '100.00'), fee('F6', '2026-11-20 08:00:00', '100.00'));
    await b.add(
      'fbs_adjustments',
      { adjustment_id: 'A1', fee_id: 'F5', amount: '30.00', created_at: '2026-11-25 10:00:00' },
      { adjustment_id: 'A2', fee_id: 'F6', amount: '30.00', created_at: '2026-11-25 10:00:00' },
    );
    await b.add('debitor_claims', claim('C5', 'F5', '2026-11-20 08:10:00', '100.00'), claim('C6', 'F6', '2026-11-20 08:10:00', '100.00'));
    await b.add(
      'debitor_adjustments',
      { adjustment_id: 'D1', claim_id: 'C5', amount: '29.99', registered_at: '2026-11-25 12:00:00' },
      { adjustment_id: 'D2', claim_id: 'C6', amount: '30.00', registered_at: '2026-11-25 12:30:00' },
    );
    await b.evaluate();
    expect(idsOf(await b.rule('R05'))).toEqual([ids('C5', '0.01', { fee_id: 'F5', claim_id: 'C5' })]);
    // the latest adjustment (debitor side, 12:00) sets the deadline 13:00
    expect(await b.ruleAt('2026-11-25T12:59:59Z', 'R05')).toEqual([]);
  });

  it('a cancelled fee counts from cancelled_at, fee net 0; R04 firing suppresses R05', async () => {
    b = await Books.open('2026-11-25T13:00:00Z');
    await b.add('fbs_fees', fee('F7', '2026-11-20 08:00:00', '100.00', { status: 'cancelled', cancelled_at: '2026-11-25 12:00:00' }));
    await b.add('fbs_fees', fee('F8', '2026-11-20 08:00:00', '100.00'));
    await b.add('fbs_adjustments', { adjustment_id: 'A8', fee_id: 'F8', amount: '30.00', created_at: '2026-11-21 10:00:00' });
    await b.add('debitor_claims', claim('C7', 'F7', '2026-11-20 08:10:00', '100.00'), claim('C8', 'F8', '2026-11-20 08:10:00', '90.00'));
    await b.evaluate();
    expect(idsOf(await b.rule('R05'))).toEqual([ids('C7', '100.00', { fee_id: 'F7', claim_id: 'C7' })]);
    expect(idsOf(await b.rule('R04'))).toEqual([ids('C8', '-10.00', { fee_id: 'F8', claim_id: 'C8' })]);
    expect(await b.ruleAt('2026-11-25T12:59:59Z', 'R05')).toEqual([]);
  });
});

describe('R06 wrong_account_type', () => {
  it('fires for a wrong account type or claim type, with no amount', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'fbs_fees',
      fee('F1', '2026-11-20 08:00:00', '10.00', { patron_type: 'child_cpr' }),
      fee('F2', '2026-11-20 08:00:00', '10.00', { patron_type: 'company_cvr', fee_type: 'replacement_ack' }),
    );
    await b.add(
      'debitor_claims',
      claim('C1', 'F1', '2026-11-20 08:10:00', '10.00', { account_type: 'library_fees' }),
      claim('C2', 'F2', '2026-11-20 08:10:00', '10.00', { claim_type: 'replacement_no_ack' }),
    );
    await b.evaluate();
    const rows = await b.rule('R06');
    expect(idsOf(rows)).toEqual([
      ids('C1', null, { fee_id: 'F1', claim_id: 'C1' }),
      ids('C2', null, { fee_id: 'F2', claim_id: 'C2' }),
    ]);
    expect(rows[1].detail).toBe(
      'Fordringen C2 (gebyr F2): Fordringskravtypen er "Bibliotekserstatningskrav uden anerkendelse eller kvittering", men gebyrets kravtype i FBS er "Bibliotekserstatningskrav med anerkendelse eller kvittering".',
    );
    expect(rows[0].detail).toBe(
      'Fordringen C1 (gebyr F1): Den står på debitorkontotypen "Biblioteksgebyrer og erstatninger", men låneren (barn uden økonomisk ansvarlig, CPR-nummer) hører til "Biblioteksgebyrer og erstatninger for personer under grænsealder uden økonomisk ansvarlig".',
    );
  });

  it('does not fire when account type follows patron type and claim type = fee type', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'fbs_fees',
      fee('F1', '2026-11-20 08:00:00', '10.00', { patron_type: 'child_oa_replacement_cpr' }),
      fee('F2', '2026-11-20 08:00:00', '10.00', { patron_type: 'adult_replacement_cpr', fee_type: 'replacement_no_ack' }),
      fee('F3', '2026-11-20 08:00:00', '10.00', { patron_type: 'child_replacement_cpr' }),
    );
    await b.add(
      'debitor_claims',
      claim('C1', 'F1', '2026-11-20 08:10:00', '10.00', { account_type: 'library_fees_minor_with_oa' }),
      claim('C2', 'F2', '2026-11-20 08:10:00', '10.00', { claim_type: 'replacement_no_ack' }),
      claim('C3', 'F3', '2026-11-20 08:10:00', '10.00', { account_type: 'library_fees_minor_without_oa' }),
    );
    await b.evaluate();
    expect(await b.rule('R06')).toEqual([]);
  });
});

describe('R08 minor_in_collection', () => {
  it('fires for a minor without ØA sent to collection, amount = outstanding', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'debitor_claims',
      claim('C8', null, '2026-10-01 08:00:00', '100.00', { account_type: 'library_fees_minor_without_oa', collection_sent_at: '2026-11-20 08:00:00' }),
    );
    await b.add('debitor_payments', payment('P1', '2026-10-02 08:00:00', '20.00'));
    await b.add('debitor_coverages', coverage('V1', 'P1', 'C8', '2026-10-02 08:00:00', '20.00'));
    await b.evaluate();
    const rows = await b.rule('R08');
    expect(idsOf(rows)).toEqual([ids('C8', '80.00', { claim_id: 'C8' })]);
    expect(rows[0].severity).toBe('critical');
  });

  it('does not fire when sent after asOf or for a minor with ØA', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'debitor_claims',
      claim('C8', null, '2026-10-01 08:00:00', '100.00', { account_type: 'library_fees_minor_without_oa', collection_sent_at: '2026-11-26 12:00:01' }),
      claim('C9', null, '2026-10-01 08:00:00', '100.00', { account_type: 'library_fees_minor_with_oa', collection_sent_at: '2026-11-20 08:00:00' }),
    );
    await b.evaluate();
    expect(await b.rule('R08')).toEqual([]);
  });
});

describe('R09 not_payable', () => {
  // Received Wednesday 1 April 2026; claim_to_payable = 1 banking day: Tuesday 7 April (after Easter) →
  // deadline 00:00 Wednesday 8 April Copenhagen = 2026-04-07T22:00:00Z (RULES.md §1 example).
  async function setup(books: Books) {
    await books.add('debitor_claims', claim('C9', null, '2026-04-01 10:00:00', '50.00'));
    await books.add('debitor_claims', claim('C561', null, '2026-04-01 10:00:00', '50.00', { municipality: '561' }));
  }

  it('fires at the business-day deadline, not a millisecond before; only with a payment solution', async () => {
    b = await Books.open('2026-04-07T22:00:00Z');
    await setup(b);
    await b.evaluate();
    const rows = await b.rule('R09');
    expect(idsOf(rows)).toEqual([ids('C9', '50.00', { claim_id: 'C9' })]);
    expect(rows[0].detail).toBe(
      'Fordringen C9 (modtaget 01-04-2026 12:00, restance 50,00 kr.) er ikke gjort betalbar i betalingsløsningen; fristen udløb 08-04-2026 00:00.',
    );
    expect(await b.ruleAt('2026-04-07T21:59:59.999Z', 'R09')).toEqual([]);
  });

  it('an invoice by asOf or a fully covered claim does not fire; an invoice after asOf has not happened', async () => {
    b = await Books.open('2026-04-10T12:00:00Z');
    await setup(b);
    await b.add('debitor_claims', claim('CINV', null, '2026-04-01 10:00:00', '50.00'), claim('CPAID', null, '2026-04-01 10:00:00', '50.00'));
    await b.add(
      'psp_invoices',
      { invoice_id: 'I1', claim_id: 'CINV', amount: '50.00', published_at: '2026-04-09 10:00:00' },
      { invoice_id: 'I2', claim_id: 'C9', amount: '50.00', published_at: '2026-04-10 12:00:01' },
    );
    await b.add('debitor_payments', payment('P1', '2026-04-02 08:00:00', '50.00'));
    await b.add('debitor_coverages', coverage('V1', 'P1', 'CPAID', '2026-04-02 08:00:00', '50.00'));
    await b.evaluate();
    expect(idsOf(await b.rule('R09'))).toEqual([ids('C9', '50.00', { claim_id: 'C9' })]);
  });
});

describe('R16 overcoverage', () => {
  it('fires with -outstanding, net after adjustments', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F16', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('C16', 'F16', '2026-11-20 08:10:00', '100.00'));
    await b.add('debitor_adjustments', { adjustment_id: 'D1', claim_id: 'C16', amount: '20.00', registered_at: '2026-11-21 08:00:00' });
    await b.add('debitor_payments', payment('P1', '2026-11-22 08:00:00', '60.00'), payment('P2', '2026-11-23 08:00:00', '20.01'));
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C16', '2026-11-22 08:00:00', '60.00'),
      coverage('V2', 'P2', 'C16', '2026-11-23 08:00:00', '20.01'),
    );
    await b.evaluate();
    const rows = await b.rule('R16');
    expect(idsOf(rows)).toEqual([ids('C16', '0.01', { fee_id: 'F16', claim_id: 'C16' })]);
    expect(rows[0].severity).toBe('critical');
    expect(rows[0].detail).toBe(
      'Fordringen C16 er overdækket: der skyldes 80,00 kr., men der er dækket 80,01 kr.; 0,01 kr. skal tilbage til indbetaleren (se forslaget til tilbageførsel).',
    );
  });

  it('does not fire when covered = net or when the extra coverage is reversed', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C1', null, '2026-11-20 08:10:00', '100.00'), claim('C2', null, '2026-11-20 08:10:00', '100.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-22 08:00:00', '100.00'), payment('P2', '2026-11-22 08:00:00', '200.00'));
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C1', '2026-11-22 08:00:00', '100.00'),
      coverage('V2', 'P2', 'C2', '2026-11-22 08:00:00', '100.00'),
      coverage('V3', 'P2', 'C2', '2026-11-22 09:00:00', '100.00', { reversed_at: '2026-11-23 09:00:00' }),
    );
    await b.evaluate();
    expect(await b.rule('R16')).toEqual([]);
  });
});
