// bench/reconcile: rules R01–R22 and the reversal proposals on the loaded 1,000,000-fee inbox, per rule and in all.
// Target (issue 3): under 10 s on this 2-core machine, under 2 GiB; at 10,000,000 fees no more than 11x the 1M time.
//   node --import tsx bench/reconcile.ts [--fees 1000000] [--runs 3] [--memory-limit 2GB]
import { benchOptions, ensureInbox, ensureLoadedDb, measure, median } from './inbox.ts';

const o = benchOptions('usage: node --import tsx bench/reconcile.ts [options]: rules R01–R22 and the reversal proposals on the loaded inbox');
const fees = Number(o.fees);
const runs = Number(o.runs);
const memoryLimit = o['memory-limit'];
const { config } = ensureInbox(fees, Number(o['anomaly-rate']));
const db = ensureLoadedDb(`${fees}-${o['anomaly-rate']}`, config, memoryLimit);

const results = Array.from({ length: runs }, () => measure('stage-once.ts', ['reconcile', config, db, memoryLimit]));
const perModel = Object.keys(results[0]).filter((k) => k.endsWith('.sql'));
console.log(`fees: ${fees.toLocaleString('en')}; discrepancies: ${results[0].discrepancies}; reversal proposals: ${results[0].reversals}`);
for (const k of perModel) console.log(`  ${k.padEnd(50)} ${(median(results.map((r) => r[k])) / 1000).toFixed(3)} s`);
console.log(`rules + reversals in all (median of ${runs}): ${(median(results.map((r) => r.ms)) / 1000).toFixed(2)} s (target < 10 s at 1M)`);
console.log(`peak memory (RSS): ${Math.max(...results.map((r) => r.peakMB)).toFixed(0)} MB (target < 2048 MB)`);
