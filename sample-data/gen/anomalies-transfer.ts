// Anomalies of the transfer from FBS to the debtor system (R01–R09): each declares exactly what is open as of ASOF.
import { MIN } from './time.ts';
import type { Context } from './context.ts';
import type { Entities } from './entities.ts';
import type { Kit } from './anomaly-kit.ts';

/** R01–R04: fees not transferred, claims without a fee, duplicate transfers, amounts that differ. */
export function transferAnomalies(cx: Context, ent: Entities, kit: Kit): void {
  const { at, expect } = cx;
  const { newFee, newClaim, invoice, finalizeClaim } = ent;
  const { K, E, A, pair } = kit;
  // R01: fee in scope without a claim.
  {
    const f = newFee(K, at('2026-11-10', 11, 12), {}, true);
    expect('R01', K, f.id, f.amount, 'fee never transferred');
    const g = newFee(A, at('2026-11-16', 14, 5), {}, true);
    expect('R01', A, g.id, g.amount, 'fee never transferred (ØS Indsigt)');
    // In scope by its Copenhagen date although its UTC date is the day before go-live.
    const h = newFee(K, at('2026-04-14', 0, 30), { feeType: 'overdue_fee', amount: 5000 }, true);
    expect('R01', K, h.id, h.amount, 'created 00:30 local on the go-live day (22:30Z the day before)');
    // Not R01: one minute before midnight on the day before go-live → out of scope.
    newFee(K, at('2026-04-13', 23, 59), { feeType: 'overdue_fee', amount: 5000 }, true);
  }
  // R02: claims without a fee.
  {
    const c = newClaim(K, null, at('2026-11-09', 10, 40), { sourceRef: null, principal: 12550 }, true);
    invoice(c);
    finalizeClaim(c);
    expect('R02', K, c.id, c.principal, 'empty source_ref');
    const d = newClaim(E, null, at('2026-11-11', 13, 2), { sourceRef: 'MV561-99999999', principal: 43000 }, true);
    invoice(d);
    finalizeClaim(d);
    expect('R02', E, d.id, d.principal, 'source_ref names no fee');
  }
  // R03: a second claim for the same fee.
  {
    const { f, c } = pair(K, '2026-11-12', 9);
    const dup = newClaim(K, f, c.received + 17 * MIN, {}, true);
    invoice(dup);
    finalizeClaim(c);
    finalizeClaim(dup);
    expect('R03', K, dup.id, dup.principal, 'duplicate transfer');
  }
  // R04: principal differs from the fee amount (both signs).
  {
    const { f, c } = pair(K, '2026-11-13', 10, { amount: 20000, feeType: 'overdue_fee' }, { principal: 25000 });
    finalizeClaim(c);
    expect('R04', K, c.id, c.principal - f.amount, 'principal 250.00 vs fee 200.00');
    const g = pair(A, '2026-11-05', 13, { amount: 75000, feeType: 'replacement_ack' }, { principal: 72500 });
    finalizeClaim(g.c);
    expect('R04', A, g.c.id, g.c.principal - g.f.amount, 'principal 725.00 vs fee 750.00');
  }
}

/** R05–R09: adjustments not mirrored, wrong account or claim type, replacement CPR, minors in collection, not payable. */
export function claimAnomalies(cx: Context, ent: Entities, kit: Kit): void {
  const { at, expect } = cx;
  const { emitClaim, invoice, fbsAdj, feeCancelled, finalizeClaim } = ent;
  const { K, O, KO, E, pair } = kit;
  // R05: FBS adjustment not mirrored; FBS cancellation not mirrored.
  {
    const { f, c } = pair(K, '2026-11-09', 13, { amount: 30000, feeType: 'replacement_no_ack' });
    fbsAdj(f, at('2026-11-11', 10, 20), 10000);
    finalizeClaim(c);
    expect('R05', K, c.id, 10000, 'FBS reduction 100.00 not registered in the debtor system');
    const g = pair(KO, '2026-11-10', 11, { amount: 8000, feeType: 'overdue_fee', patron: 'adult_cpr' });
    feeCancelled(g.f, at('2026-11-12', 14, 0));
    finalizeClaim(g.c);
    expect('R05', KO, g.c.id, g.c.principal, 'fee cancelled in FBS, claim not cancelled');
  }
  // R06: wrong account type; wrong claim type.
  {
    const { c } = pair(O, '2026-11-10', 12, { patron: 'child_cpr', feeType: 'overdue_fee' }, { accountType: 'library_fees' });
    finalizeClaim(c);
    expect('R06', O, c.id, null, 'child without ØA on library_fees');
    const g = pair(K, '2026-11-11', 15, { patron: 'adult_cpr', feeType: 'replacement_ack' }, { claimType: 'overdue_fee' });
    finalizeClaim(g.c);
    expect('R06', K, g.c.id, null, 'claim_type overdue_fee for a replacement_ack fee');
  }
  // R07: replacement CPR on Prisme.
  {
    const { f, c } = pair(E, '2026-11-04', 10, { patron: 'adult_replacement_cpr' });
    finalizeClaim(c);
    expect('R07', E, f.id, f.amount, 'adult_replacement_cpr on prisme_2009');
    const g = pair(KO, '2026-11-06', 14, { patron: 'child_oa_replacement_cpr' });
    finalizeClaim(g.c);
    expect('R07', KO, g.f.id, g.f.amount, 'child_oa_replacement_cpr on prisme_2015');
  }
  // R08: a minor without ØA sent to collection. (An adult sent to collection is fine.)
  {
    const { c } = pair(O, '2026-09-14', 10, { patron: 'child_cpr', feeType: 'replacement_no_ack', amount: 34950 });
    c.collection = at('2026-11-02', 10, 0);
    emitClaim(c, c.collection);
    finalizeClaim(c);
    expect('R08', O, c.id, c.principal, 'library_fees_minor_without_oa in collection');
  }
  // R09: no invoice in a municipality with a payment solution.
  {
    const { c } = pair(K, '2026-11-16', 9, {}, {}, false);
    finalizeClaim(c);
    expect('R09', K, c.id, c.principal, 'never published in Mit betalingsoverblik');
    const g = pair(KO, '2026-11-18', 11, {}, {}, false);
    finalizeClaim(g.c);
    expect('R09', KO, g.c.id, g.c.principal, 'never published in Min betalingsoversigt');
    // Not R09: published late, but published (a latency breach only).
    const h = pair(O, '2026-11-09', 10, {}, {}, false);
    invoice(h.c, at('2026-11-13', 8, 0));
    finalizeClaim(h.c);
    // Not R09: received Thursday 26 Nov, deadline 28 Nov 00:00 → in flight.
    const i = pair(K, '2026-11-26', 15, {}, {}, false);
    finalizeClaim(i.c);
  }
}
