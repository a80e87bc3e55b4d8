// Evaluates the reconciliation rules of RULES.md as of the prepared asOf: the intermediate models (matching and
// state), one table per rule R01-R22, then the discrepancies and reversals marts.
// The caller prepares the context (prepareContext) and the cur_<kind> tables first.
//
// Models run in file-name order within a layer, so the intermediate files are named for their dependencies:
//   int_base_coverages, int_base_fees (a view), int_claim_adjustments, int_claim_events, int_claim_invoice,
//   int_claim_rank      read cur_* and cfg_* only
//   int_claim_coverage  reads int_base_coverages, int_claim_adjustments (covered, completion instant)
//   int_claim_state     a view: every claim with its rank, net, covered, outstanding, completion, first invoice
//   int_claims          reads int_claim_state, int_base_fees (the claim's fee)
//   int_coverages       reads int_base_coverages, int_claims
//   int_fees            reads int_base_fees, int_claims (THE claim of every fee in scope)
//   int_mit_overblik    reads int_claims, int_claim_events
//   int_payment_rank    reads cur_* (THE matched payment where several name one psp transaction)
//   int_payments        reads int_payment_rank, int_coverages
//   int_transactions    reads int_payments
// Only the two marts built from the rules run here; the other marts (latency, waves) read metrics and the
// lifecycle and are run by their owners.
import type { Db } from '../db.ts';
import { materialise, materialiseLayer } from './models.ts';

export const RULE_CODES = Array.from({ length: 22 }, (_, i) => `R${String(i + 1).padStart(2, '0')}`);

/** The marts this module owns; other marts (latency, waves) read metrics and are run by their owners. */
export const RULE_MARTS = ['marts/discrepancies.sql', 'marts/reversals.sql'];

export async function evaluateRules(db: Db, onModel?: (relPath: string, ms: number) => void): Promise<void> {
  await materialiseLayer(db, 'intermediate', onModel);
  const rules = await materialiseLayer(db, 'rules', onModel);
  const missing = RULE_CODES.filter((c) => !rules.includes(`rule_${c}`));
  if (missing.length) throw new Error(`rule models missing: ${missing.join(', ')}`);
  for (const rel of RULE_MARTS) {
    const t0 = performance.now();
    await materialise(db, rel);
    onModel?.(rel, performance.now() - t0);
  }
}
