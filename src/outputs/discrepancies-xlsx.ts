// discrepancies.xlsx (FORMATS.md §7, §8): the open discrepancies for Danish Excel — the columns of
// discrepancies.csv and then the handling columns, under Danish headers with Danish values (severity, status),
// amounts as number cells, instants as Copenhagen date-times, and a drop-down of the Danish statuses in the Status
// column. Text is masked and made spreadsheet-safe, and always a text cell, never a formula.
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import { ZONE } from '../calendar.ts';
import { maskText } from '../mask.ts';
import { spreadsheetValue } from '../export/xlsx.ts';
import { spreadsheetSafe } from './csv.ts';
import { sqlInstant } from './instant.ts';

/** FORMATS.md §8: the statuses and their Danish labels, in the drop-down's order. */
export const STATUS_DA: Record<string, string> = { open: 'Åben', in_progress: 'I gang', awaiting: 'Afventer', explained: 'Forklaret' };
const SEVERITY_DA: Record<string, string> = { critical: 'kritisk', warning: 'advarsel', info: 'info' };

/** [Danish header, column key, width]. */
export const XLSX_COLUMNS: [string, string, number][] = [
  ['Regel', 'rule', 8], ['Alvor', 'severity', 10], ['Kommune', 'municipality', 10], ['Gebyr', 'fee_id', 16],
  ['Fordring', 'claim_id', 16], ['Indbetaling', 'payment_id', 16], ['Transaktion', 'psp_txn_id', 16],
  ['Dækning', 'coverage_id', 16], ['Beløb', 'amount', 14], ['Beskrivelse', 'detail', 60], ['Først set', 'first_seen', 17],
  ['Opstået', 'arose_at', 17], ['Alder (bankdage)', 'age_banking_days', 10], ['Status', 'handling_status', 12],
  ['Sagsnummer', 'case_ref', 12], ['Ansvarlig', 'assignee', 16], ['Note', 'note', 40], ['Opfølgning', 'follow_up', 12],
  ['Behandlet af', 'handled_by', 16], ['Behandlet', 'handled_at', 17],
  // what may explain it (discrepancy_hints): the best suggested match's counterpart (RULES.md §6), the overdue delivery (§7)
  ['Muligt match', 'counterpart_id', 16], ['Mulig årsag', 'overdue_cause', 60],
];
const INSTANTS = new Set(['first_seen', 'arose_at', 'handled_at']);

/** An ISO UTC instant as the Copenhagen wall time, as a Date whose UTC fields are that wall time (how Excel stores one). */
function copenhagen(iso: string): Date {
  const local = DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
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

export async function writeDiscrepanciesXlsx(db: Db, file: string, municipality?: string): Promise<void> {
  const rows = await db.all<Record<string, string | number | null>>(`
    SELECT rule, severity, municipality, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
           CAST(CAST(amount AS DECIMAL(38,2)) AS VARCHAR) AS amount, detail,
           ${sqlInstant('first_seen')} AS first_seen, ${sqlInstant('arose_at')} AS arose_at, age_banking_days,
           handling_status, case_ref, counterpart_id, overdue_cause
    FROM discrepancy_states LEFT JOIN discrepancy_hints USING (municipality, rule, key_id) WHERE state IN ('new', 'persisting')${municipality ? ` AND municipality = ${lit(municipality)}` : ''}
    ORDER BY rule, municipality, key_id`);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'afstem';
  const ws = wb.addWorksheet('Afvigelser', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = XLSX_COLUMNS.map(([header, key, width]) => ({ header, key, width }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const values: Record<string, string | number | Date | null> = {};
    for (const [, key] of XLSX_COLUMNS) {
      const v = r[key];
      if (key === 'amount') values[key] = v === null ? null : amountCell(String(v));
      else if (key === 'age_banking_days') values[key] = v === null || v === undefined ? null : Number(v);
      else if (INSTANTS.has(key)) values[key] = v ? copenhagen(String(v)) : null;
      else if (key === 'severity') values[key] = SEVERITY_DA[String(v)] ?? text(v);
      else if (key === 'handling_status') values[key] = STATUS_DA[String(v ?? 'open')] ?? text(v);
      else values[key] = text(v);
    }
    ws.addRow(values);
  }
  ws.getColumn('amount').numFmt = '#,##0.00';
  for (const key of INSTANTS) ws.getColumn(key).numFmt = 'dd-mm-yyyy hh:mm';
  ws.getColumn('follow_up').numFmt = 'dd-mm-yyyy';
  const statusCol = XLSX_COLUMNS.findIndex(([, k]) => k === 'handling_status') + 1;
  const list = `"${Object.values(STATUS_DA).join(',')}"`;
  for (let i = 2; i <= Math.max(rows.length + 1, 2); i++) {
    ws.getCell(i, statusCol).dataValidation = {
      type: 'list',
      allowBlank: false,
      formulae: [list],
      showErrorMessage: true,
      errorTitle: 'Status',
      error: `Vælg en af ${Object.values(STATUS_DA).join(', ')}.`,
    };
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: XLSX_COLUMNS.length } };
  await wb.xlsx.writeFile(file);
}
