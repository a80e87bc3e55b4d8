// discrepancies.xlsx (FORMATS.md §7, §8): the open discrepancies for Danish Excel — the columns of
// discrepancies.csv, the handling columns, the lifecycle and lineage (as the export, FORMATS.md §8), under Danish
// headers with Danish values (severity, status, state), amounts as number cells, instants as Copenhagen date-times,
// and a drop-down of the Danish statuses in the Status column. Text is masked and made spreadsheet-safe, and always
// a text cell, never a formula. The export's xlsx and `--excel` csv (src/export/) take their Danish headers, values
// and Copenhagen times from here too, and `afstem import` (src/handling/sheet-read.ts) reads these headers back.
import { DateTime } from 'luxon';
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import { ZONE } from '../calendar.ts';
import { maskText } from '../mask.ts';
import { spreadsheetSafe } from './csv.ts';
import { sqlInstant } from '../instant.ts';
import { writeSheet, type SheetCell, type SheetColumn, type SheetSpec } from './xlsx-sheet.ts';
import { SHEET_COLUMNS } from './columns.ts';
import { SheetFile } from './sheet-file.ts';
import { COLUMN_DA, danishValue, HANDLING_STATUS_DA, HANDLING_STATUSES } from '../vocabulary.ts';

const INSTANTS = new Set(['first_seen', 'arose_at', 'handled_at', 'resolved_at']);

/** Whether a column holds an instant (written as a Copenhagen date-time for people). */
export const isInstantColumn = (key: string): boolean => INSTANTS.has(key);

/** The sheet columns (Danish header, width, number format) of the given column keys, in their order. */
export function danishSheetColumns(keys: readonly string[]): SheetColumn[] {
  return keys.map((key) => {
    const c = SHEET_COLUMNS.find((col) => col.key === key);
    if (!c) throw new Error(`no Danish header for the column ${key}`);
    return c;
  });
}

/** The drop-down of the Danish statuses over the Status column. */
export function statusDropDown(): NonNullable<SheetSpec['dropDown']> {
  const labels = HANDLING_STATUSES.map((st) => HANDLING_STATUS_DA[st]);
  return { key: 'handling_status', values: labels, title: COLUMN_DA.handling_status, error: `Vælg en af ${labels.join(', ')}.` };
}

const wallTimes = new Map<string, Date>();

/**
 * An ISO UTC instant as the Copenhagen wall time, as a Date whose UTC fields are that wall time (how Excel stores one).
 * Remembered per instant: a night's rows share few of them (first_seen is the run's asOf), and luxon is slow.
 */
function copenhagen(iso: string): Date {
  let d = wallTimes.get(iso);
  if (!d) {
    if (wallTimes.size > 100_000) wallTimes.clear();
    d = copenhagenWall(iso);
    wallTimes.set(iso, d);
  }
  return new Date(d.getTime());
}

