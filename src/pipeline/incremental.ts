// An incremental night (issue 27): the models that say `-- incremental: item` (./graph.ts) are evaluated only on the
// items a night can have changed, and their rows merged into the evaluation kept from the night before; the others
// (whole) are evaluated over everything as always, reading the item models' kept rows.
//
// An item is a fee, claim, payment or PSP transaction id of a municipality (the `links` of src/ingest/kinds.ts; the ids
// are not typed: a claim's source_ref is a fee_id, a payment's psp_txn_ref a txn_id). A night re-evaluates
//   - the items of every row the books changed since the last evaluation, before and after (cur_touched, ingest/current),
//   - the items whose verdict can change by time alone between the previous asOf and this one: a row whose instant
//     (any timestamp column) or whose SLA deadline (sla_deadline of any stage of it) lies in (previous asOf, asOf],
//   - everything of a municipality whose row of a whole model that item models read changed (int_psp_municipalities),
//   - and, to a fixed point, every item tied to those through any row (claim ↔ fee ↔ coverage ↔ payment ↔ transaction).
// Each item model is then evaluated on the rows of those items only (cur_<kind> read as sub_<kind>); the rows of the
// kept ones (read by a whole model, or kept after the run) replace, in main.inc_<model>, every row naming one of the
// items. The full evaluation (`afstem run --full`) stays the reference, and is what a night falls back to: without a
// kept evaluation, on a look back (asOf before the kept one), when the books were rebuilt whole, or when anything the
// verdicts are made of changed (the models' SQL, the macros, the municipalities, the SLA, the calendar, the watched
// deliveries: a fingerprint). A rerun of the same asOf with nothing new reuses the kept marts whole.
import { createHash } from 'node:crypto';
import type { Db } from '../db.ts';
import { lit, mainSchema } from '../db.ts';
import { KINDS } from '../ingest/kinds.ts';
import { dropTemps, materialise, modelGraph, type OnModel, type RunStep } from './models.ts';
import type { Model } from './graph.ts';

/** Bumped when what the kept evaluation means changes in code rather than in SQL. */
const ENGINE = 'incremental-1';
/** The columns that name an item in a kept model's rows: a row is replaced when any of them names a re-evaluated item. */
const NODE_COLUMNS = ['fee_id', 'claim_id', 'payment_id', 'txn_id', 'source_ref', 'psp_txn_ref', 'psp_txn_id', 'item_id'];
/** Sources an item model may read besides the linked books: small tables that the fingerprint covers. */
const WHOLE_SOURCES = new Set(['cfg_municipalities', 'cfg_sla', 'sla_business_deadline']);
/**
 * A kept table of fewer rows than this (duckdb_tables' estimate) drops a night's rows with one join on its item columns
 * unnested; a larger one with a lookup per item column (1M night: the rule tables 12 -> 3 ms each, the int_ tables of
 * 260,000-430,000 rows as fast either way).
 */
const SMALL_KEPT = 100_000;
/** More rounds of the closure than this and the night fails, naming it (a chain that long is not a night's change). */
const MAX_ROUNDS = 40;

/** What an item model may not read: the time it may depend on is asOf against its rows' instants and SLA deadlines. */
const OTHER_CLOCKS = /getvariable\('(?!as_of')[a-z_]+'\)|\b(current_timestamp|current_date|now\s*\(|age_banking_days\s*\(|banking_days_after\s*\()/i;

const LINKED = KINDS.filter((k) => k.links?.length);
const LINKED_SOURCES = new Map(LINKED.map((k) => [`cur_${k.kind}`, k]));
/**
 * The kinds that tie items together: a row of a kind with one link names one item only, which brings no other into the
 * closure (fbs_fees, fbs_adjustments, psp_invoices).
 */
const TYING = LINKED.filter((k) => k.links!.length > 1);

/** Per incremental night: each kept item model's table, the columns naming an item and its estimated rows. */
const keptTables = new WeakMap<Night, Map<string, { nodes: string[]; rows: number }>>();

