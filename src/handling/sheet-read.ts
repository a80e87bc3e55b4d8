// Reading an edited discrepancy sheet back (FORMATS.md §8): discrepancies.xlsx, the export's xlsx, the export's csv
// and Danish Excel's `;` csv (UTF-8 with or without a BOM, UTF-16 with a BOM, or Windows-1252 as Excel's plain "CSV"
// saves it, decoded by the inbox's own decoder). Columns are found by their header, the Danish label or the column
// code alike (any case, spaces around); unknown columns are ignored. Only the cells the import needs are kept: the
// case number, the four editable cells, handled_at and the municipality. Each record carries its sheet row (the xlsx
// row number, or the line where the csv record starts). Everything is read within the limits of limits.ts: a file
// over one is a SheetLimitError naming the limit, read no further.
import fs from 'node:fs';
import { decode } from '../ingest/decode.ts';
import { COLUMN_DA } from '../vocabulary.ts';
import { danishBytes, danishInt, HANDLING_LIMITS, SheetError, SheetLimitError, type HandlingLimits } from './limits.ts';
import { readWorkbook, type SheetValue } from './xlsx-read.ts';

export { SheetError, SheetLimitError };
export type { SheetValue };

export const READ_KEYS = ['case_ref', 'handling_status', 'assignee', 'note', 'follow_up', 'handled_at', 'municipality'] as const;
export type ReadKey = (typeof READ_KEYS)[number];

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
  /** xlsx: docProps/core.xml is longer than its limit, so who last modified it is unknown. */
  corePropsCut?: boolean;
}

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

/** The file's bytes, read only when it is a regular file within the size limit (else SheetLimitError / fs errors). */
export function readFileBounded(file: string, limits: HandlingLimits = HANDLING_LIMITS): Buffer {
  const tooBig = () => new SheetLimitError(`filen er større end ${danishBytes(limits.fileBytes)} (grænsen for en fil i behandlingsmappen); den er ikke læst`);
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new SheetError('er ikke en almindelig fil');
    if (st.size > limits.fileBytes) throw tooBig();
    // read to the end, but never beyond the limit (the file may grow while it is read)
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1024 * 1024, limits.fileBytes + 1 - total));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limits.fileBytes) throw tooBig();
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

export async function readSheet(file: string, limits: HandlingLimits = HANDLING_LIMITS): Promise<ReadSheet> {
  if (!/\.(xlsx|csv)$/i.test(file)) throw new SheetError('kun .xlsx- og .csv-filer kan indlæses');
  return readSheetBytes(readFileBounded(file, limits), file, limits);
}

/** A sheet from its bytes; `name` says which kind by its ending (.xlsx or .csv). */
export function readSheetBytes(bytes: Buffer, name: string, limits: HandlingLimits = HANDLING_LIMITS): ReadSheet {
  if (bytes.length > limits.fileBytes) {
    throw new SheetLimitError(`filen er større end ${danishBytes(limits.fileBytes)} (grænsen for en fil i behandlingsmappen); den er ikke læst`);
  }
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return readXlsx(bytes, limits);
  if (lower.endsWith('.csv')) return readCsv(bytes, limits);
  throw new SheetError('kun .xlsx- og .csv-filer kan indlæses');
}

/** The error for a sheet with more data rows than the limit. */
function tooManyRows(limits: HandlingLimits): SheetLimitError {
  return new SheetLimitError(`filen har mere end ${danishInt(limits.rows)} rækker (grænsen for et ark); den er ikke læst`);
}

// ---- xlsx -------------------------------------------------------------------------------------------------------

const headerText = (v: SheetValue): string | null =>
  v.kind === 'text' || v.kind === 'other' ? v.text : v.kind === 'number' ? String(v.n) : v.kind === 'date' ? v.d.toISOString() : null;

/** The first sheet (in the workbook's order) whose first row names a Sagsnummer column, its rows mapped. */
function readXlsx(bytes: Buffer, limits: HandlingLimits): ReadSheet {
  let found: ReadSheet | null = null;
  let firstError: SheetError | null = null;
  let map: Map<number, ReadKey> | null = null;
  let current = -1;
  let records: SheetRecord[] = [];
  const { lastModifiedBy, corePropsCut } = readWorkbook(bytes, limits, (sheet, row, cells) => {
    if (sheet !== current) {
      if (found) return 'stop'; // only the first sheet with a Sagsnummer column counts
      current = sheet;
      map = null;
      records = [];
    }
    if (!map) {
      if (cells.length === 0) return 'next';
      const headers: (string | null)[] = [];
      for (const c of cells) if (c.col < 16_384) headers[c.col] = headerText(c.value);
      try {
        map = headerMap(Array.from(headers, (h) => h ?? null));
      } catch (e) {
        if (!(e instanceof SheetError)) throw e;
        firstError ??= e;
        return 'leave-sheet';
      }
      found = { format: 'xlsx', columns: [...map.values()], records, lastModifiedBy: null };
      return 'next';
    }
    const out: SheetRecord['cells'] = {};
    let any = false;
    for (const c of cells) {
      const key = map.get(c.col);
      if (key) {
        out[key] = c.value;
        any = true;
      }
    }
    if (any) {
      if (records.length >= limits.rows) throw tooManyRows(limits);
      records.push({ row, cells: out });
    }
    return 'next';
  });
  if (!found) throw firstError ?? new SheetError('filen har intet ark med en overskriftsrække');
  return { ...(found as ReadSheet), lastModifiedBy, corePropsCut };
}

// ---- csv --------------------------------------------------------------------------------------------------------

/**
 * The text of a csv file by the inbox's decoder (src/ingest/decode.ts, FORMATS.md §3): UTF-8 with or without a BOM,
 * UTF-16 with a BOM, else Windows-1252 (Excel's plain "CSV": € – “ ” are bytes 0x80–0x9F, which Latin-1 would turn
 * into control characters).
 */
export function csvFileText(buf: Buffer): string {
  const d = decode(buf);
  if (d.invalidBytes) throw new SheetError(`filen har bytes, der ikke er gyldige (${d.why})`);
  return d.text;
}

/** RFC 4180 records with the line each starts on; `"` quoting; CRLF, LF or a lone CR ends a line. */
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
        for (let k = 0; k < field.length; k++) {
          const c = field.charCodeAt(k);
          if (c === 10 || (c === 13 && field.charCodeAt(k + 1) !== 10)) line++;
        }
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
  const end = text.search(/\r?\n|\r/);
  const first = end < 0 ? text : text.slice(0, end);
  const count = (c: string) => first.split(c).length - 1;
  return count(';') > count(',') ? ';' : count('\t') > count(',') ? '\t' : ',';
}

export function readCsv(buf: Buffer, limits: HandlingLimits = HANDLING_LIMITS): ReadSheet {
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
    if (any) {
      if (records.length >= limits.rows) throw tooManyRows(limits);
      records.push({ row: line, cells });
    }
  }
  if (!map) throw new SheetError('filen er tom: den har ingen overskriftsrække');
  return { format: 'csv', columns: [...map.values()], records, lastModifiedBy: null };
}
