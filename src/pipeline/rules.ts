// Evaluates the reconciliation rules of RULES.md as of the prepared asOf: the intermediate models (matching and
// state), one table per rule of the catalog (./catalog.ts), then the discrepancies and reversals marts: the run step
// `rules` of ./graph.ts, in the order the models' reads give. The caller prepares the context (prepareContext) and
// the cur_<kind> tables first. The other marts (latency, waves) read metrics and the lifecycle and are run later.
import type { Db } from '../db.ts';
import { RULES } from './catalog.ts';
import { modelGraph, runStep, type OnModel } from './models.ts';

export { RULE_CODES } from './catalog.ts';

/** The marts this step builds. */
export const RULE_MARTS = ['marts/discrepancies.sql', 'marts/reversals.sql'];

/** Every rule of the catalog has its model file, and every rule file its catalog entry. */
export function checkRuleFiles(): void {
  const files = [...modelGraph().models.values()].filter((m) => m.layer === 'rules').map((m) => m.file);
  const want = RULES.map((r) => `rules/${r.file}.sql`);
  const missing = want.filter((f) => !files.includes(f));
  const extra = files.filter((f) => !want.includes(f));
  if (missing.length) throw new Error(`rule models missing: ${missing.join(', ')}`);
  if (extra.length) throw new Error(`rule models without a catalog entry (queries/rules/catalog.json): ${extra.join(', ')}`);
}

export async function evaluateRules(db: Db, onModel?: OnModel): Promise<void> {
  checkRuleFiles();
  await runStep(db, 'rules', onModel);
}
