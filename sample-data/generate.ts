// Seeded, deterministic sample-data generator for afstem (FORMATS.md §1–§6, RULES.md).
//
//   node --import tsx sample-data/generate.ts [--small] [--fees N] [--out DIR] [--seed N]
//
// Writes <out>/inbox/<kommunekode>/…/<kind>_<YYYY-MM-DD>.csv, <out>/afstem.config.json and <out>/expected.json.
// The ground truth in expected.json comes from the generator's own model: background flows are built so that
// they never break a rule as of ASOF; every injected anomaly declares exactly what it makes open.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBankingDay } from '../src/calendar.ts';
import { evaluate, type ModelRows } from './verify.ts';

// ───────────────────────────── the contract's columns (FORMATS.md §2, copied so the generator follows the spec, not the loader) ─────────────────────────────

type ColType = 'text' | 'freetext' | 'enum' | 'amount' | 'amount0' | 'timestamp' | 'date';
interface ColumnDef {
  name: string;
  alias?: string;
  type: ColType;
  creation?: boolean;
}
const col = (name: string, alias: string | undefined, type: ColType, creation = false): ColumnDef => ({ name, alias, type, creation });
export const SPEC_KINDS: { kind: string; key: string; columns: ColumnDef[] }[] = [
  { kind: 'fbs_fees', key: 'fee_id', columns: [
    col('fee_id', 'mellemvaerende_id', 'text'), col('patron_type', 'laanertype', 'enum'), col('debtor_party', 'skyldner', 'text'),
    col('fee_type', 'kravtype', 'enum'), col('amount', 'beloeb', 'amount'), col('created_at', 'oprettet', 'timestamp', true),
    col('status', 'status', 'enum'), col('paid_at', 'betalt', 'timestamp'), col('payment_source', 'betalingskilde', 'enum'),
    col('cancelled_at', 'annulleret', 'timestamp'), col('reason', 'tekst', 'freetext'),
  ] },
  { kind: 'fbs_adjustments', key: 'adjustment_id', columns: [
    col('adjustment_id', 'regulering_id', 'text'), col('fee_id', 'mellemvaerende_id', 'text'), col('amount', 'beloeb', 'amount'),
    col('created_at', 'oprettet', 'timestamp', true),
  ] },
  { kind: 'debitor_claims', key: 'claim_id', columns: [
    col('claim_id', 'fordring_id', 'text'), col('source_ref', 'kilde_ref', 'text'), col('account_type', 'debitorkontotype', 'enum'),
    col('claim_type', 'fordringskravtype', 'enum'), col('debtor_party', 'skyldner', 'text'), col('principal', 'hovedstol', 'amount'),
    col('received_at', 'modtaget', 'timestamp', true), col('invoiced_at', 'faktureret', 'timestamp'), col('due_date', 'forfald', 'date'),
    col('collection_sent_at', 'inddrivelse_sendt', 'timestamp'),
  ] },
  { kind: 'debitor_adjustments', key: 'adjustment_id', columns: [
    col('adjustment_id', 'nedregulering_id', 'text'), col('claim_id', 'fordring_id', 'text'), col('amount', 'beloeb', 'amount'),
    col('registered_at', 'registreret', 'timestamp', true), col('source_ref', 'kilde_ref', 'text'),
  ] },
  { kind: 'debitor_payments', key: 'payment_id', columns: [
    col('payment_id', 'indbetaling_id', 'text'), col('channel', 'kanal', 'enum'), col('psp_txn_ref', 'psp_ref', 'text'),
    col('debtor_party', 'skyldner', 'text'), col('amount', 'beloeb', 'amount'), col('booked_at', 'bogfoert', 'timestamp', true),
    col('reversed_at', 'tilbagefoert', 'timestamp'),
  ] },
  { kind: 'debitor_coverages', key: 'coverage_id', columns: [
    col('coverage_id', 'daekning_id', 'text'), col('payment_id', 'indbetaling_id', 'text'), col('claim_id', 'fordring_id', 'text'),
    col('amount', 'beloeb', 'amount'), col('covered_at', 'daekket', 'timestamp', true), col('reversed_at', 'tilbagefoert', 'timestamp'),
  ] },
  { kind: 'psp_invoices', key: 'invoice_id', columns: [
    col('invoice_id', 'faktura_id', 'text'), col('claim_id', 'fordring_id', 'text'), col('amount', 'beloeb', 'amount'),
    col('published_at', 'publiceret', 'timestamp', true),
  ] },
  { kind: 'psp_transactions', key: 'txn_id', columns: [
    col('txn_id', 'transaktion_id', 'text'), col('claim_id', 'fordring_id', 'text'), col('method', 'metode', 'enum'),
    col('amount', 'beloeb', 'amount'), col('paid_at', 'betalt', 'timestamp', true), col('status', undefined, 'enum'),
  ] },
  { kind: 'borgerblikket_claims', key: 'claim_id', columns: [
    col('claim_id', 'fordring_id', 'text'), col('shown_outstanding', 'vist_restance', 'amount0'), col('extracted_at', 'udtrukket', 'timestamp', true),
  ] },
  { kind: 'klik_tasks', key: 'task_id', columns: [
    col('task_id', undefined, 'text'), col('title', undefined, 'text'), col('status', undefined, 'enum'), col('completed_at', undefined, 'timestamp'),
  ] },
];
const KIND_BY_NAME = new Map(SPEC_KINDS.map((k) => [k.kind, k]));

