// Every Danish label of the report in one place. Rule names, severities and actions come from the rule catalog
// (src/pipeline/catalog.ts); the rest are the words for the codes the data uses.
import { RULES, RULE_BY_CODE, type RuleEntry, type Severity } from '../pipeline/catalog.ts';
import type { FileStatus } from '../ingest/ingest.ts';

export { RULES as RULE_LABELS };

/** A rule's catalog entry (name, severity, action); undefined for a code the catalog does not know. */
export function ruleLabel(code: string): RuleEntry | undefined {
  return RULE_BY_CODE.get(code);
}

export const SEVERITY_DA: Record<Severity, string> = { critical: 'kritisk', warning: 'advarsel', info: 'info' };

export const STATE_DA: Record<string, string> = { new: 'ny', persisting: 'vedvarende', resolved: 'løst', open: 'åben' };

/** Every status of a file in summary.json (FORMATS.md §7), in Danish: the compiler holds the list complete. */
export const FILE_STATUS_DA: Record<FileStatus, string> = {
  loaded: 'indlæst',
  already_loaded: 'allerede indlæst',
  replaced: 'erstattet',
  rejected: 'afvist',
  unknown: 'ukendt fil',
  ignored: 'ignoreret',
  unreadable: 'kan ikke læses',
};

/** A file status in Danish; an unknown code as it is. */
export function fileStatusDa(status: string): string {
  return (FILE_STATUS_DA as Record<string, string>)[status] ?? status;
}

export const STAGES_DA: Record<string, { order: number; label: string; what: string }> = {
  fee_to_claim: { order: 1, label: '1. Gebyr → fordring', what: 'fra gebyret oprettes i FBS, til fordringen er modtaget i debitorsystemet' },
  claim_to_payable: { order: 2, label: '2. Fordring → betalbar', what: 'fra fordringen er modtaget, til den kan betales i betalingsløsningen' },
  psp_to_debitor: { order: 3, label: '3. Betaling → bogført', what: 'fra borgeren betaler i betalingsløsningen, til indbetalingen er bogført i debitorsystemet' },
  debitor_to_fbs: { order: 4, label: '4. Dækket → betalt i FBS', what: 'fra fordringen er fuldt dækket, til gebyret står som betalt i FBS' },
};
export const STAGE_KEYS = Object.keys(STAGES_DA);

/** Duration bins of the stage distribution, in the order of the bin numbers 1 … 9 of reports/stages/histogram.sql. */
export const DURATION_BINS = ['< 1 t', '1–4 t', '4–8 t', '8–24 t', '1–2 d', '2–3 d', '3–5 d', '5–10 d', '≥ 10 d'];

export const WAVE_STATUS: Record<string, { label: string; kind: string }> = {
  red: { label: 'rød', kind: 'critical' },
  amber: { label: 'gul', kind: 'warning' },
  green: { label: 'grøn', kind: 'resolved' },
  planned: { label: 'planlagt', kind: 'info' },
};


/** The debtor systems (GLOSSARY.md). */
export const DEBTOR_SYSTEM_DA: Record<string, string> = {
  kmd_opus: 'KMD Opus Debitor',
  prisme_2009: 'Fujitsu Prisme 2009',
  prisme_2015: 'Fujitsu Prisme 2015',
  eg_os_indsigt: 'EG ØS Indsigt',
};

/** The export kinds in Danish (GLOSSARY.md). */
export const KIND_DA: Record<string, string> = {
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
