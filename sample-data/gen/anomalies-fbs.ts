// Anomalies of FBS and Mit Overblik (R18–R22), a clock problem, the ambiguous autumn hour and clean edge cases.
import { MIN } from './time.ts';
import type { Context } from './context.ts';
import type { Entities } from './entities.ts';
import type { Kit } from './anomaly-kit.ts';

/** R18–R22: paid but not visible in FBS, paid in FBS only or outside the debtor system, Mit Overblik. */
export function fbsAnomalies(cx: Context, ent: Entities, kit: Kit): void {
  const { bbExtracts, at, expect } = cx;
  const { newFee, feePaid, outstandingAt, finalizeClaim } = ent;
  const { K, KO, A, F, pair, pspPay } = kit;
  // R18: fully covered, FBS still open.
  {
    const { f, c } = pair(K, '2026-11-06', 11);
    pspPay(c, at('2026-11-13', 21, 0), c.principal);
    finalizeClaim(c);
    expect('R18', K, f.id, c.principal, 'paid 16 Nov, still open in FBS');
    // Not R18: covered 26 Nov, deadline 1 Dec 00:00 → in flight.
    const g = pair(K, '2026-11-20', 11);
    pspPay(g.c, at('2026-11-25', 12, 0), g.c.principal);
    finalizeClaim(g.c);
  }
  // R19: paid in FBS via the debtor system, but the debtor system has no payment / no claim.
  {
    const { f, c } = pair(KO, '2026-11-03', 13);
    feePaid(f, at('2026-11-10', 9, 15), 'debitor');
    finalizeClaim(c);
    expect('R19', KO, f.id, c.principal, 'FBS paid, claim unpaid');
    const g = newFee(K, at('2026-11-12', 12, 0), {}, true);
    feePaid(g, at('2026-11-16', 10, 0), 'debitor');
    expect('R19', K, g.id, g.amount, 'FBS paid via debitor, no claim at all');
    expect('R01', K, g.id, g.amount, 'FBS paid via debitor, no claim at all');
  }
  // R20: paid outside the debtor system.
  {
    const { f, c } = pair(A, '2026-11-09', 12);
    feePaid(f, at('2026-11-10', 15, 30), 'cash');
    finalizeClaim(c);
    expect('R20', A, f.id, f.amount, 'paid in cash at the library after go-live');
    const g = pair(F, '2026-11-04', 12);
    feePaid(g.f, at('2026-11-06', 11, 0), 'app');
    finalizeClaim(g.c);
    expect('R20', F, g.f.id, g.f.amount, 'paid in the library app after go-live');
  }
  // R21: never shown in Mit Overblik.
  {
    const { c } = pair(K, '2026-11-10', 13);
    c.bbOmit = true;
    const last = bbExtracts[bbExtracts.length - 1];
    expect('R21', K, c.id, outstandingAt(c, last), 'missing from every Verifikationsklient extract');
    const g = pair(KO, '2026-11-16', 10, { amount: 4500, feeType: 'overdue_fee' });
    g.c.bbOmit = true;
    expect('R21', KO, g.c.id, outstandingAt(g.c, last), 'missing from every Verifikationsklient extract');
  }
  // R22: Mit Overblik shows a wrong amount (in the claim's latest row).
  {
    const { c } = pair(K, '2026-11-09', 10, { amount: 10000, feeType: 'overdue_fee' });
    c.bbShownDelta = 5000;
    finalizeClaim(c);
    expect('R22', K, c.id, 5000, 'shows 150.00, owes 100.00');
    const g = pair(KO, '2026-11-11', 9, { amount: 8000, feeType: 'overdue_fee' });
    g.c.bbShownAbs = 0;
    finalizeClaim(g.c);
    expect('R22', KO, g.c.id, -8000, 'shows 0.00, owes 80.00');
  }
}

/** Not rules: a negative duration, the ambiguous autumn hour, and clean cases that must not fire. */
export function edgeCases(cx: Context, ent: Entities, kit: Kit): void {
  const { at, emit, nextId, negativeDurations, dstAmbiguous } = cx;
  const { party, newFee, emitClaim, newClaim, invoice, emitPayment, payment, feePaid, finalizeClaim, fbsPaidAfter } = ent;
  const { K, O, pair, pspPay } = kit;
  // A clock problem, no rule: the claim was received 15 minutes before the fee was created (negative fee_to_claim).
  {
    const f = newFee(O, at('2026-11-17', 10, 0), { feeType: 'overdue_fee', amount: 6000, patron: 'adult_cpr' }, true);
    const c = newClaim(O, f, f.created - 15 * MIN, {}, true);
    invoice(c);
    finalizeClaim(c);
    negativeDurations.push({ municipality: O.code, stage: 'fee_to_claim', id: f.id, hours: '-0.25' });
  }
  // The ambiguous autumn hour: created 02:30 and claimed 02:50 local on 25 Oct 2026, both the first occurrence
  // (+02:00). The small inbox writes both files with naive local timestamps, which the contract reads as +02:00.
  {
    const f = newFee(O, at('2026-10-25', 2, 30), { feeType: 'overdue_fee', amount: 4000, patron: 'adult_cpr' }, true);
    const c = newClaim(O, f, f.created + 20 * MIN, {}, true);
    invoice(c);
    finalizeClaim(c);
    const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
    dstAmbiguous.push({ municipality: O.code, fee_id: f.id, claim_id: c.id, created_at: iso(f.created), received_at: iso(c.received) });
  }
  // Clean edge cases that must NOT fire: a fully reversed payment (payment and coverage), paid again.
  {
    const { f, c } = pair(K, '2026-11-02', 15);
    const p = payment(K, at('2026-11-04', 6, 20), c.principal, 'bank', null, c.party);
    const covId = nextId('DK', K.code);
    const tcov = p.booked + 3 * MIN;
    const trev = at('2026-11-05', 10, 0);
    emit(K, 'debitor_coverages', tcov, { coverage_id: covId, payment_id: p.id, claim_id: c.id, amount: c.principal, covered_at: tcov, reversed_at: null });
    p.reversed = trev;
    emitPayment(p, trev);
    emit(K, 'debitor_coverages', trev, { coverage_id: covId, payment_id: p.id, claim_id: c.id, amount: c.principal, covered_at: tcov, reversed_at: trev });
    c.covs.push({ t: tcov, amount: c.principal, reversed: trev });
    const { tc } = pspPay(c, at('2026-11-06', 19, 0), c.principal);
    feePaid(f, fbsPaidAfter(tc), 'debitor');
    finalizeClaim(c);
    // An adult claim in collection (not R08).
    const g = pair(O, '2026-09-07', 10, { patron: 'adult_cpr' });
    g.c.collection = at('2026-10-28', 10, 0);
    emitClaim(g.c, g.c.collection);
    finalizeClaim(g.c);
  }
}
