// The state of one generation: export days, the files (buckets) and their dialects, emitting a row, ids, and the
// ground truth being collected.
import fs from 'node:fs';
import path from 'node:path';
import type { ModelRows } from '../verify.ts';
import { KIND_BY_NAME } from './contract.ts';
import { fnv1a, Rng, localAt, dayNum, isoOfDay, p2, amt, hoursApart } from './time.ts';
import { type Muni, MUNIS_SMALL, MUNIS_LARGE_EXTRA, type Expect, type ExpectSuggestion, type GenerateOptions } from './model.ts';
import { type Row, type Dialect, type DialectOverride, Bucket } from './files.ts';

/** The export schedule: each export runs at 04:00 local and carries every change since the previous export. */
function schedule(opts: GenerateOptions, munis: Muni[]) {
  const small = opts.small;
  const LAST_EXPORT = dayNum('2026-11-27');
  const START = dayNum(small ? '2026-03-16' : '2026-01-05');
  const END_CREATE = dayNum('2026-11-26');
  let exportDays: number[];
  if (small) {
    exportDays = ['2026-06-01', '2026-09-01', '2026-11-02', '2026-11-20', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'].map(dayNum);
  } else {
    // About 60k fee rows (≈ 1.5 versions a fee) in the busiest municipality's file.
    const wmax = Math.max(...munis.map((m) => m.weight));
    const wall = munis.reduce((t, m) => t + m.weight, 0);
    const n = Math.max(4, Math.min(300, Math.ceil((opts.fees * 1.5 * wmax) / wall / 60_000)));
    const step = Math.max(1, Math.floor((LAST_EXPORT - START) / n));
    exportDays = [];
    for (let d = LAST_EXPORT; d > START && exportDays.length < n; d -= step) exportDays.push(d);
    exportDays.reverse();
  }
  const exportInstants = exportDays.map((d) => localAt(d, 4 * 60));
  const CUTOFF = exportInstants[exportInstants.length - 1];
  const bbExtracts = (small ? exportDays.filter((d) => d >= dayNum('2026-11-02') && d !== dayNum('2026-11-25')) : exportDays.slice(-1)).map((d) =>
    localAt(d, 3 * 60),
  );
  /** A day and minute of local time as an instant. */
  const at = (iso: string, hh: number, mm = 0) => localAt(dayNum(iso), hh * 60 + mm);
  const exportFor = (t: number): number => {
    let lo = 0;
    let hi = exportInstants.length - 1;
    if (t > exportInstants[hi]) throw new Error(`event after the last export: ${new Date(t).toISOString()}`);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (exportInstants[mid] >= t) hi = mid;
      else lo = mid + 1;
    }
    return exportDays[lo];
  };

  return { LAST_EXPORT, START, END_CREATE, exportDays, exportInstants, CUTOFF, bbExtracts, at, exportFor };
}

/** Dialect variants forced in the small inbox, so that every listed variant surely appears. */
function forcedDialects(small: boolean): Map<string, DialectOverride> {
  const forced = new Map<string, DialectOverride>();
  if (!small) return forced;
  forced.set('101/2026-11/fbs_fees_2026-11-24.csv', { encoding: 'utf8bom', delimiter: ';', eol: '\r\n', amount: 'dk', ts: 'dmyDash', alias: 'danish', quoteAll: false });
  forced.set('561/fbs_fees_2026-11-20.csv', { encoding: 'windows-1252', delimiter: '\t', eol: '\r\n', amount: 'comma', ts: 'dmyDot', alias: 'canonical' });
  forced.set('621/fbs_fees_2026-11-24.csv', { encoding: 'utf8', delimiter: ',', eol: '\n', amount: 'en', ts: 'off4', quoteAll: true, shuffle: true });
  forced.set('751/fbs_fees_2026-11-26.csv', { encoding: 'utf8', delimiter: ',', eol: '\n', amount: 'dot', ts: 'zms', extra: 'export_batch' });
  forced.set('621/debitor_claims_2026-11-24.csv', { danishTitles: true, alias: 'danish', date: 'dmyDot', ts: 'naiveT', encoding: 'windows-1252' });
  forced.set('101/2026-11/debitor_claims_2026-11-24.csv', { danishTitles: true, alias: 'mixed', date: 'dmyDash', ts: 'off', delimiter: '\t' });
  forced.set('461/fbs_fees_2026-11-20.csv', { ts: 'naive', amount: 'dot', delimiter: ',', encoding: 'utf8', eol: '\r\n' });
  forced.set('101/fbs_fees_2026-06-01.csv', { ts: 'z' });
  forced.set('461/fbs_fees_2026-11-02.csv', { ts: 'naive' });
  forced.set('461/debitor_claims_2026-11-02.csv', { ts: 'naiveT' });
  forced.set('101/2026-11/psp_transactions_2026-11-24.csv', { ts: 'off', amount: 'dot' });
  return forced;
}

