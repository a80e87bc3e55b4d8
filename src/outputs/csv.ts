// The one CSV writer of every CSV output (FORMATS.md §7): RFC 4180 quoting (a field is quoted when it holds the
// delimiter, a quote or a line break), CRLF line ends, a header row. Options for the auditors' Excel dialect
// (`;`, a UTF-8 BOM, decimal comma). Every text cell is CPR-masked (FORMATS.md §5, unless `mask: false`) and then made
// spreadsheet-safe: one that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
// Number cells (the columns named in `numberColumns` holding a plain number, or a JavaScript number) are written as
// they are, so `-12.50` stays a number.
import fs from 'node:fs';
import { maskText } from '../mask.ts';

export type Cell = string | number | bigint | null | undefined;

export interface CsvOptions {
  /** Default `,`. */
  delimiter?: string;
  /** A UTF-8 byte order mark first (Danish Excel). */
  bom?: boolean;
  /** Decimal comma in number cells (`-12,50`). */
  decimalComma?: boolean;
  /** The columns whose cells are numbers (amounts, hours, counts, line numbers). */
  numberColumns?: Iterable<string>;
  /** CPR-mask text cells (default true); only the audited `--unmask` export turns it off. */
  mask?: boolean;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A text cell a spreadsheet would run as a formula gets a leading `'` (a reader strips one `'` before these), and so
 * does one that already begins with `'` and then such a character, so that reading strips the added one alone: `'=x`
 * is written `''=x` and comes back `'=x`.
 */
export function spreadsheetSafe(text: string): string {
  return /^'*[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Whether a value is written as a number cell. */
export function isNumberCell(v: Cell, numberColumn: boolean): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  return numberColumn && typeof v === 'string' && PLAIN_NUMBER.test(v);
}

/** One cell as text before quoting: masked and made safe unless it is a number. */
export function cellText(v: Cell, numberColumn: boolean, opts: CsvOptions = {}): string {
  if (v === null || v === undefined) return '';
  if (isNumberCell(v, numberColumn)) {
    const s = String(v);
    return opts.decimalComma ? s.replace('.', ',') : s;
  }
  const s = String(v);
  return spreadsheetSafe(opts.mask === false ? s : (maskText(s) ?? ''));
}

export function quoteField(s: string, delimiter: string): string {
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[], opts: CsvOptions = {}): string {
  const d = opts.delimiter ?? ',';
  const numbers = new Set(opts.numberColumns ?? []);
  const isNum = header.map((h) => numbers.has(h));
  const lines = [header.map((h) => quoteField(h, d)).join(d)];
  for (const r of rows) lines.push(r.map((v, i) => quoteField(cellText(v, isNum[i] ?? false, opts), d)).join(d));
  return (opts.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}

/**
 * A CSV file written as its rows come (chunk by chunk from DuckDB), byte for byte what writeCsv writes of them all:
 * the header at open, each row ended by CRLF.
 */
export class CsvFile {
  private readonly fd: number;
  private readonly d: string;
  private readonly isNum: boolean[];
  constructor(file: string, header: readonly string[], private readonly opts: CsvOptions = {}) {
    this.d = opts.delimiter ?? ',';
    const numbers = new Set(opts.numberColumns ?? []);
    this.isNum = header.map((h) => numbers.has(h));
    this.fd = fs.openSync(file, 'w');
    fs.writeSync(this.fd, (opts.bom ? '\uFEFF' : '') + header.map((h) => quoteField(h, this.d)).join(this.d) + '\r\n', null, 'utf8');
  }

  write(rows: readonly (readonly Cell[])[]): void {
    if (!rows.length) return;
    let text = '';
    for (const r of rows) text += r.map((v, i) => quoteField(cellText(v, this.isNum[i] ?? false, this.opts), this.d)).join(this.d) + '\r\n';
    fs.writeSync(this.fd, text, null, 'utf8');
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

export function writeCsv(file: string, header: readonly string[], rows: readonly (readonly Cell[])[], opts: CsvOptions = {}): void {
  fs.writeFileSync(file, csvText(header, rows, opts), 'utf8');
}
