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
  const kind = await db.value<string | null>(`
    SELECT max(CASE WHEN table_name IS NOT NULL THEN 'TABLE' END) FROM duckdb_tables() WHERE temporary AND table_name = '${name}'
    UNION ALL SELECT max('VIEW') FROM duckdb_views() WHERE temporary AND view_name = '${name}' ORDER BY 1 NULLS LAST LIMIT 1`);
  if (kind) await db.run(`DROP ${kind} IF EXISTS temp.main.${name}`);
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
