// The entities and their life: fees, claims, invoices, transactions, payments, coverages, adjustments, FBS status.
import { dayOf, localAt, banking, nextBanking, p2 } from './time.ts';
import { type Muni, type FeeM, type ClaimM, type PayM, PATRON_ACCOUNT, REASONS } from './model.ts';
import type { Context } from './context.ts';

/** The fees of FBS: the debtor party, the amount, a new fee and its rows. */
function fees(cx: Context) {
  const { small, rng, emit, nextId } = cx;
  const party = (patron: string): string => {
    if (patron === 'company_cvr') return String(rng.int(10_000_000, 99_999_999));
    const child = patron.startsWith('child');
    const repl = patron.includes('replacement');
    const day = rng.int(1, 28) + (repl ? 60 : 0);
    const yy = child ? rng.int(12, 19) : rng.int(40, 99) % 100;
    const s = `${p2(day)}${p2(rng.int(1, 12))}${p2(yy)}`;
    const seq = String(rng.int(0, 9999)).padStart(4, '0');
    return rng.chance(0.5) ? `${s}-${seq}` : `${s}${seq}`;
  };
  const feeAmount = (feeType: string): number =>
    feeType === 'overdue_fee' ? (rng.chance(0.85) ? rng.int(2, 30) * 1000 : rng.int(40, 600) * 50) : rng.int(6, 104) * 2500;
  const emitFee = (f: FeeM, t: number) =>
    emit(f.m, 'fbs_fees', t, {
      fee_id: f.id,
      patron_type: f.patron,
      debtor_party: f.party,
      fee_type: f.feeType,
      amount: f.amount,
      created_at: f.created,
      status: f.status,
      paid_at: f.paidAt,
      payment_source: f.source,
      cancelled_at: f.cancelledAt,
      reason: f.reason,
    });
  const newFee = (m: Muni, created: number, o: Partial<FeeM> = {}, anomaly = false): FeeM => {
    let patron = o.patron ?? rng.pick(['adult_cpr', 'adult_cpr', 'adult_cpr', 'adult_replacement_cpr', 'company_cvr', 'child_oa_cpr', 'child_oa_replacement_cpr', 'child_cpr', 'child_replacement_cpr'] as const);
    if (!o.patron && (m.debtorSystem === 'prisme_2009' || m.debtorSystem === 'prisme_2015') && patron.includes('replacement'))
      patron = patron.replace('_replacement', '') as typeof patron;
    const feeType = o.feeType ?? rng.pick(['overdue_fee', 'overdue_fee', 'overdue_fee', 'replacement_ack', 'replacement_no_ack'] as const);
    const f: FeeM = {
      m,
      id: nextId('MV', m.code, anomaly),
      patron,
      party: o.party ?? party(patron),
      feeType,
      amount: o.amount ?? feeAmount(feeType),
      created,
      status: 'open',
      paidAt: null,
      source: null,
      cancelledAt: null,
      reason: rng.chance(small ? 0.3 : 0.05) ? rng.pick(REASONS) : null,
    };
    emitFee(f, created);
    return f;
  };
  return { party, feeAmount, emitFee, newFee };
}

/** The claims of the debtor system and their invoices in the payment solution. */
function claims(cx: Context, prev: ReturnType<typeof fees>) {
  const { rng, CUTOFF, emit, nextId } = cx;
  const { party } = prev;
  const emitClaim = (c: ClaimM, t: number) =>
    emit(c.m, 'debitor_claims', t, {
      claim_id: c.id,
      source_ref: c.sourceRef,
      account_type: c.accountType,
      claim_type: c.claimType,
      debtor_party: c.party,
      principal: c.principal,
      received_at: c.received,
      invoiced_at: c.invoicedAt,
      due_date: c.due,
      collection_sent_at: c.collection,
    });
  const newClaim = (m: Muni, f: FeeM | null, received: number, o: Partial<ClaimM> = {}, anomaly = false): ClaimM => {
    const c: ClaimM = {
      m,
      id: nextId('FD', m.code, anomaly),
      sourceRef: o.sourceRef !== undefined ? o.sourceRef : (f?.id ?? null),
      accountType: o.accountType ?? (f ? PATRON_ACCOUNT[f.patron] : 'library_fees'),
      claimType: o.claimType ?? f?.feeType ?? 'overdue_fee',
      party: o.party ?? f?.party ?? party('adult_cpr'),
      principal: o.principal ?? f?.amount ?? 10000,
      received,
      invoicedAt: null,
      due: dayOf(received) + 30,
      collection: null,
      adjs: [],
      covs: [],
    };
    emitClaim(c, received);
    return c;
  };
  /** Invoice (psp_invoices when the municipality has a payment solution) on the first banking day after receipt. */
  const invoice = (c: ClaimM, t?: number): number => {
    const ti = t ?? localAt(nextBanking(dayOf(c.received)), rng.int(7 * 60, 9 * 60));
    if (ti > CUTOFF) return ti;
    if (c.m.psp)
      emit(c.m, 'psp_invoices', ti, { invoice_id: nextId('FB', c.m.code), claim_id: c.id, amount: c.principal, published_at: ti });
    c.invoicedAt = ti;
    emitClaim(c, ti);
    return ti;
  };
  return { emitClaim, newClaim, invoice };
}

