// The model graph, derived from the SQL in queries/: every file is a model (a table named after the file), its
// inputs are the names it reads (identifiers outside comments and string literals that name another model or a
// source), and its materialisation is declared in its header comment:
//   -- materialized: table | view | persisted table     (default: table; view and table are TEMP, live for the run)
//   -- kept: <who reads it after the run>              (not dropped after its last reader; marts are always kept)
//   -- incremental: item                               (each row depends on one item's rows only: a night evaluates it
//                                                       on the items it touched or that came due, ./incremental.ts;
//                                                       default: whole, evaluated over everything every night)
// The run is a sequence of steps (RUN_STEPS), each building its target models and whatever of their ancestors no
// earlier step built, in topological order (ties by layer, then name). A model is dropped right after the last model
// of the plan that reads it (a view's inputs count as read by the view's readers), unless it is kept or a later step
// reads it (each step can then run on its own: tests, the bench and `afstem waves` build one step).
import fs from 'node:fs';
import path from 'node:path';
import { RULES } from './catalog.ts';
import { QUERIES_DIR } from './queries-dir.ts';

// AFSTEM_QUERIES_DIR points the models at another copy of queries/ (./queries-dir.ts).
export { QUERIES_DIR };

/** The model layers, lowest first; a model may read its own layer and those below, never above. */
export const LAYERS = ['intermediate', 'rules', 'metrics', 'marts'] as const;
export type Layer = (typeof LAYERS)[number] | 'staging' | 'context' | 'lifecycle';

/** Rank of a layer: staging/context < intermediate < rules = metrics < marts (= lifecycle, which marts build). */
export const LAYER_RANK: Record<Layer, number> = {
  context: 0, staging: 0, intermediate: 1, rules: 2, metrics: 2, marts: 3, lifecycle: 3,
};

/** What the models read that no model file builds: the evaluation context, the current books and the lifecycle. */
export const SOURCES: Record<string, Layer> = {
  cfg_municipalities: 'context',
  cfg_sla: 'context',
  cal_days: 'context',
  src_paths: 'context',
  sla_business_deadline: 'context',
  cal_banking_index: 'context',
  cal_banking_days: 'context',
  cfg_deliveries: 'context',
  src_deliveries: 'context',
  discrepancy_states: 'lifecycle',
};
/** cur_<kind>: the latest version of every row per kind (src/ingest/current.ts). */
export const SOURCE_PATTERN = /^cur_[a-z_]+$/;

/** The steps of a run, in order; each builds its targets and their ancestors not built by an earlier step. */
export const RUN_STEPS = {
  rules: ['discrepancies', 'reversals'],
  // what may explain the discrepancies: suggested matches (RULES.md §6), deliveries that stopped (§7), and both
  // beside each open discrepancy
  suggestions: ['suggestions', 'delivery_status', 'discrepancy_hints'],
  latency: ['latency', 'latency_negative', 'latency_histogram', 'latency_trend'],
  waves: ['waves'],
} as const;
export type RunStep = keyof typeof RUN_STEPS;

export interface Model {
  /** The table it materialises: `int_fees`, `rule_R01`. */
  name: string;
  /** Its file relative to queries/: `intermediate/int_fees.sql`. */
  file: string;
  layer: (typeof LAYERS)[number];
  kind: 'table' | 'view';
  persisted: boolean;
  /** Not dropped after its last reader: code reads it after the run (every mart, and models saying `-- kept:`). */
  kept: boolean;
  /** `-- incremental: item`: a row depends on the rows of one item (./incremental.ts); else whole. */
  item: boolean;
  /** The SQL, placeholders expanded, without a trailing semicolon. */
  sql: string;
  /** The models it reads, sorted. */
  inputs: string[];
  /** The sources it reads (cur_*, cfg_*, …), sorted. */
  sources: string[];
  /** Identifiers that look like a model or source name (int_*, rule_*, cur_*, cfg_*, stg_*) but name nothing. */
  unknown: string[];
}

export interface PlanEntry {
  model: string;
  step: RunStep;
  /** The models to drop right after this one is built: it is their last reader. */
  dropAfter: string[];
}

export interface Graph {
  models: Map<string, Model>;
  /** Every model in build order: the steps in order, each in topological order. */
  plan: PlanEntry[];
}

