// Reading an edited discrepancy sheet back (FORMATS.md §8): discrepancies.xlsx, the export's xlsx, the export's csv
// and Danish Excel's `;` csv (UTF-8 BOM, or Windows-1252 as Excel's plain "CSV" saves it). Columns are found by
// their header, the Danish label or the column code alike (any case, spaces around); unknown columns are ignored.
// Only the cells the import needs are kept: the case number, the four editable cells, handled_at and the municipality.
// Each record carries its sheet row (the xlsx row number, or the line where the csv record starts).
import fs from 'node:fs';
import type ExcelJS from 'exceljs';
import { COLUMN_DA } from '../vocabulary.ts';
import { xlsxLastModifiedBy } from './zip-entry.ts';

/** The cells the import reads, by column code. */
export const READ_KEYS = ['case_ref', 'handling_status', 'assignee', 'note', 'follow_up', 'handled_at', 'municipality'] as const;
export type ReadKey = (typeof READ_KEYS)[number];

export type SheetValue =
  | { kind: 'text'; text: string }
  | { kind: 'number'; n: number }
  | { kind: 'date'; d: Date }
  | { kind: 'formula' }
  | { kind: 'other'; text: string };

export interface SheetRecord {
  /** The xlsx row number, or the csv line where the record starts. */
  row: number;
  cells: Partial<Record<ReadKey, SheetValue>>;
}

export interface ReadSheet {
  format: 'xlsx' | 'csv';
  /** The columns found (codes). */
  columns: ReadKey[];
  records: SheetRecord[];
  /** xlsx: the workbook's last-modified-by. */
  lastModifiedBy: string | null;
}

export class SheetError extends Error {}

const norm = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/\s+/g, ' ');

/** Danish label or code → code, for the columns the import reads. */
const HEADER_KEYS: Map<string, ReadKey> = (() => {
  const m = new Map<string, ReadKey>();
  for (const key of READ_KEYS) m.set(norm(COLUMN_DA[key]), key);
  for (const key of READ_KEYS) m.set(norm(key), key);
  return m;
})();

/** The header row's positions of the columns the import reads (the first column of a name wins). */
function headerMap(headers: (string | null)[]): Map<number, ReadKey> {
  const out = new Map<number, ReadKey>();
  const taken = new Set<ReadKey>();
  headers.forEach((h, i) => {
    const key = h === null ? undefined : HEADER_KEYS.get(norm(h));
    if (key && !taken.has(key)) {
      out.set(i, key);
      taken.add(key);
    }
  });
  if (!taken.has('case_ref')) {
    throw new SheetError('filen har ingen kolonne Sagsnummer (case_ref): det er ikke et ark med afvigelser fra afstem');
  }
  return out;
}

export async function readSheet(file: string): Promise<ReadSheet> {
  const lower = file.toLowerCase();
  if (lower.endsWith('.xlsx')) return readXlsx(file);
  if (lower.endsWith('.csv')) return readCsv(fs.readFileSync(file));
  throw new SheetError('kun .xlsx- og .csv-filer kan indlæses');
}

// ---- xlsx -------------------------------------------------------------------------------------------------------

function cellValue(v: unknown): SheetValue | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : { kind: 'text', text: v };
  if (typeof v === 'number') return { kind: 'number', n: v };
  if (typeof v === 'boolean') return { kind: 'other', text: String(v) };
  if (v instanceof Date) return { kind: 'date', d: v };
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) return { kind: 'formula' };
    if (Array.isArray(o.richText)) {
      const text = (o.richText as { text: string }[]).map((t) => t.text).join('');
      return text === '' ? undefined : { kind: 'text', text };
    }
    if ('text' in o && typeof o.text === 'string') return { kind: 'text', text: o.text };
    if ('error' in o) return { kind: 'other', text: String(o.error) };
  }
  return { kind: 'other', text: String(v) };
}