/** Each file's dialect, drawn from the seed and its path (then the forced and pinned overrides). */
function dialectChooser(seed: number, forced: Map<string, DialectOverride>) {
  const PINNED: Record<string, DialectOverride> = {
    '561/debitor_payments': { encoding: 'windows-1252', delimiter: ';', amount: 'comma', date: 'dmyDash', ts: 'dmyDash' },
  };
  const chooseDialect = (rel: string, code: string, kind: string): { d: Dialect; r: Rng } => {
    const r = new Rng(fnv1a(`${seed}:${rel}`));
    const d: Dialect = {
      encoding: r.pick(['utf8', 'utf8', 'utf8bom', 'windows-1252'] as const),
      delimiter: r.pick([',', ';', ';', '\t'] as const),
      eol: r.pick(['\r\n', '\n'] as const),
      amount: r.pick(['dot', 'comma', 'dk', 'en'] as const),
      date: r.pick(['iso', 'dmyDash', 'dmyDot'] as const),
      ts: r.pick(['off', 'off4', 'z', 'zms', 'naive', 'naiveT', 'dmyDash', 'dmyDot'] as const),
      alias: r.pick(['canonical', 'canonical', 'danish', 'mixed'] as const),
      upperHeaders: r.chance(0.15),
      quoteAll: r.chance(0.2),
      shuffle: r.chance(0.35),
      extra: r.chance(0.12) ? r.pick(['export_batch', 'system_note', 'Sagsbehandler']) : null,
      danishTitles: kind === 'debitor_claims' && r.chance(0.4),
    };
    // A decimal comma in a comma-delimited file is quoted by the writer; keep it rare anyway.
    if (d.delimiter === ',' && (d.amount === 'comma' || d.amount === 'dk') && r.chance(0.7)) d.amount = r.pick(['dot', 'en'] as const);
    Object.assign(d, forced.get(rel) ?? {}, PINNED[`${code}/${kind}`] ?? {});
    return { d, r };
  };
  return chooseDialect;
}

/** The files being written (one bucket per municipality, kind and export day) and emitting a row into them. */
function writer(opts: GenerateOptions, seed: number, inbox: string, sched: ReturnType<typeof schedule>) {
  const small = opts.small;
  const { at, exportFor } = sched;
  const chooseDialect = dialectChooser(seed, forcedDialects(small));
  const buckets = new Map<string, Bucket>();
  /** Bytes io.buffered since the last flush and rows written. */
  const io = { buffered: 0, totalRows: 0 };
  const relPath = (code: string, kind: string, day: number) => {
    const iso = isoOfDay(day);
    const sub = code === '101' && iso.startsWith('2026-11') ? '2026-11/' : '';
    return `${code}/${sub}${kind}_${iso}.csv`;
  };
  const redeliveryKey = `101|debitor_claims|${exportFor(at('2026-11-24', 12, 0))}`;
  const redo: { shadow: Bucket | null; info: { first: string; second: string } | null } = { shadow: null, info: null };
  const bucketFor = (code: string, kind: string, day: number): Bucket => {
    const key = `${code}|${kind}|${day}`;
    let b = buckets.get(key);
    if (!b) {
      const rel = relPath(code, kind, day);
      if (key === redeliveryKey) {
        // Two deliveries of one identity: the first in path order differs (one principal changed, a ghost claim);
        // the second, in a sub-folder that sorts later, carries the model.
        const newRel = rel.replace(/([^/]+)$/, 'resend/$1');
        const nd = chooseDialect(newRel, code, kind);
        b = new Bucket(newRel, kind, nd.d, nd.r);
        const od = chooseDialect(rel, code, kind);
        const shadow = new Bucket(rel, kind, od.d, od.r);
        let first = true;
        b.shadow = shadow;
        b.shadowMutate = (r) => {
          if (!first) return r;
          first = false;
          return { ...r, principal: (r.principal as number) + 10000 };
        };
        redo.shadow = shadow;
        redo.info = { first: rel, second: newRel };
      } else {
        const { d, r } = chooseDialect(rel, code, kind);
        b = new Bucket(rel, kind, d, r);
      }
      buckets.set(key, b);
    }
    return b;
  };
  const flushAll = () => {
    for (const b of buckets.values()) {
      b.flush(inbox);
      if (b.shadow) b.shadow.flush(inbox);
    }
    io.buffered = 0;
  };
  const verify = opts.verify ?? small;
  const model: ModelRows = new Map();
  const NO_OPTS = {};
  const emit = (m: Muni, kind: string, t: number, r: Row): void => {
    if (verify) {
      let byKind = model.get(m.code);
      if (!byKind) model.set(m.code, (byKind = new Map()));
      let byKey = byKind.get(kind);
      if (!byKey) byKind.set(kind, (byKey = new Map()));
      byKey.set(String(r[KIND_BY_NAME.get(kind)!.key]), r);
    }
    const b = bucketFor(m.code, kind, exportFor(t));
    const before = b.bytes;
    b.push(r, b.d.extra ? { extraValue: `B${b.rel.slice(-14, -4).replace(/-/g, '')}` } : NO_OPTS);
    io.buffered += b.bytes - before;
    io.totalRows++;
    if (io.buffered > 16_000_000) flushAll();
  };

  return { buckets, io, relPath, chooseDialect, redo, bucketFor, flushAll, verify, model, emit };
}

