// The four delay stages of RULES.md §2: latency_items (one row per item per stage), latency_negative (the clock
// problems summary.json lists) and the latency mart (the rows of latency.csv).
// Reads the intermediate models (int_fees, int_claims, int_transactions) and the context of prepareContext; the
// caller has run the intermediate layer first (evaluateRules does).
import type { Db } from '../db.ts';
import { runStep, type OnModel } from './models.ts';

export const LATENCY_MART = 'marts/latency.sql';

/** The run step `latency` of ./graph.ts: latency_items, then the latency mart and latency_negative. */
export async function computeLatency(db: Db, onModel?: OnModel): Promise<void> {
  await runStep(db, 'latency', onModel);
}
