// An inbox with CPR-shaped text in every id and free-text column (FORMATS.md §5), for the masking tests: every kind
// of 101 København and 561 Esbjerg, ids, references, debtors, reasons and titles that are CPR numbers (with and
// without the hyphen), a folder and an unknown file named by one, rejected rows carrying them, rows that make the
// rules, the suggested matches (both kinds), a reversal proposal and a negative duration name them.
import { CLAIM_HEADER, COVERAGE_HEADER, DEB_ADJ_HEADER, FBS_ADJ_HEADER, FEE_HEADER, INVOICE_HEADER, KLIK_HEADER, MIT_OVERBLIK_HEADER, PAYMENT_HEADER, TXN_HEADER, type Installation, type Municipality } from './e2e-inbox.ts';

/**
 * The i-th CPR number of these tests: a real date in front (day 1-28, month 1-12, born 1950-1999) and a serial, with
 * the hyphen when asked. cpr(1) = '0201511001'.
 */
export function cpr(i: number, hyphen = false): string {
  const dd = String(1 + (i % 28)).padStart(2, '0');
  const mm = String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0');
  const yy = String(50 + (i % 50)).padStart(2, '0');
  const serial = String(1000 + i);
  return `${dd}${mm}${yy}${hyphen ? '-' : ''}${serial}`;
}

/** The masked form of cpr(i): its six digits and -XXXX. */
export const masked = (i: number): string => `${cpr(i).slice(0, 6)}-XXXX`;

export const CPR_MUNICIPALITIES: Municipality[] = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14', borgerblikket: true },
  { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2015', wave: 2, goLive: '2026-06-01' },
];

/** Night 1 of the CPR inbox (asOf 2026-11-27T05:00:00Z): exit 3 (rejected rows, an unknown file). */
export function writeCprInbox(inst: Installation): void {
  const c = cpr;
  inst.export('101/fbs_fees_2026-11-20.csv', FEE_HEADER, [
    // R01 (no claim); its reason free text
    [c(1), 'adult_cpr', c(2, true), 'overdue_fee', '100.00', '2026-11-02T10:00:00Z', 'open', null, null, null, `Borger ${c(3)} ringede; se også ${c(4, true)}`],
    // R04 with C13 (175.00 against 150.00)
    [c(5, true), 'adult_cpr', c(2), 'overdue_fee', '150.00', '2026-11-02T10:00:00Z', 'open', null, null, null, null],
    // claim_for_fee with C8: the same amount and debtor (hyphen on the claim's side only), received a day later
    [c(6), 'adult_cpr', c(7), 'overdue_fee', '300.00', '2026-11-02T10:00:00Z', 'open', null, null, null, null],
    // R20: paid in cash
    [c(10), 'adult_cpr', c(2), 'overdue_fee', '40.00', '2026-11-02T10:00:00Z', 'paid', '2026-11-03T10:00:00Z', 'cash', null, null],
    // a claim received before its fee: a negative fee_to_claim duration
    [c(11), 'adult_cpr', c(2), 'overdue_fee', '60.00', '2026-11-05T10:00:00Z', 'open', null, null, null, null],
    // over-covered by 30 (R16, a reversal proposal)
    [c(14), 'adult_cpr', c(2), 'overdue_fee', '100.00', '2026-11-02T10:00:00Z', 'open', null, null, null, null],
    // a rejected row carrying CPR numbers in its id and raw text
    [c(31), 'adult_cpr', c(2), 'overdue_fee', 'ikke-et-beløb', '2026-11-02T10:00:00Z', 'open', null, null, null, `ring ${c(30, true)}`],
  ]);
  inst.export('101/debitor_claims_2026-11-20.csv', CLAIM_HEADER, [
    [c(13, true), c(5, true), 'library_fees', 'overdue_fee', c(2), '175.00', '2026-11-02T10:20:00Z', null, null, null],
    [c(8), c(9), 'library_fees', 'overdue_fee', c(7, true), '300.00', '2026-11-03T10:00:00Z', null, null, null],
    [c(12), c(11), 'library_fees', 'overdue_fee', c(2), '60.00', '2026-11-05T09:00:00Z', null, null, null],
    [c(15), c(14), 'library_fees', 'overdue_fee', c(2), '100.00', '2026-11-02T10:20:00Z', null, null, null],
  ]);
  inst.export('101/fbs_adjustments_2026-11-20.csv', FBS_ADJ_HEADER, [[c(27), c(5, true), '5.00', '2026-11-04T10:00:00Z']]);
  inst.export('101/debitor_adjustments_2026-11-20.csv', DEB_ADJ_HEADER, [[c(25), c(13, true), '10.00', '2026-11-04T10:00:00Z', c(26)]]);
  // a folder named by a CPR number
  inst.export(`101/${c(32)}/debitor_payments_2026-11-20.csv`, PAYMENT_HEADER, [
    [c(16), 'bank', null, c(2), '100.00', '2026-11-06T10:00:00Z', null],
    [c(17, true), 'bank', null, c(2, true), '30.00', '2026-11-07T10:00:00Z', null],
    // R11: a psp booking whose reference names no transaction; payment_for_transaction with T20
    [c(22), 'psp', c(23), c(2), '200.00', '2026-11-10T12:00:00Z', null],
  ]);
  inst.export('101/debitor_coverages_2026-11-20.csv', COVERAGE_HEADER, [
    [c(18), c(16), c(15), '100.00', '2026-11-06T10:00:00Z', null],
    [c(19), c(17, true), c(15), '30.00', '2026-11-07T10:00:00Z', null],
  ]);
  inst.export('101/psp_transactions_2026-11-20.csv', TXN_HEADER, [[c(20), c(21), 'mobilepay', '200.00', '2026-11-10T09:00:00Z', 'captured']]);
  inst.export('101/psp_invoices_2026-11-20.csv', INVOICE_HEADER, [[c(24), c(15), '100.00', '2026-11-02T11:00:00Z']]);
  inst.export('101/borgerblikket_claims_2026-11-20.csv', MIT_OVERBLIK_HEADER, [[c(15), '0.00', '2026-11-08T10:00:00Z'], [c(28), '5.00', '2026-11-08T10:00:00Z']]);
  inst.export('101/klik_tasks_2026-11-20.csv', KLIK_HEADER, [[c(29), `Tjek borger ${c(30)}`, 'open', null]]);
  inst.write(`101/noter-${c(33)}.txt`, `borger ${c(33, true)}\n`);
  inst.export('561/fbs_fees_2026-11-20.csv', FEE_HEADER, [
    // R01 and R07 (a replacement CPR on Prisme)
    [c(40), 'adult_replacement_cpr', c(41, true), 'overdue_fee', '80.00', '2026-11-02T10:00:00Z', 'open', null, null, null, `Erstatnings-CPR ${c(41)}`],
  ]);
  inst.export('561/debitor_claims_2026-11-20.csv', CLAIM_HEADER, [[c(42, true), c(43), 'library_fees', 'overdue_fee', c(41), '90.00', '2026-11-03T10:00:00Z', null, null, null]]);
}

export const CPR_AS_OF = '2026-11-27T05:00:00Z';
export const CPR_NEXT = '2026-11-28T05:00:00Z';
