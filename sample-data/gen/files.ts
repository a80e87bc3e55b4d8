// Files and dialects: Windows-1252 encoding and the Bucket that buffers one file's rows and writes them.
import fs from 'node:fs';
import path from 'node:path';
import { type ColumnDef, KIND_BY_NAME } from './contract.ts';
import { Rng, type TsForm, type DateForm, type AmountForm, fmtTs, fmtDate, fmtAmount } from './time.ts';

// ───────────────────────────── Windows-1252 ─────────────────────────────

export const CP1252_EXTRA: Record<number, number> = {
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

// ───────────────────────────── files and dialects ─────────────────────────────

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

export interface Dialect {
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
export type DialectOverride = Partial<Dialect>;

export const ACCOUNT_TITLE: Record<string, string> = {
  library_fees: 'Biblioteksgebyrer og erstatninger',
  library_fees_minor_with_oa: 'Biblioteksgebyrer og erstatninger for personer under grænsealder med økonomisk ansvarlig',
  library_fees_minor_without_oa: 'Biblioteksgebyrer og erstatninger for personer under grænsealder uden økonomisk ansvarlig',
};
export const CLAIM_TYPE_TITLE: Record<string, string> = {
  overdue_fee: 'Biblioteksgebyr, overskredet lånetid',
  replacement_ack: 'Bibliotekserstatningskrav med anerkendelse eller kvittering',
  replacement_no_ack: 'Bibliotekserstatningskrav uden anerkendelse eller kvittering',
};

export class Bucket {
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