/** The table a model file materialises: `intermediate/int_fees.sql` → `int_fees`, `rules/R01_fee_not_transferred.sql` → `rule_R01`. */
export function modelTable(relPath: string): string {
  const base = path.basename(relPath, '.sql');
  const rule = /^(R\d{2})_/.exec(base);
  return rule ? `rule_${rule[1]}` : base;
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

export function readQuery(relPath: string): string {
  return fs.readFileSync(path.join(QUERIES_DIR, relPath), 'utf8');
}

/**
 * `{{ rule_union }}`: every rule table of the catalog, matched by column name (UNION ALL BY NAME), with the rule's
 * code and severity from its catalog entry as the first two columns.
 */
export function ruleUnionSql(): string {
  const parts = RULES.map((r) => `SELECT '${r.code}' AS rule, '${r.severity}' AS severity, * FROM ${modelTable(`rules/${r.file}.sql`)}`);
  return `(\n  SELECT ${RULE_UNION_COLUMNS.join(', ')} FROM (\n    ${parts.join('\n    UNION ALL BY NAME ')}\n  )\n)`;
}

/**
 * The columns of the rules' union (the discrepancies model), in order: the rule's code and severity (from the
 * catalog), then what a rule file selects.
 */
export const RULE_UNION_COLUMNS = [
  'rule', 'severity', 'municipality', 'key_id', 'fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id', 'amount', 'detail', 'lineage', 'arose_at',
] as const;
/** The columns a rule file selects (the catalog adds rule and severity). */
export const RULE_COLUMNS = RULE_UNION_COLUMNS.slice(2);

/** A subquery of the given rows, or of none, for `FROM {{ … }} alias`; columns as `name type`. */
function valuesSql(columns: string[], rows: string[][]): string {
  if (!rows.length) return `(SELECT ${columns.map((c) => `NULL::${c.split(' ')[1]} AS ${c.split(' ')[0]}`).join(', ')} WHERE false)`;
  return `(SELECT * FROM (VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}) t(${columns.map((c) => c.split(' ')[0]).join(', ')}))`;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** `{{ rule_reads }}`: (kind, rule), every kind each rule of the catalog reads (its `reads`, RULES.md §7). */
export function ruleReadsSql(): string {
  return valuesSql(['kind VARCHAR', 'rule VARCHAR'], RULES.flatMap((r) => r.reads.map((k) => [quote(k), quote(r.code)])));
}

/**
 * `{{ rule_suggestion_sides }}`: (kind, is_left, rule), the rule whose discrepancy is a suggestion kind's left or
 * right item (the catalog's `suggestion`, RULES.md §6).
 */
export function ruleSuggestionSidesSql(): string {
  const rows = RULES.filter((r) => r.suggestion).map((r) => [quote(r.suggestion!.kind), r.suggestion!.side === 'left' ? 'true' : 'false', quote(r.code)]);
  return valuesSql(['kind VARCHAR', 'is_left BOOLEAN', 'rule VARCHAR'], rows);
}

const PLACEHOLDERS: Record<string, () => string> = {
  rule_union: ruleUnionSql,
  rule_reads: ruleReadsSql,
  rule_suggestion_sides: ruleSuggestionSidesSql,
};

export function expandPlaceholders(sql: string): string {
  const count = (text: string) => (text.match(/\{\{/g) ?? []).length;
  if (count(codeOnly(sql)) !== count(sql)) throw new Error('a {{ placeholder }} inside a comment or a string literal');
  return sql.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, name: string) => {
    const gen = PLACEHOLDERS[name];
    if (!gen) throw new Error(`unknown placeholder {{ ${name} }}`);
    return gen();
  });
}

/** The SQL with comments and string literals blanked out (quoted identifiers kept), for finding the names it reads. */
export function codeOnly(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
}

/** The names a model's SQL reads, less its own CTEs. */
export function identifiers(sql: string): Set<string> {
  const code = codeOnly(sql);
  const ctes = new Set<string>();
  for (const m of code.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi)) ctes.add(m[1].toLowerCase());
  const out = new Set<string>();
  for (const m of code.matchAll(/"([^"]+)"|\b([A-Za-z_][A-Za-z0-9_]*)\b/g)) {
    const id = (m[1] ?? m[2]).toLowerCase();
    if (!ctes.has(id)) out.add(id);
  }
  return out;
}

function header(sql: string): string[] {
  const lines: string[] = [];
  for (const line of sql.split('\n')) {
    if (!line.startsWith('--')) break;
    lines.push(line);
  }
  return lines;
}