async function readXlsx(file: string): Promise<ReadSheet> {
  // exceljs is loaded when a workbook is read, not by every batch (its loading is a third of a second)
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let found: ReadSheet | null = null;
  let firstError: SheetError | null = null;
  try {
    for await (const ws of reader) {
      // every sheet's rows are read to the end (the zip streams on), but only the first sheet with a Sagsnummer
      // column counts
      let map: Map<number, ReadKey> | null = null;
      let skip = found !== null;
      const records: SheetRecord[] = [];
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        if (skip) continue;
        const values = row.values as unknown[];
        if (!map) {
          try {
            map = headerMap(values.slice(1).map((v) => (typeof v === 'string' ? v : v === null || v === undefined ? null : String(v))));
          } catch (e) {
            if (!(e instanceof SheetError)) throw e;
            firstError ??= e;
            skip = true;
          }
          continue;
        }
        const cells: SheetRecord['cells'] = {};
        let any = false;
        for (const [i, key] of map) {
          const cv = cellValue(values[i + 1]);
          if (cv) {
            cells[key] = cv;
            any = true;
          }
        }
        if (any) records.push({ row: row.number, cells });
      }
      if (map && !found) found = { format: 'xlsx', columns: [...map.values()], records, lastModifiedBy: null };
    }
  } catch (e) {
    if (e instanceof SheetError) throw e;
    throw new SheetError(`filen kan ikke læses som xlsx: ${(e as Error).message}`);
  }
  if (!found) throw firstError ?? new SheetError('filen har intet ark med en overskriftsrække');
  found.lastModifiedBy = xlsxLastModifiedBy(file);
  return found;
}

// ---- csv --------------------------------------------------------------------------------------------------------

/** The text of a csv file: UTF-8 (with or without a BOM), else Windows-1252 (Excel's plain "CSV"). */
export function csvFileText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('windows-1252').decode(buf);
  }
}

/** RFC 4180 records with the line each starts on; `"` quoting, CRLF or LF line ends. */
export function* csvRecords(text: string, delimiter: string): Generator<{ line: number; fields: string[] }> {
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            field += text.slice(i);
            i = n;
            break;
          }
          field += text.slice(i, q);
          i = q + 1;
          if (text[i] === '"') {
            field += '"';
            i++;
          } else break;
        }
        for (const ch of field) if (ch === '\n') line++;
        // anything after the closing quote up to the delimiter is kept as it is
        while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      } else {
        let j = i;
        while (j < n && text[j] !== delimiter && text[j] !== '\n' && text[j] !== '\r') j++;
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    yield { line: start, fields };
  }
}

/** `;` when the header line has more semicolons than commas (Danish Excel), else `,`. */
function detectDelimiter(text: string): string {
  const end = text.search(/\r?\n/);
  const first = end < 0 ? text : text.slice(0, end);
  const count = (c: string) => first.split(c).length - 1;
  return count(';') > count(',') ? ';' : count('\t') > count(',') ? '\t' : ',';
}

export function readCsv(buf: Buffer): ReadSheet {
  const text = csvFileText(buf).replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(text);
  let map: Map<number, ReadKey> | null = null;
  const records: SheetRecord[] = [];
  for (const { line, fields } of csvRecords(text, delimiter)) {
    if (!map) {
      map = headerMap(fields);
      continue;
    }
    const cells: SheetRecord['cells'] = {};
    let any = false;
    for (const [i, key] of map) {
      const f = fields[i];
      if (f === undefined || f === '') continue;
      // a csv holds no formulas: a cell that begins with = (not neutralised with ') is one a spreadsheet would run
      cells[key] = f.startsWith('=') ? { kind: 'formula' } : { kind: 'text', text: f };
      any = true;
    }
    if (any) records.push({ row: line, cells });
  }
  if (!map) throw new SheetError('filen er tom: den har ingen overskriftsrække');
  return { format: 'csv', columns: [...map.values()], records, lastModifiedBy: null };
}
