// A small, independent reading of RULES.md over the generator's model rows (not over the CSV files, and not afstem):
// it guards expected.json against background data that breaks a rule by accident. Used by test/generator.test.ts.
import { DateTime } from 'luxon';
import { isBankingDay, slaDeadline, ZONE } from '../src/calendar.ts';

type Cell = string | number | null;
type Row = Record<string, Cell>;

export interface MuniInfo {
  code: string;
  debtorSystem: string;
  psp: boolean;
  goLive: string;
}

/** The latest version of every row, per municipality and kind, keyed by the kind's key. */
export type ModelRows = Map<string, Map<string, Map<string, Row>>>; // muni → kind → key → row

export interface Finding {
  rule: string;
  municipality: string;
  key: string;
  amount: number | null;
}
export interface ReversalFinding {
  municipality: string;
  claim_id: string;
  coverage_ids: string[];
  reverse_amount: number;
  reapply_amount: number;
}

export interface SuggestionFinding {
  municipality: string;
  kind: 'payment_for_transaction' | 'claim_for_fee';
  left_id: string;
  right_id: string;
  amount: number;
  /** right instant − left instant, ms (never negative). */
  apart: number;
  rank: number;
}

/** RULES.md §6 "+ 5 banking days": the same Copenhagen time of day on the 5th banking day after the local date. */
function plusBankingDays(t: number, days: number): number {
  const start = DateTime.fromMillis(t, { zone: ZONE });
  let d = start.startOf('day');
  for (let counted = 0; counted < days; ) {
    d = d.plus({ days: 1 });
    if (isBankingDay(d.toISODate()!)) counted++;
  }
  return d.set({ hour: start.hour, minute: start.minute, second: start.second, millisecond: start.millisecond }).toMillis();
}

/** Every pair of RULES.md §6, ranked per left item by the time apart, then right id. */
function pairUp(
  m: string,
  kind: SuggestionFinding['kind'],
  lefts: { id: string; amount: number; at: number; party?: string }[],
  rights: { id: string; amount: number; at: number; party?: string }[],
): SuggestionFinding[] {
  const out: SuggestionFinding[] = [];
  for (const l of lefts) {
    const end = plusBankingDays(l.at, 5);
    const found = rights
      .filter((r) => r.amount === l.amount && r.party === l.party && r.at >= l.at && r.at <= end)
      .map((r) => ({ r, apart: r.at - l.at }))
      .sort((a, b) => a.apart - b.apart || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0));
    found.forEach(({ r, apart }, i) => out.push({ municipality: m, kind, left_id: l.id, right_id: r.id, amount: l.amount, apart, rank: i + 1 }));
  }
  return out;
}

const n = (v: Cell): number | null => (v === null || v === undefined || v === '' ? null : (v as number));
const s = (v: Cell): string | null => (v === null || v === undefined || v === '' ? null : String(v));

function deadline(start: number, sla: { hours: number } | { businessDays: number }): number {
  return slaDeadline(DateTime.fromMillis(start, { zone: ZONE }), sla).toMillis();
}

