// bench/report: the four stages (latency) and report.html for the loaded 1,000,000-fee inbox, beyond the rules.
// Target (issue 4): under 5 s beyond the rules, a report file under 5 MB.
//   node --import tsx bench/report.ts [--fees 1000000] [--runs 3]
import { benchOptions, ensureInbox, ensureLoadedDb, measure, median } from './inbox.ts';

const o = benchOptions('usage: node --import tsx bench/report.ts [options]: the four stages and report.html on the loaded inbox');
const fees = Number(o.fees);
const runs = Number(o.runs);
const memoryLimit = o['memory-limit'];
const { config } = ensureInbox(fees, Number(o['anomaly-rate']));
const db = ensureLoadedDb(`${fees}-${o['anomaly-rate']}`, config, memoryLimit);

const results = Array.from({ length: runs }, () => measure('stage-once.ts', ['report', config, db, memoryLimit]));
console.log(`fees: ${fees.toLocaleString('en')}`);
for (const k of ['latency (all)', 'report.html']) console.log(`  ${k.padEnd(20)} ${(median(results.map((r) => r[k])) / 1000).toFixed(2)} s`);
console.log(`latency + report (median of ${runs}): ${(median(results.map((r) => r.ms)) / 1000).toFixed(2)} s (target < 5 s)`);
console.log(`report.html: ${(results[0].reportBytes / 1e6).toFixed(2)} MB (target < 5 MB)`);
console.log(`peak memory (RSS): ${Math.max(...results.map((r) => r.peakMB)).toFixed(0)} MB`);
