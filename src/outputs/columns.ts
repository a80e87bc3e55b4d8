// The columns of afstem's tabular outputs, in one place (FORMATS.md §7, §8): discrepancies.csv, the auditors' export
// (discrepancies.csv's columns, then the case and lifecycle columns) and which cells are numbers. A new column of
// discrepancies.csv is added here once; the run's CSV, the export's four formats and the xlsx take it from here.

/** discrepancies.csv, in order (FORMATS.md §7). */
export const DISCREPANCY_COLUMNS = [
  'rule', 'severity', 'municipality', 'fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id', 'amount', 'detail',
  'first_seen', 'arose_at', 'age_banking_days', 'handling_status', 'case_ref',
] as const;

/** The handling columns after those of discrepancies.csv (FORMATS.md §8); handling_status is already among them. */
export const HANDLING_COLUMNS = ['assignee', 'note', 'follow_up', 'handled_by', 'handled_at'] as const;

/** The auditors' export: the columns of discrepancies.csv, the handling, then the lifecycle and lineage (FORMATS.md §8). */
export const EXPORT_COLUMNS = [...DISCREPANCY_COLUMNS, ...HANDLING_COLUMNS, 'state', 'resolved_at', 'lineage'] as const;

/** The number cells of every CSV and xlsx output (FORMATS.md §7: amounts, *_hours, n, within_sla, …, line). */
export const NUMBER_COLUMNS: ReadonlySet<string> = new Set([
  'amount', 'excess_amount', 'reverse_amount', 'reapply_amount',
  'n', 'p50_hours', 'p90_hours', 'p99_hours', 'max_hours', 'within_sla', 'breached', 'in_flight',
  'line', 'rank', 'hours_apart', 'age_banking_days',
]);
