// Seeded, deterministic sample-data generator for afstem (FORMATS.md §1–§6, RULES.md).
//
//   node --import tsx sample-data/generate.ts [--small] [--fees N] [--out DIR] [--seed N]
//
// Writes <out>/inbox/<kommunekode>/…/<kind>_<YYYY-MM-DD>.csv, <out>/afstem.config.json and <out>/expected.json.
// The ground truth in expected.json comes from the generator's own model: background flows are built so that
// they never break a rule as of ASOF; every injected anomaly declares exactly what it makes open.
// The parts live in gen/: contract (columns), time (PRNG, Copenhagen time, text forms), model (municipalities and
// entities' shapes), files (dialects, buckets), context (one generation's state), entities (fees, claims, payments
// …), background, anomaly-kit and anomalies-* (per group of rules; anomalies-suggest: the suggested matches of
// RULES.md §6 and their near misses), inbox-files (bad rows, unknown files, the
// re-delivery), truth (configuration, expected.json, verification). The order of the steps below is the order in
// which the seeded PRNG is drawn: changing it changes every byte.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type GenerateOptions } from './gen/model.ts';
import { createContext } from './gen/context.ts';
import { createEntities } from './gen/entities.ts';
import { anomalyKit } from './gen/anomaly-kit.ts';
import { claimAnomalies, transferAnomalies } from './gen/anomalies-transfer.ts';
import { coverageAnomalies, pspAnomalies } from './gen/anomalies-payment.ts';
import { edgeCases, fbsAnomalies } from './gen/anomalies-fbs.ts';
import { SUGGESTION_DISCREPANCIES, suggestionAnomalies } from './gen/anomalies-suggest.ts';
import { background, klikTasks } from './gen/background.ts';
import { badRows, fileList } from './gen/inbox-files.ts';
import { writeConfig, writeTruth } from './gen/truth.ts';

export { SPEC_KINDS } from './gen/contract.ts';
export { ASOF, fmtAmount, fmtTs, fmtTsSlow, mulberry32 } from './gen/time.ts';
export { encodeWindows1252 } from './gen/files.ts';
export type { GenerateOptions } from './gen/model.ts';

export async function generate(opts: GenerateOptions): Promise<{ files: number; rows: number; bytes: number; mismatches: string[] }> {
  const cx = createContext(opts);
  const ent = createEntities(cx);
  const kit = anomalyKit(cx, ent);
  for (const anomalies of [transferAnomalies, claimAnomalies, pspAnomalies, coverageAnomalies, fbsAnomalies, edgeCases]) anomalies(cx, ent, kit);
  const planted = () => Object.values(cx.rules).reduce((n, r) => n + r.length, 0);
  let passes = 0;
  if (opts.anomalyRate) {
    // The anomalies of every rule once more per pass, until about anomalyRate × fees of them are planted.
    // (a pass's suggested matches, planted after the background, count too: the rate stays the share of anomalies)
    const perPass = planted() + SUGGESTION_DISCREPANCIES;
    passes = Math.max(0, Math.round((opts.anomalyRate * opts.fees) / perPass) - 1);
    for (let i = 0; i < passes; i++) {
      for (const anomalies of [transferAnomalies, claimAnomalies, pspAnomalies, coverageAnomalies, fbsAnomalies]) anomalies(cx, ent, kit);
    }
    opts.log?.(`planted ${planted().toLocaleString('en')} anomalies before the background (${passes + 1} passes of ${perPass})`);
  }
  background(cx, ent);
  klikTasks(cx);
  // the suggested matches and their near misses, once per pass, after everything drawn before them (their rows are
  // appended: the files written before they were planted keep their bytes up to them)
  const before = planted();
  for (let i = 0; i <= passes; i++) suggestionAnomalies(cx, ent, kit, i);
  if (planted() - before !== (passes + 1) * SUGGESTION_DISCREPANCIES) throw new Error('SUGGESTION_DISCREPANCIES is not what a pass of suggestionAnomalies plants');
  opts.log?.(`planted ${cx.suggestions.length.toLocaleString('en')} suggested matches and ${(planted() - before).toLocaleString('en')} discrepancies with them`);
  badRows(cx);
  const listed = fileList(cx);
  writeConfig(cx);
  const { files, bytes, mismatches } = writeTruth(cx, listed);
  return { files, rows: cx.io.totalRows, bytes, mismatches };
}

function parseArgs(argv: string[]): GenerateOptions {
  const here = path.dirname(fileURLToPath(import.meta.url));
  let small = true;
  let fees = 0;
  let out: string | null = null;
  let seed = 1;
  let verify: boolean | undefined;
  let anomalyRate: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--small') small = true;
    else if (a === '--fees') {
      fees = Number(val());
      if (!Number.isInteger(fees) || fees <= 0) throw new Error('--fees expects a positive integer');
      small = false;
    } else if (a === '--out') out = val();
    else if (a === '--verify') verify = true;
    else if (a === '--anomaly-rate') {
      anomalyRate = Number(val());
      if (!(anomalyRate >= 0 && anomalyRate < 1)) throw new Error('--anomaly-rate expects a share of the fees, from 0 up to 1 (e.g. 0.01)');
    }
    else if (a === '--seed') {
      seed = Number(val());
      if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed expects a non-negative integer');
    } else if (a === '--help' || a === '-h') {
      console.log('usage: node --import tsx sample-data/generate.ts [--small] [--fees N] [--out DIR] [--seed N] [--verify] [--anomaly-rate R]');
      console.log('  --anomaly-rate R  plant the anomalies of every rule repeatedly, about R × fees of them (needs --fees)');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (small) fees = fees || SMALL_FEES;
  if (anomalyRate && small) throw new Error('--anomaly-rate needs --fees N (the committed sample stays as it is)');
  if (!small && !out) throw new Error('--fees N needs --out DIR (the committed sample stays small)');
  return { small, fees, out: out ?? here, seed, verify, anomalyRate };
}

export const SMALL_FEES = 300;

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  let o: GenerateOptions;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const t0 = Date.now();
  generate({ ...o, log: (s) => console.log(s) }).then(
    (r) => {
      for (const x of r.mismatches) console.error(`verify: ${x}`);
      if (r.mismatches.length) process.exitCode = 1;
      console.log(
        `wrote ${r.files} files, ${r.rows.toLocaleString('en')} rows, ${(r.bytes / 1e6).toFixed(1)} MB into ${path.join(o.out, 'inbox')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
