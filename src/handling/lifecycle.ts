// Handling in the nightly cycle (FORMATS.md §8): the run's discrepancies carry their handling, an `awaiting`
// discrepancy whose follow-up date has passed is due again, and a recorded run closes the handling of the
// discrepancies it resolved with a trail row (new status open, who 'afstem', when the run's asOf, source the run id),
// so a discrepancy found open again later starts open.
//
// A night's lifecycle with its handling: evaluateStates (the lifecycle of src/pipeline/lifecycle.ts, then
// discrepancy_states) and, for a recorded run, recordStates inside the run's transaction. discrepancy_states is the
// run's rows of the lifecycle (without run_seq) with the handling: handling_status ('open' where nothing is recorded),
// assignee, note, follow_up, handled_by, handled_at, handling_due (awaiting and its follow_up before asOf's date); the
// outputs read it, and the recorded run keeps it in the database for the commands.
import { mainSchema, tsLiteral, type Db } from '../db.ts';
import { evaluateLifecycle, LIFECYCLE_COLUMNS, recordLifecycle, type Lifecycle, type RuleLifecycle } from '../pipeline/lifecycle.ts';
import { CLOSED_BY } from './store.ts';

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

/**
 * The night's lifecycle (src/pipeline/lifecycle.ts evaluateLifecycle: TEMP run_history, case numbers) and the TEMP
 * table `discrepancy_states`, the run's rows with their handling, which the outputs read. Records nothing.
 */
export async function evaluateStates(db: Db, runSeq: number, asOf: Date): Promise<Lifecycle> {
  const lifecycle = await evaluateLifecycle(db, runSeq, asOf);
  await db.run(`CREATE OR REPLACE TEMP TABLE discrepancy_states AS
    SELECT ${LIFECYCLE_COLUMNS.map((c) => `r.${c}`).join(', ')}, r.first_seen, r.state, r.resolved_at,
           ${handlingColumnsSql('r', 'h', asOf)}
    FROM temp.main.run_history r
    LEFT JOIN main.handling h ON h.municipality = r.municipality AND h.rule = r.rule AND h.key_id = r.key_id
    ORDER BY r.rule, r.municipality, r.key_id`);
  return lifecycle;
}

/**
 * Records the night evaluated by evaluateStates: closes the handling of the discrepancies it resolved (`runId` the
 * trail rows' source), records its lifecycle, and keeps discrepancy_states in the database, where the commands read
 * it between runs. Inside the transaction that records the run (FORMATS.md §7), never for a look back.
 */
export async function recordStates(db: Db, runSeq: number, asOf: Date, runId?: string): Promise<void> {
  await closeResolvedHandling(db, asOf, runId ?? `kørsel ${runSeq}`);
  await recordLifecycle(db, runSeq, asOf);
  await db.run(`CREATE OR REPLACE TABLE ${await mainSchema(db)}.discrepancy_states AS SELECT * FROM temp.main.discrepancy_states`);
}

/**
 * evaluateStates and, unless it is a look back, recordStates in one transaction: for callers that record nothing
 * else (tests, benches). Returns the counts per rule.
 */
export async function updateLifecycle(db: Db, runSeq: number, asOf: Date, runId?: string): Promise<Record<string, RuleLifecycle>> {
  const lc = await evaluateStates(db, runSeq, asOf);
  if (!lc.lookBack) {
    await db.run('BEGIN TRANSACTION');
    try {
      await recordStates(db, runSeq, asOf, runId);
      await db.run('COMMIT');
    } catch (e) {
      await db.run('ROLLBACK');
      throw e;
    }
  }
  return lc.rules;
}
