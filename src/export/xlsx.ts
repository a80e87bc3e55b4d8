// xlsx writer of the export (exceljs, streaming): one sheet, a header row of the column codes, amounts as numeric
// cells with a two-decimal format, everything else as text; text that a spreadsheet would run as a formula is
// neutralised with a leading `'`; a drop-down of the status codes in handling_status (`afstem import` reads the
// sheet back, FORMATS.md §8).
import { EXPORT_COLUMNS, neutraliseRow, type ExportRow } from './rows.ts';
import type { ExportFormat } from './format.ts';
import { writeSheet, type SheetCell } from '../outputs/xlsx-sheet.ts';

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

/** FORMATS.md §8's status codes, in the drop-down's order. */
const STATUS_CODES = ['open', 'in_progress', 'awaiting', 'explained'];

const WIDE = new Set(['detail', 'lineage', 'note']);
const INSTANT = new Set(['first_seen', 'resolved_at', 'arose_at', 'handled_at']);

function* cells(rows: ExportRow[]): Iterable<Record<string, SheetCell>> {
  for (const raw of rows) {
    const r = neutraliseRow(raw);
    const values: Record<string, SheetCell> = { ...r };
    values.amount = r.amount === null ? null : spreadsheetValue(r.amount);
    values.age_banking_days = raw.age_banking_days === null ? null : Number(raw.age_banking_days);
    yield values;
  }
}

export async function writeXlsx(rows: ExportRow[], file: string): Promise<void> {
  await writeSheet(
    file,
    {
      sheetName: 'discrepancies',
      columns: EXPORT_COLUMNS.map((c) => ({
        header: c,
        key: c,
        width: WIDE.has(c) ? 60 : INSTANT.has(c) ? 22 : 14,
        ...(c === 'amount' ? { numFmt: '#,##0.00' } : {}),
      })),
      dropDown: { key: 'handling_status', values: STATUS_CODES, title: 'handling_status', error: `Vælg en af ${STATUS_CODES.join(', ')}.` },
    },
    cells(rows),
  );
}

export const xlsxFormat: ExportFormat = {
  name: 'xlsx',
  help: 'one sheet, amounts as numbers, formula-like text as text, a drop-down of the statuses',
  write: (rows, file) => writeXlsx(rows, file),
};
