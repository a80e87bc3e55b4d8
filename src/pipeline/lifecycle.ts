// The lifecycle of discrepancies across runs (FORMATS.md §7): a discrepancy's identity is (municipality, rule,
// key_id); first_seen is the asOf of the first run, in run order, that found it open since it was last resolved;
// new / persisting / resolved compare a run with the latest recorded run of an earlier asOf. A run whose asOf is not
// later than the latest recorded run's is a look back: it is compared the same way and records nothing.
//
// Persistent tables (in the batch database; src/schema/migrations.ts creates them):
//   lifecycle_runs(run_seq, as_of)                 one row per run that updated the lifecycle
//   discrepancy_history(run_seq, <discrepancy columns>, age_banking_days, first_seen, state, resolved_at, case_ref)
//                                                  per run: every identity open in it ('new' | 'persisting') and
//                                                  every identity it resolved ('resolved', last known columns); the
//                                                  discrepancy columns include arose_at (RULES.md §5)
//   discrepancy_states                             the latest run's rows of discrepancy_history (without run_seq),
//                                                  with the handling of §8 (src/handling/lifecycle.ts):
//                                                  handling_status ('open' where nothing is recorded), assignee,
//                                                  note, follow_up, handled_by, handled_at, handling_due (awaiting
//                                                  and its follow_up before asOf's date)
//   discrepancy_hints, waves                       the latest recorded run's marts of the same names (what may explain
//                                                  a discrepancy; the go-live view), for the commands and afstem serve
//   case_refs                                      ./case-refs.ts: the case number of every identity ever seen
// The run's discrepancies with their handling (discrepancy_states, FORMATS.md §8) are src/handling/lifecycle.ts's,
// which evaluates and records a night with this module.
import { mainSchema, tsLiteral, type Db } from '../db.ts';
import { RULE_CODES } from './catalog.ts';
import { RULE_UNION_COLUMNS } from './graph.ts';
import { assignCaseRefs, caseRefSql } from './case-refs.ts';

export interface RuleLifecycle {
  open: number;
  new: number;
  persisting: number;
  resolved: number;
  /** Exact sum of the open discrepancies' amounts, e.g. '1234.50'; '0.00' when none. */
  amount: string;
}

/** The columns of a discrepancy in run_history and discrepancy_history (before first_seen, state, resolved_at, case_ref). */
export const LIFECYCLE_COLUMNS: readonly string[] = [...RULE_UNION_COLUMNS, 'age_banking_days'];
const COLS = LIFECYCLE_COLUMNS.join(', ');

export interface Lifecycle {
  /** The counts per rule, every code of the catalog. */
  rules: Record<string, RuleLifecycle>;
  /** asOf is not later than the latest recorded run's: a look back, which records nothing (FORMATS.md §7). */
  lookBack: boolean;
  /** The asOf of the latest recorded run (ISO), when there is one. */
  latestRecordedAsOf: string | null;
}

/**
 * Compares the discrepancies table (materialised by evaluateRules) with the latest recorded run of an earlier asOf,
 * into this session's TEMP table `run_history` (this run's rows of discrepancy_history, without run_seq). Assigns the
 * case references of identities seen for the first time (a look back too). Records nothing: see recordLifecycle.
 */
