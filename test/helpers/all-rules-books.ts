// A hand-made set of books on which every rule R01–R22 fires at least once (municipality 101 unless said otherwise;
// asOf Thursday 26 November 2026 13:00 in Copenhagen, SLA defaults: fee_to_claim 1 h, claim_to_payable and
// psp_to_debitor 1 banking day, debitor_to_fbs 2). The comment at each row names the rule it is there for; other
// rules fire on the same rows too (a claim without an invoice is also R09, a payment not applied is also R14).
import { Books, claim, coverage, fee, payment, txn } from './books.ts';

export const ALL_RULES_AS_OF = '2026-11-26T12:00:00Z';

export async function allRulesBooks(): Promise<Books> {
  const b = await Books.open(ALL_RULES_AS_OF);
  const D = '2026-11-20'; // a Friday: every deadline counted from it has passed by asOf
  await b.add(
    'fbs_fees',
    fee('F01', `${D} 08:00:00`, '100.00'), // R01: no claim, deadline 09:00 passed
    fee('F03', `${D} 08:00:00`, '100.00'), // R03: two claims
    fee('F04', `${D} 08:00:00`, '100.00'), // R04: claim on 90.00
    fee('F05', `${D} 08:00:00`, '100.00'), // R05: reduced in FBS only
    fee('F06', `${D} 08:00:00`, '100.00'), // R06: claim on the minors' account type
    fee('F07', `${D} 08:00:00`, '100.00', { municipality: '561', patron_type: 'adult_replacement_cpr' }), // R07: Prisme 2009
    fee('F08', `${D} 08:00:00`, '100.00', { patron_type: 'child_cpr' }), // R08
    fee('F18', `${D} 08:00:00`, '100.00'), // R18: claim fully paid, FBS still open
    fee('F19', `${D} 08:00:00`, '100.00', { status: 'paid', paid_at: '2026-11-21 08:00:00', payment_source: 'debitor' }), // R19
    fee('F20', `${D} 08:00:00`, '100.00', { status: 'paid', paid_at: '2026-11-21 08:00:00', payment_source: 'cash' }), // R20
  );
  await b.add('fbs_adjustments', { adjustment_id: 'A05', fee_id: 'F05', amount: '20.00', created_at: `${D} 09:00:00` });
  await b.add(
    'debitor_claims',
    claim('C02', 'NOFEE', `${D} 08:30:00`, '50.00'), // R02: names no fee
    claim('C03a', 'F03', `${D} 08:30:00`, '100.00'),
    claim('C03b', 'F03', `${D} 09:00:00`, '100.00'), // R03: the duplicate
    claim('C04', 'F04', `${D} 08:30:00`, '90.00'), // R04
    claim('C05', 'F05', `${D} 08:30:00`, '100.00'), // R05
    claim('C06', 'F06', `${D} 08:30:00`, '100.00', { account_type: 'library_fees_minor_with_oa' }), // R06
    claim('C08', 'F08', `${D} 08:30:00`, '100.00', { account_type: 'library_fees_minor_without_oa', collection_sent_at: '2026-11-21 08:00:00' }), // R08
    claim('C16', null, `${D} 08:30:00`, '10.00'), // R16: covered by 20.00
    claim('C17', null, `${D} 08:30:00`, '30.00'),
    claim('C18', 'F18', `${D} 08:30:00`, '100.00'),
  );
  await b.add(
    'psp_transactions',
    txn('T10', `${D} 08:00:00`, '25.00'), // R10: never booked
    txn('T12', `${D} 08:00:00`, '50.00'), // R12: booked as 40.00
    txn('T13', `${D} 08:00:00`, '50.00'), // R13: booked twice
  );
  await b.add(
    'debitor_payments',
    payment('P11', '2026-11-21 08:00:00', '15.00', { channel: 'psp', psp_txn_ref: 'NOTXN' }), // R11
    payment('P12', '2026-11-21 08:00:00', '40.00', { channel: 'psp', psp_txn_ref: 'T12' }), // R12
    payment('P13a', '2026-11-21 08:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'T13' }),
    payment('P13b', '2026-11-21 09:00:00', '50.00', { channel: 'psp', psp_txn_ref: 'T13' }), // R13
    payment('P14', '2026-11-21 08:00:00', '70.00'), // R14: nothing applied
    payment('P15', '2026-11-21 08:00:00', '10.00'), // R15: 20.00 applied
    payment('P17', '2026-11-21 08:00:00', '30.00', { reversed_at: '2026-11-22 08:00:00' }), // R17
    payment('P18', '2026-11-21 08:00:00', '100.00'),
  );
  await b.add(
    'debitor_coverages',
    coverage('V15', 'P15', 'C16', '2026-11-21 09:00:00', '20.00'), // R15 and R16
    coverage('V17', 'P17', 'C17', '2026-11-21 09:00:00', '30.00'), // R17: still active
    coverage('V18', 'P18', 'C18', '2026-11-21 09:00:00', '100.00'), // R18: deadline Wed 25 Nov 00:00 passed
  );
  await b.add(
    'borgerblikket_claims',
    { claim_id: 'C04', shown_outstanding: '10.00', extracted_at: '2026-11-25 06:00:00' }, // R22: actual 90.00; R21 for the rest
  );
  return b;
}
