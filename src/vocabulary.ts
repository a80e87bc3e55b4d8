// The domain's codes and their Danish words, in one place (GLOSSARY.md, FORMATS.md §7–8, RULES.md §2, §8): what the
// data, the files for machines and the command line call a thing (`critical`, `in_progress`, `debitor_payments`), and
// what a person reads (kritisk, I gang, indbetalinger). The report (src/report/labels.ts), the spreadsheets
// (src/outputs/discrepancies-xlsx.ts and the export), the import of an edited sheet, the commands and the report's
// page script (which gets the words it needs in its data) take every word from here. A rule's own name and action
// are in its catalog entry (queries/rules/catalog.json).

/** RULES.md §3: the severities of a rule, most severe first. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_DA: Record<Severity, string> = { critical: 'kritisk', warning: 'advarsel', info: 'info' };

/** FORMATS.md §7: the state of a discrepancy in a run (its lifecycle); the export's `open` is new and persisting. */
export const STATES = ['new', 'persisting', 'resolved'] as const;
export type State = (typeof STATES)[number];
export const STATE_DA: Record<State | 'open', string> = { new: 'ny', persisting: 'vedvarende', resolved: 'løst', open: 'åben' };

/** FORMATS.md §8: the handling statuses, in the order of the spreadsheets' drop-down. */
export const HANDLING_STATUSES = ['open', 'in_progress', 'awaiting', 'explained'] as const;
export type HandlingStatus = (typeof HANDLING_STATUSES)[number];
export const HANDLING_STATUS_DA: Record<HandlingStatus, string> = {
  open: 'Åben',
  in_progress: 'I gang',
  awaiting: 'Afventer',
  explained: 'Forklaret',
};
/** The Danish statuses as a choice in a sentence: "Åben, I gang, Afventer eller Forklaret". */
export const HANDLING_STATUS_CHOICE = `${HANDLING_STATUSES.slice(0, -1).map((s) => HANDLING_STATUS_DA[s]).join(', ')} eller ${HANDLING_STATUS_DA.explained}`;
/** The worklist's mark of an `awaiting` discrepancy whose follow-up date has passed (FORMATS.md §8). */
export const HANDLING_DUE_DA = 'opfølgning overskredet';

/** FORMATS.md §2: the ten export kinds, in the contract's order, and their Danish names (GLOSSARY.md). */
export const EXPORT_KINDS = [
  'fbs_fees', 'fbs_adjustments', 'debitor_claims', 'debitor_adjustments', 'debitor_payments', 'debitor_coverages',
  'psp_invoices', 'psp_transactions', 'borgerblikket_claims', 'klik_tasks',
] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const KIND_DA: Record<ExportKind, string> = {
  fbs_fees: 'gebyrer',
  fbs_adjustments: 'reguleringer',
  debitor_claims: 'fordringer',
  debitor_adjustments: 'nedreguleringer',
  debitor_payments: 'indbetalinger',
  debitor_coverages: 'dækninger',
  psp_invoices: 'fakturabilag',
  psp_transactions: 'betalinger i betalingsløsningen',
  borgerblikket_claims: 'Mit Overblik-udtræk',
  klik_tasks: 'KLIK-opgaver',
};
export const isExportKind = (k: string): k is ExportKind => (EXPORT_KINDS as readonly string[]).includes(k);

