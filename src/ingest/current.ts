// The books as delivered: the latest version of every row per kind (FORMATS.md §1: the later export date wins;
// within one file the later row wins), with its lineage `src` = "<delivery_id>:<line>" (short enough for DuckDB to
// keep inline in every join of the rules; the marts spell it out as file:line with lineage_paths()).
import type { Db } from '../db.ts';
import { KINDS } from './kinds.ts';

export async function buildCurrent(db: Db): Promise<void> {
  for (const k of KINDS) {
    await db.run(`CREATE OR REPLACE TABLE cur_${k.kind} AS
      SELECT s.* EXCLUDE (reject_reason), s.delivery_id || ':' || s.line AS src
      FROM stg_${k.kind} s JOIN deliveries d ON d.delivery_id = s.delivery_id AND d.active
      QUALIFY row_number() OVER (PARTITION BY s.municipality, s.${k.key} ORDER BY s.export_date DESC, s.line DESC) = 1`);
  }
}

/** The default asOf (RULES.md §1): the latest creation instant in the loaded data, or null when nothing is loaded. */
export async function latestCreationInstant(db: Db): Promise<string | null> {
  const parts = KINDS.flatMap((k) =>
    k.columns.filter((c) => c.creation).map((c) => `SELECT max(${c.name}) AS t FROM cur_${k.kind}`),
  );
  const v = await db.value<string | null>(`SELECT strftime(max(t), '%Y-%m-%dT%H:%M:%S.%fZ') FROM (${parts.join(' UNION ALL ')})`);
  return v ?? null; // microseconds kept: a JS Date would cut them and lose the latest row
}