export function evaluate(
  model: ModelRows,
  munis: MuniInfo[],
  asOf: number,
): { findings: Finding[]; reversals: ReversalFinding[]; suggestions: SuggestionFinding[] } {
  const findings: Finding[] = [];
  const reversals: ReversalFinding[] = [];
  const suggestions: SuggestionFinding[] = [];
  for (const m of munis) {
    const kinds = model.get(m.code) ?? new Map<string, Map<string, Row>>();
    const rows = (k: string, creation: string) =>
      [...(kinds.get(k)?.values() ?? [])].filter((r) => (n(r[creation]) ?? Infinity) <= asOf);
    const upTo = (v: Cell) => {
      const x = n(v);
      return x !== null && x <= asOf ? x : null;
    };
    const add = (rule: string, key: string, amount: number | null) => findings.push({ rule, municipality: m.code, key, amount });

    const fees = rows('fbs_fees', 'created_at');
    const feeById = new Map(fees.map((f) => [s(f.fee_id)!, f]));
    const fbsAdj = rows('fbs_adjustments', 'created_at');
    const claims = rows('debitor_claims', 'received_at');
    const debAdj = rows('debitor_adjustments', 'registered_at');
    const pays = rows('debitor_payments', 'booked_at');
    const covs = rows('debitor_coverages', 'covered_at');
    const invs = rows('psp_invoices', 'published_at');
    const txns = rows('psp_transactions', 'paid_at');
    const bb = rows('borgerblikket_claims', 'extracted_at');

    const goLiveDay = m.goLive;
    const inScope = (f: Row) => DateTime.fromMillis(n(f.created_at)!, { zone: ZONE }).toISODate()! >= goLiveDay;
    const feeState = (f: Row) => (upTo(f.paid_at) !== null ? 'paid' : upTo(f.cancelled_at) !== null ? 'cancelled' : 'open');
    const fbsAdjOf = new Map<string, Row[]>();
    for (const a of fbsAdj) fbsAdjOf.set(s(a.fee_id)!, [...(fbsAdjOf.get(s(a.fee_id)!) ?? []), a]);
    const feeNet = (f: Row) =>
      feeState(f) === 'cancelled' ? 0 : Math.max(0, n(f.amount)! - (fbsAdjOf.get(s(f.fee_id)!) ?? []).reduce((t, a) => t + n(a.amount)!, 0));
    const debAdjOf = new Map<string, Row[]>();
    for (const a of debAdj) debAdjOf.set(s(a.claim_id)!, [...(debAdjOf.get(s(a.claim_id)!) ?? []), a]);
    const covsOf = new Map<string, Row[]>();
    for (const c of covs) covsOf.set(s(c.claim_id)!, [...(covsOf.get(s(c.claim_id)!) ?? []), c]);
    const payById = new Map(pays.map((p) => [s(p.payment_id)!, p]));
    const activeAt = (r: Row, t: number) => {
      const x = n(r.reversed_at);
      return x === null || x > t;
    };
    const netAt = (c: Row, t: number) =>
      Math.max(0, n(c.principal)! - (debAdjOf.get(s(c.claim_id)!) ?? []).filter((a) => n(a.registered_at)! <= t).reduce((x, a) => x + n(a.amount)!, 0));
    const coveredAt = (c: Row, t: number) =>
      (covsOf.get(s(c.claim_id)!) ?? []).filter((v) => n(v.covered_at)! <= t && activeAt(v, t)).reduce((x, v) => x + n(v.amount)!, 0);
    const outAt = (c: Row, t: number) => netAt(c, t) - coveredAt(c, t);

    // fee ↔ claim
    const bySource = new Map<string, Row[]>();
    for (const c of claims) {
      const src = s(c.source_ref);
      if (src && feeById.has(src)) bySource.set(src, [...(bySource.get(src) ?? []), c]);
      else add('R02', s(c.claim_id)!, n(c.principal));
    }
    const theClaim = new Map<string, Row>();
    for (const [fid, cs] of bySource) {
      cs.sort((a, b) => n(a.received_at)! - n(b.received_at)! || (s(a.claim_id)! < s(b.claim_id)! ? -1 : 1));
      theClaim.set(fid, cs[0]);
      for (const d of cs.slice(1)) add('R03', s(d.claim_id)!, n(d.principal));
      const f = feeById.get(fid)!;
      const c = cs[0];
      const cid = s(c.claim_id)!;
      if (n(c.principal) !== n(f.amount)) add('R04', cid, n(c.principal)! - n(f.amount)!);
      else if (feeNet(f) !== netAt(c, asOf)) {
        const times = [
          ...(fbsAdjOf.get(fid) ?? []).map((a) => n(a.created_at)!),
          ...(debAdjOf.get(cid) ?? []).map((a) => n(a.registered_at)!),
          ...(feeState(f) === 'cancelled' ? [n(f.cancelled_at)!] : []),
        ];
        const latest = Math.max(...times);
        if (times.length && deadline(latest, { hours: 1 }) <= asOf) add('R05', cid, netAt(c, asOf) - feeNet(f));
      }
      const p = s(f.patron_type)!;
      const want = p.startsWith('adult') || p === 'company_cvr' ? 'library_fees' : p.startsWith('child_oa') ? 'library_fees_minor_with_oa' : 'library_fees_minor_without_oa';
      if (s(c.account_type) !== want || s(c.claim_type) !== s(f.fee_type)) add('R06', cid, null);
    }
    for (const f of fees) {
      if (!inScope(f)) continue;
      const fid = s(f.fee_id)!;
      const c = theClaim.get(fid);
      const st = feeState(f);
      if (st !== 'cancelled' && !c && deadline(n(f.created_at)!, { hours: 1 }) <= asOf) add('R01', fid, n(f.amount));
      if (s(f.patron_type)!.includes('replacement') && m.debtorSystem.startsWith('prisme')) add('R07', fid, n(f.amount));
      if (c && st === 'open') {
        const net = netAt(c, asOf);
        if (net > 0 && coveredAt(c, asOf) >= net) {
          const active = (covsOf.get(s(c.claim_id)!) ?? []).filter((v) => activeAt(v, asOf));
          active.sort((a, b) => n(a.covered_at)! - n(b.covered_at)! || (s(a.coverage_id)! < s(b.coverage_id)! ? -1 : 1));
          let sum = 0;
          let done = 0;
          for (const v of active) {
            sum += n(v.amount)!;
            if (sum >= net) {
              done = n(v.covered_at)!;
              break;
            }
          }
          if (deadline(done, { businessDays: 2 }) <= asOf) add('R18', fid, net);
        }
      }
      if (st === 'paid') {
        if (s(f.payment_source) === 'debitor') {
          if (!c) add('R19', fid, n(f.amount));
          else if (outAt(c, asOf) > 0) add('R19', fid, outAt(c, asOf));
        } else add('R20', fid, n(f.amount));
      }
    }
    const invoiced = new Set(invs.filter((i) => upTo(i.published_at) !== null).map((i) => s(i.claim_id)!));
    for (const c of claims) {
      const cid = s(c.claim_id)!;
      const o = outAt(c, asOf);
      if (s(c.account_type) === 'library_fees_minor_without_oa' && upTo(c.collection_sent_at) !== null) add('R08', cid, o);
      if (m.psp && o > 0 && !invoiced.has(cid) && deadline(n(c.received_at)!, { businessDays: 1 }) <= asOf) add('R09', cid, o);
      if (o < 0) {
        add('R16', cid, -o);
        const active = (covsOf.get(cid) ?? []).filter((v) => activeAt(v, asOf));
        active.sort((a, b) => n(b.covered_at)! - n(a.covered_at)! || (s(a.coverage_id)! < s(b.coverage_id)! ? 1 : -1));
        let sum = 0;
        const ids: string[] = [];
        for (const v of active) {
          if (sum >= -o) break;
          sum += n(v.amount)!;
          ids.push(s(v.coverage_id)!);
        }
        reversals.push({ municipality: m.code, claim_id: cid, coverage_ids: ids, reverse_amount: sum, reapply_amount: sum + o });
      }
    }
    // payments ↔ transactions
    const txnById = new Map(txns.map((t) => [s(t.txn_id)!, t]));
    const activePays = pays.filter((p) => activeAt(p, asOf));
    const payByRef = new Map<string, Row[]>();
    for (const p of activePays) {
      const ref = s(p.psp_txn_ref);
      if (ref && txnById.has(ref)) payByRef.set(ref, [...(payByRef.get(ref) ?? []), p]);
    }
    for (const t of txns) {
      const tid = s(t.txn_id)!;
      const ps = (payByRef.get(tid) ?? []).sort((a, b) => n(a.booked_at)! - n(b.booked_at)! || (s(a.payment_id)! < s(b.payment_id)! ? -1 : 1));
      if (ps.length) {
        if (n(ps[0].amount) !== n(t.amount)) add('R12', s(ps[0].payment_id)!, n(ps[0].amount)! - n(t.amount)!);
        for (const d of ps.slice(1)) add('R13', s(d.payment_id)!, n(d.amount));
      } else if (s(t.status) === 'captured' && deadline(n(t.paid_at)!, { businessDays: 1 }) <= asOf) add('R10', tid, n(t.amount));
    }
    const covByPay = new Map<string, number>();
    for (const v of covs) if (activeAt(v, asOf)) covByPay.set(s(v.payment_id)!, (covByPay.get(s(v.payment_id)!) ?? 0) + n(v.amount)!);
    for (const p of activePays) {
      const pid = s(p.payment_id)!;
      const ref = s(p.psp_txn_ref);
      if (txns.length && s(p.channel) === 'psp' && (!ref || !txnById.has(ref))) add('R11', pid, n(p.amount));
      const cv = covByPay.get(pid) ?? 0;
      if (cv < n(p.amount)!) add('R14', pid, n(p.amount)! - cv);
      if (cv > n(p.amount)!) add('R15', pid, cv - n(p.amount)!);
    }
    for (const v of covs) {
      const p = payById.get(s(v.payment_id)!);
      if (activeAt(v, asOf) && p && !activeAt(p, asOf)) add('R17', s(v.coverage_id)!, n(v.amount));
    }
    // suggested matches (RULES.md §6): R10's and R01's populations without their deadlines, against R11's and R02's
    const party = (v: Cell) => (s(v) ?? '').replace('-', '');
    suggestions.push(
      ...pairUp(m.code, 'payment_for_transaction',
        txns.filter((t) => s(t.status) === 'captured' && !payByRef.has(s(t.txn_id)!)).map((t) => ({ id: s(t.txn_id)!, amount: n(t.amount)!, at: n(t.paid_at)! })),
        txns.length
          ? activePays.filter((p) => s(p.channel) === 'psp' && !(s(p.psp_txn_ref) && txnById.has(s(p.psp_txn_ref)!)))
            .map((p) => ({ id: s(p.payment_id)!, amount: n(p.amount)!, at: n(p.booked_at)! }))
          : []),
      ...pairUp(m.code, 'claim_for_fee',
        fees.filter((f) => inScope(f) && feeState(f) !== 'cancelled' && !theClaim.has(s(f.fee_id)!))
          .map((f) => ({ id: s(f.fee_id)!, amount: n(f.amount)!, at: n(f.created_at)!, party: party(f.debtor_party) })),
        claims.filter((c) => !(s(c.source_ref) && feeById.has(s(c.source_ref)!)))
          .map((c) => ({ id: s(c.claim_id)!, amount: n(c.principal)!, at: n(c.received_at)!, party: party(c.debtor_party) }))),
    );
    // borgerblikket
    if (bb.length) {
      const latest = Math.max(...bb.map((r) => n(r.extracted_at)!));
      const shown = new Set(bb.map((r) => s(r.claim_id)!));
      const claimById = new Map(claims.map((c) => [s(c.claim_id)!, c]));
      for (const c of claims) {
        if (n(c.received_at)! < latest && outAt(c, latest) > 0 && !shown.has(s(c.claim_id)!)) add('R21', s(c.claim_id)!, outAt(c, latest));
      }
      for (const r of bb) {
        const c = claimById.get(s(r.claim_id)!);
        const e = n(r.extracted_at)!;
        if (c && n(c.received_at)! <= e && n(r.shown_outstanding) !== outAt(c, e)) add('R22', s(r.claim_id)!, n(r.shown_outstanding)! - outAt(c, e));
      }
    }
  }
  return { findings, reversals, suggestions };
}
