// The lifecycle of discrepancies across runs (FORMATS.md §7): a discrepancy's identity is (municipality, rule,
// key_id); first_seen is the asOf of the first run, in run order, that found it open since it was last resolved;
// new / persisting / resolved compare a run with the run made before it (the highest earlier run_seq).
//
// Persistent tables (in the batch database):
//   lifecycle_runs(run_seq, as_of)                 one row per run that updated the lifecycle
//   discrepancy_history(run_seq, <discrepancy columns>, first_seen, state, resolved_at)
//                                                  per run: every identity open in it ('new' | 'persisting') and
//                                                  every identity it resolved ('resolved', last known columns)
//   discrepancy_states                             the latest run's rows of discrepancy_history (without run_seq)
import type { Db } from '../db.ts';
import { tsLiteral } from './context.ts';
import { RULE_CODES } from './catalog.ts';
import { DISCREPANCY_COLUMNS as COLUMN_NAMES } from './graph.ts';

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
  lineage VARCHAR`;
const COLS = COLUMN_NAMES.join(', ');

export async function ensureLifecycleTables(db: Db): Promise<void> {
  await db.run(`CREATE TABLE IF NOT EXISTS lifecycle_runs (run_seq INTEGER PRIMARY KEY, as_of TIMESTAMP NOT NULL)`);
  await db.run(`CREATE TABLE IF NOT EXISTS discrepancy_history (run_seq INTEGER NOT NULL, ${DISCREPANCY_COLUMNS},
    first_seen TIMESTAMP NOT NULL, state VARCHAR NOT NULL, resolved_at TIMESTAMP)`);
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
    await db.run(`INSERT INTO discrepancy_history (run_seq, ${COLS}, first_seen, state, resolved_at)
      SELECT ${runSeq}, ${COLS.split(', ').map((c) => `d.${c}`).join(', ')},
             coalesce(p.first_seen, ${asOfSql}),
             CASE WHEN p.key_id IS NULL THEN 'new' ELSE 'persisting' END,
             NULL::TIMESTAMP
      FROM discrepancies d
      LEFT JOIN ${prevOpen} p ON p.municipality = d.municipality AND p.rule = d.rule AND p.key_id = d.key_id`);
    await db.run(`INSERT INTO discrepancy_history (run_seq, ${COLS}, first_seen, state, resolved_at)
      SELECT ${runSeq}, ${COLS.split(', ').map((c) => `p.${c}`).join(', ')}, p.first_seen, 'resolved', ${asOfSql}
      FROM ${prevOpen} p
      WHERE NOT EXISTS (SELECT 1 FROM discrepancies d
                        WHERE d.municipality = p.municipality AND d.rule = p.rule AND d.key_id = p.key_id)`);
    await db.run(`INSERT INTO lifecycle_runs VALUES (${runSeq}, ${asOfSql})`);
    await db.run(`CREATE OR REPLACE TABLE discrepancy_states AS
      SELECT ${COLS}, first_seen, state, resolved_at FROM discrepancy_history
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
