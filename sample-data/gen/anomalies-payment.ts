// Anomalies of the payments (R10–R17): each declares exactly what is open as of ASOF.
import { MIN, p2, amt } from './time.ts';
import type { Context } from './context.ts';
import type { Entities } from './entities.ts';
import type { Kit } from './anomaly-kit.ts';

/** R10–R12: transactions not booked, bookings without a transaction, amounts that differ. */
export function pspAnomalies(cx: Context, ent: Entities, kit: Kit): void {
  const { at, expect } = cx;
  const { party, txn, payment, coverage, feePaid, finalizeClaim, fbsPaidAfter } = ent;
  const { K, KO, E, pair, pspPay } = kit;
  // R10: captured transaction never booked.
  {
    const { c } = pair(K, '2026-11-09', 11);
    const tx = txn(K, c, at('2026-11-12', 19, 45), c.principal);
    finalizeClaim(c);
    expect('R10', K, tx, c.principal, 'MobilePay capture not booked');
    const g = pair(KO, '2026-11-02', 10);
    const tx2 = txn(KO, g.c, at('2026-11-14', 12, 30), g.c.principal); // Saturday
    finalizeClaim(g.c);
    expect('R10', KO, tx2, g.c.principal, 'capture on a Saturday not booked');
    // Not R10: captured Thursday 26 Nov evening → in flight.
    const h = pair(K, '2026-11-23', 10);
    txn(K, h.c, at('2026-11-26', 20, 10), h.c.principal);
    finalizeClaim(h.c);
  }
  // R11: psp-channel payment without a (known) transaction.
  {
    const { f, c } = pair(K, '2026-11-09', 14);
    const p = payment(K, at('2026-11-11', 6, 30), c.principal, 'psp', null, c.party);
    const tc = p.booked + 4 * MIN;
    coverage(p, c, tc, c.principal);
    feePaid(f, fbsPaidAfter(tc), 'debitor');
    finalizeClaim(c);
    expect('R11', K, p.id, p.amount, 'psp payment with empty psp_txn_ref');
    const g = pair(K, '2026-11-10', 9);
    const q = payment(K, at('2026-11-12', 6, 45), g.c.principal, 'psp', 'TX101-NOSUCHTXN', g.c.party);
    coverage(q, g.c, q.booked + 3 * MIN, g.c.principal);
    feePaid(g.f, fbsPaidAfter(q.booked + 3 * MIN), 'debitor');
    finalizeClaim(g.c);
    expect('R11', K, q.id, q.amount, 'psp_txn_ref names no transaction');
    // Not R11: Esbjerg has no psp_transactions at all.
    const h = pair(E, '2026-11-10', 10);
    const r = payment(E, at('2026-11-13', 6, 20), h.c.principal, 'psp', null, null);
    coverage(r, h.c, r.booked + 2 * MIN, h.c.principal);
    feePaid(h.f, fbsPaidAfter(r.booked + 2 * MIN), 'debitor');
    finalizeClaim(h.c);
  }
  // R12: transaction and payment amounts differ.
  {
    const { f, c } = pair(K, '2026-11-05', 10, { amount: 10000, feeType: 'overdue_fee' });
    const { p, tc } = pspPay(c, at('2026-11-09', 18, 0), 10000, 12000);
    feePaid(f, fbsPaidAfter(tc), 'debitor');
    finalizeClaim(c);
    expect('R12', K, p.id, -2000, 'payment 100.00 vs transaction 120.00');
  }
}

