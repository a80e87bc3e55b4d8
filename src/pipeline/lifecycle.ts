// The lifecycle of discrepancies across runs (FORMATS.md §7): a discrepancy's identity is (municipality, rule,
// key_id); first_seen is the asOf of the first run, in run order, that found it open since it was last resolved;
// new / persisting / resolved compare a run with the run made before it (the highest earlier run_seq).
//
// Persistent tables (in the batch database):
//   lifecycle_runs(run_seq, as_of)                 one row per run that updated the lifecycle
//   discrepancy_history(run_seq, <discrepancy columns>, age_banking_days, first_seen, state, resolved_at, case_ref)
//                                                  per run: every identity open in it ('new' | 'persisting') and
//                                                  every identity it resolved ('resolved', last known columns); the
//                                                  discrepancy columns include arose_at (RULES.md §5)
//   discrepancy_states                             the latest run's rows of discrepancy_history (without run_seq),
//                                                  with handling_status ('open' until handling is recorded, §8)
//   case_refs                                      ./case-refs.ts: the case number of every identity ever seen
import type { Db } from '../db.ts';
import { tsLiteral } from './context.ts';
import { RULE_CODES } from './catalog.ts';
import { DISCREPANCY_COLUMNS as COLUMN_NAMES } from './graph.ts';
import { assignCaseRefs, caseRefSql } from './case-refs.ts';

export interface RuleLifecycle {
  open: number;
  new: number;
  persisting: number;
  resolved: number;
  /** Exact sum of the open discrepancies' amounts, e.g. '1234.50'; '0.00' when none. */
  amount: string;
}

const DISCREPANCY_COLUMNS = `rule VARCHAR, severity VARCHAR, municipality VARCHAR, key_id VARCHAR, fee_id VARCHAR,
  claim_id VARCHAR, payment_id VARCHAR, psp_txn_id VARCHAR, coverage_id VARCHAR, amount DECIMAL(38,2), detail VARCHAR,
  lineage VARCHAR, arose_at TIMESTAMP, age_banking_days INTEGER`;
/** Columns added after the first release: a database made before them gains them (empty in its old rows). */
const ADDED_COLUMNS = [['arose_at', 'TIMESTAMP'], ['age_banking_days', 'INTEGER'], ['case_ref', 'VARCHAR']];
const COLS = [...COLUMN_NAMES, 'age_banking_days'].join(', ');

export async function ensureLifecycleTables(db: Db): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS lifecycle_runs (run_seq INTEGER PRIMARY KEY, as_of TIMESTAMP NOT NULL)`);
  await db.run(`CREATE TABLE IF NOT EXISTS discrepancy_history (run_seq INTEGER NOT NULL, ${DISCREPANCY_COLUMNS},
    first_seen TIMESTAMP NOT NULL, state VARCHAR NOT NULL, resolved_at TIMESTAMP, case_ref VARCHAR)`);
  for (const [c, t] of ADDED_COLUMNS) await db.run(`ALTER TABLE discrepancy_history ADD COLUMN IF NOT EXISTS ${c} ${t}`);
}

/**
 * Compares the discrepancies table (materialised by evaluateRules) with the previous run's open discrepancies and
 * records this run. Re-running the same runSeq replaces its record. Returns the counts per rule, all 22 codes.
 */
export async function updateLifecycle(db: Db, runSeq: number, asOf: Date): Promise<Record<string, RuleLifecycle>> {
  if (!Number.isInteger(runSeq)) throw new Error(`runSeq must be an integer, got ${runSeq}`);
  await ensureLifecycleTables(db);
  const asOfSql = tsLiteral(asOf);
  await db.run('BEGIN TRANSACTION');
  try {
    await db.run(`DELETE FROM discrepancy_history WHERE run_seq = ${runSeq}`);
    await db.run(`DELETE FROM lifecycle_runs WHERE run_seq = ${runSeq}`);
    const prev = await db.value<number | null>(`SELECT max(run_seq) FROM lifecycle_runs WHERE run_seq < ${runSeq}`);
    const prevOpen = `(SELECT * FROM discrepancy_history WHERE run_seq = ${prev ?? 'NULL'} AND state IN ('new', 'persisting'))`;
    // the identities of this run (and, in a database older than case references, the previous run's) get theirs
    await assignCaseRefs(db, asOf, `(SELECT municipality, rule, key_id FROM discrepancies
      UNION SELECT municipality, rule, key_id FROM ${prevOpen})`);
    await db.run(`INSERT INTO discrepancy_history (run_seq, ${COLS}, first_seen, state, resolved_at, case_ref)
      SELECT ${runSeq}, ${COLS.split(', ').map((c) => `d.${c}`).join(', ')},
             coalesce(p.first_seen, ${asOfSql}),
             CASE WHEN p.key_id IS NULL THEN 'new' ELSE 'persisting' END,
             NULL::TIMESTAMP,
             ${caseRefSql('r.case_no')}
      FROM discrepancies d
      LEFT JOIN ${prevOpen} p ON p.municipality = d.municipality AND p.rule = d.rule AND p.key_id = d.key_id
      LEFT JOIN case_refs r ON r.municipality = d.municipality AND r.rule = d.rule AND r.key_id = d.key_id`);
    await db.run(`INSERT INTO discrepancy_history (run_seq, ${COLS}, first_seen, state, resolved_at, case_ref)
      SELECT ${runSeq}, ${COLS.split(', ').map((c) => `p.${c}`).join(', ')}, p.first_seen, 'resolved', ${asOfSql},
             ${caseRefSql('r.case_no')}
      FROM ${prevOpen} p
      LEFT JOIN case_refs r ON r.municipality = p.municipality AND r.rule = p.rule AND r.key_id = p.key_id
      WHERE NOT EXISTS (SELECT 1 FROM discrepancies d
                        WHERE d.municipality = p.municipality AND d.rule = p.rule AND d.key_id = p.key_id)`);
    await db.run(`INSERT INTO lifecycle_runs VALUES (${runSeq}, ${asOfSql})`);
    await db.run(`CREATE OR REPLACE TABLE discrepancy_states AS
      SELECT ${COLS}, first_seen, state, resolved_at,
             -- FORMATS.md §8: 'open' where nothing is recorded (the handling issue records more)
             'open' AS handling_status, case_ref
      FROM discrepancy_history
      WHERE run_seq = ${runSeq}
      ORDER BY rule, municipality, key_id`);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
  const rows = await db.all<{ rule: string; open: number; new: number; persisting: number; resolved: number; amount: string }>(`
    SELECT rule,
           count(*) FILTER (WHERE state <> 'resolved') AS open,
           count(*) FILTER (WHERE state = 'new') AS new,
           count(*) FILTER (WHERE state = 'persisting') AS persisting,
           count(*) FILTER (WHERE state = 'resolved') AS resolved,
           coalesce(sum(amount) FILTER (WHERE state <> 'resolved'), 0)::DECIMAL(38,2) AS amount
    FROM discrepancy_states GROUP BY rule`);
  const out: Record<string, RuleLifecycle> = {};
  for (const code of RULE_CODES) out[code] = { open: 0, new: 0, persisting: 0, resolved: 0, amount: '0.00' };
  for (const r of rows) {
    out[r.rule] = { open: Number(r.open), new: Number(r.new), persisting: Number(r.persisting), resolved: Number(r.resolved), amount: r.amount };
  }
  return out;
}
