// The benchmark inboxes: generated once by sample-data/generate.ts into bench/data/fees-<N>/ and reused.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BENCH_DATA = path.resolve(import.meta.dirname, 'data');

/** The inbox for a size and an anomaly rate (0: the generator's fixed set of anomalies only). */
export function ensureInbox(fees: number, anomalyRate = 0): { dir: string; config: string; inbox: string } {
  const dir = path.join(BENCH_DATA, anomalyRate > 0 ? `fees-${fees}-anomalies-${anomalyRate}` : `fees-${fees}`);
  const config = path.join(dir, 'afstem.config.json');
  if (!fs.existsSync(config)) {
    process.stderr.write(`generating an inbox with ${fees.toLocaleString('en')} fees into ${dir} …\n`);
    const rate = anomalyRate > 0 ? ['--anomaly-rate', String(anomalyRate)] : [];
    execFileSync(
      process.execPath,
      ['--import', 'tsx', path.resolve(import.meta.dirname, '../sample-data/generate.ts'), '--fees', String(fees), ...rate, '--out', dir],
      { stdio: 'inherit' },
    );
  }
  return { dir, config, inbox: path.join(dir, 'inbox') };
}

export function listCsv(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.csv')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * The options of a bench script: `--help` prints the usage and the options with their defaults and exits before any
 * work; an unknown option is an error (exit 2). Returns the value of every option (the default when not given).
 */
/** The options every bench on the generated inbox takes: its size, its anomaly rate, the runs, DuckDB's memory (a
 *  bench may give other defaults). */
export function benchOptions(usage: string, defaults: Record<string, string> = {}): Record<string, string> {
  return options(usage, { fees: '1000000', 'anomaly-rate': '0', runs: '3', 'memory-limit': '2GB', ...defaults }, {
    fees: 'fees in the generated inbox (generated once into bench/data)',
    'anomaly-rate': 'anomalies planted for every rule at this rate of the entities',
    runs: 'runs of each measurement (the median is printed)',
    'memory-limit': 'DuckDB memory_limit',
  });
}

export function options(usage: string, defaults: Record<string, string>, about: Record<string, string> = {}): Record<string, string> {
  const argv = process.argv.slice(2);
  const print = (to: NodeJS.WriteStream) => {
    to.write(`${usage}\noptions:\n`);
    for (const [k, v] of Object.entries(defaults)) to.write(`  --${k.padEnd(16)} ${about[k] ?? ''} (default ${v})\n`);
    to.write(`  --help             this text\n`);
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    print(process.stdout);
    process.exit(0);
  }
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || !(name in defaults) || argv[i + 1] === undefined) {
      process.stderr.write(`unknown option or missing value: ${argv[i]}\n`);
      print(process.stderr);
      process.exit(2);
    }
    out[name] = argv[++i];
  }
  return out;
}

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs one measurement in a fresh process (so its peak memory is its own) and returns what it printed as JSON. */
export function measure(script: string, args: string[]): Record<string, number> {
  // a .mjs script is plain JavaScript that loads what it measures itself (bench/nightly-once.mjs), without tsx
  const loader = script.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const out = execFileSync(process.execPath, [...loader, path.resolve(import.meta.dirname, script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.trim().split('\n').pop()!;
  return JSON.parse(last) as Record<string, number>;
}

/** The database bench/load leaves for an inbox (loading it once, in a measured process, when it is missing). */
export function ensureLoadedDb(fees: number | string, config: string, memoryLimit: string): string {
  const db = path.join(BENCH_DATA, `load-${fees}.duckdb`);
  if (!fs.existsSync(db)) measure('load-once.ts', ['afstem', config, db, memoryLimit]);
  return db;
}

/**
 * The stream a bench hands to runBatchDetailed: not a terminal (so the JSON log lines come too), each whole line
 * given to onLine as it is written.
 */
export function lineStream(onLine: (line: string) => void): NodeJS.WritableStream {
  let pending = '';
  const stream = {
    isTTY: false,
    write(chunk: string) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) onLine(l);
      return true;
    },
  };
  return stream as unknown as NodeJS.WritableStream;
}
