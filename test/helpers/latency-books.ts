// Hand-made books for the latency tests (and the report test): four municipalities, asOf Wednesday 10 June 2026
// 10:00 UTC, default SLAs (fee_to_claim 1 h, claim_to_payable 1 banking day, psp_to_debitor 1, debitor_to_fbs 2).
// Each stage is exercised in one municipality so the expected figures can be worked out by hand (test/latency.test.ts).
//   101 København (KMD Opus, payment solution): claim_to_payable K*, psp_to_debitor T*
//   561 Esbjerg (Prisme 2009, no payment solution, goLive 1 June 2026): fee_to_claim F*
//   621 Kolding (ØS Indsigt, no payment solution): debitor_to_fbs FD* (their fee_to_claim is 0.5 h each)
//   751 Aarhus (KMD Opus): nothing at all
import { Books, claim, coverage, fee, payment, txn } from './books.ts';

export const LATENCY_AS_OF = '2026-06-10T10:00:00Z';

export const LATENCY_MUNICIPALITIES = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
  { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01' },
  { code: '621', name: 'Kolding', debtorSystem: 'eg_os_indsigt', wave: 2, goLive: '2026-04-14' },
  { code: '751', name: 'Aarhus', debtorSystem: 'kmd_opus', wave: 3, goLive: '2026-04-14' },
];

