// bench/nightly: a year of history loaded by a first run from an empty database, then night after night with one
// night's deltas, and a night with nothing new; each night a full batch in its own process, timed per step.
// Targets (issue 15), 1,000,000 fees: a night with one night's deltas under 5 s, with nothing new under 4 s;
// 10,000,000 fees: a night under 30 s, peak memory under 2 GiB.
//   node --import tsx bench/nightly.ts [--fees 1000000] [--anomaly-rate 0] [--nights 3] [--memory-limit 2GB]
//
// The nights come from the generated inbox: every export of the last export day is cut, record by record (never inside
// a quoted line break), into one slice per day since the export day before it; the last `--nights` slices are the
// nights' deltas, dated on those days, and everything before them is the history. The slices keep each file's bytes
// (encoding, delimiter, line ends, header) as generated, so a night reads what the history read.
import fs from 'node:fs';
import path from 'node:path';
import { ensureInbox, listCsv, measure, options, BENCH_DATA } from './inbox.ts';

const o = options(
  'usage: node --import tsx bench/nightly.ts [options]: a first run on a year of history, then nights with one night\'s deltas and a night with nothing new',
  { fees: '1000000', 'anomaly-rate': '0', nights: '3', 'memory-limit': '2GB' },
  {
    fees: 'fees in the generated inbox (generated once into bench/data)',
    'anomaly-rate': 'anomalies planted for every rule at this rate of the entities',
    nights: 'nights with one night\'s deltas',
    'memory-limit': 'DuckDB memory_limit ("" for DuckDB\'s own default)',
  },
);
const fees = Number(o.fees);
const nights = Number(o.nights);
const src = ensureInbox(fees, Number(o['anomaly-rate']));
const work = path.join(BENCH_DATA, `nightly-${fees}-${o['anomaly-rate']}`);
fs.rmSync(work, { recursive: true, force: true });
const inbox = path.join(work, 'inbox');
const pending = path.join(work, 'nights');

const dateOf = (f: string) => /_(\d{4}-\d{2}-\d{2})\.csv$/.exec(f)?.[1] ?? null;
const files = listCsv(src.inbox);
// the regular export days: those with at least half as many files as the last (a few special files have their own dates)
const perDay = new Map<string, number>();
for (const d of files.map(dateOf)) if (d) perDay.set(d, (perDay.get(d) ?? 0) + 1);
const days = [...perDay.keys()].sort();
const last = days[days.length - 1];
const regular = days.filter((d) => perDay.get(d)! * 2 >= perDay.get(last)!);
const before = regular[regular.length - 2];
const DAY = 86_400_000;
const period = Math.round((Date.parse(last) - Date.parse(before)) / DAY);
if (period <= nights) throw new Error(`the last export period has ${period} days; --nights must be fewer`);
const dayIso = (k: number) => new Date(Date.parse(last) - k * DAY).toISOString().slice(0, 10);

/** A file's records as byte ranges after its header line: cut at line ends outside quotes only. */
function records(bytes: Buffer): { header: Buffer; recs: [number, number][] } {
  const LF = 10;
  const QUOTE = 34;
  let end = bytes.indexOf(LF);
  const header = bytes.subarray(0, end + 1);
  const recs: [number, number][] = [];
  let start = end + 1;
  let odd = false;
  let pos = start;
  while (pos < bytes.length) {
    end = bytes.indexOf(LF, pos);
    if (end === -1) end = bytes.length - 1;
    for (let i = pos; i <= end; i++) if (bytes[i] === QUOTE) odd = !odd;
    pos = end + 1;
    if (!odd) {
      recs.push([start, pos]);
      start = pos;
    }
  }
  return { header, recs };
}

let deltaRows = 0;
for (const f of files) {
  const rel = path.relative(src.inbox, f);
  const to = path.join(inbox, rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  if (dateOf(f) !== last) {
    fs.linkSync(f, to);
    continue;
  }
  const bytes = fs.readFileSync(f);
  const { header, recs } = records(bytes);
  const per = Math.ceil(recs.length / period);
  const cut = Math.max(0, recs.length - nights * per);
  const slice = (a: number, b: number) => Buffer.concat([header, ...recs.slice(a, b).map(([s, e]) => bytes.subarray(s, e))]);
  // the history's part of this export, dated the day before the first night
  fs.writeFileSync(to.replace(`_${last}.csv`, `_${dayIso(nights)}.csv`), slice(0, cut));
  for (let n = 0; n < nights; n++) {
    const a = Math.min(recs.length, cut + n * per);
    const b = Math.min(recs.length, cut + (n + 1) * per);
    const dest = path.join(pending, String(n + 1), path.dirname(rel), path.basename(rel).replace(`_${last}.csv`, `_${dayIso(nights - 1 - n)}.csv`));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, slice(a, b));
    deltaRows += b - a;
  }
}
const cfg = JSON.parse(fs.readFileSync(src.config, 'utf8')) as Record<string, unknown>;
fs.writeFileSync(path.join(work, 'afstem.config.json'), JSON.stringify({ ...cfg, inbox: 'inbox', database: 'afstem.duckdb' }, null, 2));
const config = path.join(work, 'afstem.config.json');

const run = (label: string) => {
  const r = measure('nightly-once.ts', [config, path.join(work, 'out'), o['memory-limit']]);
  const steps = r.steps as unknown as Record<string, number>;
  const peaks = r.peaks as unknown as Record<string, number>;
  const stepText = Object.entries(steps).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(' · ');
  // the step during which the peak memory was reached: the first whose peak so far is the run's
  const peakStep = Object.keys(steps).find((k) => peaks[k] >= Math.round(r.peakMB) - 1);
  console.log(`${label.padEnd(34)} ${(r.ms / 1000).toFixed(2).padStart(7)} s wall, ${r.cpuS.toFixed(1).padStart(5)} s cpu, peak ${r.peakMB.toFixed(0)} MB${peakStep ? ` (in "${peakStep}")` : ''}, exit ${r.exitCode}`);
  console.log(`${''.padEnd(34)} ${stepText}`);
  return r;
};
console.log(`fees: ${fees.toLocaleString('en')}; anomaly rate ${o['anomaly-rate']}; history up to ${dayIso(nights)}; nights of about ${Math.round(deltaRows / nights).toLocaleString('en')} delta rows each (1/${period} of the last export period)`);
run('first run (history, empty database)');
for (let n = 1; n <= nights; n++) {
  fs.cpSync(path.join(pending, String(n)), inbox, { recursive: true });
  run(`night ${n} (${dayIso(nights - n)}, one night's deltas)`);
}
run('night with nothing new');
console.log(`targets at 1M fees: a night with deltas < 5 s, with nothing new < 4 s; at 10M: a night < 30 s, peak < 2048 MB`);