export interface Night {
  /** Everything evaluated (the reference), or only what changed or came due. */
  full: boolean;
  /**
   * Nothing to evaluate: the same asOf as the kept evaluation, no delivery registered and no row changed since. The
   * marts are the kept ones (main.inc_<mart>), and only the outputs are written.
   */
  reuse?: boolean;
  /** Why a night is evaluated whole, in English for the log. */
  reason?: string;
  /** The kept evaluation's asOf (an incremental night). */
  previousAsOf?: string;
  fingerprint: string;
  /** Items re-evaluated (an incremental night, after the rules step). */
  items?: number;
  /** Municipalities re-evaluated whole. */
  municipalities?: number;
  /** Rows of the books read by the item models. */
  rows?: number;
}

interface Shape {
  item: Model[];
  /** Item models whose rows are kept in main.inc_<name>: read by a whole model, or kept after the run. */
  kept: Set<string>;
  /** Whole models that item models read: compared per municipality with the night before. */
  wholeInputs: Model[];
  /** Whole models kept after the run (the marts of the steps here): kept in main.inc_<name> for a night to reuse. */
  keptWhole: string[];
}

/** The run steps an evaluation covers; the waves step reads the lifecycle and is built after it, always. */
const EVALUATED: readonly RunStep[] = ['rules', 'suggestions', 'latency'];

/** Checks the models' incremental directives (./graph.ts): what an item model reads, and what it may not. */
export function checkIncremental(): void {
  shape();
}

function shape(): Shape {
  const { models, plan } = modelGraph();
  const inPlan = plan.map((e) => models.get(e.model)!);
  const item = inPlan.filter((m) => m.item);
  const itemNames = new Set(item.map((m) => m.name));
  const kept = new Set<string>();
  const wholeInputs = new Set<string>();
  for (const m of inPlan) {
    if (m.item) {
      if (m.kept) kept.add(m.name);
      for (const s of m.sources) {
        if (!LINKED_SOURCES.has(s) && !WHOLE_SOURCES.has(s)) throw new Error(`${m.file}: an item model reads ${s}, which is neither linked books (src/ingest/kinds.ts links) nor whole configuration`);
      }
      for (const i of m.inputs) if (!itemNames.has(i)) wholeInputs.add(i);
      const clock = OTHER_CLOCKS.exec(m.sql);
      if (clock) throw new Error(`${m.file}: an item model reads ${clock[0]}; a night re-evaluates an item only when one of its instants or SLA deadlines passes asOf, so a model that reads another clock is evaluated whole (no -- incremental: item)`);
    } else {
      for (const i of m.inputs) if (itemNames.has(i)) kept.add(i);
    }
  }
  const keptWhole = plan.filter((e) => EVALUATED.includes(e.step)).map((e) => models.get(e.model)!).filter((m) => !m.item && m.kept).map((m) => m.name);
  return { item, kept, wholeInputs: inPlan.filter((m) => wholeInputs.has(m.name)), keptWhole };
}

/** What the kept evaluation was made of: if any of it changed, the night is evaluated whole. */
async function fingerprint(db: Db): Promise<string> {
  const h = createHash('sha256').update(ENGINE);
  const { models, plan } = modelGraph();
  for (const e of plan) {
    const m = models.get(e.model)!;
    h.update(`\n${m.name}:${m.item}:${m.sql}`);
  }
  for (const k of LINKED) h.update(`\n${k.kind}:${k.links!.join(',')}`);
  const parts = await db.all<{ t: string }>(`
    SELECT 'macro ' || function_name || coalesce(macro_definition, '') AS t FROM duckdb_functions()
      WHERE function_type LIKE '%macro%' AND NOT internal
    UNION ALL SELECT 'mun ' || CAST(m AS VARCHAR) FROM cfg_municipalities m
    UNION ALL SELECT 'sla ' || CAST(s AS VARCHAR) FROM cfg_sla s
    UNION ALL SELECT 'built ' || name || ' ' || key FROM ctx_built
    UNION ALL SELECT 'deliveries ' || CAST(d AS VARCHAR) FROM cfg_deliveries d
    UNION ALL SELECT 'gap ' || CAST(getvariable('max_gap_banking_days') AS VARCHAR)
    UNION ALL SELECT 'trend ' || CAST(getvariable('trend_days') AS VARCHAR)
    ORDER BY 1`);
  for (const p of parts) h.update(`\n${p.t}`);
  return h.digest('hex');
}