// ───────────────────────────── constants ─────────────────────────────

export const ASOF = '2026-11-27T05:00:00Z'; // 06:00 Copenhagen, Friday 27 November 2026
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

// ───────────────────────────── PRNG ─────────────────────────────

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Rng {
  next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

// ───────────────────────────── time (Europe/Copenhagen, without luxon in the hot path) ─────────────────────────────

function lastSunday0100Z(y: number, month0: number): number {
  const last = Date.UTC(y, month0 + 1, 0);
  const dow = new Date(last).getUTCDay();
  return last - dow * DAY + HOUR;
}
// The EU rule: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC.
let yr = { start: 0, end: -1, dstStart: 0, dstEnd: 0 };
function offsetMs(utc: number): number {
  if (utc < yr.start || utc >= yr.end) {
    const y = new Date(utc).getUTCFullYear();
    yr = { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1), dstStart: lastSunday0100Z(y, 2), dstEnd: lastSunday0100Z(y, 9) };
  }
  return utc >= yr.dstStart && utc < yr.dstEnd ? 2 * HOUR : HOUR;
}
/** Local (Copenhagen) day number (days since 1970-01-01) of an instant. */
function dayOf(utc: number): number {
  return Math.floor((utc + offsetMs(utc)) / DAY);
}
/** The instant of local time `minutes` after midnight on local day `day` (not used in the DST hours). */
function localAt(day: number, minutes: number): number {
  const base = day * DAY + minutes * MIN;
  if (offsetMs(base - 2 * HOUR) === 2 * HOUR) return base - 2 * HOUR;
  return base - HOUR;
}
function dayNum(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
}
const dayStrCache = new Map<number, [string, string, string]>();
/** [YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY] of a day number. */
function dayStrings(day: number): [string, string, string] {
  let r = dayStrCache.get(day);
  if (!r) {
    const iso = new Date(day * DAY).toISOString().slice(0, 10);
    const [y, m, d] = iso.split('-');
    r = [iso, `${d}-${m}-${y}`, `${d}.${m}.${y}`];
    dayStrCache.set(day, r);
  }
  return r;
}
function isoOfDay(day: number): string {
  return dayStrings(day)[0];
}
const bankingCache = new Map<number, boolean>();
function banking(day: number): boolean {
  let b = bankingCache.get(day);
  if (b === undefined) {
    b = isBankingDay(isoOfDay(day));
    bankingCache.set(day, b);
  }
  return b;
}
/** The first banking day strictly after local day `day`. */
function nextBanking(day: number): number {
  let d = day + 1;
  while (!banking(d)) d++;
  return d;
}
/** The first banking day on or after `day`. */
function bankingOnOrAfter(day: number): number {
  let d = day;
  while (!banking(d)) d++;
  return d;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

type TsForm = 'off' | 'off4' | 'z' | 'zms' | 'naive' | 'naiveT' | 'dmyDash' | 'dmyDot';
type DateForm = 'iso' | 'dmyDash' | 'dmyDot';
type AmountForm = 'dot' | 'comma' | 'dk' | 'en';

const HHMM: string[] = [];
for (let i = 0; i < 1440; i++) HHMM.push(`${p2(Math.floor(i / 60))}:${p2(i % 60)}`);
/** Formats an instant; the fast path covers whole minutes, which is all the generator makes. */
export function fmtTs(utc: number, form: TsForm): string {
  if (utc % MIN !== 0) return fmtTsSlow(utc, form);
  if (form === 'z' || form === 'zms') {
    const day = Math.floor(utc / DAY);
    return `${dayStrings(day)[0]}T${HHMM[(utc - day * DAY) / MIN]}:00${form === 'zms' ? '.000Z' : 'Z'}`;
  }
  const off = offsetMs(utc);
  const local = utc + off;
  const day = Math.floor(local / DAY);
  const hm = HHMM[(local - day * DAY) / MIN];
  const ds = dayStrings(day);
  switch (form) {
    case 'off':
      return `${ds[0]}T${hm}:00${off === 2 * HOUR ? '+02:00' : '+01:00'}`;
    case 'off4':
      return `${ds[0]}T${hm}:00${off === 2 * HOUR ? '+0200' : '+0100'}`;
    case 'naive':
      return `${ds[0]} ${hm}:00`;
    case 'naiveT':
      return `${ds[0]}T${hm}`;
    case 'dmyDash':
      return `${ds[1]} ${hm}:00`;
    case 'dmyDot':
      return `${ds[2]} ${hm}`;
  }
}
export function fmtTsSlow(utc: number, form: TsForm): string {
  if (form === 'z' || form === 'zms') {
    const s = new Date(utc).toISOString(); // 2026-11-26T09:15:00.000Z
    return form === 'zms' ? s : `${s.slice(0, 19)}Z`;
  }
  const off = offsetMs(utc);
  const d = new Date(utc + off);
  const Y = d.getUTCFullYear();
  const M = p2(d.getUTCMonth() + 1);
  const D = p2(d.getUTCDate());
  const h = p2(d.getUTCHours());
  const m = p2(d.getUTCMinutes());
  const s = p2(d.getUTCSeconds());
  switch (form) {
    case 'off':
      return `${Y}-${M}-${D}T${h}:${m}:${s}${off === 2 * HOUR ? '+02:00' : '+01:00'}`;
    case 'off4':
      return `${Y}-${M}-${D}T${h}:${m}:${s}${off === 2 * HOUR ? '+0200' : '+0100'}`;
    case 'naive':
      return `${Y}-${M}-${D} ${h}:${m}:${s}`;
    case 'naiveT':
      return `${Y}-${M}-${D}T${h}:${m}`;
    case 'dmyDash':
      return `${D}-${M}-${Y} ${h}:${m}:${s}`;
    case 'dmyDot':
      return `${D}.${M}.${Y} ${h}:${m}`;
  }
}
function fmtDate(day: number, form: DateForm): string {
  return dayStrings(day)[form === 'iso' ? 0 : form === 'dmyDash' ? 1 : 2];
}
/** Integer øre → DKK text in one of the four forms (never floating point). */
export function fmtAmount(ore: number, form: AmountForm): string {
  const neg = ore < 0;
  const a = Math.abs(ore);
  const kr = Math.floor(a / 100);
  const dec = p2(a % 100);
  let int = String(kr);
  if (form === 'dk' || form === 'en') int = int.replace(/\B(?=(\d{3})+(?!\d))/g, form === 'dk' ? '.' : ',');
  const sep = form === 'dot' || form === 'en' ? '.' : ',';
  return `${neg ? '-' : ''}${int}${sep}${dec}`;
}
const amt = (ore: number | null) => (ore === null ? null : fmtAmount(ore, 'dot'));

// ───────────────────────────── Windows-1252 ─────────────────────────────

const CP1252_EXTRA: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x201e: 0x84, 0x2026: 0x85, 0x2018: 0x91, 0x2019: 0x92,
  0x201c: 0x93, 0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97,
};
export function encodeWindows1252(s: string): Buffer {
  const out = Buffer.allocUnsafe(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) out[i] = c;
    else {
      const b = CP1252_EXTRA[c];
      if (b === undefined) throw new Error(`character U+${c.toString(16)} has no Windows-1252 byte`);
      out[i] = b;
    }
  }
  return out;
}

