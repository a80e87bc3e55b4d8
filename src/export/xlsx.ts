// xlsx writer of the export, for people (FORMATS.md §8): one sheet like discrepancies.xlsx — Danish headers, Danish
// values (severity, status, state), amounts as number cells with two decimals, instants as Copenhagen date-times,
// follow-up as a date, a drop-down of the Danish statuses — in the export's columns. Text that a spreadsheet would
// run as a formula is neutralised with a leading `'` and is always a text cell. `afstem import` reads it back by its
// Danish headers (src/handling/sheet-read.ts).
import { EXPORT_COLUMNS, neutralise, type ExportRow } from './rows.ts';
import type { ExportFormat } from './format.ts';
import { writeSheet } from '../outputs/xlsx-sheet.ts';
import { danishCells, danishSheetColumns, spreadsheetValue, statusDropDown } from '../outputs/discrepancies-xlsx.ts';

export { spreadsheetValue };

/** The rows come masked (or, for the audited --unmask, whole): text is only made spreadsheet-safe. */
const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : neutralise(String(v)));

export async function writeXlsx(rows: ExportRow[], file: string): Promise<void> {
  await writeSheet(
    file,
    { sheetName: 'Afvigelser', columns: danishSheetColumns(EXPORT_COLUMNS), dropDown: statusDropDown() },
    rows.map((r) => danishCells(r, EXPORT_COLUMNS, text)),
  );
}

export const xlsxFormat: ExportFormat = {
  name: 'xlsx',
  help: 'like discrepancies.xlsx: Danish headers and values, amounts as numbers, Copenhagen times',
  write: (rows, file) => writeXlsx(rows, file),
};
