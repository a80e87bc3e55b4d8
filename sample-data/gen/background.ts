// The clean background (fee → claim → invoice → capture → booking → coverage → FBS paid) and the KLIK tasks.
import { ASOF, MIN, HOUR, dayOf, localAt, dayNum, isoOfDay, bankingOnOrAfter } from './time.ts';
import type { Muni } from './model.ts';
import type { Context } from './context.ts';
import type { Entities } from './entities.ts';

/** One clean fee and everything that follows it (the background breaks no rule as of ASOF). */
export function cleanFlows(cx: Context, ent: Entities) {
  const { rng, CUTOFF } = cx;
  const { party, newFee, emitClaim, newClaim, invoice, txn, payment, coverage, fbsAdj, debAdj, feePaid, feeCancelled, finalizeClaim, bookingAfter, fbsPaidAfter } = ent;
  const cleanFee = (m: Muni, day: number) => {
    const created = localAt(day, rng.int(7 * 60, 19 * 60));
    if (day < m.goLiveDay) {
      // Out of scope: stays in FBS; no claim. Some are paid at the counter.
      const f = newFee(m, created);
      if (rng.chance(0.4)) {
        const t = localAt(day + rng.int(1, 25), rng.int(9 * 60, 17 * 60));
        if (t <= CUTOFF) feePaid(f, t, rng.pick(['manual', 'cash', 'ddb_cms', 'app']));
      } else if (rng.chance(0.1)) {
        const t = localAt(day + rng.int(1, 25), rng.int(9 * 60, 17 * 60));
        if (t <= CUTOFF) feeCancelled(f, t);
      }
      return;
    }
    const f = newFee(m, created);
    const c = newClaim(m, f, created + rng.int(2, 40) * MIN);
    const ti = invoice(c);
    if (ti > CUTOFF) return finalizeClaim(c);
    const r = rng.next();
    let net = c.principal;
    let earliestPay = ti + HOUR;
    if (r < 0.07) {
      const t = localAt(dayOf(ti) + rng.int(0, 4), rng.int(10 * 60, 16 * 60));
      if (t > CUTOFF) return finalizeClaim(c);
      feeCancelled(f, t);
      const ta = t + rng.int(5, 40) * MIN;
      debAdj(c, ta, c.principal, null);
      return finalizeClaim(c);
    }
    if (r < 0.15 && net >= 2000) {
      const t = localAt(dayOf(ti) + rng.int(0, 2), rng.int(10 * 60, 16 * 60));
      if (t > CUTOFF) return finalizeClaim(c);
      const x = Math.max(500, Math.floor((net * rng.int(20, 50)) / 100 / 100) * 100);
      const rg = fbsAdj(f, t, x);
      const ta = t + rng.int(5, 40) * MIN;
      debAdj(c, ta, x, rg);
      net -= x;
      earliestPay = ta + HOUR;
    }
    if (r < 0.72) {
      const parts = rng.chance(0.12) && net >= 2000 ? [Math.floor(net / 200) * 100, net - Math.floor(net / 200) * 100] : [net];
      let tp = localAt(dayOf(earliestPay) + rng.int(0, 8), rng.int(10 * 60, 21 * 60));
      if (tp < earliestPay) tp = earliestPay + rng.int(1, 60) * MIN;
      let lastCov = 0;
      for (let i = 0; i < parts.length; i++) {
        const a = parts[i];
        if (m.psp) {
          if (tp > CUTOFF) return finalizeClaim(c);
          if (rng.chance(0.08)) txn(m, c, tp - rng.int(2, 20) * MIN, a, 'failed');
          if (rng.chance(0.03)) txn(m, c, tp - rng.int(30, 90) * MIN, a, 'refunded');
          const tx = txn(m, c, tp, a);
          const tb = bookingAfter(tp);
          if (tb > CUTOFF) return finalizeClaim(c);
          const p = payment(m, tb, a, 'psp', tx, rng.chance(0.7) ? c.party : null);
          lastCov = tb + rng.int(1, 10) * MIN;
          coverage(p, c, lastCov, a);
        } else {
          const tb = localAt(bankingOnOrAfter(dayOf(tp) + 1), rng.int(6 * 60, 7 * 60 + 30));
          if (tb > CUTOFF) return finalizeClaim(c);
          const p = payment(m, tb, a, rng.pick(['bank', 'bank', 'giro', 'fagsystem', 'other']), null, rng.chance(0.7) ? c.party : null);
          lastCov = tb + rng.int(1, 10) * MIN;
          coverage(p, c, lastCov, a);
        }
        tp = localAt(dayOf(lastCov) + rng.int(1, 6), rng.int(10 * 60, 21 * 60));
      }
      const tf = fbsPaidAfter(lastCov);
      if (tf <= CUTOFF) feePaid(f, tf, 'debitor');
      return finalizeClaim(c);
    }
    // Open: the citizen has not paid. Old adult claims may go to collection (never the minors without ØA).
    if (c.accountType !== 'library_fees_minor_without_oa' && c.due !== null && rng.chance(0.3)) {
      const t = localAt(c.due + 14, 10 * 60);
      if (t <= CUTOFF) {
        c.collection = t;
        emitClaim(c, t);
      }
    }
    finalizeClaim(c);
  };
  return cleanFee;
}