// ───────────────────────────── municipalities ─────────────────────────────

interface Muni {
  code: string;
  name: string;
  debtorSystem: 'kmd_opus' | 'prisme_2009' | 'prisme_2015' | 'eg_os_indsigt';
  wave: number;
  goLive: string;
  borgerblikket: boolean;
  /** Whether this generator delivers borgerblikket_claims for it. */
  bbDelivered: boolean;
  weight: number;
  // derived
  psp: boolean;
  goLiveDay: number;
}
const MUNIS_SMALL: Omit<Muni, 'psp' | 'goLiveDay'>[] = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14', borgerblikket: true, bbDelivered: true, weight: 5 },
  { code: '461', name: 'Odense', debtorSystem: 'kmd_opus', wave: 2, goLive: '2026-06-01', borgerblikket: false, bbDelivered: false, weight: 3 },
  { code: '621', name: 'Kolding', debtorSystem: 'prisme_2015', wave: 2, goLive: '2026-06-01', borgerblikket: true, bbDelivered: true, weight: 2 },
  { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 3, goLive: '2026-09-01', borgerblikket: false, bbDelivered: false, weight: 2 },
  { code: '751', name: 'Aarhus', debtorSystem: 'eg_os_indsigt', wave: 4, goLive: '2026-11-01', borgerblikket: false, bbDelivered: false, weight: 4 },
  { code: '147', name: 'Frederiksberg', debtorSystem: 'kmd_opus', wave: 4, goLive: '2026-11-01', borgerblikket: true, bbDelivered: false, weight: 1 },
];
const MUNIS_LARGE_EXTRA: Omit<Muni, 'psp' | 'goLiveDay'>[] = [
  { code: '851', name: 'Aalborg', debtorSystem: 'prisme_2015', wave: 3, goLive: '2026-09-01', borgerblikket: false, bbDelivered: false, weight: 3 },
  { code: '330', name: 'Slagelse', debtorSystem: 'eg_os_indsigt', wave: 3, goLive: '2026-09-01', borgerblikket: false, bbDelivered: false, weight: 1 },
  { code: '157', name: 'Gentofte', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14', borgerblikket: false, bbDelivered: false, weight: 1 },
  { code: '250', name: 'Frederikssund', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01', borgerblikket: false, bbDelivered: false, weight: 1 },
];

// ───────────────────────────── files and dialects ─────────────────────────────

type Cell = string | number | null;
type Row = Record<string, Cell>;

interface Dialect {
  encoding: 'utf8' | 'utf8bom' | 'windows-1252';
  delimiter: ',' | ';' | '\t';
  eol: '\r\n' | '\n';
  amount: AmountForm;
  date: DateForm;
  ts: TsForm;
  alias: 'canonical' | 'danish' | 'mixed';
  upperHeaders: boolean;
  quoteAll: boolean;
  shuffle: boolean;
  extra: string | null;
  danishTitles: boolean;
}
type DialectOverride = Partial<Dialect>;

const ACCOUNT_TITLE: Record<string, string> = {
  library_fees: 'Biblioteksgebyrer og erstatninger',
  library_fees_minor_with_oa: 'Biblioteksgebyrer og erstatninger for personer under grænsealder med økonomisk ansvarlig',
  library_fees_minor_without_oa: 'Biblioteksgebyrer og erstatninger for personer under grænsealder uden økonomisk ansvarlig',
};
const CLAIM_TYPE_TITLE: Record<string, string> = {
  overdue_fee: 'Biblioteksgebyr, overskredet lånetid',
  replacement_ack: 'Bibliotekserstatningskrav med anerkendelse eller kvittering',
  replacement_no_ack: 'Bibliotekserstatningskrav uden anerkendelse eller kvittering',
};

class Bucket {
  rel: string;
  kind: string;
  d: Dialect;
  cols: { name: string; header: string; def: ColumnDef | null }[];
  chunks: string[] = [];
  bytes = 0;
  started = false;
  line: number; // physical line where the next record starts
  rows = 0;
  shadow: Bucket | null = null;
  shadowMutate: ((r: Row) => Row) | null = null;
  constructor(rel: string, kind: string, d: Dialect, rng: Rng, drop: string[] = []) {
    this.rel = rel;
    this.kind = kind;
    this.d = d;
    const k = KIND_BY_NAME.get(kind)!;
    let cols: Bucket['cols'] = k.columns
      .filter((c) => !drop.includes(c.name))
      .map((c) => {
        let h = c.name;
        if (c.alias && (d.alias === 'danish' || (d.alias === 'mixed' && rng.chance(0.5)))) h = c.alias;
        if (d.upperHeaders) h = h.toUpperCase();
        return { name: c.name, header: h, def: c };
      });
    if (d.shuffle) cols = rng.shuffle(cols);
    if (d.extra) cols.splice(rng.int(0, cols.length), 0, { name: '__extra', header: d.extra, def: null });
    this.cols = cols;
    this.chunks.push(cols.map((c) => this.quote(c.header, false)).join(d.delimiter) + d.eol);
    this.line = 2;
  }
  quote(s: string, force: boolean): string {
    if (s === '') return s;
    const d = this.d.delimiter;
    if (force || this.d.quoteAll || s.includes(d) || s.includes('"') || s.includes('\n') || s.includes('\r')) {
      return `"${s.replace(/"/g, '""')}"`;
    }
    return s;
  }
  fmt(c: ColumnDef, v: Cell): string {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') {
      if (c.type === 'freetext') return v.replace(/\r?\n/g, this.d.eol);
      if (this.d.danishTitles && c.name === 'account_type') return ACCOUNT_TITLE[v] ?? v;
      if (this.d.danishTitles && c.name === 'claim_type') return CLAIM_TYPE_TITLE[v] ?? v;
      return v;
    }
    switch (c.type) {
      case 'amount':
      case 'amount0':
        return fmtAmount(v, this.d.amount);
      case 'timestamp':
        return fmtTs(v, this.d.ts);
      case 'date':
        return fmtDate(v, this.d.date);
      default:
        return String(v);
    }
  }
  /** Appends a record; returns the physical line where it starts. */
  push(r: Row, opts: { extraField?: boolean; extraValue?: string } = {}): number {
    const fields = this.cols.map((c) => {
      if (!c.def) return this.quote(opts.extraValue ?? '', false);
      const v = r[c.name] ?? null;
      if (typeof v === 'number' && !this.d.quoteAll && (c.def.type === 'timestamp' || c.def.type === 'date')) return this.fmt(c.def, v);
      return this.quote(this.fmt(c.def, v), false);
    });
    if (opts.extraField) fields.push('surplus');
    const text = fields.join(this.d.delimiter) + this.d.eol;
    const start = this.line;
    let nl = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) nl++;
    this.line += nl;
    this.chunks.push(text);
    this.bytes += text.length;
    this.rows++;
    if (this.shadow && this.shadowMutate) this.shadow.push(this.shadowMutate(r));
    return start;
  }
  blank(): void {
    this.chunks.push(this.d.eol);
    this.line++;
  }
  flush(root: string): void {
    if (this.chunks.length === 0) return;
    const text = this.chunks.join('');
    this.chunks = [];
    this.bytes = 0;
    const file = path.join(root, this.rel);
    let buf: Buffer = this.d.encoding === 'windows-1252' ? encodeWindows1252(text) : Buffer.from(text, 'utf8');
    if (!this.started) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (this.d.encoding === 'utf8bom') buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]);
      fs.writeFileSync(file, buf);
      this.started = true;
    } else fs.appendFileSync(file, buf);
  }
}

