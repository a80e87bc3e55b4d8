// bench/load: afstem's load (hash, registry, dialects, typing, rejects, current books) beside its floors on the same
// files: DuckDB's bare per-file read_csv with its sniffer, and a declared multi-file read_csv of the same bytes.
// Target (issue 15): afstem's load of 1,000,000 fees under 8 s (median of three), peak memory under 2 GiB.
//   node --import tsx bench/load.ts [--fees 1000000] [--anomaly-rate 0] [--runs 3] [--memory-limit 2GB]
import path from 'node:path';
import { benchOptions, ensureInbox, measure, median, BENCH_DATA } from './inbox.ts';

const o = benchOptions('usage: node --import tsx bench/load.ts [options]: afstem\'s load beside DuckDB\'s per-file read_csv and a declared multi-file read');
const fees = Number(o.fees);
const runs = Number(o.runs);
const memoryLimit = o['memory-limit'];
const { config } = ensureInbox(fees, Number(o['anomaly-rate']));
const db = path.join(BENCH_DATA, `load-${fees}-${o['anomaly-rate']}.duckdb`);

const modes = ['afstem', 'bare', 'declared'] as const;
const res: Record<string, Record<string, number>[]> = { afstem: [], bare: [], declared: [] };
for (let i = 0; i < runs; i++) {
  for (const m of modes) res[m].push(measure('load-once.ts', [m, config, db, memoryLimit]));
  process.stderr.write(`run ${i + 1}: ${modes.map((m) => `${m} ${(res[m][i].ms / 1000).toFixed(2)} s (cpu ${res[m][i].cpuS.toFixed(1)} s)`).join(', ')}\n`);
}
const med = (m: string, k = 'ms') => median(res[m].map((r) => r[k]));
console.log(`fees: ${fees.toLocaleString('en')}; rows read by afstem: ${res.afstem[0].rows.toLocaleString('en')}; by the bare read: ${res.bare[0].rows.toLocaleString('en')}; by the declared read: ${res.declared[0].rows.toLocaleString('en')}`);
console.log(`afstem load + current books (median of ${runs}): ${(med('afstem') / 1000).toFixed(2)} s wall, ${med('afstem', 'cpuS').toFixed(1)} s cpu (target < 8 s)`);
console.log(`floor: bare per-file read_csv, sniffer (median of ${runs}): ${(med('bare') / 1000).toFixed(2)} s wall, ${med('bare', 'cpuS').toFixed(1)} s cpu`);
console.log(`floor: declared multi-file read_csv (median of ${runs}): ${(med('declared') / 1000).toFixed(2)} s wall, ${med('declared', 'cpuS').toFixed(1)} s cpu`);
console.log(`afstem / declared floor: ${(med('afstem') / med('declared')).toFixed(2)}x; afstem / bare: ${(med('afstem') / med('bare')).toFixed(2)}x`);
console.log(`afstem peak memory (RSS): ${Math.max(...res.afstem.map((r) => r.peakMB)).toFixed(0)} MB (target < 2048 MB; DuckDB memory_limit ${memoryLimit})`);
