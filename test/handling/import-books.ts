// The books the import tests share: four fees without claims in 101 (R01: F1–F4) and one in 561 (F9), recorded as
// run 1 as of 2026-11-26 12:00 UTC; case numbers S-1…S-5 in key order. test/fixtures/handling/remake.ts builds the same
// books to make the LibreOffice fixtures, so the fixtures' case numbers are these.
import ExcelJS from 'exceljs';
import { Books, fee } from '../helpers/books.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';

export const AS_OF = '2026-11-26T12:00:00Z';

export async function importBooks(file?: string): Promise<Books> {
  const b = await Books.open(AS_OF, file ? { file } : {});
  await b.add('fbs_fees',
    fee('F1', '2026-11-26 09:00:00', '125.00'), fee('F2', '2026-11-26 09:00:00', '10.50'),
    fee('F3', '2026-11-26 09:00:00', '20.00'), fee('F4', '2026-11-26 09:00:00', '30.00'),
    fee('F9', '2026-11-26 09:00:00', '7.00', { municipality: '561' }));
  await b.evaluate();
  await updateLifecycle(b.db, 1, new Date(AS_OF));
  return b;
}

/** The next night: the same books recorded again (discrepancy_states then carries the handling recorded so far). */
export async function nextNight(b: Books, runSeq: number, asOf: string): Promise<void> {
  await b.setAsOf(asOf);
  await b.evaluate();
  await updateLifecycle(b.db, runSeq, new Date(asOf));
}

/** discrepancies.xlsx's columns (1-based). */
export const COL = { status: 14, caseRef: 15, assignee: 16, note: 17, followUp: 18, handledBy: 19, handledAt: 20 } as const;

/** Edits a saved xlsx as a clerk would in Excel: cell values by row, then save (lastModifiedBy set). */
export async function editXlsx(file: string, out: string, edits: Record<number, Partial<Record<keyof typeof COL, ExcelJS.CellValue>>>, by = 'Anna Andersen'): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  for (const [row, cells] of Object.entries(edits)) {
    for (const [k, v] of Object.entries(cells)) ws.getCell(Number(row), COL[k as keyof typeof COL]).value = v as ExcelJS.CellValue;
  }
  wb.lastModifiedBy = by;
  await wb.xlsx.writeFile(out);
}

export async function handlingRows(b: Books) {
  return b.db.all(`SELECT case_ref, status, assignee, note, CAST(follow_up AS VARCHAR) AS follow_up, handled_by FROM handling ORDER BY case_ref`);
}
