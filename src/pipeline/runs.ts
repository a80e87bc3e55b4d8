// The `runs` table: one row per recorded run (FORMATS.md §7 lifecycle), written with bound parameters.
import type { Db } from '../db.ts';
import type { Summary } from '../outputs/summary.ts';

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
}

const ts = (iso: string) => iso.replace('T', ' ').replace('Z', '');

export async function recordRun(db: Db, r: RunRecord): Promise<void> {
  await db.run(
    `INSERT INTO runs VALUES ($1, $2, CAST($3 AS TIMESTAMP), CAST($4 AS TIMESTAMP), now()::TIMESTAMP, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
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
    ],
  );
}
