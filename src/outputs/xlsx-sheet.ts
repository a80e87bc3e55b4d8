// One sheet of rows written as an xlsx file with exceljs's streaming writer (rows go to the file as they are added,
// so 40,000 rows take a second or two, not the workbook model's many seconds): a bold, frozen header row, column
// widths and number formats, an autofilter, and one list validation (the drop-down of statuses) over a whole column
// range instead of one per cell. Used by discrepancies.xlsx and the export's xlsx.
import ExcelJS from 'exceljs';

export interface SheetColumn {
  header: string;
  key: string;
  width: number;
  /** A number format for the column's cells (amounts, date-times, dates). */
  numFmt?: string;
}

export interface SheetSpec {
  sheetName: string;
  columns: readonly SheetColumn[];
  /** A drop-down (list validation) over the column `key`, rows 2 to the last (at least row 2). */
  dropDown?: { key: string; values: readonly string[]; title: string; error: string };
}

export type SheetCell = string | number | Date | null;

/** The spreadsheet column letters of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export async function writeSheet(file: string, spec: SheetSpec, rows: Iterable<Record<string, SheetCell>>): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = 'afstem';
  const ws = wb.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ key: c.key, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const header = ws.addRow(spec.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  let n = 0;
  for (const r of rows) {
    ws.addRow(r).commit();
    n++;
  }
  if (spec.dropDown) {
    const col = spec.columns.findIndex((c) => c.key === spec.dropDown!.key) + 1;
    if (col === 0) throw new Error(`no column ${spec.dropDown.key} for the drop-down`);
    const letter = columnLetter(col);
    // the streaming writer has the workbook model's DataValidations (its typings leave it out)
    const validations = (ws as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations;
    validations.add(`${letter}2:${letter}${Math.max(n + 1, 2)}`, {
      type: 'list',
      allowBlank: false,
      formulae: [`"${spec.dropDown.values.join(',')}"`],
      showErrorMessage: true,
      errorTitle: spec.dropDown.title,
      error: spec.dropDown.error,
    });
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
  ws.commit();
  await wb.commit();
  return n;
}
