// The `runs` table: one row per recorded run (FORMATS.md §7 lifecycle), written with bound parameters. Its column
// `steps_json` (schema migration 2) holds the duration of each step of the run, with the step's id
// and label (./steps.ts): `[{"id":"load","step":"load the inbox","ms":1234}, …]`, which `afstem history` shows.
// Runs recorded before steps had ids carry the label alone (`{"step":"load the inbox","ms":1234}`).
import type { Db } from '../db.ts';
import type { Summary } from './summary.ts';

export interface RunRecord {
  runSeq: number;
  runId: string;
  /** ISO 8601 UTC (microseconds kept). */
  asOf: string;
  startedAt: Date;
  exitCode: number;
  filesRead: number;
  rowsRejected: number;
  newCount: number;
  resolvedCount: number;
  summary: Summary;
  /** How long each step took, in run order. */
  steps?: StepTime[];
}

export interface StepTime {
  /** The step's stable id (./steps.ts BATCH_STEPS): `rules`. */
  id: string;
  /** Its label when it ran: `evaluate rules R01–R22`. */
  step: string;
  ms: number;
}

const COLUMNS = [
  'run_seq', 'run_id', 'as_of', 'started_at', 'finished_at', 'exit_code', 'files_read', 'rows_rejected',
  'critical', 'warning', 'info', 'new_count', 'resolved_count', 'summary_json', 'steps_json',
] as const;

const ts = (iso: string) => iso.replace('T', ' ').replace('Z', '');

export async function recordRun(db: Db, r: RunRecord): Promise<void> {
  await db.run(
    `INSERT INTO runs (${COLUMNS.join(', ')})
     VALUES ($1, $2, CAST($3 AS TIMESTAMP), CAST($4 AS TIMESTAMP), now()::TIMESTAMP, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      r.runSeq,
      r.runId,
      ts(r.asOf),
      ts(r.startedAt.toISOString()),
      r.exitCode,
      r.filesRead,
      r.rowsRejected,
      r.summary.totals.critical,
      r.summary.totals.warning,
      r.summary.totals.info,
      r.newCount,
      r.resolvedCount,
      JSON.stringify(r.summary),
      JSON.stringify((r.steps ?? []).map((t) => ({ id: t.id, step: t.step, ms: Math.round(t.ms) }))),
    ],
  );
}
