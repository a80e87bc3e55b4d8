// The columns of afstem's tabular outputs, in one place (FORMATS.md §7, §8): discrepancies.csv, the auditors' export
// (discrepancies.csv's columns, then the case and lifecycle columns), the spreadsheets for people (the export's
// columns and what may explain a discrepancy, each under its Danish header from src/vocabulary.ts) and which cells
// are numbers. A new column of discrepancies.csv is added here once (and its Danish header in the vocabulary); the
// run's CSV, the export's four formats and the spreadsheets take it from here.
import { COLUMN_DA } from '../vocabulary.ts';
import type { SheetColumn } from './xlsx-sheet.ts';

/** discrepancies.csv, in order (FORMATS.md §7). */
export const DISCREPANCY_COLUMNS = [
  'rule', 'severity', 'municipality', 'fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id', 'amount', 'detail',
  'first_seen', 'arose_at', 'age_banking_days', 'handling_status', 'case_ref',
] as const;

/** The handling columns after those of discrepancies.csv (FORMATS.md §8); handling_status is already among them. */
export const HANDLING_COLUMNS = ['assignee', 'note', 'follow_up', 'handled_by', 'handled_at'] as const;

/** The auditors' export: the columns of discrepancies.csv, the handling, then the lifecycle and lineage (FORMATS.md §8). */
export const EXPORT_COLUMNS = [...DISCREPANCY_COLUMNS, ...HANDLING_COLUMNS, 'state', 'resolved_at', 'lineage'] as const;

/** What may explain a discrepancy (the run's discrepancy_hints: RULES.md §6, §7): discrepancies.xlsx's last columns. */
export const HINT_COLUMNS = ['counterpart_id', 'overdue_cause'] as const;

/** discrepancies.xlsx's columns: the export's, then the hints (FORMATS.md §8). */
export const SHEET_KEYS = [...EXPORT_COLUMNS, ...HINT_COLUMNS] as const;
type SheetKey = (typeof SHEET_KEYS)[number];

/** Each spreadsheet column's width in characters. */
const WIDTH: Record<SheetKey, number> = {
  rule: 8, severity: 10, municipality: 10, fee_id: 16, claim_id: 16, payment_id: 16, psp_txn_id: 16, coverage_id: 16,
  amount: 14, detail: 60, first_seen: 17, arose_at: 17, age_banking_days: 10, handling_status: 12, case_ref: 12,
  assignee: 16, note: 40, follow_up: 12, handled_by: 16, handled_at: 19, state: 11, resolved_at: 17, lineage: 60,
  counterpart_id: 16, overdue_cause: 60,
};
/** Instants as Copenhagen date-times; handled_at to the second (the import's conflict check compares to the second). */
const NUM_FMT: Partial<Record<SheetKey, string>> = {
  amount: '#,##0.00', first_seen: 'dd-mm-yyyy hh:mm', arose_at: 'dd-mm-yyyy hh:mm', resolved_at: 'dd-mm-yyyy hh:mm',
  handled_at: 'dd-mm-yyyy hh:mm:ss', follow_up: 'dd-mm-yyyy',
};

/** The spreadsheets' columns, in discrepancies.xlsx's order: code, Danish header, width and number format. */
export const SHEET_COLUMNS: readonly SheetColumn[] = SHEET_KEYS.map((key) => ({ key, header: COLUMN_DA[key], width: WIDTH[key], numFmt: NUM_FMT[key] }));

/** The number cells of every CSV and xlsx output (FORMATS.md §7: amounts, *_hours, n, within_sla, …, line). */
export const NUMBER_COLUMNS: ReadonlySet<string> = new Set([
  'amount', 'excess_amount', 'reverse_amount', 'reapply_amount',
  'n', 'p50_hours', 'p90_hours', 'p99_hours', 'max_hours', 'within_sla', 'breached', 'in_flight',
  'line', 'rank', 'hours_apart', 'age_banking_days',
]);
