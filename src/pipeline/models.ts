// Runs the SQL models in queries/: each file is one SELECT, materialised as a table (or view) named after the file,
// dbt-style (staging → intermediate → rules/metrics → marts). Which models a model reads, the order they run in,
// how each is materialised and when it is dropped all come from the SQL files: see ./graph.ts.
import type { Db } from '../db.ts';
import { modelGraph, modelTable, type Model, type RunStep } from './graph.ts';

export { QUERIES_DIR, listModels, modelTable, readQuery, modelGraph, RUN_STEPS, type RunStep } from './graph.ts';

export type OnModel = (relPath: string, ms: number) => void;
/** Called right after a model is built, before the models it was the last reader of are dropped. */
export type AfterModel = (m: Model) => Promise<void>;

function modelOf(relPathOrName: string): Model {
  const name = relPathOrName.endsWith('.sql') ? modelTable(relPathOrName) : relPathOrName;
  const m = modelGraph().models.get(name);
  if (!m) throw new Error(`no model ${relPathOrName} in queries/`);
  return m;
}

/**
 * Materialises one model (a file such as `marts/latency.sql`, or its table name) as its header declares: a TEMP table
 * (the default: nothing is written to the database file), a TEMP view, or a persisted table. Drops nothing.
 */
export async function materialise(db: Db, relPath: string): Promise<string> {
  const m = modelOf(relPath);
  const temp = m.persisted ? '' : 'TEMP ';
  try {
    await db.run(`CREATE OR REPLACE ${temp}${m.kind === 'view' ? 'VIEW' : 'TABLE'} ${m.name} AS ${m.sql}`);
  } catch (e) {
    throw new Error(`model ${m.file} failed: ${(e as Error).message}`);
  }
  return m.name;
}

/**
 * Drops the run's own temp table or view of that name, never a table of the same name in the database file. By what
 * it is, not by what the model declares: an incremental night (./incremental.ts) reads an item model through a view.
 */
export async function dropTemp(db: Db, name: string): Promise<void> {
  try {
    await db.run(`DROP TABLE IF EXISTS temp.main.${name}`);
  } catch (e) {
    // DuckDB refuses to drop a view as a table ("… is of type View, trying to drop type Table"); asking the catalog
    // first instead costs a query on every drop (340 a night)
    if (!/of type View/i.test((e as Error).message)) throw e;
    await db.run(`DROP VIEW IF EXISTS temp.main.${name}`);
  }
}

/**
 * Drops the run's own temp tables and views of these names (dropTemp's), asking the catalog once which exist and what
 * each is, then dropping them in one call: a night drops dozens at a time.
 */
export async function dropTemps(db: Db, names: readonly string[]): Promise<void> {
  if (names.length <= 1) {
    for (const n of names) await dropTemp(db, n);
    return;
  }
  const list = names.map((n) => `'${n.toLowerCase()}'`).join(', ');
  const found = await db.all<{ name: string; view: boolean }>(`
    SELECT table_name AS name, false AS view FROM duckdb_tables() WHERE temporary AND lower(table_name) IN (${list})
    UNION ALL SELECT view_name, true FROM duckdb_views() WHERE temporary AND NOT internal AND lower(view_name) IN (${list})`);
  if (found.length) await db.run(found.map((f) => `DROP ${f.view ? 'VIEW' : 'TABLE'} IF EXISTS temp.main.${f.name}`).join(';\n'));
}

async function dropModel(db: Db, name: string): Promise<void> {
  await dropTemp(db, modelOf(name).name);
}

/**
 * Builds models in plan order; after each, drops the models it was the last in the plan to read, so that on a large
 * inbox their memory goes to the joins still to come instead of being spilled to disk.
 */
async function build(db: Db, pick: (m: Model, step: RunStep) => boolean, onModel?: OnModel, afterModel?: AfterModel): Promise<string[]> {
  const { models, plan } = modelGraph();
  const built: string[] = [];
  for (const entry of plan) {
    const m = models.get(entry.model)!;
    if (!pick(m, entry.step)) continue;
    const t0 = performance.now();
    await materialise(db, m.name);
    await afterModel?.(m);
    for (const gone of entry.dropAfter) await dropModel(db, gone);
    built.push(m.name);
    onModel?.(m.file, performance.now() - t0);
  }
  return built;
}

/** Builds one step of the run (./graph.ts RUN_STEPS): its targets and their ancestors no earlier step builds. */
export async function runStep(db: Db, step: RunStep, onModel?: OnModel, afterModel?: AfterModel): Promise<string[]> {
  return build(db, (_m, s) => s === step, onModel, afterModel);
}

/** Builds the models of one layer folder in plan order, dropping what nothing later reads. */
export async function materialiseLayer(db: Db, layer: string, onModel?: OnModel): Promise<string[]> {
  return build(db, (m) => m.layer === layer, onModel);
}
