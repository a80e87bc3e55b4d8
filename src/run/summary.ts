// summary.json (FORMATS.md §7): the Summary type, the warning that counts ids looking like CPR numbers, and the
// file itself, every string CPR-masked (FORMATS.md §5: file paths, messages, negativeDurations ids, warnings).
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import type { FileSummary } from '../ingest/ingest.ts';
import { countCprIds } from '../ingest/current.ts';
import type { RuleLifecycle } from '../pipeline/lifecycle.ts';
import { maskText } from '../mask.ts';
import type { HandlingSummary } from '../handling/folder.ts';
import type { ReportSummary } from '../report/section.ts';

export interface Summary {
  runId: string;
  asOf: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  files: FileSummary[];
  rules: Record<string, RuleLifecycle>;
  totals: { open: number; critical: number; warning: number; info: number };
  negativeDurations: { municipality: string; stage: string; id: string; hours: string }[];
  /** RULES.md §7: every watched delivery, sorted by municipality and kind. */
  deliveries?: { municipality: string; kind: string; lastExportDate: string; overdue: boolean }[];
  /** RULES.md §6: the number of suggested matches per kind, zeros included. */
  suggestions?: Record<string, number>;
  warnings: string[];
  /** The handling folder's import (FORMATS.md §8), when the configuration names one. */
  handling?: HandlingSummary;
}

/** Every string of a JSON value CPR-masked. */
export function maskDeep<T>(v: T): T {
  if (typeof v === 'string') return maskText(v) as T;
  if (Array.isArray(v)) return v.map(maskDeep) as T;
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x)])) as T;
  }
  return v;
}

export function writeSummary(outDir: string, summary: Summary): void {
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(maskDeep(summary), null, 2) + '\n', 'utf8');
}

/** The summary warning for ids that look like CPR numbers, or undefined when there are none. */
export async function cprIdWarning(db: Db): Promise<string | undefined> {
  const n = await countCprIds(db);
  if (n === 0) return undefined;
  return `${n} ${n === 1 ? 'id' : "id'er"} i leverancerne ligner CPR-numre (fee_id, claim_id, payment_id, txn_id, coverage_id, source_ref …); de er maskeret i alle output, men bør rettes hos kilden`;
}

/** What the report reads of the summary (src/report/section.ts ReportSummary). */
export function reportSummary(s: Summary): ReportSummary {
  return { runId: s.runId, files: s.files, warnings: s.warnings, ...(s.handling ? { handling: s.handling } : {}) };
}
