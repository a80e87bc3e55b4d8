// bench/report: the whole report step of a nightly batch at volume — every report.html, discrepancies.csv and
// discrepancies.xlsx, overall and per municipality, and the other CSV files (the batch's steps "write the outputs",
// "write the report" and "write the municipalities' reports") — then report.html's size and how soon headless
// Chromium has drawn its first screen (1280×800).
// Targets (issue 12), at 1,000,000 fees and ≈ 40,000 open discrepancies (--anomaly-rate 0.04, the default here):
// the report step under 10 s, report.html under 6 MB, the first screen drawn in under 2 s.
//   node --import tsx bench/report.ts [--fees 1000000] [--anomaly-rate 0.04] [--runs 1]
//   node --import tsx bench/report.ts --fees 100000 --anomaly-rate 0.04      (a quick run, ≈ 4,000 discrepancies)
// The inbox is generated once into bench/data and loaded once (bench/data/load-<fees>-<rate>.duckdb, as bench/load
// leaves it). Each run is one nightly batch in its own process on a copy of that database: its load finds nothing
// new and the rules and stages run before the report step, which alone is timed. The last run's outputs stay in
// bench/data/report-run/out (to look at).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BENCH_DATA, benchOptions, ensureInbox, ensureLoadedDb, measure, median } from './inbox.ts';

const o = benchOptions(
  'usage: node --import tsx bench/report.ts [options]: the report step of a nightly batch (all report.html, discrepancies.csv/xlsx), report.html\'s size and first screen in Chromium',
  { 'anomaly-rate': '0.04', runs: '1' },
);
const fees = Number(o.fees);
const rate = o['anomaly-rate'];
const runs = Number(o.runs);
const memoryLimit = o['memory-limit'];
const { config } = ensureInbox(fees, Number(rate));
const loaded = ensureLoadedDb(`${fees}-${rate}`, config, memoryLimit);

interface Run {
  ms: number;
  exitCode: number;
  error: string | null;
  open: number;
  critical: number;
  warning: number;
  peakMB: number;
  steps: Record<string, number>;
  /** The batch process's peak RSS (MB) as each step ended. */
  peaks: Record<string, number>;
  parts: Record<string, number>;
}

const REPORT_STEPS = ['write the outputs', 'write the report', 'write the municipalities\' reports'];
const work = path.join(BENCH_DATA, 'report-run');
const out = path.join(work, 'out');
const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const db = path.join(work, 'afstem.duckdb');
  fs.copyFileSync(loaded, db);
  const cfg = JSON.parse(fs.readFileSync(config, 'utf8')) as Record<string, unknown>;
  const runConfig = path.join(work, 'afstem.config.json');
  fs.writeFileSync(runConfig, JSON.stringify({ ...cfg, inbox: path.resolve(path.dirname(config), String(cfg.inbox)), database: db }, null, 2));
  const r = measure('report-once.ts', [runConfig, out, memoryLimit]) as unknown as Run;
  if (r.exitCode !== 0 && r.exitCode !== 3) throw new Error(`the batch failed (exit ${r.exitCode}): ${r.error}`);
  results.push(r);
}

// The first screen: from navigating to the file until the worklist's first group is visible (and in the window),
// and the first contentful paint the page itself records.
const reportFile = path.join(out, 'report.html');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const screens: { visibleMs: number; fcpMs: number; loadMs: number; top: number }[] = [];
for (let i = 0; i < 3; i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const t0 = performance.now();
  await page.goto(`file://${reportFile}`, { waitUntil: 'commit' });
  const first = page.locator('#arbejdsliste table tbody tr').first();
  await first.waitFor({ state: 'visible' });
  const visibleMs = performance.now() - t0;
  const box = await first.boundingBox();
  await page.waitForLoadState('load');
  const loadMs = performance.now() - t0;
  const fcpMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  screens.push({ visibleMs, fcpMs, loadMs, top: box ? box.y + box.height : Infinity });
  await page.close();
}
await browser.close();

const mb = (file: string) => fs.statSync(file).size / 1e6;
const munis = fs.readdirSync(path.join(out, 'municipalities'));
const muniReports = munis.map((m) => mb(path.join(out, 'municipalities', m, 'report.html')));
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const med = (f: (r: Run) => number) => median(results.map(f));
const step = (r: Run) => REPORT_STEPS.reduce((n, k) => n + (r.steps[k] ?? 0), 0);
const r0 = results[0];
const target = (ok: boolean) => (ok ? 'met' : 'NOT met');

console.log(`fees: ${fees.toLocaleString('en')}; anomaly rate ${rate}; open discrepancies: ${r0.open.toLocaleString('en')} (${r0.critical.toLocaleString('en')} critical, ${r0.warning.toLocaleString('en')} warnings); ${munis.length} municipalities; median of ${runs} run(s)`);
console.log(`report step (all reports and xlsx files): ${s(med(step))} (target < 10 s: ${target(med(step) < 10_000)})`);
for (const k of REPORT_STEPS) console.log(`  ${k.padEnd(34)} ${s(med((r) => r.steps[k] ?? 0))}`);
console.log('  parts (summed over the municipalities; a workbook is deflated while the next report is written, so the xlsx parts overlap the reports):');
for (const k of Object.keys(r0.parts)) console.log(`    ${k.padEnd(32)} ${s(med((r) => r.parts[k] ?? 0))}`);
const xlsx = med((r) => (r.parts['discrepancies.xlsx (alle og kommunernes)'] ?? 0) + (r.parts['discrepancies.xlsx (alle)'] ?? 0) + (r.parts['discrepancies.xlsx'] ?? 0));
console.log(`  discrepancies.xlsx, overall and per municipality: ${s(xlsx)} (from the query until its file is written, overlapping other parts)`);
console.log(`report.html: ${mb(reportFile).toFixed(2)} MB (target < 6 MB: ${target(mb(reportFile) < 6)}); the municipalities' report.html: ${Math.min(...muniReports).toFixed(2)}–${Math.max(...muniReports).toFixed(2)} MB`);
console.log(`discrepancies.xlsx: ${mb(path.join(out, 'discrepancies.xlsx')).toFixed(2)} MB; discrepancies.csv: ${mb(path.join(out, 'discrepancies.csv')).toFixed(2)} MB`);
const visible = median(screens.map((x) => x.visibleMs));
console.log(`first screen in Chromium at 1280×800 (median of ${screens.length} page loads): the worklist's first group visible after ${s(visible)} (target < 2 s: ${target(visible < 2000)}), in the window: ${screens.every((x) => x.top <= 800) ? 'yes' : 'NO'}`);
console.log(`  first contentful paint ${s(median(screens.map((x) => x.fcpMs)))}; load event ${s(median(screens.map((x) => x.loadMs)))}`);
console.log(`peak memory (RSS) of the batch as each step ended (the highest of the runs; a step whose figure rises raised the peak):`);
for (const k of Object.keys(r0.peaks)) console.log(`  ${k.padEnd(34)} ${Math.max(...results.map((r) => r.peaks[k] ?? 0)).toFixed(0)} MB`);
console.log(`whole batch on the loaded database (load finds nothing new, rules, stages, report step): ${s(med((r) => r.ms))}; peak memory (RSS) ${Math.max(...results.map((r) => r.peakMB)).toFixed(0)} MB`);
for (const f of fs.readdirSync(work)) if (f.startsWith('afstem.duckdb')) fs.rmSync(path.join(work, f), { force: true });
console.log(`the last run's outputs: ${out}`);
