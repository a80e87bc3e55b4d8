// The books as delivered: the latest version of every row per kind (FORMATS.md §1: the later export date wins;
// within one file the later row wins), with its lineage `src` = "<delivery_id>:<line>" (short enough for DuckDB to
// keep inline in every join of the rules; the marts spell it out as file:line with lineage_paths()).
import type { Db } from '../db.ts';
import { KINDS, type KindDef } from './kinds.ts';

// The current books follow the deliveries: `cur_built` lists the deliveries they were built from. A night's new
// deliveries recompute the keys they carry; a delivery no longer in effect (replaced by a re-delivery of its
// identity) recomputes the keys it gave; nothing is touched when the deliveries in effect are the ones built from.
// Every recomputed key takes the same rule as a full rebuild, over all deliveries in effect. (Keys are required
// columns: a row without its key is a rejected row, so keys compare with plain equality.)

// The winner of each key is found on narrow rows (its rowid, by the latest export date, then line, which are unique
// per key among the deliveries in effect), and only the winners' rows are then read whole: cheaper than a window that
// sorts every wide row.
const currentRows = (k: KindDef, join: string) => `
  WITH winner AS (
    SELECT max_by(s.rowid, (s.export_date, s.line)) AS rid
    FROM stg_${k.kind} s JOIN deliveries d ON d.delivery_id = s.delivery_id AND d.active
    ${join}
    GROUP BY s.municipality, s.${k.key})
  SELECT s.* EXCLUDE (reject_reason), s.delivery_id || ':' || s.line AS src
  FROM stg_${k.kind} s SEMI JOIN winner w ON w.rid = s.rowid`;

/**
 * RE2 (DuckDB) form of src/mask.ts's CPR_IN_TEXT: six digits, an optional `-`, four digits, not inside a longer run
 * of letters or digits.
 */
export const CPR_IN_TEXT_SQL = `(^|[^\\pL\\pN])[0-9]{6}-?[0-9]{4}([^\\pL\\pN]|$)`;

/**
 * The ids of the current rows that hold a CPR-shaped number (summary.json's warning, FORMATS.md §5), kept beside the
 * books in `cur_cpr_ids(kind, municipality, key, id)`: one row per id column of a current row (every text column named
 * *_id or *_ref) that holds one. Kept up to date with the keys the books recompute, so a night reads the pattern only
 * on the rows it changed.
 */
const cprIdRows = (k: KindDef, join: string, from = `cur_${k.kind}`) => {
  const idCols = k.columns.filter((c) => c.type === 'text' && /(_id|_ref)$/.test(c.name)).map((c) => `c.${c.name}`);
  if (idCols.length === 0) return null;
  // one scan of the current rows, their id columns side by side, then the pattern on each value
  return `SELECT '${k.kind}' AS kind, municipality, key, id FROM (
      SELECT c.municipality, c.${k.key} AS key, unnest([${idCols.join(', ')}]) AS id FROM ${from} c ${join})
    WHERE regexp_matches(id, '${CPR_IN_TEXT_SQL}')`;
};

/**
 * `cur_touched(municipality, id)`: the items (the `links` of src/ingest/kinds.ts: fee, claim, payment and transaction
 * ids) of every current row the books changed since the last evaluation, before and after the change; one row of
 * NULLs when the books were rebuilt whole. src/pipeline/incremental.ts reads it and empties it.
 */
async function touched(db: Db, k: KindDef, rows: string): Promise<void> {
  if (!k.links?.length) return;
  await db.run(`INSERT INTO cur_touched SELECT DISTINCT municipality, id FROM (
      SELECT c.municipality, unnest([${k.links.map((l) => `c.${l}`).join(', ')}]) AS id FROM ${rows}) WHERE id IS NOT NULL`);
}

const TOUCHED_DDL = `CREATE TABLE IF NOT EXISTS cur_touched (municipality VARCHAR, id VARCHAR)`;

