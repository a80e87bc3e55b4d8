// Handling in the nightly cycle (FORMATS.md §8): the run's discrepancies carry their handling, an `awaiting`
// discrepancy whose follow-up date has passed is due again, and a recorded run closes the handling of the
// discrepancies it resolved with a trail row (new status open, who 'afstem', when the run's asOf, source the run id),
// so a discrepancy found open again later starts open.
import { tsLiteral, type Db } from '../db.ts';
import { CLOSED_BY, ensureHandlingTables } from './store.ts';

export { ensureHandlingTables };

/** A handling row that records anything (a status, an assignee, a note or a follow-up date). */
export const handledSql = (h: string): string =>
  `(${h}.status <> 'open' OR ${h}.assignee IS NOT NULL OR ${h}.note IS NOT NULL OR ${h}.follow_up IS NOT NULL)`;

/** SQL: asOf's date (RULES.md §1): the Copenhagen date of the last instant before asOf. */
export const asOfDateSql = (asOf: Date): string =>
  `CAST(timezone('Europe/Copenhagen', timezone('UTC', ${tsLiteral(asOf)} - INTERVAL 1 MICROSECOND)) AS DATE)`;

/**
 * The handling columns of discrepancy_states, from run_history `r` left-joined with handling `h`:
 * handling_status, case_ref, assignee, note, follow_up, handled_by, handled_at, handling_due. A discrepancy the run
 * resolves shows the handling the recorded run leaves it with (closed: open, handled by afstem at asOf), so an export
 * of it read back is no change.
 */
export function handlingColumnsSql(r: string, h: string, asOf: Date): string {
  const closes = `(${r}.state = 'resolved' AND ${h}.key_id IS NOT NULL AND ${handledSql(h)})`;
  const unlessClosed = (col: string) => `CASE WHEN ${closes} THEN NULL ELSE ${h}.${col} END`;
  return `CASE WHEN ${closes} THEN 'open' ELSE coalesce(${h}.status, 'open') END AS handling_status,
           ${r}.case_ref,
           ${unlessClosed('assignee')} AS assignee,
           ${unlessClosed('note')} AS note,
           ${unlessClosed('follow_up')} AS follow_up,
           CASE WHEN ${closes} THEN '${CLOSED_BY}' ELSE ${h}.handled_by END AS handled_by,
           CASE WHEN ${closes} THEN ${tsLiteral(asOf)} ELSE ${h}.handled_at END AS handled_at,
           coalesce(NOT ${closes} AND ${h}.status = 'awaiting' AND ${h}.follow_up < ${asOfDateSql(asOf)}, false) AS handling_due`;
}

/**
 * Closes the handling of every discrepancy the evaluated run resolves (TEMP run_history, state 'resolved'): one
 * trail row each (old → open, who 'afstem', at asOf, source the run id), and its handling row reset to open. Inside
 * the transaction that records the run. Returns how many were closed.
 */
export async function closeResolvedHandling(db: Db, asOf: Date, runId: string): Promise<number> {
  await ensureHandlingTables(db);
  const closing = `SELECT h.* FROM main.handling h
    WHERE ${handledSql('h')} AND EXISTS (SELECT 1 FROM temp.main.run_history r WHERE r.state = 'resolved'
      AND r.municipality = h.municipality AND r.rule = h.rule AND r.key_id = h.key_id)`;
  const n = Number(await db.value(`SELECT count(*) FROM (${closing})`));
  if (n === 0) return 0;
  const at = tsLiteral(asOf);
  await db.run(`INSERT INTO main.handling_trail
    SELECT (SELECT coalesce(max(seq), 0) FROM main.handling_trail) + row_number() OVER (ORDER BY rule, municipality, key_id),
           case_ref, municipality, rule, key_id, status, 'open', assignee, NULL, note, NULL, follow_up, NULL,
           '${CLOSED_BY}', ${at}, ${`'${runId.replace(/'/g, "''")}'`}
    FROM (${closing})`);
  await db.run(`UPDATE main.handling h SET status = 'open', assignee = NULL, note = NULL, follow_up = NULL,
      handled_by = '${CLOSED_BY}', handled_at = ${at}
    WHERE ${handledSql('h')} AND EXISTS (SELECT 1 FROM temp.main.run_history r WHERE r.state = 'resolved'
      AND r.municipality = h.municipality AND r.rule = h.rule AND r.key_id = h.key_id)`);
  return n;
}