// ───────────────────────────── the model ─────────────────────────────

interface FeeM {
  m: Muni;
  id: string;
  patron: string;
  party: string;
  feeType: string;
  amount: number;
  created: number;
  status: 'open' | 'paid' | 'cancelled';
  paidAt: number | null;
  source: string | null;
  cancelledAt: number | null;
  reason: string | null;
}
interface ClaimM {
  m: Muni;
  id: string;
  sourceRef: string | null;
  accountType: string;
  claimType: string;
  party: string;
  principal: number;
  received: number;
  invoicedAt: number | null;
  due: number | null;
  collection: number | null;
  adjs: { t: number; amount: number }[];
  covs: { t: number; amount: number; reversed: number | null }[];
  bbOmit?: boolean;
  bbShownDelta?: number;
  bbShownAbs?: number;
}
interface PayM {
  m: Muni;
  id: string;
  channel: string;
  ref: string | null;
  party: string | null;
  amount: number;
  booked: number;
  reversed: number | null;
}

type Expect = { municipality: string; key: string; amount: string | null; note: string };

export interface GenerateOptions {
  out: string;
  fees: number;
  seed: number;
  small: boolean;
  /** Check expected.json against an independent reading of the rules over the model (default: small mode). */
  verify?: boolean;
  log?: (s: string) => void;
}