/** RULES.md §2: the four stages, in order, with their Danish label and what each measures. */
export const STAGES = ['fee_to_claim', 'claim_to_payable', 'psp_to_debitor', 'debitor_to_fbs'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGES_DA: Record<Stage, { order: number; label: string; what: string }> = {
  fee_to_claim: { order: 1, label: '1. Gebyr → fordring', what: 'fra gebyret oprettes i FBS, til fordringen er modtaget i debitorsystemet' },
  claim_to_payable: { order: 2, label: '2. Fordring → betalbar', what: 'fra fordringen er modtaget, til den kan betales i betalingsløsningen' },
  psp_to_debitor: { order: 3, label: '3. Betaling → bogført', what: 'fra borgeren betaler i betalingsløsningen, til indbetalingen er bogført i debitorsystemet' },
  debitor_to_fbs: { order: 4, label: '4. Dækket → betalt i FBS', what: 'fra fordringen er fuldt dækket, til gebyret står som betalt i FBS' },
};

/** FORMATS.md §6: the debtor systems (GLOSSARY.md) and the payment solutions. */
export const DEBTOR_SYSTEMS = ['kmd_opus', 'prisme_2009', 'prisme_2015', 'eg_os_indsigt'] as const;
export type DebtorSystem = (typeof DEBTOR_SYSTEMS)[number];
export const DEBTOR_SYSTEM_DA: Record<DebtorSystem, string> = {
  kmd_opus: 'KMD Opus Debitor',
  prisme_2009: 'Fujitsu Prisme 2009',
  prisme_2015: 'Fujitsu Prisme 2015',
  eg_os_indsigt: 'EG ØS Indsigt',
};
export const PAYMENT_SOLUTIONS = ['kmd_mit_betalingsoverblik', 'prisme_min_betalingsoversigt', 'none'] as const;
export type PaymentSolution = (typeof PAYMENT_SOLUTIONS)[number];

/** RULES.md §8: a municipality's go-live status, its Danish word and the colour class it is shown in. */
export const WAVE_STATUS: Record<string, { label: string; kind: string }> = {
  red: { label: 'rød', kind: 'critical' },
  amber: { label: 'gul', kind: 'warning' },
  green: { label: 'grøn', kind: 'resolved' },
  planned: { label: 'planlagt', kind: 'info' },
};

/** FORMATS.md §7: every status of a file of the inbox in summary.json, and its Danish word. */
export const FILE_STATUSES = ['loaded', 'already_loaded', 'replaced', 'rejected', 'unknown', 'ignored', 'unreadable'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];
export const FILE_STATUS_DA: Record<FileStatus, string> = {
  loaded: 'indlæst',
  already_loaded: 'allerede indlæst',
  replaced: 'erstattet',
  rejected: 'afvist',
  unknown: 'ukendt fil',
  ignored: 'ignoreret',
  unreadable: 'kan ikke læses',
};

/** FORMATS.md §8: the status of a file of the handling folder in summary.json, and its Danish word. */
export const HANDLING_FILE_STATUS_DA: Record<'imported' | 'already_imported' | 'unreadable' | 'not_municipality', string> = {
  imported: 'indlæst',
  already_imported: 'indlæst tidligere',
  unreadable: 'kan ikke læses',
  not_municipality: 'ikke en kommunes mappe',
};

/**
 * The Danish header of every column of the discrepancy files for people (discrepancies.xlsx, the export's xlsx and
 * `--excel`), by column code; `afstem import` finds its columns by these headers or by the codes.
 */
export const COLUMN_DA = {
  rule: 'Regel',
  severity: 'Alvor',
  municipality: 'Kommune',
  fee_id: 'Gebyr',
  claim_id: 'Fordring',
  payment_id: 'Indbetaling',
  psp_txn_id: 'Transaktion',
  coverage_id: 'Dækning',
  amount: 'Beløb',
  detail: 'Beskrivelse',
  first_seen: 'Først set',
  arose_at: 'Opstået',
  age_banking_days: 'Alder (bankdage)',
  handling_status: 'Status',
  case_ref: 'Sagsnummer',
  assignee: 'Ansvarlig',
  note: 'Note',
  follow_up: 'Opfølgning',
  handled_by: 'Behandlet af',
  handled_at: 'Behandlet',
  state: 'Tilstand',
  resolved_at: 'Løst',
  lineage: 'Herkomst',
  counterpart_id: 'Muligt match',
  overdue_cause: 'Mulig årsag',
} as const;
export type DanishColumn = keyof typeof COLUMN_DA;

/** The Danish word of a coded value in a column for people (severity, handling_status, state); undefined for others. */
export function danishValue(column: string, v: unknown): string | undefined {
  if (column === 'severity') return (SEVERITY_DA as Record<string, string>)[String(v)];
  if (column === 'handling_status') return (HANDLING_STATUS_DA as Record<string, string>)[String(v ?? 'open')];
  if (column === 'state') return (STATE_DA as Record<string, string>)[String(v)];
  return undefined;
}