export async function latencyBooks(): Promise<Books> {
  const b = await Books.open(LATENCY_AS_OF, { municipalities: LATENCY_MUNICIPALITIES });
  const m561 = { municipality: '561' };
  const m621 = { municipality: '621' };

  // fee_to_claim in 561: SLA 1 hour from created_at.
  await b.add(
    'fbs_fees',
    fee('F1', '2026-06-01 08:00:00', '100.00', m561), // claim after 0.5 h: within
    fee('F2', '2026-06-01 09:00:00', '100.00', m561), // 1.25 h: breached
    fee('F3', '2026-06-02 10:00:00', '100.00', m561), // claim 45 min BEFORE the fee: -0.75 h
    fee('F4', '2026-06-02 12:00:00', '100.00', m561), // 2.18 h: breached
    fee('F5', '2026-06-10 09:30:00', '100.00', m561), // no claim, deadline 10:30 not passed: in flight
    fee('F6', '2026-06-09 08:00:00', '100.00', m561), // no claim, deadline passed: breached (R01)
    fee('F7', '2026-06-09 08:00:00', '100.00', { ...m561, status: 'cancelled', cancelled_at: '2026-06-09 08:10:00' }), // not counted
    fee('F8', '2026-05-31 21:30:00', '100.00', m561), // 23:30 CEST on 31 May: before goLive, out of scope
    fee('F9', '2026-06-03 08:00:00', '100.00', m561), // two claims: the earliest (0.75 h) counts
    fee('F10', '2026-05-31 22:30:00', '100.00', m561), // 00:30 CEST on 1 June: in scope, 0.5 h
    fee('F11', '2026-06-05 08:00:00', '100.00', { ...m561, status: 'paid', paid_at: '2026-06-05 09:00:00', payment_source: 'cash' }), // paid, no claim: breached (R01)
    fee('F12', '2026-06-11 08:00:00', '100.00', m561), // created after asOf: ignored
    fee('F13', '2026-06-04 08:00:00', '100.00', { ...m561, status: 'cancelled', cancelled_at: '2026-06-04 09:00:00' }), // cancelled but has a claim after 20 min: within
  );
  await b.add(
    'debitor_claims',
    claim('C1', 'F1', '2026-06-01 08:30:00', '100.00', m561),
    claim('C2', 'F2', '2026-06-01 10:15:00', '100.00', m561),
    claim('C3', 'F3', '2026-06-02 09:15:00', '100.00', m561),
    claim('C4', 'F4', '2026-06-02 14:10:48', '100.00', m561),
    claim('C8', 'F8', '2026-06-01 02:30:00', '100.00', m561),
    claim('C9a', 'F9', '2026-06-03 09:00:00', '100.00', m561),
    claim('C9b', 'F9', '2026-06-03 08:45:00', '100.00', m561),
    claim('C9c', 'F9', '2026-06-11 08:00:00', '100.00', m561),
    claim('C10', 'F10', '2026-05-31 23:00:00', '100.00', m561),
    claim('C12', 'F12', '2026-06-11 08:30:00', '100.00', m561),
    claim('C13', 'F13', '2026-06-04 08:20:00', '100.00', m561),
  );

  // claim_to_payable in 101: SLA 1 banking day from received_at (Friday 5 June is Constitution Day).
  await b.add(
    'debitor_claims',
    claim('K1', null, '2026-06-03 10:00:00', '100.00'), // invoice after 2 h: within
    claim('K2', null, '2026-06-04 10:00:00', '100.00'), // deadline Tue 9 June 00:00 CEST; invoice 23:00 CEST Mon 8: within, 107 h
    claim('K3', null, '2026-06-01 10:00:00', '100.00'), // invoice exactly at the deadline: breached, 36 h
    claim('K4', null, '2026-06-09 08:00:00', '100.00'), // no invoice, deadline Thu 11 June 00:00: in flight
    claim('K5', null, '2026-06-05 08:00:00', '100.00'), // no invoice, deadline Tue 9 June 00:00 passed: breached (R09)
    claim('K6', null, '2026-06-05 09:00:00', '100.00'), // no invoice but fully covered: not counted
    claim('K7', null, '2026-06-03 10:00:00', '100.00'), // invoice only after asOf: breached (R09)
    claim('K8', null, '2026-06-03 10:00:00', '100.00'), // invoice an hour before the claim: -1 h
    claim('K9', null, '2026-06-11 08:00:00', '100.00'), // received after asOf: ignored
  );
  await b.add(
    'psp_invoices',
    { invoice_id: 'I1', claim_id: 'K1', amount: '100.00', published_at: '2026-06-03 12:00:00' },
    { invoice_id: 'I2b', claim_id: 'K2', amount: '100.00', published_at: '2026-06-09 08:00:00' },
    { invoice_id: 'I2a', claim_id: 'K2', amount: '100.00', published_at: '2026-06-08 21:00:00' },
    { invoice_id: 'I3', claim_id: 'K3', amount: '100.00', published_at: '2026-06-02 22:00:00' },
    { invoice_id: 'I7', claim_id: 'K7', amount: '100.00', published_at: '2026-06-11 08:00:00' },
    { invoice_id: 'I8', claim_id: 'K8', amount: '100.00', published_at: '2026-06-03 09:00:00' },
  );
  await b.add('debitor_payments', payment('P6', '2026-06-05 09:30:00', '100.00'));
  await b.add('debitor_coverages', coverage('CV6', 'P6', 'K6', '2026-06-05 09:30:00', '100.00'));

  // psp_to_debitor in 101: SLA 1 banking day from paid_at.
  await b.add(
    'psp_transactions',
    txn('T1', '2026-06-04 12:00:00', '50.00'), // booked Mon 8 June 10:00: within, 94 h
    txn('T2', '2026-03-28 12:00:00', '50.00'), // across spring DST: 48 h elapsed (49 on the wall clock), within
    txn('T3', '2026-06-01 10:00:00', '50.00'), // two bookings, the earlier at 01:00 CEST 3 June: breached, 37 h
    txn('T4', '2026-06-09 20:00:00', '50.00'), // no booking, deadline Thu 11 June 00:00: in flight
    txn('T5', '2026-06-08 06:00:00', '50.00'), // no booking, deadline passed: breached (R10)
    txn('T6', '2026-06-01 10:00:00', '50.00', { status: 'failed' }), // not money: not counted
    txn('T7', '2026-06-01 10:00:00', '50.00', { status: 'refunded' }), // not counted
    txn('T8', '2026-06-05 10:00:00', '50.00'), // its booking was reversed: breached (R10)
    txn('T9', '2026-06-05 10:00:00', '50.00'), // booked only after asOf: breached (R10)
  );
  const psp = (id: string, booked: string, ref: string, extra = {}) =>
    payment(id, booked, '50.00', { channel: 'psp', psp_txn_ref: ref, ...extra });
  await b.add(
    'debitor_payments',
    psp('P1', '2026-06-08 10:00:00', 'T1'),
    psp('P2', '2026-03-30 12:00:00', 'T2'),
    psp('P3a', '2026-06-03 11:00:00', 'T3'),
    psp('P3b', '2026-06-02 23:00:00', 'T3'),
    psp('P7', '2026-06-01 11:00:00', 'T7'),
    psp('P8', '2026-06-05 12:00:00', 'T8', { reversed_at: '2026-06-06 09:00:00' }),
    psp('P9', '2026-06-11 08:00:00', 'T9'),
  );

  // debitor_to_fbs in 621: SLA 2 banking days from the claim's completion instant.
  const fd = (id: string, extra = {}) => fee(id, '2026-05-20 06:00:00', '100.00', { ...m621, ...extra });
  await b.add(
    'fbs_fees',
    fd('FD1', { status: 'paid', paid_at: '2026-06-04 10:00:00', payment_source: 'debitor' }), // within, 50 h
    fd('FD2', { amount: '50.00', status: 'paid', paid_at: '2026-06-09 09:00:00', payment_source: 'debitor' }), // breached, 141 h
    fd('FD3'), // open, covered Tue 9 June: in flight
    fd('FD4'), // open, covered Mon 1 June: breached (R18)
    fd('FD5', { status: 'paid', paid_at: '2026-06-04 10:00:00', payment_source: 'cash' }), // not through the debtor system: not counted
    fd('FD6', { status: 'paid', paid_at: '2026-06-04 10:00:00', payment_source: 'debitor' }), // claim half covered: not counted
    fd('FD7', { status: 'paid', paid_at: '2026-06-01 07:00:00', payment_source: 'debitor' }), // paid an hour before the coverage: -1 h
    fd('FD8'), // covered, then the coverage reversed: not counted
  );
  await b.add(
    'debitor_claims',
    ...['1', '2', '3', '4', '5', '6', '7', '8'].map((i) =>
      claim(`CD${i}`, `FD${i}`, '2026-05-20 06:30:00', i === '2' ? '50.00' : '100.00', m621),
    ),
  );
  await b.add('debitor_adjustments', { adjustment_id: 'DA2', claim_id: 'CD2', amount: '10.00', registered_at: '2026-05-25 10:00:00', ...m621 });
  const cov = (id: string, claimId: string, at: string, amount: string, extra = {}) =>
    coverage(id, `P${id}`, claimId, at, amount, { ...m621, ...extra });
  await b.add(
    'debitor_coverages',
    cov('CV1b', 'CD1', '2026-06-02 08:00:00', '40.00'),
    cov('CV1a', 'CD1', '2026-06-01 08:00:00', '60.00'),
    cov('CV2', 'CD2', '2026-06-03 12:00:00', '40.00'),
    cov('CV3', 'CD3', '2026-06-09 07:00:00', '100.00'),
    cov('CV4', 'CD4', '2026-06-01 07:00:00', '100.00'),
    cov('CV5', 'CD5', '2026-06-02 08:00:00', '100.00'),
    cov('CV6', 'CD6', '2026-06-02 08:00:00', '50.00'),
    cov('CV7', 'CD7', '2026-06-01 08:00:00', '100.00'),
    cov('CV8', 'CD8', '2026-06-02 08:00:00', '100.00', { reversed_at: '2026-06-03 08:00:00' }),
  );
  return b;
}