/**
 * Decides how this night is evaluated, after the context (prepareContext) and the books are in place. The kept
 * evaluation is forgotten from here until commitNight: a night that fails midway leaves the next one to evaluate whole.
 */
export async function planNight(db: Db, opts: { full?: boolean; deliveries?: number } = {}): Promise<Night> {
  const fp = await fingerprint(db);
  const state = await db.one<{ as_of: string; fingerprint: string; same: boolean }>(`
    SELECT CAST(as_of AS VARCHAR) AS as_of, fingerprint, as_of = getvariable('as_of') AS same FROM eval_state LIMIT 1`);
  const rebuilt = Number(await db.value(`SELECT count(*) FROM cur_touched WHERE municipality IS NULL`)) > 0;
  const touched = Number(await db.value(`SELECT count(*) FROM cur_touched`));
  const s = shape();
  const missing = await db.value<number>(`SELECT count(*) FROM (VALUES ${[...s.kept, ...s.wholeInputs.map((m) => m.name), ...s.keptWhole]
    .map((n) => `('inc_${n}')`).join(', ')}) v(t) ANTI JOIN duckdb_tables() d ON d.table_name = v.t AND NOT d.temporary AND d.schema_name = 'main'
      AND d.database_name = current_database()`);
  let reason: string | undefined;
  if (opts.full) reason = '--full';
  else if (!state) reason = 'no kept evaluation';
  else if (state.fingerprint !== fp) reason = 'the rules, the macros, the municipalities, the SLA or the calendar changed';
  else if (rebuilt) reason = 'the books were rebuilt';
  else if (Number(missing) > 0) reason = 'a kept table is missing';
  else if (await db.value<boolean>(`SELECT getvariable('as_of') < TIMESTAMP '${state.as_of}'`)) reason = 'a look back';
  const reuse = !reason && state!.same === true && touched === 0 && opts.deliveries === 0;
  await db.run(`DELETE FROM eval_state`);
  if (reason) return { full: true, reason, fingerprint: fp };
  return { full: false, ...(reuse ? { reuse, items: 0, rows: 0, municipalities: 0 } : {}), previousAsOf: state!.as_of, fingerprint: fp };
}

/** Evaluates one run step (./graph.ts RUN_STEPS) as the night was planned. */
export async function evaluateStep(db: Db, night: Night, step: RunStep, onModel?: OnModel): Promise<void> {
  const s = shape();
  const main = await mainSchema(db);
  const { models, plan } = modelGraph();
  const early = new Set(s.wholeInputs.map((w) => w.name));
  if (step === 'rules') {
    // an evaluation before this one on the same connection may have left an item model as a table or as a view
    await dropTemps(db, s.item.map((m) => m.name));
    // A whole evaluation holds every model's TEMP tables at once: the loaded rows are written to the file first, so
    // that DuckDB may evict them (rows not yet checkpointed stay in its memory: at 10,000,000 fees a first run ran out
    // of 1 GiB in int_claims without this, and peaked at 1,890 MB with it; the checkpoint took 2.0 s).
    if (night.full) await db.run('CHECKPOINT');
    if (!night.full && !night.reuse) await prepareSubsets(db, night, s, main);
  }
  for (const entry of plan) {
    if (entry.step !== step) continue;
    const m = models.get(entry.model)!;
    const t0 = performance.now();
    if (night.reuse) {
      // the kept evaluation as it was: the marts copied back, the item models read through views
      if (s.keptWhole.includes(m.name)) await db.run(`CREATE OR REPLACE TEMP TABLE ${m.name} AS SELECT * FROM ${main}.inc_${m.name}`);
      else if (s.kept.has(m.name)) await db.run(`CREATE OR REPLACE TEMP VIEW ${m.name} AS SELECT * FROM ${main}.inc_${m.name}`);
    } else if (night.full && s.kept.has(m.name)) {
      // built straight into its kept table (no second copy), read through a view like on any other night
      try {
        await db.run(`CREATE OR REPLACE TABLE ${main}.inc_${m.name} AS ${m.sql}`);
      } catch (e) {
        throw new Error(`model ${m.file} failed: ${(e as Error).message}`);
      }
      await db.run(`CREATE OR REPLACE TEMP VIEW ${m.name} AS SELECT * FROM ${main}.inc_${m.name}`);
    } else if (night.full || !m.item) {
      if (night.full || !early.has(m.name)) await materialise(db, m.name); // else built already by prepareSubsets
      if ((night.full && early.has(m.name)) || s.keptWhole.includes(m.name)) await keep(db, main, m.name);
    } else {
      await evaluateItems(db, night, m, s, main);
    }
    await dropTemps(db, entry.dropAfter);
    onModel?.(m.file, performance.now() - t0);
  }
}

