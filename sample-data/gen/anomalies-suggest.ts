// Suggested matches (RULES.md §6) planted on purpose, and near misses that must not be suggested. Each item is also
// the discrepancy of its rule (R10 and R11, R01 and R02), declared as such. Run after the background (and before the
// bad rows), so every row planted earlier keeps its bytes: the items are appended to their files.
//
// Amounts: each pass (benchmark mode plants everything again and again) moves every amount by 0,02 kr., so items of
// different passes never pair; the right items' amounts are odd in øre, so no fee amount of the background or of
// another anomaly (whole multiples of 0,50 kr.) can equal one. The left items come after every other anomaly's right
// item (the R11 payments of 11 and 12 November), so no earlier planting pairs with them either.
import { DAY, MIN } from './time.ts';
import type { Context } from './context.ts';
import type { Entities } from './entities.ts';
import type { Kit } from './anomaly-kit.ts';

/** The discrepancies one pass declares (R10 3, R11 4, R01 4, R02 5): --anomaly-rate counts them with the others. */
export const SUGGESTION_DISCREPANCIES = 16;

export function suggestionAnomalies(cx: Context, ent: Entities, kit: Kit, pass: number): void {
  const { at, expect, expectSuggestion } = cx;
  const { party, newFee, newClaim, invoice, txn, payment, coverage, feePaid, finalizeClaim, fbsPaidAfter } = ent;
  const { K, O, pair } = kit;
  const step = 2 * pass;

  // payment_for_transaction (København): the citizen's MobilePay capture was never booked under its id, and the
  // payment booked without a reference is the same money: R10 and R11 that a clerk should pair.
  {
    const amount = 167_535 + step; // 1.675,35 kr.
    const { f, c } = pair(K, '2026-11-13', 10, { amount, feeType: 'replacement_ack' });
    const paid = at('2026-11-16', 14, 0); // Monday
    const tx = txn(K, c, paid, amount);
    const p = payment(K, at('2026-11-17', 6, 30), amount, 'psp', null, c.party);
    coverage(p, c, p.booked + 4 * MIN, amount);
    feePaid(f, fbsPaidAfter(p.booked + 4 * MIN), 'debitor');
    finalizeClaim(c);
    expect('R10', K, tx, amount, 'capture booked without its transaction id');
    expect('R11', K, p.id, amount, 'the same money booked with an empty psp_txn_ref');
    expectSuggestion('payment_for_transaction', K, tx, p.id, amount, paid, p.booked, 1, 'booked 16,50 hours after the capture');
    // A second candidate at the window's very end, 5 banking days later at the same time of day (inclusive): rank 2.
    const g = pair(K, '2026-11-18', 9, { amount, feeType: 'replacement_ack' });
    const q = payment(K, at('2026-11-23', 14, 0), amount, 'psp', `TX${K.code}-0000000O`, g.c.party);
    coverage(q, g.c, q.booked + 3 * MIN, amount);
    feePaid(g.f, fbsPaidAfter(q.booked + 3 * MIN), 'debitor');
    finalizeClaim(g.c);
    expect('R11', K, q.id, amount, 'psp_txn_ref mistyped (letter O for zero)');
    expectSuggestion('payment_for_transaction', K, tx, q.id, amount, paid, q.booked, 2, 'at paid_at + 5 banking days exactly: still a candidate');
  }
  // Near miss: booked one minute after the window (Friday 15:00 + 5 banking days = next Friday 15:00).
  {
    const amount = 31_215 + step; // 312,15 kr.
    const { f, c } = pair(K, '2026-11-10', 9, { amount, feeType: 'overdue_fee' });
    const tx = txn(K, c, at('2026-11-13', 15, 0), amount);
    const p = payment(K, at('2026-11-20', 15, 1), amount, 'psp', null, c.party);
    coverage(p, c, p.booked + 2 * MIN, amount);
    feePaid(f, fbsPaidAfter(p.booked + 2 * MIN), 'debitor');
    finalizeClaim(c);
    expect('R10', K, tx, amount, 'not suggested: the booking came one minute after paid_at + 5 banking days');
    expect('R11', K, p.id, amount, 'not suggested: one minute too late for the capture');
  }
  // Near miss: amounts 0,01 kr. apart (the capture stays unbooked, its claim open).
  {
    const amount = 43_104 + step; // 431,04 kr.
    const { c } = pair(K, '2026-11-12', 11, { amount, feeType: 'overdue_fee' });
    const tx = txn(K, c, at('2026-11-17', 12, 0), amount);
    finalizeClaim(c);
    const h = pair(K, '2026-11-13', 13, { amount: amount + 1, feeType: 'overdue_fee' });
    const p = payment(K, at('2026-11-18', 6, 40), amount + 1, 'psp', null, h.c.party);
    coverage(p, h.c, p.booked + 3 * MIN, amount + 1);
    feePaid(h.f, fbsPaidAfter(p.booked + 3 * MIN), 'debitor');
    finalizeClaim(h.c);
    expect('R10', K, tx, amount, 'not suggested: the booking below is 0,01 kr. more');
    expect('R11', K, p.id, amount + 1, 'not suggested: 0,01 kr. more than the capture above');
  }

  // claim_for_fee (Odense): a fee that never reached the debtor system, and a claim there whose source_ref is the fee
  // id mistyped, same amount and debtor (written with and without the hyphen): R01 and R02 that a clerk should pair.
  const hyphened = () => {
    const p = party('adult_cpr');
    return p.includes('-') ? p : `${p.slice(0, 6)}-${p.slice(6)}`;
  };
  const fee = (iso: string, hh: number, mm: number, amount: number, debtor: string) =>
    newFee(O, at(iso, hh, mm), { amount, feeType: 'overdue_fee', patron: 'adult_cpr', party: debtor }, true);
  const claim = (t: number, principal: number, debtor: string, sourceRef: string | null) => {
    const c = newClaim(O, null, t, { principal, party: debtor, sourceRef, accountType: 'library_fees', claimType: 'overdue_fee' }, true);
    invoice(c);
    finalizeClaim(c);
    return c;
  };
  {
    const amount = 52_765 + step; // 527,65 kr.
    const debtor = hyphened();
    const f = fee('2026-11-16', 10, 5, amount, debtor);
    const c = claim(at('2026-11-17', 9, 20), amount, debtor.replace('-', ''), f.id.replace('-X', 'X'));
    expect('R01', O, f.id, amount, 'transferred under a mistyped id');
    expect('R02', O, c.id, amount, 'source_ref is the fee id without its hyphen');
    expectSuggestion('claim_for_fee', O, f.id, c.id, amount, f.created, c.received, 1, 'same debtor, one written without the hyphen');
  }
  // Near miss: the same amount, another debtor.
  {
    const amount = 61_335 + step; // 613,35 kr.
    const f = fee('2026-11-16', 11, 10, amount, hyphened());
    const c = claim(at('2026-11-16', 13, 0), amount, hyphened(), null);
    expect('R01', O, f.id, amount, 'not suggested: the claim below names another debtor');
    expect('R02', O, c.id, amount, 'not suggested: another debtor than the fee above');
  }
  // The window's end: received at created_at + 5 banking days exactly (suggested), and one minute later (not).
  {
    const amount = 70_455 + step; // 704,55 kr.
    const debtor = hyphened();
    const f = fee('2026-11-13', 11, 0, amount, debtor); // Friday
    const c = claim(f.created + 7 * DAY, amount, debtor, f.id.replace('-X', 'X'));
    const late = claim(f.created + 7 * DAY + MIN, amount, debtor, f.id.replace('-X', 'X'));
    expect('R01', O, f.id, amount, 'transferred twice by hand, the second a minute after the window');
    expect('R02', O, c.id, amount, 'at created_at + 5 banking days exactly');
    expect('R02', O, late.id, amount, 'not suggested: one minute after created_at + 5 banking days');
    expectSuggestion('claim_for_fee', O, f.id, c.id, amount, f.created, c.received, 1, 'at the end of the window (inclusive)');
  }
  // Near miss: received one minute before the fee was created.
  {
    const amount = 81_975 + step; // 819,75 kr.
    const debtor = hyphened();
    const f = fee('2026-11-17', 14, 0, amount, debtor);
    const c = claim(f.created - MIN, amount, debtor, null);
    expect('R01', O, f.id, amount, 'not suggested: the claim below came a minute before the fee');
    expect('R02', O, c.id, amount, 'not suggested: received one minute before the fee was created');
  }
}