const PATRON_ACCOUNT: Record<string, string> = {
  adult_cpr: 'library_fees',
  adult_replacement_cpr: 'library_fees',
  company_cvr: 'library_fees',
  child_oa_cpr: 'library_fees_minor_with_oa',
  child_oa_replacement_cpr: 'library_fees_minor_with_oa',
  child_cpr: 'library_fees_minor_without_oa',
  child_replacement_cpr: 'library_fees_minor_without_oa',
};

const REASONS = [
  'Bog "Kongens Fald" ikke afleveret; rykket 2 gange',
  'Erstatning for beskadiget materiale:\nsider revet ud, omslag med kaffepletter',
  'Låner oplyser at <b>bogen</b> er afleveret i bogkassen – undersøges',
  'Overskredet lånetid, 3 materialer; se note i FBS',
  'Henvendelse fra låner 010203-1234 om gebyret',
  'Ærgerligt: "Ødelagt" cover; Århus filial sendte billede',
  'Mistet lydbog (Tolkien, "Ringenes Herre")\r\nerstattes med ny udgave',
  'Lånt på Hovedbiblioteket, afleveret på Østerbro bibliotek efter fristen',
  'Forælder ringede; barnet har mistet <i>2</i> bøger; "aftale om afdrag" ønsket',
  'CPR 1206781234 oplyst ved skranken — tastet forkert?',
];

