// xlsx writer of the export (exceljs): one sheet, a header row, amounts as numeric cells with a two-decimal format,
// everything else as text; text that a spreadsheet would run as a formula is neutralised with a leading `'`.
import ExcelJS from 'exceljs';
import { EXPORT_COLUMNS, neutraliseRow, type ExportRow } from './rows.ts';
import type { ExportFormat } from './format.ts';

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

export async function writeXlsx(rows: ExportRow[], file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'afstem';
  const ws = wb.addWorksheet('discrepancies', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = EXPORT_COLUMNS.map((c) => ({
    header: c,
    key: c,
    width: c === 'detail' || c === 'lineage' ? 60 : c === 'first_seen' || c === 'resolved_at' ? 22 : 14,
  }));
  ws.getRow(1).font = { bold: true };
  for (const raw of rows) {
    const r = neutraliseRow(raw);
    const values: Record<string, string | number | null> = { ...r };
    values.amount = r.amount === null ? null : spreadsheetValue(r.amount);
    values.age_banking_days = raw.age_banking_days === null ? null : Number(raw.age_banking_days);
    ws.addRow(values);
  }
  ws.getColumn('amount').numFmt = '#,##0.00';
  ws.getColumn('amount').alignment = { horizontal: 'right' };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_COLUMNS.length } };
  await wb.xlsx.writeFile(file);
}

export const xlsxFormat: ExportFormat = {
  name: 'xlsx',
  help: 'one sheet, amounts as numbers, formula-like text as text',
  write: (rows, file) => writeXlsx(rows, file),
};