/** The kept evaluation is this night's: recorded after the last step that evaluates models. */
export async function commitNight(db: Db, night: Night): Promise<void> {
  // what an incremental night made (nothing on the others: IF EXISTS), each as what evaluateItems made it, in one call
  await db.run([...LINKED.map((k) => `DROP TABLE IF EXISTS temp.main.sub_${k.kind}`),
    ...shape().item.map((m) => `DROP ${m.kind === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS temp.main.sub_${m.name}`),
    `DELETE FROM cur_touched`].join(';\n'));
  await db.run(`INSERT INTO eval_state VALUES (getvariable('as_of'), ${lit(night.fingerprint)}, current_timestamp::TIMESTAMP)`);
}

/** A model's rows kept for the next night, in the database file. */
async function keep(db: Db, main: string, name: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${main}.inc_${name} AS SELECT * FROM ${name}`);
}

/** An item model's SQL on the night's items: the linked books and the item models it reads, as their sub_ tables. */
function rename(sql: string, s: Shape): string {
  const items = new Set(s.item.map((m) => m.name));
  return sql.replace(/\b[a-z][a-z0-9_]*\b/gi, (name) => (LINKED_SOURCES.has(name) || items.has(name) ? `sub_${name.replace(/^cur_/, '')}` : name));
}

/** An item model on the night's items (sub_<name>); its kept rows replaced in main.inc_<name>, read through a view. */
async function evaluateItems(db: Db, night: Night, m: Model, s: Shape, main: string): Promise<void> {
  try {
    await db.run(`CREATE OR REPLACE TEMP ${m.kind === 'view' ? 'VIEW' : 'TABLE'} sub_${m.name} AS ${rename(m.sql, s)}`);
  } catch (e) {
    throw new Error(`model ${m.file} failed on the night's items: ${(e as Error).message}`);
  }
  if (!s.kept.has(m.name)) return;
  const kept = keptTables.get(night)?.get(`inc_${m.name}`);
  const nodes = kept?.nodes ?? [];
  if (!nodes.length) throw new Error(`${m.file}: an item model kept between nights names no item (${NODE_COLUMNS.join(', ')})`);
  const t = `${main}.inc_${m.name}`;
  // the kept rows naming a re-evaluated item (or of a municipality re-evaluated whole) replaced, in one call
  let del: string;
  if (!night.municipalities && nodes.length === 1) {
    del = `DELETE FROM ${t} AS k USING inc_dirty d WHERE d.municipality = k.municipality AND d.id = k.${nodes[0]}`;
  } else {
    const named = nodes.length > 1 && kept!.rows < SMALL_KEPT
      ? [`rowid IN (SELECT r FROM (SELECT rowid AS r, municipality, unnest([${nodes.join(', ')}]) AS id FROM ${t}) x
          SEMI JOIN inc_dirty d ON d.municipality = x.municipality AND d.id = x.id)`]
      : nodes.map((n) => `(municipality, ${n}) IN (SELECT municipality, id FROM inc_dirty)`);
    del = `DELETE FROM ${t} WHERE ${[...(night.municipalities ? ['municipality IN (SELECT municipality FROM inc_dirty_munis)'] : []), ...named].join(' OR ')}`;
  }
  await db.run(`${del};
    INSERT INTO ${t} SELECT * FROM sub_${m.name};
    CREATE OR REPLACE TEMP VIEW ${m.name} AS SELECT * FROM ${t}`);
}