export async function generate(opts: GenerateOptions): Promise<{ files: number; rows: number; bytes: number; mismatches: string[] }> {
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

  // Export dates: each export runs at 04:00 local and carries every change since the previous export.
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

  // ── buckets ──
  const buckets = new Map<string, Bucket>();
  let buffered = 0;
  let totalRows = 0;
  const relPath = (code: string, kind: string, day: number) => {
    const iso = isoOfDay(day);
    const sub = code === '101' && iso.startsWith('2026-11') ? '2026-11/' : '';
    return `${code}/${sub}${kind}_${iso}.csv`;
  };
  const PINNED: Record<string, DialectOverride> = {
    '561/debitor_payments': { encoding: 'windows-1252', delimiter: ';', amount: 'comma', date: 'dmyDash', ts: 'dmyDash' },
  };
  const forced = new Map<string, DialectOverride>();
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
    buffered = 0;
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
    buffered += b.bytes - before;
    totalRows++;
    if (buffered > 16_000_000) flushAll();
  };

  // ── forced dialect variants for the small inbox (so every listed variant surely appears) ──
  if (small) {
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
  }

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

  // ── entity helpers ──
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
      party: party(patron),
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
      party: f?.party ?? party('adult_cpr'),
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

  // ───────────── background: clean flows that break no rule as of ASOF ─────────────
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

  // ───────────── anomalies: each declares exactly what is open as of ASOF ─────────────
  const anomalies = () => {
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
  };

  anomalies();

  // ── background, day by day ──
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
    if (!small && (day - START) % 30 === 0) log(`  … ${isoOfDay(day)}: ${totalRows.toLocaleString('en')} rows`);
  }

  // ── klik tasks ──
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

  // ── bad rows, a rejected file, unknown files, a re-delivery ──
  const bad = (code: string, kind: string, iso: string, r: Row, reason: string, o: { extraField?: boolean; blankBefore?: boolean } = {}) => {
    const day = exportDays.find((d) => d >= dayNum(iso)) ?? LAST_EXPORT;
    const b = bucketFor(code, kind, day);
    if (o.blankBefore) b.blank();
    const line = b.push(r, { extraField: o.extraField, extraValue: b.d.extra ? 'B-bad' : undefined });
    rejects.push({ file: b.rel, line, reason });
  };
  const okFee = (code: string, n: number): Row => ({
    fee_id: `MV${code}-BAD${n}`,
    patron_type: 'adult_cpr',
    debtor_party: '0101901234',
    fee_type: 'overdue_fee',
    amount: 5000,
    created_at: at('2026-11-23', 10, 0),
    status: 'open',
    paid_at: null,
    payment_source: null,
    cancelled_at: null,
    reason: null,
  });
  bad('101', 'fbs_fees', '2026-11-24', { ...okFee('101', 1), amount: '12,5' }, 'bad amount (one decimal)');
  bad('101', 'fbs_fees', '2026-11-24', { ...okFee('101', 2), patron_type: null }, 'missing required patron_type');
  bad('101', 'fbs_fees', '2026-11-24', { ...okFee('101', 3), status: 'paid' }, 'status paid without paid_at');
  bad('751', 'fbs_fees', '2026-11-26', { ...okFee('751', 1), created_at: '2026-11-25' }, 'a date alone in a timestamp column', { blankBefore: true });
  bad('751', 'fbs_fees', '2026-11-26', { ...okFee('751', 2), created_at: '31.11.2026 10:00' }, 'no such date');
  bad('751', 'fbs_fees', '2026-11-26', { ...okFee('751', 3), fee_type: 'late_fee' }, 'unknown fee_type');
  const okPay = (code: string, n: number): Row => ({
    payment_id: `IB${code}-BAD${n}`,
    channel: 'bank',
    psp_txn_ref: null,
    debtor_party: null,
    amount: 10000,
    booked_at: at('2026-11-24', 6, 30),
    reversed_at: null,
  });
  bad('621', 'debitor_payments', '2026-11-25', { ...okPay('621', 1), channel: 'kontant' }, 'unknown channel');
  bad('621', 'debitor_payments', '2026-11-25', okPay('621', 2), 'wrong field count', { extraField: true });
  bad('621', 'debitor_payments', '2026-11-25', { ...okPay('621', 3), amount: null }, 'missing required amount');
  bad('561', 'debitor_claims', '2026-11-24', {
    claim_id: 'FD561-BAD1', source_ref: null, account_type: 'library_fees', claim_type: 'overdue_fee', debtor_party: '0101901234',
    principal: 5000, received_at: at('2026-11-23', 9, 0), invoiced_at: null, due_date: '2026-13-01', collection_sent_at: null,
  }, 'bad due_date');
  bad('561', 'debitor_claims', '2026-11-24', {
    claim_id: 'FD561-BAD2', source_ref: null, account_type: 'Biblioteksgebyrer for voksne', claim_type: 'overdue_fee', debtor_party: '0101901234',
    principal: 5000, received_at: at('2026-11-23', 9, 0), invoiced_at: null, due_date: null, collection_sent_at: null,
  }, 'unknown account_type');

  // A file whose header lacks a required column (published_at): rejected whole. Its rows duplicate nothing needed.
  {
    let day = dayNum('2026-11-19');
    while (exportDays.includes(day)) day++;
    const rel = relPath('461', 'psp_invoices', day);
    const b = new Bucket(rel, 'psp_invoices', chooseDialect(rel, '461', 'psp_invoices').d, new Rng(fnv1a(`${seed}:${rel}:cols`)), ['published_at']);
    for (let i = 1; i <= 3; i++) b.push({ invoice_id: `FB461-REJ${i}`, claim_id: `FD461-REJ${i}`, amount: 5000 * i });
    buckets.set(`rejected|${rel}`, b);
    rejects.push({ file: rel, line: 1, reason: 'missing required column published_at (whole file rejected)' });
  }

  // Re-delivery (set up in bucketFor): the ghost claim only the first delivery has.
  if (redo.shadow) {
    redo.shadow.push({
      claim_id: 'FD101-GHOST0001', source_ref: null, account_type: 'library_fees', claim_type: 'overdue_fee', debtor_party: '0101901234',
      principal: 99900, received_at: at('2026-11-24', 11, 0), invoiced_at: null, due_date: null, collection_sent_at: null,
    });
  }

  flushAll();
  // unknown files
  fs.mkdirSync(path.join(inbox, '999'), { recursive: true });
  fs.writeFileSync(
    path.join(inbox, '999', 'fbs_fees_2026-11-20.csv'),
    'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status\nMV999-00000001,adult_cpr,12345678,overdue_fee,50.00,2026-11-19T10:00:00Z,open\n',
  );
  fs.mkdirSync(path.join(inbox, '101'), { recursive: true });
  fs.writeFileSync(path.join(inbox, '101', 'notes.txt'), 'Husk: eksporten fra FBS kørte to gange natten til den 25.\n');
  const unknownFiles = ['999/fbs_fees_2026-11-20.csv'];
  // known not to be an export: the configuration's `ignore` lists it (FORMATS.md §6)
  const ignoredFiles = ['101/notes.txt'];
  // What the run summary's file list should say (FORMATS.md §7), from what was written.
  const rejectedRows = new Map<string, number>();
  for (const r of rejects) if (r.line > 1) rejectedRows.set(r.file, (rejectedRows.get(r.file) ?? 0) + 1);
  const fileList: { path: string; kind: string; municipality: string; exportDate: string; status: string; rowsRead: number; rowsLoaded: number; rowsRejected: number }[] = [];
  const describe = (b: Bucket, status: string) => {
    const m = /^(\d{3})\/(?:.*\/)?([a-z_]+)_(\d{4}-\d{2}-\d{2})\.csv$/.exec(b.rel)!;
    const rej = status === 'rejected' ? b.rows : (rejectedRows.get(b.rel) ?? 0);
    fileList.push({ path: b.rel, kind: m[2], municipality: m[1], exportDate: m[3], status, rowsRead: b.rows, rowsLoaded: b.rows - rej, rowsRejected: rej });
  };
  for (const [key, b] of buckets) {
    describe(b, key.startsWith('rejected|') ? 'rejected' : 'loaded');
    if (b.shadow) describe(b.shadow, 'replaced');
  }
  for (const [u, status] of [...unknownFiles.map((u) => [u, 'unknown']), ...ignoredFiles.map((u) => [u, 'ignored'])]) {
    const m = /^(\d{3})\/(?:.*\/)?(.*?)(?:_(\d{4}-\d{2}-\d{2}))?\.\w+$/.exec(u)!;
    fileList.push({ path: u, kind: m[2], municipality: m[1], exportDate: m[3] ?? '', status, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });
  }
  fileList.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));

  // ── configuration and truth ──
  const config = {
    inbox: 'inbox',
    database: small && path.resolve(outDir) === path.resolve(path.dirname(fileURLToPath(import.meta.url))) ? '../data/afstem.duckdb' : 'afstem.duckdb',
    ignore: ignoredFiles,
    municipalities: munis.map((m) => ({
      code: m.code,
      name: m.name,
      debtorSystem: m.debtorSystem,
      ...(m.code === '621' ? { paymentSolution: 'prisme_min_betalingsoversigt' } : {}),
      wave: m.wave,
      goLive: m.goLive,
      borgerblikket: m.borgerblikket,
    })),
    sla: {
      fee_to_claim: { hours: 1 },
      claim_to_payable: { businessDays: 1 },
      psp_to_debitor: { businessDays: 1 },
      debitor_to_fbs: { businessDays: 2 },
    },
    dialects: {
      '561/debitor_payments': { encoding: 'windows-1252', delimiter: ';', decimal: ',', dates: 'dmy' },
    },
  };
  fs.writeFileSync(path.join(outDir, 'afstem.config.json'), JSON.stringify(config, null, 2) + '\n');
  for (const k of Object.keys(rules)) rules[k].sort((a, b) => (a.municipality + a.key < b.municipality + b.key ? -1 : 1));
  reversals.sort((a, b) => (a.municipality + a.claim_id < b.municipality + b.claim_id ? -1 : 1));
  rejects.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  // The truth holds at ASOF and also at the default asOf (the latest creation instant in the data).
  let latestCreation = 0;
  if (verify)
    for (const byKind of model.values())
      for (const [kind, byKey] of byKind) {
        const col = KIND_BY_NAME.get(kind)!.columns.find((c) => c.creation)?.name;
        if (col) for (const r of byKey.values()) latestCreation = Math.max(latestCreation, (r[col] as number | null) ?? 0);
      }
  const expected = {
    seed,
    mode: small ? 'small' : 'large',
    asOf: ASOF,
    lastExport: new Date(CUTOFF).toISOString().replace('.000Z', 'Z'),
    latestCreation: verify ? new Date(latestCreation).toISOString().replace('.000Z', 'Z') : null,
    note: 'Per rule, the discrepancies open at asOf ({municipality, key, amount}); background data breaks no rule.',
    rules,
    reversals,
    rejects,
    unknownFiles,
    files: fileList,
    negativeDurations,
    dstAmbiguous,
    redelivery: redo.info,
  };
  fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  let files = 0;
  let bytes = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(inbox);
  const mismatches: string[] = [];
  for (const asOf of verify ? [Date.parse(ASOF), latestCreation] : []) {
    const got = evaluate(model, munis.map((m) => ({ code: m.code, debtorSystem: m.debtorSystem, psp: m.psp, goLive: m.goLive })), asOf);
    const want = new Set<string>();
    for (const [rule, list] of Object.entries(rules)) for (const e of list) want.add(`${rule} ${e.municipality} ${e.key} ${e.amount}`);
    const have = new Set(got.findings.map((f) => `${f.rule} ${f.municipality} ${f.key} ${amt(f.amount)}`));
    const when = new Date(asOf).toISOString();
    for (const x of have) if (!want.has(x)) mismatches.push(`${when}: not in expected.json: ${x}`);
    for (const x of want) if (!have.has(x)) mismatches.push(`${when}: expected but not found: ${x}`);
    const wantRev = new Set(reversals.map((r) => `${r.municipality} ${r.claim_id} ${r.coverage_ids.join(' ')} ${r.reverse_amount} ${r.reapply_amount}`));
    const haveRev = new Set(got.reversals.map((r) => `${r.municipality} ${r.claim_id} ${r.coverage_ids.join(' ')} ${amt(r.reverse_amount)} ${amt(r.reapply_amount)}`));
    for (const x of haveRev) if (!wantRev.has(x)) mismatches.push(`${when}: reversal not in expected.json: ${x}`);
    for (const x of wantRev) if (!haveRev.has(x)) mismatches.push(`${when}: reversal expected but not found: ${x}`);
  }
  return { files, rows: totalRows, bytes, mismatches };
}