export async function evaluateLifecycle(db: Db, runSeq: number, asOf: Date): Promise<Lifecycle> {
  if (!Number.isInteger(runSeq)) throw new Error(`runSeq must be an integer, got ${runSeq}`);
  const asOfSql = tsLiteral(asOf);
  const latest = await db.value<string | null>(
    `SELECT strftime(max(as_of), '%Y-%m-%dT%H:%M:%S.%fZ') FROM lifecycle_runs WHERE run_seq <> ${runSeq}`,
  );
  const lookBack = latest !== null && new Date(latest).getTime() >= asOf.getTime();
  // the latest recorded run of an earlier asOf (a second run of the same night compares with the night before)
  const prev = await db.value<number | null>(`SELECT run_seq FROM lifecycle_runs
    WHERE as_of < ${asOfSql} AND run_seq <> ${runSeq} ORDER BY as_of DESC, run_seq DESC LIMIT 1`);
  const prevOpen = `(SELECT * FROM discrepancy_history WHERE run_seq = ${prev ?? 'NULL'} AND state IN ('new', 'persisting'))`;
  // the identities of this run (and, in a database older than case references, the previous run's) get theirs
  await assignCaseRefs(db, asOf, `(SELECT municipality, rule, key_id FROM discrepancies
    UNION SELECT municipality, rule, key_id FROM ${prevOpen})`);
  await db.run(`CREATE OR REPLACE TEMP TABLE run_history AS
    SELECT ${COLS.split(', ').map((c) => `d.${c}`).join(', ')},
           coalesce(p.first_seen, ${asOfSql}) AS first_seen,
           CASE WHEN p.key_id IS NULL THEN 'new' ELSE 'persisting' END AS state,
           NULL::TIMESTAMP AS resolved_at,
           ${caseRefSql('r.case_no')} AS case_ref
    FROM discrepancies d
    LEFT JOIN ${prevOpen} p ON p.municipality = d.municipality AND p.rule = d.rule AND p.key_id = d.key_id
    LEFT JOIN case_refs r ON r.municipality = d.municipality AND r.rule = d.rule AND r.key_id = d.key_id
    UNION ALL
    SELECT ${COLS.split(', ').map((c) => `p.${c}`).join(', ')}, p.first_seen, 'resolved', ${asOfSql},
           ${caseRefSql('r.case_no')}
    FROM ${prevOpen} p
    LEFT JOIN case_refs r ON r.municipality = p.municipality AND r.rule = p.rule AND r.key_id = p.key_id
    WHERE NOT EXISTS (SELECT 1 FROM discrepancies d
                      WHERE d.municipality = p.municipality AND d.rule = p.rule AND d.key_id = p.key_id)`);
  return { rules: await ruleCounts(db), lookBack, latestRecordedAsOf: latest };
}

/**
 * Records the run evaluated by evaluateLifecycle: its rows of discrepancy_history, its lifecycle_runs row, and the
 * go-live `waves` the run built (which `afstem waves` reads between runs). Call it inside the transaction that records
 * the run (FORMATS.md §7), never for a look back. Re-recording the same runSeq replaces its record.
 */
export async function recordLifecycle(db: Db, runSeq: number, asOf: Date): Promise<void> {
  const main = await mainSchema(db);
  await db.run(`DELETE FROM ${main}.discrepancy_history WHERE run_seq = ${runSeq}`);
  await db.run(`DELETE FROM ${main}.lifecycle_runs WHERE run_seq = ${runSeq}`);
  await db.run(`INSERT INTO ${main}.discrepancy_history (run_seq, ${COLS}, first_seen, state, resolved_at, case_ref)
    SELECT ${runSeq}, ${COLS}, first_seen, state, resolved_at, case_ref FROM temp.main.run_history`);
  await db.run(`INSERT INTO ${main}.lifecycle_runs VALUES (${runSeq}, ${tsLiteral(asOf)})`);
  await persistWaves(db);
  await persistHints(db);
}

/**
 * Copies what may explain each open discrepancy (the TEMP `discrepancy_hints` mart: best suggested match, overdue
 * delivery) into the database file, beside discrepancy_states, for the served case pages (FORMATS.md §9).
 */
export async function persistHints(db: Db): Promise<void> {
  const hints = await db.value(`SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'discrepancy_hints'`);
  if (Number(hints) > 0) await db.run(`CREATE OR REPLACE TABLE ${await mainSchema(db)}.discrepancy_hints AS SELECT * FROM temp.main.discrepancy_hints`);
}

/** Copies the run's go-live view (the TEMP `waves` mart) into the database file, where `afstem waves` reads it. */
export async function persistWaves(db: Db): Promise<void> {
  const waves = await db.value(`SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'waves'`);
  if (Number(waves) > 0) await db.run(`CREATE OR REPLACE TABLE ${await mainSchema(db)}.waves AS SELECT * FROM temp.main.waves`);
}

async function ruleCounts(db: Db): Promise<Record<string, RuleLifecycle>> {
  const rows = await db.all<{ rule: string; open: number; new: number; persisting: number; resolved: number; amount: string }>(`
    SELECT rule,
           count(*) FILTER (WHERE state <> 'resolved') AS open,
           count(*) FILTER (WHERE state = 'new') AS new,
           count(*) FILTER (WHERE state = 'persisting') AS persisting,
           count(*) FILTER (WHERE state = 'resolved') AS resolved,
           coalesce(sum(amount) FILTER (WHERE state <> 'resolved'), 0)::DECIMAL(38,2) AS amount
    FROM temp.main.run_history GROUP BY rule`);
  const out: Record<string, RuleLifecycle> = {};
  for (const code of RULE_CODES) out[code] = { open: 0, new: 0, persisting: 0, resolved: 0, amount: '0.00' };
  for (const r of rows) {
    out[r.rule] = { open: Number(r.open), new: Number(r.new), persisting: Number(r.persisting), resolved: Number(r.resolved), amount: r.amount };
  }
  return out;
}