/** Transactions in the payment solution, payments and coverages in the debtor system. */
function payments(cx: Context, prev: ReturnType<typeof fees> & ReturnType<typeof claims>) {
  const { rng, emit, nextId } = cx;
  const { party } = prev;
  const txn = (m: Muni, c: ClaimM | null, t: number, amount: number, status = 'captured'): string => {
    const id = nextId('TX', m.code);
    emit(m, 'psp_transactions', t, {
      txn_id: id,
      claim_id: c?.id ?? null,
      method: rng.pick(['mobilepay', 'mobilepay', 'card', 'subscription', 'other']),
      amount,
      paid_at: t,
      status,
    });
    return id;
  };
  const emitPayment = (p: PayM, t: number) =>
    emit(p.m, 'debitor_payments', t, {
      payment_id: p.id,
      channel: p.channel,
      psp_txn_ref: p.ref,
      debtor_party: p.party,
      amount: p.amount,
      booked_at: p.booked,
      reversed_at: p.reversed,
    });
  const payment = (m: Muni, t: number, amount: number, channel: string, ref: string | null, partyId: string | null): PayM => {
    const p: PayM = { m, id: nextId('IB', m.code), channel, ref, party: partyId, amount, booked: t, reversed: null };
    emitPayment(p, t);
    return p;
  };
  const coverage = (p: PayM, c: ClaimM, t: number, amount: number): string => {
    const id = nextId('DK', c.m.code);
    emit(c.m, 'debitor_coverages', t, { coverage_id: id, payment_id: p.id, claim_id: c.id, amount, covered_at: t, reversed_at: null });
    c.covs.push({ t, amount, reversed: null });
    return id;
  };
  return { txn, emitPayment, payment, coverage };
}

/** What happens to fees and claims later: adjustments, paid or cancelled in FBS, the claim's final state. */
function changes(cx: Context, prev: ReturnType<typeof fees> & ReturnType<typeof claims> & ReturnType<typeof payments>) {
  const { rng, bbExtracts, at, emit, nextId } = cx;
  const { emitFee } = prev;
  const fbsAdj = (f: FeeM, t: number, amount: number): string => {
    const id = nextId('RG', f.m.code);
    emit(f.m, 'fbs_adjustments', t, { adjustment_id: id, fee_id: f.id, amount, created_at: t });
    return id;
  };
  const debAdj = (c: ClaimM, t: number, amount: number, src: string | null) => {
    emit(c.m, 'debitor_adjustments', t, { adjustment_id: nextId('NR', c.m.code), claim_id: c.id, amount, registered_at: t, source_ref: src });
    c.adjs.push({ t, amount });
  };
  const feePaid = (f: FeeM, t: number, source: string) => {
    f.status = 'paid';
    f.paidAt = t;
    f.source = source;
    emitFee(f, t);
  };
  const feeCancelled = (f: FeeM, t: number) => {
    f.status = 'cancelled';
    f.cancelledAt = t;
    emitFee(f, t);
  };
  const outstandingAt = (c: ClaimM, t: number): number => {
    let adj = 0;
    for (const a of c.adjs) if (a.t <= t) adj += a.amount;
    const net = Math.max(0, c.principal - adj);
    let cov = 0;
    for (const v of c.covs) if (v.t <= t && (v.reversed === null || v.reversed > t)) cov += v.amount;
    return net - cov;
  };
  /** Writes the claim's borgerblikket rows: one per extract at which it is received and outstanding. */
  const finalizeClaim = (c: ClaimM) => {
    if (!c.m.bbDelivered || c.bbOmit) return;
    let last = -1;
    for (let i = 0; i < bbExtracts.length; i++) if (c.received < bbExtracts[i] && outstandingAt(c, bbExtracts[i]) > 0) last = i;
    for (let i = 0; i <= last; i++) {
      const e = bbExtracts[i];
      const o = outstandingAt(c, e);
      if (o <= 0 || c.received >= e) continue;
      let shown = o;
      if (i === last && c.bbShownDelta !== undefined) shown = o + c.bbShownDelta;
      if (i === last && c.bbShownAbs !== undefined) shown = c.bbShownAbs;
      emit(c.m, 'borgerblikket_claims', e, { claim_id: c.id, shown_outstanding: shown, extracted_at: e });
    }
  };
  const bookingAfter = (t: number) => localAt(nextBanking(dayOf(t)), rng.int(6 * 60, 7 * 60 + 30));
  const fbsPaidAfter = (t: number) => localAt(nextBanking(dayOf(t)), rng.int(9 * 60, 12 * 60));
  return { fbsAdj, debAdj, feePaid, feeCancelled, outstandingAt, finalizeClaim, bookingAfter, fbsPaidAfter };
}

export function createEntities(cx: Context) {
  const f = fees(cx);
  const c = { ...f, ...claims(cx, f) };
  const p = { ...c, ...payments(cx, c) };
  return { ...p, ...changes(cx, p) };
}

export type Entities = ReturnType<typeof createEntities>;