/** The night's items: seeds (touched, come due, whole-input changes), their closure, and sub_<kind> of each kind. */
async function prepareSubsets(db: Db, night: Night, s: Shape, main: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE inc_dirty_munis (municipality VARCHAR)`);
  for (const w of s.wholeInputs) {
    await materialise(db, w.name);
    await db.run(`INSERT INTO inc_dirty_munis SELECT DISTINCT municipality FROM (
      (SELECT * FROM ${w.name} EXCEPT ALL SELECT * FROM ${main}.inc_${w.name})
      UNION ALL (SELECT * FROM ${main}.inc_${w.name} EXCEPT ALL SELECT * FROM ${w.name}))`);
    await keep(db, main, w.name);
  }
  const due = await dueWindows(db, night.previousAsOf!);
  await db.run(`CREATE OR REPLACE TEMP TABLE inc_dirty AS SELECT DISTINCT municipality, id FROM (
    SELECT municipality, id FROM cur_touched
    ${due ? LINKED.map((k) => `UNION ALL ${ids(k, 'c')} FROM cur_${k.kind} c WHERE ${due(k)}`).join('\n') : ''}
  ) WHERE id IS NOT NULL AND municipality NOT IN (SELECT municipality FROM inc_dirty_munis)`);
  await db.run(`CREATE OR REPLACE TEMP TABLE inc_frontier AS SELECT * FROM inc_dirty`);
  for (let round = 0; ; round++) {
    if (round >= MAX_ROUNDS) throw new Error(`the night's items did not close in ${MAX_ROUNDS} rounds`);
    // of the tying kinds only, a row's other link when one names a frontier item (a semi join: a small frontier's
    // range of ids skips most of the books); 1M night, on a copy: the 3 rounds 525 -> 338 ms, the same items
    await db.run(`CREATE OR REPLACE TEMP TABLE inc_next AS SELECT DISTINCT municipality, id FROM (
      ${TYING.flatMap((k) => k.links!.map((l) => `SELECT c.municipality, unnest([${k.links!.filter((o) => o !== l).map((o) => `c.${o}`).join(', ')}]) AS id FROM cur_${k.kind} c
        SEMI JOIN inc_frontier f ON f.municipality = c.municipality AND f.id = c.${l}`)).join('\nUNION ALL ')}
    ) n WHERE id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inc_dirty d WHERE d.municipality = n.municipality AND d.id = n.id)`);
    if (Number(await db.value(`SELECT count(*) FROM inc_next`)) === 0) break;
    await db.run(`INSERT INTO inc_dirty SELECT * FROM inc_next; CREATE OR REPLACE TEMP TABLE inc_frontier AS SELECT * FROM inc_next`);
  }
  await db.run(`DROP TABLE IF EXISTS temp.main.inc_next; DROP TABLE IF EXISTS temp.main.inc_frontier;
    ${LINKED.map((k) => `CREATE OR REPLACE TEMP TABLE sub_${k.kind} AS SELECT * FROM cur_${k.kind} c
      WHERE c.municipality IN (SELECT municipality FROM inc_dirty_munis)
      ${k.links!.map((l) => ` OR (c.municipality, c.${l}) IN (SELECT municipality, id FROM inc_dirty)`).join('')}`).join(';\n')}`);
  // the night's figures, and the kept tables' item columns and sizes for the merges, each in one query
  const counts = await db.one<{ rows: number; items: number; munis: number }>(`SELECT
    ${LINKED.map((k) => `(SELECT count(*) FROM sub_${k.kind})`).join(' + ')} AS rows,
    (SELECT count(*) FROM inc_dirty) AS items, (SELECT count(*) FROM inc_dirty_munis) AS munis`);
  night.items = Number(counts!.items);
  night.municipalities = Number(counts!.munis);
  night.rows = Number(counts!.rows);
  const tables = await db.all<{ t: string; cols: string[]; n: number }>(`
    SELECT c.table_name AS t, list(c.column_name ORDER BY c.column_index) AS cols, any_value(t.estimated_size) AS n
    FROM duckdb_columns() c JOIN duckdb_tables() t ON t.table_oid = c.table_oid
    WHERE NOT c.internal AND c.schema_name = 'main' AND c.database_name = current_database()
      AND c.table_name IN (${[...s.kept].map((n) => lit(`inc_${n}`)).join(', ')})
    GROUP BY c.table_name`);
  keptTables.set(night, new Map(tables.map((r) => [r.t, { nodes: r.cols.filter((c) => NODE_COLUMNS.includes(c)), rows: Number(r.n) }])));
}