function parseArgs(argv: string[]): GenerateOptions {
  const here = path.dirname(fileURLToPath(import.meta.url));
  let small = true;
  let fees = 0;
  let out: string | null = null;
  let seed = 1;
  let verify: boolean | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--small') small = true;
    else if (a === '--fees') {
      fees = Number(val());
      if (!Number.isInteger(fees) || fees <= 0) throw new Error('--fees expects a positive integer');
      small = false;
    } else if (a === '--out') out = val();
    else if (a === '--verify') verify = true;
    else if (a === '--seed') {
      seed = Number(val());
      if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed expects a non-negative integer');
    } else if (a === '--help' || a === '-h') {
      console.log('usage: node --import tsx sample-data/generate.ts [--small] [--fees N] [--out DIR] [--seed N] [--verify]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (small) fees = fees || SMALL_FEES;
  if (!small && !out) throw new Error('--fees N needs --out DIR (the committed sample stays small)');
  return { small, fees, out: out ?? here, seed, verify };
}

export const SMALL_FEES = 300;

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  let o: GenerateOptions;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const t0 = Date.now();
  generate({ ...o, log: (s) => console.log(s) }).then(
    (r) => {
      for (const x of r.mismatches) console.error(`verify: ${x}`);
      if (r.mismatches.length) process.exitCode = 1;
      console.log(
        `wrote ${r.files} files, ${r.rows.toLocaleString('en')} rows, ${(r.bytes / 1e6).toFixed(1)} MB into ${path.join(o.out, 'inbox')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
