// The run step `waves` of ./graph.ts: the go-live mart (queries/marts/waves.sql), a persisted table that
// `afstem waves` reads after the run. It reads discrepancy_states, so it runs after the lifecycle.
import type { Db } from '../db.ts';
import { runStep, type OnModel } from './models.ts';

export async function buildWaves(db: Db, onModel?: OnModel): Promise<void> {
  await runStep(db, 'waves', onModel);
}
