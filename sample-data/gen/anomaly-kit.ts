// What the anomaly modules share: the municipalities they use and clean pairs with their payments.
import { MIN } from './time.ts';
import type { Muni, FeeM, ClaimM } from './model.ts';
import type { Context } from './context.ts';
import type { Entities } from './entities.ts';

/** The municipalities the anomalies use and three ways to make a clean pair and pay it. */
export function anomalyKit(cx: Context, ent: Entities) {
  const { rng, M, at } = cx;
  const { party, newFee, newClaim, invoice, txn, payment, coverage, bookingAfter } = ent;
    const K = M('101');
    const O = M('461');
    const KO = M('621');
    const E = M('561');
    const A = M('751');
    const F = M('147');
    // A clean matched pair with invoice, optionally overridden. Returns fee and claim.
    const pair = (m: Muni, iso: string, hh: number, fo: Partial<FeeM> = {}, co: Partial<ClaimM> = {}, withInvoice = true) => {
      const f = newFee(m, at(iso, hh, rng.int(0, 59)), fo, true);
      const c = newClaim(m, f, f.created + rng.int(3, 30) * MIN, co, true);
      if (withInvoice) invoice(c);
      return { f, c };
    };
    const pspPay = (c: ClaimM, t: number, amount: number, txnAmount = amount) => {
      const tx = txn(c.m, c, t, txnAmount);
      const tb = bookingAfter(t);
      const p = payment(c.m, tb, amount, 'psp', tx, c.party);
      const tc = tb + rng.int(1, 9) * MIN;
      const cov = coverage(p, c, tc, amount);
      return { tx, p, cov, tc };
    };
    const bankPay = (c: ClaimM, t: number, amount: number, covAmount = amount, channel = 'bank') => {
      const p = payment(c.m, t, amount, channel, null, c.party);
      const tc = t + rng.int(1, 9) * MIN;
      const cov = coverage(p, c, tc, covAmount);
      return { p, cov, tc };
    };
  return { K, O, KO, E, A, F, pair, pspPay, bankPay };
}

export type Kit = ReturnType<typeof anomalyKit>;