function copenhagenWall(iso: string): Date {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO UTC instant as Copenhagen text that Danish Excel reads as a date-time, `27-11-2026 06:00:37` (to the second:
 * the import's conflict check compares handled_at to the second); null stays null.
 */
export function copenhagenText(iso: string | null): string | null {
  if (!iso) return null;
  const d = copenhagen(iso);
  return `${pad(d.getUTCDate())}-${pad(d.getUTCMonth() + 1)}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A YYYY-MM-DD date as Danish text, `03-12-2026`; anything else as it is. */
export function danishDateText(v: string | null): string | null {
  const m = v === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : v;
}

/**
 * The spreadsheet number of an exact two-decimal string. A spreadsheet cell holds an IEEE double, so this is the
 * double nearest to the decimal (JavaScript's string-to-number conversion is correctly rounded) — never the result of
 * arithmetic on doubles — and it prints back as the same decimal with two places.
 */
export function spreadsheetValue(dec: string): number {
  if (!/^-?\d{1,16}\.\d{2}$/.test(dec)) throw new Error(`not an amount with two decimals: ${dec}`);
  const n = +dec;
  if (n.toFixed(2) !== (dec.startsWith('-0.00') ? '0.00' : dec)) throw new Error(`amount ${dec} does not fit a spreadsheet number exactly`);
  return n;
}

/**
 * An amount as a number cell; an amount a spreadsheet number cannot hold exactly (beyond 15–16 significant digits)
 * as its exact decimal text instead, so no cell shows a different amount than the books.
 */
export function amountCell(dec: string): number | string {
  try {
    return spreadsheetValue(dec);
  } catch {
    return dec;
  }
}

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : spreadsheetSafe(maskText(String(v)) ?? ''));

/** A YYYY-MM-DD date as a date cell (a Date at UTC midnight, how exceljs writes a date without time). */
function dateCell(v: unknown, asText: (v: unknown) => string | null): Date | string | null {
  if (v === null || v === undefined || v === '') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : asText(v);
}

/**
 * One row as the sheet's cells in the given columns: Danish values (severity, status, state), numbers, date-times.
 * `text` makes every other cell's text (masked or, for the audited export, not; spreadsheet-safe).
 */
export function danishCells(r: Record<string, string | number | null>, keys: readonly string[], text: (v: unknown) => string | null): Record<string, SheetCell> {
  const values: Record<string, SheetCell> = {};
  for (const key of keys) {
    const v = r[key];
    if (key === 'amount') values[key] = v === null || v === undefined ? null : amountCell(String(v));
    else if (key === 'age_banking_days') values[key] = v === null || v === undefined ? null : Number(v);
    else if (INSTANTS.has(key)) values[key] = v ? copenhagen(String(v)) : null;
    else if (key === 'follow_up') values[key] = dateCell(v, text);
    else values[key] = danishValue(key, v) ?? text(v);
  }
  return values;
}

const XLSX_KEYS = SHEET_COLUMNS.map((c) => c.key);

/** One discrepancy_states row as the sheet's cells (Danish values, numbers, date-times), its text masked. */
const sheetRow = (r: Record<string, string | number | null>): Record<string, SheetCell> => danishCells(r, XLSX_KEYS, text);

/**
 * The handling columns as SQL: a database whose recorded discrepancy_states predates handling (FORMATS.md §8) has
 * none of them until its next run, and reads as nothing recorded.
 */
export async function handlingSql(db: Db): Promise<string> {
  const rows = await db.all<{ column_name: string }>(`DESCRIBE discrepancy_states`);
  const has = new Set(rows.map((r) => r.column_name));
  const col = (c: string, sql: string) => (has.has(c) ? `${sql} AS ${c}` : `NULL::VARCHAR AS ${c}`);
  return [
    col('assignee', 'assignee'), col('note', 'note'), col('follow_up', 'CAST(follow_up AS VARCHAR)'),
    col('handled_by', 'handled_by'), col('handled_at', sqlInstant('handled_at')),
  ].join(', ');
}

/** What may explain each discrepancy (the run's discrepancy_hints), or empty columns where there is no such table. */
async function hintsSql(db: Db): Promise<{ columns: string; join: string }> {
  const n = await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'discrepancy_hints'`);
  return Number(n) > 0
    ? { columns: 'counterpart_id, overdue_cause', join: 'LEFT JOIN discrepancy_hints USING (municipality, rule, key_id)' }
    : { columns: 'NULL::VARCHAR AS counterpart_id, NULL::VARCHAR AS overdue_cause', join: '' };
}

/** One open discrepancy as the cells of its sheet row, with its municipality (to write each municipality's own file). */
export interface DiscrepancySheetRow {
  municipality: string;
  cells: Record<string, SheetCell>;
}

const OPEN = `state IN ('new', 'persisting')`;

/** The query of the open discrepancies (all, or one municipality's) as the sheet reads them, in the order of discrepancies.csv. */
async function sheetSql(db: Db, municipality?: string): Promise<string> {
  const hints = await hintsSql(db);
  return `
    SELECT rule, severity, municipality, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
           CAST(CAST(amount AS DECIMAL(38,2)) AS VARCHAR) AS amount, detail,
           ${sqlInstant('first_seen')} AS first_seen, ${sqlInstant('arose_at')} AS arose_at, age_banking_days,
           handling_status, case_ref, ${await handlingSql(db)}, state, ${sqlInstant('resolved_at')} AS resolved_at, lineage,
           ${hints.columns}
    FROM discrepancy_states ${hints.join} WHERE ${OPEN}${municipality ? ` AND municipality = ${lit(municipality)}` : ''}
    ORDER BY rule, municipality, key_id`;
}

/** The open discrepancies (all, or one municipality's) as sheet rows, in the order of discrepancies.csv. */
export async function discrepancySheetRows(db: Db, municipality?: string): Promise<DiscrepancySheetRow[]> {
  const rows = await db.all<Record<string, string | number | null>>(await sheetSql(db, municipality));
  return rows.map((r) => ({ municipality: String(r.municipality), cells: sheetRow(r) }));
}

const SHEET_SPEC = (): SheetSpec => ({ sheetName: 'Afvigelser', columns: danishSheetColumns(XLSX_KEYS), dropDown: statusDropDown() });

/**
 * The whole run's discrepancies.xlsx (`all`) and each municipality's (`own`: code → file) from one query, read in
 * chunks: each row's cells are made once and written into the whole run's sheet and its municipality's as they come
 * (the workbooks' deflating runs on the thread pool meanwhile), so no list of the rows is ever held.
 */
export async function writeDiscrepancySheets(db: Db, all: string, own: ReadonlyMap<string, string>): Promise<void> {
  const sql = await sheetSql(db);
  const counts = new Map((await db.all<{ m: string; n: number }>(`SELECT municipality AS m, count(*) AS n FROM (${sql}) GROUP BY municipality`))
    .map((r) => [String(r.m), Number(r.n)]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const spec = SHEET_SPEC();
  const opened: SheetFile[] = [];
  try {
    const whole = await SheetFile.open(all, spec, total);
    opened.push(whole);
    const sheets = new Map<string, SheetFile>();
    for (const [code, file] of own) {
      const f = await SheetFile.open(file, spec, counts.get(code) ?? 0);
      opened.push(f);
      sheets.set(code, f);
    }
    for await (const chunk of db.chunks<Record<string, string | number | null>>(sql)) {
      const cells = chunk.map(sheetRow);
      const by = new Map<string, Record<string, SheetCell>[]>();
      chunk.forEach((r, i) => {
        const code = String(r.municipality);
        if (!by.has(code)) by.set(code, []);
        by.get(code)!.push(cells[i]);
      });
      await Promise.all([whole.write(cells), ...[...by].map(([code, part]) => sheets.get(code)?.write(part))]);
    }
    for (const f of opened) await f.close();
  } catch (e) {
    for (const f of opened) f.abandon();
    throw e;
  }
}

/** discrepancies.xlsx of the given rows (discrepancySheetRows: all of them, or the rows of one municipality). */
export async function writeDiscrepancySheet(file: string, rows: readonly DiscrepancySheetRow[]): Promise<void> {
  await writeSheet(file, SHEET_SPEC(), rows.map((r) => r.cells));
}

export async function writeDiscrepanciesXlsx(db: Db, file: string, municipality?: string): Promise<void> {
  await writeDiscrepancySheet(file, await discrepancySheetRows(db, municipality));
}