/** The background, day by day: clean fees in proportion to each municipality's weight. */
export function background(cx: Context, ent: Entities): void {
  const { opts, log, small, rng, munis, START, END_CREATE, io } = cx;
  const cleanFee = cleanFlows(cx, ent);
  const recent = dayNum('2026-11-12');
  const wsum = munis.reduce((s, m) => s + m.weight, 0);
  const days = END_CREATE - START + 1;
  const recentDays = END_CREATE - recent + 1;
  const norm = small ? days + 5 * recentDays : days;
  for (let day = START; day <= END_CREATE; day++) {
    for (const m of munis) {
      const boost = small && day >= recent ? 6 : 1;
      const rate = (opts.fees * m.weight * boost) / (wsum * norm);
      const n = Math.floor(rate + rng.next());
      for (let i = 0; i < n; i++) cleanFee(m, day);
    }
    if (!small && (day - START) % 30 === 0) log(`  … ${isoOfDay(day)}: ${io.totalRows.toLocaleString('en')} rows`);
  }
}

/** The KLIK go-live tasks of each municipality: open before go-live, most of them done by it. */
export function klikTasks(cx: Context): void {
  const { rng, munis, START, exportFor, emit } = cx;
  const KLIK = [
    ['GB1.0', 'Abonnement på sortiment til debitorintegration'],
    ['GB2.3', 'Opsætning af debitorkontotyper og fordringskravtyper'],
    ['GB4.1', 'Test af overførsel fra FBS til debitorsystemet'],
    ['GB6', 'Åbning af Mit Overblik for fordringer (Borgerblikket)'],
    ['GB7.2', 'Aftale om betalingsløsning: MobilePay og kort'],
  ] as const;
  for (const m of munis) {
    const early = localAt(Math.max(m.goLiveDay - 40, START), 9 * 60);
    const firstExport = exportFor(early);
    for (const [id, title] of KLIK) {
      const done = !(id === 'GB6' && !m.borgerblikket) && !(id === 'GB7.2' && !m.psp) && rng.chance(0.85);
      emit(m, 'klik_tasks', early, { task_id: id, title, status: 'open', completed_at: null });
      if (done) {
        const t = localAt(m.goLiveDay - rng.int(1, 20), rng.int(9 * 60, 15 * 60));
        if (exportFor(t) !== firstExport || t > early) emit(m, 'klik_tasks', Math.max(t, early), { task_id: id, title, status: 'done', completed_at: Math.max(t, early) });
      }
    }
  }
}
