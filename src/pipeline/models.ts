// Runs the SQL models in queries/: each file is one SELECT, materialised as a table named after the file
// (dbt-style: staging → intermediate → rules/metrics → marts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db.ts';

// AFSTEM_QUERIES_DIR points the models at another copy of queries/ (bench/mutate.ts runs the tests on mutated copies).
export const QUERIES_DIR = path.resolve(process.env.AFSTEM_QUERIES_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../queries'));

export function readQuery(relPath: string): string {
  return fs.readFileSync(path.join(QUERIES_DIR, relPath), 'utf8');
}

/** The model files of one layer folder, in name order. */
export function listModels(layer: string): string[] {
  const dir = path.join(QUERIES_DIR, layer);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => `${layer}/${f}`);
}

/** The table a model file materialises: `intermediate/int_fees.sql` → `int_fees`, `rules/R01_fee_not_transferred.sql` → `rule_R01`. */
export function modelTable(relPath: string): string {
  const base = path.basename(relPath, '.sql');
  const rule = /^(R\d{2})_/.exec(base);
  return rule ? `rule_${rule[1]}` : base;
}

/**
 * Models live for the run only (TEMP tables: nothing written to the database file), except the marts that commands
 * read after the run (PERSISTED_MODELS). A few models are views (VIEW_MODELS, dbt's "ephemeral"): their readers
 * compute them inline, because writing them out would cost more than reading them twice. int_base_fees is every
 * FBS fee (10M rows on a large inbox) and int_claim_state is read by int_claims alone.
 */
const PERSISTED_MODELS = new Set(['waves']);
const VIEW_MODELS = new Set(['int_base_fees', 'int_claim_state']);

/**
 * The building blocks of the claim and payment layers that a single later intermediate model reads: dropped as soon
 * as that model is built, so that on a large inbox their memory goes to the joins still to come instead of being
 * spilled to disk (10M fees: 1.2 s of 24 s). Nothing after the intermediate layer reads them.
 */
const DROP_AFTER: Record<string, string[]> = {
  int_claims: ['int_claim_state', 'int_claim_adjustments', 'int_claim_coverage', 'int_claim_invoice', 'int_claim_rank'],
  int_coverages: ['int_base_coverages'],
  int_payments: ['int_payment_rank'],
};

export async function materialise(db: Db, relPath: string, table = modelTable(relPath)): Promise<string> {
  const sql = readQuery(relPath).trim().replace(/;\s*$/, '');
  const temp = PERSISTED_MODELS.has(table) ? '' : 'TEMP ';
  try {
    await db.run(`CREATE OR REPLACE ${temp}${VIEW_MODELS.has(table) ? 'VIEW' : 'TABLE'} ${table} AS ${sql}`);
  } catch (e) {
    throw new Error(`model ${relPath} failed: ${(e as Error).message}`);
  }
  return table;
}

/** Drops the run's own model (its temp table or view), never a table of the same name in the database file. */
async function dropModel(db: Db, table: string): Promise<void> {
  await db.run(`DROP ${VIEW_MODELS.has(table) ? 'VIEW' : 'TABLE'} IF EXISTS temp.main.${table}`);
}

/** Materialises a layer's models in name order; after each, drops the building blocks it was the last to read. */
export async function materialiseLayer(db: Db, layer: string, onModel?: (relPath: string, ms: number) => void): Promise<string[]> {
  const tables: string[] = [];
  for (const rel of listModels(layer)) {
    const t0 = performance.now();
    const table = await materialise(db, rel);
    for (const block of DROP_AFTER[table] ?? []) await dropModel(db, block);
    tables.push(table);
    onModel?.(rel, performance.now() - t0);
  }
  return tables;
}