const ids = (k: (typeof LINKED)[number], c: string) =>
  `SELECT ${c}.municipality, unnest([${k.links!.map((l) => `${c}.${l}`).join(', ')}]) AS id`;

/**
 * The rows whose verdict can change by time alone between the kept asOf and this one: an instant of the row, or an
 * SLA deadline counted from one, in (previous, asOf]. Undefined when asOf did not move.
 */
async function dueWindows(db: Db, previous: string): Promise<((k: (typeof LINKED)[number]) => string) | undefined> {
  const prev = `TIMESTAMP '${previous}'`;
  if (await db.value<boolean>(`SELECT getvariable('as_of') = ${prev}`)) return undefined;
  const windows: string[] = [`(# > ${prev} AND # <= getvariable('as_of'))`];
  const hours = await db.all<{ lo: string; hi: string }>(`
    SELECT CAST(${prev} - o AS VARCHAR) AS lo, CAST(getvariable('as_of') - o AS VARCHAR) AS hi
    FROM (SELECT to_microseconds(CAST(hours * 3600000000 AS BIGINT)) AS o FROM cfg_sla WHERE hours IS NOT NULL)`);
  for (const h of hours) windows.push(`(# > TIMESTAMP '${h.lo}' AND # <= TIMESTAMP '${h.hi}')`);
  const days = await db.all<{ dmin: string; dmax: string }>(`
    SELECT CAST(min(local_date) AS VARCHAR) AS dmin, CAST(max(local_date) AS VARCHAR) AS dmax FROM sla_business_deadline
    WHERE deadline > ${prev} AND deadline <= getvariable('as_of') GROUP BY stage`);
  for (const d of days) {
    // the local dates whose deadline came: a wide instant range first (cheap), then the exact local date
    windows.push(`(# >= DATE '${d.dmin}' - INTERVAL 1 DAY AND # < DATE '${d.dmax}' + INTERVAL 2 DAY AND cph_date(#) BETWEEN DATE '${d.dmin}' AND DATE '${d.dmax}')`);
  }
  const cols = await db.all<{ t: string; c: string }>(`SELECT table_name AS t, column_name AS c FROM duckdb_columns()
    WHERE NOT internal AND schema_name = 'main' AND database_name = current_database() AND data_type LIKE 'TIMESTAMP%'
      AND table_name IN (${LINKED.map((k) => lit(`cur_${k.kind}`)).join(', ')})`);
  return (k) => {
    const mine = cols.filter((c) => c.t === `cur_${k.kind}`).map((c) => `c.${c.c}`);
    return mine.length ? mine.flatMap((c) => windows.map((w) => w.replaceAll('#', c))).join(' OR ') : 'false';
  };
}