/** The current books rebuilt from every delivery in effect. */
export async function rebuildCurrent(db: Db): Promise<void> {
  await db.run(TOUCHED_DDL);
  await db.run(`DELETE FROM cur_touched`);
  await db.run(`INSERT INTO cur_touched VALUES (NULL, NULL)`);
  for (const k of KINDS) await db.run(`CREATE OR REPLACE TABLE cur_${k.kind} AS ${currentRows(k, '')}`);
  await db.run(`CREATE OR REPLACE TABLE cur_cpr_ids (kind VARCHAR, municipality VARCHAR, key VARCHAR, id VARCHAR)`);
  for (const k of KINDS) {
    const rows = cprIdRows(k, '');
    if (rows) await db.run(`INSERT INTO cur_cpr_ids ${rows}`);
  }
  await db.run(`CREATE OR REPLACE TABLE cur_built AS SELECT delivery_id, kind FROM deliveries WHERE active`);
}

/** How many distinct ids in the current books hold a CPR-shaped number (a problem at the source, FORMATS.md §5). */
export async function countCprIds(db: Db): Promise<number> {
  return Number(await db.value(`SELECT count(DISTINCT id) FROM cur_cpr_ids`));
}

/** Whether every current table exists with the columns its staging table gives (else the books are rebuilt). */
async function booksInShape(db: Db): Promise<boolean> {
  const rows = await db.all<{ t: string; cols: string }>(`
    SELECT table_name AS t, string_agg(column_name || ' ' || data_type, ',' ORDER BY column_index) AS cols
    FROM duckdb_columns() WHERE schema_name = 'main' AND database_name = current_database()
      AND (starts_with(table_name, 'cur_') OR starts_with(table_name, 'stg_')) GROUP BY table_name`);
  const cols = new Map(rows.map((r) => [r.t, r.cols]));
  if (!cols.has('cur_built')) return false;
  if (cols.get('cur_cpr_ids') !== 'kind VARCHAR,municipality VARCHAR,key VARCHAR,id VARCHAR') return false;
  return KINDS.every((k) => {
    const stg = cols.get(`stg_${k.kind}`);
    const cur = cols.get(`cur_${k.kind}`);
    return stg !== undefined && cur === stg.replace(/,reject_reason VARCHAR/, '') + ',src VARCHAR';
  });
}

/** Brings the current books up to the deliveries in effect, recomputing only the keys that changed. */
export async function buildCurrent(db: Db): Promise<void> {
  if (!(await booksInShape(db))) return rebuildCurrent(db);
  const changes = await db.all<{ kind: string; added: number[] | null; removed: number[] | null }>(`
    WITH now AS (SELECT delivery_id, kind FROM deliveries WHERE active),
    added AS (SELECT * FROM now EXCEPT SELECT * FROM cur_built),
    removed AS (SELECT * FROM cur_built EXCEPT SELECT * FROM now)
    SELECT kind, list(delivery_id) FILTER (WHERE side = 'a') AS added, list(delivery_id) FILTER (WHERE side = 'r') AS removed
    FROM (SELECT *, 'a' AS side FROM added UNION ALL SELECT *, 'r' AS side FROM removed) GROUP BY kind`);
  if (changes.length === 0) return;
  await db.run(TOUCHED_DDL);
  for (const ch of changes) {
    const k = KINDS.find((x) => x.kind === ch.kind);
    if (!k) continue;
    const added = (ch.added ?? []).map(Number);
    const removed = (ch.removed ?? []).map(Number);
    const idList = (ids: number[]) => (ids.length ? ids.join(', ') : 'NULL');
    if (removed.length === 0) {
      await addDeliveries(db, k, idList(added));
      continue;
    }
    await db.run(`CREATE OR REPLACE TEMP TABLE cur_keys AS
      SELECT DISTINCT municipality, ${k.key} AS key FROM stg_${k.kind} WHERE delivery_id IN (${idList(added)})
      UNION SELECT municipality, ${k.key} FROM cur_${k.kind} WHERE delivery_id IN (${idList(removed)})`);
    const changed = `cur_${k.kind} c SEMI JOIN cur_keys x ON c.municipality = x.municipality AND c.${k.key} = x.key`;
    await touched(db, k, changed); // the rows as they were
    await db.run(`DELETE FROM cur_${k.kind} c USING cur_keys x WHERE c.municipality = x.municipality AND c.${k.key} = x.key`);
    await db.run(`INSERT INTO cur_${k.kind} ${currentRows(
      k,
      `JOIN cur_keys x ON x.municipality = s.municipality AND x.key = s.${k.key}`,
    )}`);
    await touched(db, k, changed); // and as they are
    const cpr = cprIdRows(k, `JOIN cur_keys x ON x.municipality = c.municipality AND x.key = c.${k.key}`);
    if (cpr) {
      await db.run(`DELETE FROM cur_cpr_ids c USING cur_keys x WHERE c.kind = '${k.kind}' AND c.municipality = x.municipality AND c.key = x.key`);
      await db.run(`INSERT INTO cur_cpr_ids ${cpr}`);
    }
    await db.run(`DROP TABLE cur_keys`);
  }
  await db.run(`DELETE FROM cur_built`);
  await db.run(`INSERT INTO cur_built SELECT delivery_id, kind FROM deliveries WHERE active`);
}

