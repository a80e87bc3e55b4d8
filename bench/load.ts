// bench/load: afstem's load of the 1,000,000-fee inbox beside DuckDB's bare read_csv of the same files.
// Target (issue 2): afstem within 2x of the bare read (median of three runs), peak memory under 2 GiB.
//   node --import tsx bench/load.ts [--fees 1000000] [--runs 3] [--memory-limit 2GB]
import path from 'node:path';
import { arg, ensureInbox, measure, median, BENCH_DATA } from './inbox.ts';

const fees = Number(arg('fees', '1000000'));
const runs = Number(arg('runs', '3'));
const memoryLimit = arg('memory-limit', '2GB');
const { config } = ensureInbox(fees);
const db = path.join(BENCH_DATA, `load-${fees}.duckdb`);

const afstem: Record<string, number>[] = [];
const bare: Record<string, number>[] = [];
for (let i = 0; i < runs; i++) {
  bare.push(measure('load-once.ts', ['bare', config, db, memoryLimit]));
  afstem.push(measure('load-once.ts', ['afstem', config, db, memoryLimit]));
  process.stderr.write(`run ${i + 1}: afstem ${(afstem[i].ms / 1000).toFixed(2)} s, bare read_csv ${(bare[i].ms / 1000).toFixed(2)} s\n`);
}
const a = median(afstem.map((r) => r.ms));
const b = median(bare.map((r) => r.ms));
const peak = Math.max(...afstem.map((r) => r.peakMB));
console.log(`fees: ${fees.toLocaleString('en')}; rows read by afstem: ${afstem[0].rows.toLocaleString('en')}; by bare read_csv: ${bare[0].rows.toLocaleString('en')}`);
console.log(`afstem load (median of ${runs}): ${(a / 1000).toFixed(2)} s`);
console.log(`bare read_csv (median of ${runs}): ${(b / 1000).toFixed(2)} s`);
console.log(`ratio: ${(a / b).toFixed(2)}x (target <= 2.00x)`);
console.log(`afstem peak memory (RSS): ${peak.toFixed(0)} MB (target < 2048 MB; DuckDB memory_limit ${memoryLimit})`);
