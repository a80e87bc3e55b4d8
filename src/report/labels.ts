// The report's words: the domain's Danish words from src/vocabulary.ts (severities, states, stages, kinds, debtor
// systems, go-live and file statuses), rule names and actions from the rule catalog (src/pipeline/catalog.ts), and
// the report's own duration bins.
import { RULES, RULE_BY_CODE, type RuleEntry } from '../pipeline/catalog.ts';
import * as V from '../vocabulary.ts';

export { FILE_STATUS_DA, SEVERITY_DA, WAVE_STATUS } from '../vocabulary.ts';
export { RULES as RULE_LABELS };

// looked up by the codes the data holds (any string: an unknown code is shown as it is)
export const STATE_DA: Record<string, string> = V.STATE_DA;
export const KIND_DA: Record<string, string> = V.KIND_DA;
export const DEBTOR_SYSTEM_DA: Record<string, string> = V.DEBTOR_SYSTEM_DA;
export const STAGES_DA: Record<string, { order: number; label: string; what: string }> = V.STAGES_DA;

/** A rule's catalog entry (name, severity, action); undefined for a code the catalog does not know. */
export function ruleLabel(code: string): RuleEntry | undefined {
  return RULE_BY_CODE.get(code);
}

/** A file status in Danish; an unknown code as it is. */
export function fileStatusDa(status: string): string {
  return (V.FILE_STATUS_DA as Record<string, string>)[status] ?? status;
}

export const STAGE_KEYS: string[] = [...V.STAGES];

/** Duration bins of the stage distribution, in the order of the bin numbers 1 … 9 of reports/stages/histogram.sql. */
export const DURATION_BINS = ['< 1 t', '1–4 t', '4–8 t', '8–24 t', '1–2 d', '2–3 d', '3–5 d', '5–10 d', '≥ 10 d'];