function directives(file: string, sql: string): { kind: 'table' | 'view'; persisted: boolean; kept: boolean; item: boolean } {
  let kind: 'table' | 'view' = 'table';
  let persisted = false;
  let kept = false;
  let item = false;
  for (const line of header(sql)) {
    const m = /^--\s*(materialized|kept|incremental):\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = m[2].replace(/\(.*$/, '').trim(); // what follows in parentheses is the reason
    if (m[1] === 'kept') kept = true;
    else if (m[1] === 'incremental') {
      if (value !== 'item' && value !== 'whole') throw new Error(`${file}: unknown incremental scope "${value}" (item or whole)`);
      item = value === 'item';
    }
    else if (value === 'view') kind = 'view';
    else if (value === 'persisted table') persisted = true;
    else if (value !== 'table') throw new Error(`${file}: unknown materialisation "${value}" (table, view or persisted table)`);
  }
  return { kind, persisted, kept, item };
}

const LOOKS_LIKE_MODEL = /^(int|rule|cur|cfg|stg)_/;

function parseModels(): Map<string, Model> {
  const files = LAYERS.flatMap((l) => listModels(l).map((f) => ({ file: f, layer: l })));
  // SQL names are case-insensitive: rule_r01 is rule_R01
  const byLower = new Map(files.map((f) => [modelTable(f.file).toLowerCase(), modelTable(f.file)]));
  const sourceNames = new Set(Object.keys(SOURCES));
  const models = new Map<string, Model>();
  for (const { file, layer } of files) {
    const name = modelTable(file);
    if (models.has(name)) throw new Error(`two model files make the table ${name}: ${models.get(name)!.file}, ${file}`);
    const raw = readQuery(file);
    const sql = expandPlaceholders(raw).trim().replace(/;\s*$/, '');
    const ids = identifiers(sql);
    const inputs = [...ids].filter((id) => byLower.has(id) && byLower.get(id) !== name).map((id) => byLower.get(id)!).sort();
    const sources = [...ids].filter((id) => !byLower.has(id) && (sourceNames.has(id) || SOURCE_PATTERN.test(id))).sort();
    const unknown = [...ids].filter((id) => LOOKS_LIKE_MODEL.test(id) && !byLower.has(id) && !sources.includes(id)).sort();
    const d = directives(file, raw);
    models.set(name, { name, file, layer, kind: d.kind, persisted: d.persisted, kept: d.kept || layer === 'marts', item: d.item, sql, inputs, sources, unknown });
  }
  return models;
}

/** Topological order of a set of models (inputs outside the set count as built), ties by layer then name. */
export function topoSort(models: Map<string, Model>, subset: Set<string>): string[] {
  const key = (n: string) => `${LAYERS.indexOf(models.get(n)!.layer)}:${n}`;
  const pending = new Map([...subset].map((n) => [n, models.get(n)!.inputs.filter((i) => subset.has(i)).length]));
  const order: string[] = [];
  while (pending.size) {
    const ready = [...pending].filter(([, n]) => n === 0).map(([m]) => m).sort((a, b) => (key(a) < key(b) ? -1 : 1));
    if (!ready.length) throw new Error(`the models ${[...pending.keys()].join(', ')} read each other in a cycle`);
    const next = ready[0];
    pending.delete(next);
    order.push(next);
    for (const [m] of pending) if (models.get(m)!.inputs.includes(next)) pending.set(m, pending.get(m)! - 1);
  }
  return order;
}

function ancestors(models: Map<string, Model>, targets: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: string) => {
    if (out.has(n)) return;
    const m = models.get(n);
    if (!m) throw new Error(`the run step target ${n} is no model`);
    out.add(n);
    m.inputs.forEach(visit);
  };
  targets.forEach(visit);
  return out;
}

export function buildPlan(models: Map<string, Model>): PlanEntry[] {
  const done = new Set<string>();
  const order: { model: string; step: RunStep }[] = [];
  for (const [step, targets] of Object.entries(RUN_STEPS) as [RunStep, readonly string[]][]) {
    const todo = new Set([...ancestors(models, targets)].filter((n) => !done.has(n)));
    for (const m of topoSort(models, todo)) {
      order.push({ model: m, step });
      done.add(m);
    }
  }
  const pos = new Map(order.map((e, i) => [e.model, i]));
  const readers = new Map<string, string[]>();
  for (const m of models.values()) for (const i of m.inputs) readers.set(i, [...(readers.get(i) ?? []), m.name]);
  // where a model is last used: its last reader, and for a reader that is a view, where that view is last used
  const lastUse = (n: string): number =>
    Math.max(-1, ...(readers.get(n) ?? []).filter((r) => pos.has(r)).map((r) => (models.get(r)!.kind === 'view' ? Math.max(pos.get(r)!, lastUse(r)) : pos.get(r)!)));
  const stepOf = new Map(order.map((e) => [e.model, e.step]));
  const readLater = (n: string): boolean =>
    (readers.get(n) ?? []).some((r) => stepOf.get(r) !== stepOf.get(n) || (models.get(r)!.kind === 'view' && readLater(r)));
  const dropAt = new Map<number, string[]>();
  for (const { model } of order) {
    const m = models.get(model)!;
    const at = lastUse(model);
    // a model a later step reads stays for the run: a step can be run on its own (tests, bench, afstem waves)
    if (m.kept || m.persisted || at < 0 || readLater(model)) continue;
    dropAt.set(at, [...(dropAt.get(at) ?? []), model]);
  }
  // views first: then no view is left reading a table that is gone
  const viewsFirst = (a: string, b: string) => (models.get(a)!.kind === 'view' ? 0 : 1) - (models.get(b)!.kind === 'view' ? 0 : 1) || (a < b ? -1 : 1);
  return order.map((e, i) => ({ ...e, dropAfter: (dropAt.get(i) ?? []).sort(viewsFirst) }));
}

let cached: Graph | undefined;

/** The graph of the model files (read once per process). */
export function modelGraph(): Graph {
  if (!cached) {
    const models = parseModels();
    cached = { models, plan: buildPlan(models) };
  }
  return cached;
}
