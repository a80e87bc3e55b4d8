// One measurement of the stages after the load, in its own process, on a database loaded by bench/load:
// `reconcile` (context, rules R01–R22 and the reversal proposals, timed per model) or `report` (the four
// stages and report.html). Prints JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/schema/migrate.ts';
import { loadConfig } from '../src/config.ts';
import { latestCreationInstant } from '../src/ingest/current.ts';
import { prepareContext } from '../src/pipeline/context.ts';
import { evaluateRules } from '../src/pipeline/rules.ts';
import { explainDiscrepancies } from '../src/pipeline/suggestions.ts';
import { computeLatency } from '../src/pipeline/latency.ts';
import { updateLifecycle } from '../src/handling/lifecycle.ts';
import { writeReport } from '../src/report/build.ts';

const [mode, configPath, dbPath, memoryLimit] = process.argv.slice(2);
const config = loadConfig(configPath);
const db = await openDatabase(dbPath, { memoryLimit });
const asOf = (await latestCreationInstant(db))!;
const perModel: Record<string, number> = {};
const t0 = performance.now();
await prepareContext(db, config, asOf);
if (mode === 'reconcile') {
  await evaluateRules(db, (rel, ms) => (perModel[rel] = ms));
  // suggested matches and deliveries that stopped (the run step `suggestions`), timed per model too
  await explainDiscrepancies(db, (rel, ms) => (perModel[rel] = ms));
} else {
  // the report reads the rules' marts and the lifecycle: build them first, outside the timing
  await evaluateRules(db);
  await explainDiscrepancies(db);
  await db.run(`DROP TABLE IF EXISTS discrepancy_history; DROP TABLE IF EXISTS lifecycle_runs`);
  await updateLifecycle(db, 1, new Date(asOf));
}
const t1 = performance.now();
let reportBytes = 0;
if (mode === 'report') {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-bench-'));
  await computeLatency(db, (rel, ms) => (perModel[rel] = ms));
  const t2 = performance.now();
  perModel['latency (all)'] = t2 - t1;
  const file = await writeReport(db, { outDir: out, asOf: new Date(asOf), summary: { files: [], rules: {}, totals: {}, warnings: [], negativeDurations: [] } as never });
  perModel['report.html'] = performance.now() - t2;
  reportBytes = fs.statSync(file).size;
  fs.rmSync(out, { recursive: true, force: true });
}
const ms = mode === 'report' ? performance.now() - t1 : t1 - t0;
const counts = mode === 'reconcile' ? await db.one<{ d: number; r: number }>(`SELECT (SELECT count(*) FROM discrepancies) AS d, (SELECT count(*) FROM reversals) AS r`) : null;
db.close();
console.log(JSON.stringify({ ms, peakMB: process.resourceUsage().maxRSS / 1024, reportBytes, discrepancies: Number(counts?.d ?? 0), reversals: Number(counts?.r ?? 0), ...perModel }));