/**
 * A kind's books after deliveries were only added (none left the deliveries in effect): a key's winner among the
 * deliveries in effect is then its current row or its best row in the added deliveries, whichever is later — the
 * winner of a larger set is the later of the old set's winner and the new rows' — so the staging table is read only
 * for the added deliveries (its zone maps skip the rest) and the current table once, not the whole history as the
 * general case does. Only the keys whose row changes are replaced and touched: a late file whose rows lose to the
 * current ones changes nothing.
 */
async function addDeliveries(db: Db, k: KindDef, added: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE cur_new AS
    SELECT s.* EXCLUDE (reject_reason), s.delivery_id || ':' || s.line AS src FROM stg_${k.kind} s WHERE s.delivery_id IN (${added})
    QUALIFY row_number() OVER (PARTITION BY s.municipality, s.${k.key} ORDER BY s.export_date DESC, s.line DESC) = 1`);
  const links = k.links?.length ? k.links : null;
  // the keys whose row changes (new, or a later row than the current one), with the current row's items
  await db.run(`CREATE OR REPLACE TEMP TABLE cur_keys AS
    SELECT n.municipality, n.${k.key} AS key, c.${k.key} IS NOT NULL AS replaced
      ${links ? `, [${links.map((l) => `c.${l}`).join(', ')}] AS old_items` : ''}
    FROM cur_new n LEFT JOIN cur_${k.kind} c ON c.municipality = n.municipality AND c.${k.key} = n.${k.key}
    WHERE c.${k.key} IS NULL OR n.export_date > c.export_date OR (n.export_date = c.export_date AND n.line > c.line)`);
  const fresh = `cur_new c SEMI JOIN cur_keys x ON c.municipality = x.municipality AND c.${k.key} = x.key`;
  if (links) {
    // the rows as they were, and as they are
    await db.run(`INSERT INTO cur_touched SELECT DISTINCT municipality, id FROM (
        SELECT municipality, unnest(old_items) AS id FROM cur_keys WHERE replaced) WHERE id IS NOT NULL`);
    await touched(db, k, fresh);
  }
  await db.run(`DELETE FROM cur_${k.kind} c USING cur_keys x WHERE x.replaced AND c.municipality = x.municipality AND c.${k.key} = x.key`);
  await db.run(`INSERT INTO cur_${k.kind} SELECT c.* FROM ${fresh}`);
  const cpr = cprIdRows(k, `SEMI JOIN cur_keys x ON x.municipality = c.municipality AND x.key = c.${k.key}`, 'cur_new');
  if (cpr) {
    await db.run(`DELETE FROM cur_cpr_ids c USING cur_keys x WHERE x.replaced AND c.kind = '${k.kind}' AND c.municipality = x.municipality AND c.key = x.key`);
    await db.run(`INSERT INTO cur_cpr_ids ${cpr}`);
  }
  await db.run(`DROP TABLE cur_keys`);
  await db.run(`DROP TABLE cur_new`);
}

/** The default asOf (RULES.md §1): the latest creation instant in the loaded data, or null when nothing is loaded. */
export async function latestCreationInstant(db: Db): Promise<string | null> {
  const parts = KINDS.flatMap((k) =>
    k.columns.filter((c) => c.creation).map((c) => `SELECT max(${c.name}) AS t FROM cur_${k.kind}`),
  );
  const v = await db.value<string | null>(`SELECT strftime(max(t), '%Y-%m-%dT%H:%M:%S.%fZ') FROM (${parts.join(' UNION ALL ')})`);
  return v ?? null; // microseconds kept: a JS Date would cut them and lose the latest row
}