/** R13–R17: double bookings and overcoverage (with reversal proposals), unapplied and overapplied payments. */
export function coverageAnomalies(cx: Context, ent: Entities, kit: Kit): void {
  const { at, expect, reversals } = cx;
  const { party, emitPayment, payment, coverage, feePaid, finalizeClaim, fbsPaidAfter } = ent;
  const { K, O, KO, E, pair, pspPay, bankPay } = kit;
  // R13 + R16 (one coverage to reverse, nothing to reapply): the same transaction booked twice.
  {
    const { f, c } = pair(K, '2026-11-02', 13, { amount: 10000, feeType: 'overdue_fee' });
    const { tx, tc } = pspPay(c, at('2026-11-05', 20, 0), 10000);
    const p2 = payment(K, tc + 30 * MIN, 10000, 'psp', tx, c.party);
    const cov2 = coverage(p2, c, p2.booked + 2 * MIN, 10000);
    feePaid(f, fbsPaidAfter(tc), 'debitor');
    finalizeClaim(c);
    expect('R13', K, p2.id, 10000, 'second booking of the same MobilePay transaction');
    expect('R16', K, c.id, 10000, 'covered twice');
    reversals.push({ municipality: K.code, claim_id: c.id, fee_id: f.id, coverage_ids: [cov2], payment_ids: [p2.id], reverse_amount: amt(10000)!, reapply_amount: amt(0)!, excess_amount: amt(10000)! });
  }
  // R16 with two coverages to reverse (Kolding): net 300, coverages 250 + 100 + 70 → excess 120.
  {
    const { f, c } = pair(KO, '2026-10-19', 10, { amount: 30000, feeType: 'replacement_ack' });
    bankPay(c, at('2026-10-26', 6, 40), 25000);
    const b = bankPay(c, at('2026-10-28', 6, 40), 10000);
    feePaid(f, fbsPaidAfter(b.tc), 'debitor');
    const d = bankPay(c, at('2026-11-03', 7, 5), 7000, 7000, 'giro');
    finalizeClaim(c);
    expect('R16', KO, c.id, 12000, 'three payments on one claim');
    reversals.push({ municipality: KO.code, claim_id: c.id, fee_id: f.id, coverage_ids: [d.cov, b.cov], payment_ids: [d.p.id, b.p.id], reverse_amount: amt(17000)!, reapply_amount: amt(5000)!, excess_amount: amt(12000)! });
  }
  // R16 with one coverage and a reapply (Esbjerg): net 100, coverages 80 + 50 → excess 30.
  {
    const { f, c } = pair(E, '2026-11-03', 11, { amount: 10000, feeType: 'overdue_fee', patron: 'adult_cpr' });
    bankPay(c, at('2026-11-06', 6, 15), 8000);
    const b = bankPay(c, at('2026-11-10', 6, 15), 5000, 5000, 'giro');
    feePaid(f, fbsPaidAfter(b.tc), 'debitor');
    finalizeClaim(c);
    expect('R16', E, c.id, 3000, 'paid 130.00 on a 100.00 claim');
    reversals.push({ municipality: E.code, claim_id: c.id, fee_id: f.id, coverage_ids: [b.cov], payment_ids: [b.p.id], reverse_amount: amt(5000)!, reapply_amount: amt(2000)!, excess_amount: amt(3000)! });
  }
  // R14: payment larger than its coverage.
  {
    const { f, c } = pair(O, '2026-11-04', 12, { amount: 10000, feeType: 'overdue_fee' });
    const { p, tc } = bankPay(c, at('2026-11-09', 6, 50), 15000, 10000);
    feePaid(f, fbsPaidAfter(tc), 'debitor');
    finalizeClaim(c);
    expect('R14', O, p.id, 5000, '150.00 paid, 100.00 applied');
  }
  // R15: coverage larger than its payment.
  {
    const { c } = pair(O, '2026-11-05', 9, { amount: 20000, feeType: 'replacement_no_ack' });
    const { p } = bankPay(c, at('2026-11-10', 7, 0), 10000, 13000);
    finalizeClaim(c);
    expect('R15', O, p.id, 3000, '100.00 paid, 130.00 applied');
  }
  // R17: the payment is reversed but its coverage is not.
  {
    const { f, c } = pair(K, '2026-11-03', 10);
    const { p, cov, tc } = bankPay(c, at('2026-11-06', 6, 30), c.principal);
    feePaid(f, fbsPaidAfter(tc), 'debitor');
    p.reversed = at('2026-11-11', 9, 30);
    emitPayment(p, p.reversed);
    finalizeClaim(c);
    expect('R17', K, cov, c.principal, 'coverage left on a reversed bank payment');
  }
}
