// The four delay stages of RULES.md §2: latency_items (one row per item per stage), latency_negative (the clock
// problems summary.json lists) and the latency mart (the rows of latency.csv).
// Reads the intermediate models (int_fees, int_claims, int_transactions) and the context of prepareContext; the
// caller has run the intermediate layer first (evaluateRules does).
import type { Db } from '../db.ts';
import { materialise, materialiseLayer } from './models.ts';

export const LATENCY_MART = 'marts/latency.sql';

export async function computeLatency(db: Db, onModel?: (relPath: string, ms: number) => void): Promise<void> {
  await materialiseLayer(db, 'metrics', onModel); // latency_items, then latency_negative (name order)
  const t0 = performance.now();
  await materialise(db, LATENCY_MART);
  onModel?.(LATENCY_MART, performance.now() - t0);
}

/** One entry of summary.json's negativeDurations. */
export interface NegativeDuration {
  municipality: string;
  stage: string;
  id: string;
  hours: string;
}

export async function negativeDurations(db: Db): Promise<NegativeDuration[]> {
  return db.all<NegativeDuration & Record<string, unknown>>(
    `SELECT municipality, stage, id, hours FROM latency_negative ORDER BY municipality, stage, id`,
  );
}

/** The rows of latency.csv in file order, hour cells as exact strings ('1.72') or null when empty. */
export interface LatencyRow {
  municipality: string;
  stage: string;
  n: number;
  p50_hours: string | null;
  p90_hours: string | null;
  p99_hours: string | null;
  max_hours: string | null;
  within_sla: number;
  breached: number;
  in_flight: number;
}

export async function latencyRows(db: Db): Promise<LatencyRow[]> {
  return db.all<LatencyRow & Record<string, unknown>>(
    `SELECT * FROM latency ORDER BY municipality = 'ALL', municipality, stage`,
  );
}