/** Ids and the ground truth being collected. */
function truth() {
  // ── ids ──
  const counters = new Map<string, number>();
  const nextId = (prefix: string, code: string, anomaly = false): string => {
    const k = `${prefix}${code}${anomaly ? 'X' : ''}`;
    const n = (counters.get(k) ?? 0) + 1;
    counters.set(k, n);
    return anomaly ? `${prefix}${code}-X${String(n).padStart(4, '0')}` : `${prefix}${code}-${String(n).padStart(8, '0')}`;
  };

  // ── expected ──
  const rules: Record<string, Expect[]> = {};
  for (let i = 1; i <= 22; i++) rules[`R${p2(i)}`] = [];
  const expect = (rule: string, m: Muni, key: string, amountOre: number | null, note: string) =>
    rules[rule].push({ municipality: m.code, key, amount: amt(amountOre), note });
  const reversals: { municipality: string; claim_id: string; fee_id: string; coverage_ids: string[]; payment_ids: string[]; reverse_amount: string; reapply_amount: string; excess_amount: string }[] = [];
  const rejects: { file: string; line: number; reason: string }[] = [];
  const negativeDurations: { municipality: string; stage: string; id: string; hours: string }[] = [];
  const dstAmbiguous: { municipality: string; fee_id: string; claim_id: string; created_at: string; received_at: string }[] = [];
  const suggestions: ExpectSuggestion[] = [];
  /** Declares a suggested match: the right instant `rightAt` lies `hours_apart` after the left one `leftAt`. */
  const expectSuggestion = (kind: ExpectSuggestion['kind'], m: Muni, left: string, right: string, amountOre: number, leftAt: number, rightAt: number, rank: number, note: string) =>
    suggestions.push({ municipality: m.code, kind, left_id: left, right_id: right, amount: amt(amountOre)!, hours_apart: hoursApart(rightAt - leftAt), rank, note });
  return { counters, nextId, rules, expect, reversals, rejects, negativeDurations, dstAmbiguous, suggestions, expectSuggestion };
}

export function createContext(opts: GenerateOptions) {
  const log = opts.log ?? (() => {});
  const small = opts.small;
  const seed = opts.seed >>> 0;
  const rng = new Rng(seed ^ 0x5eed);
  const outDir = path.resolve(opts.out);
  const inbox = path.join(outDir, 'inbox');
  fs.rmSync(inbox, { recursive: true, force: true });
  fs.mkdirSync(inbox, { recursive: true });

  const munis: Muni[] = (small ? MUNIS_SMALL : [...MUNIS_SMALL, ...MUNIS_LARGE_EXTRA]).map((m) => ({
    ...m,
    psp: m.debtorSystem === 'kmd_opus' || m.debtorSystem === 'prisme_2015',
    goLiveDay: dayNum(m.goLive),
  }));
  const M = (code: string) => munis.find((m) => m.code === code)!;

  const sched = schedule(opts, munis);
  return { opts, log, small, seed, rng, outDir, inbox, munis, M, ...sched, ...writer(opts, seed, inbox, sched), ...truth() };
}

export type Context = ReturnType<typeof createContext>;
