// bench/nightly: a year of history loaded by a first run from an empty database, then night after night with one
// night's deltas, and a night with nothing new; each night a full batch in its own process, timed per step.
// Each night is loaded as cron's afstem run loads it (bench/nightly-once.mjs: the compiled dist/, built first when
// stale). Each night runs the default way (incremental: the items the night touched or that came due) and, on a copy of the
// database as it was before the night, with --full (the reference); their outputs are compared byte for byte.
// Targets (issue 27), 1,000,000 fees: a night with one night's deltas under 3 s, a day later with nothing new under
// 2 s, a rerun with nothing new under 1.5 s, the first run under 15 s; 10,000,000 fees: a night under 10 s, the first
// run under 150 s with a peak under 2 GiB.
//   node --import tsx bench/nightly.ts [--fees 1000000] [--anomaly-rate 0] [--nights 3] [--memory-limit '']
//
// The nights come from the generated inbox: every export of the last export day is cut, record by record (never inside
// a quoted line break), into one slice per day since the export day before it; the last `--nights` slices are the
// nights' deltas, dated on those days, and everything before them is the history. The slices keep each file's bytes
// (encoding, delimiter, line ends, header) as generated, so a night reads what the history read.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildIsCurrent, root } from '../bin/build.js';
import { ensureInbox, listCsv, measure, options, BENCH_DATA } from './inbox.ts';

const o = options(
  'usage: node --import tsx bench/nightly.ts [options]: a first run on a year of history, then nights with one night\'s deltas, a day later with nothing new and a rerun, each beside --full',
  { fees: '1000000', 'anomaly-rate': '0', nights: '3', 'memory-limit': '', beside: 'yes', again: 'no', 'delta-rows': '' },
  {
    fees: 'fees in the generated inbox (generated once into bench/data)',
    'anomaly-rate': 'anomalies planted for every rule at this rate of the entities',
    nights: 'nights with one night\'s deltas',
    'memory-limit': 'DuckDB memory_limit (default "": afstem\'s own, as `afstem run` chooses it for the machine)',
    beside: '"no" skips the full evaluation beside each night (at 10M fees it costs a first run each)',
    'delta-rows': 'rows of each night after the first, in all (default: like the first, 1/period of the last export; at 10M fees 21500 gives the 1M nights\' delta, for the comparison of issue 27)',
    again: '"yes" runs the nights again from the history database an earlier run of the same --fees, --anomaly-rate and --nights kept (no first run: a change measured on the same nights in minutes, at 10M too)',
  },
);
// each night runs the batch as cron's `afstem run` does: from dist/ (what `npm ci` builds), built here when a source is newer
if (!buildIsCurrent()) {
  console.log('building dist/ (tsc -p tsconfig.build.json, as npm ci does) so that the nights run what afstem run runs');
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
}
const fees = Number(o.fees);
const nights = Number(o.nights);
const src = ensureInbox(fees, Number(o['anomaly-rate']));
const work = path.join(BENCH_DATA, `nightly-${fees}-${o['anomaly-rate']}`);
const again = o.again === 'yes';
/** The database as the first run left it (the history), kept for --again. */
const history = path.join(work, 'history.duckdb');
if (again && !fs.existsSync(history)) throw new Error(`--again: no ${history}; run once without --again first`);
if (!again) fs.rmSync(work, { recursive: true, force: true });
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
// --delta-rows: the nights after the first take this many rows in all, each file its share of the last export's records
const lastExport = again ? [] : files.filter((f) => dateOf(f) === last);
const smallShare = o['delta-rows'] ? Number(o['delta-rows']) / lastExport.reduce((n, f) => n + records(fs.readFileSync(f)).recs.length, 0) : 0;
for (const f of again ? [] : files) {
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
  const small = smallShare ? Math.ceil(recs.length * smallShare) : per;
  // night n (from 0) is [start(n), start(n + 1)): the first takes `per` records, the others `small`
  const cut = Math.max(0, recs.length - per - (nights - 1) * small);
  const start = (n: number) => Math.min(recs.length, cut + (n === 0 ? 0 : per + (n - 1) * small));
  const slice = (a: number, b: number) => Buffer.concat([header, ...recs.slice(a, b).map(([s, e]) => bytes.subarray(s, e))]);
  // the history's part of this export, dated the day before the first night
  fs.writeFileSync(to.replace(`_${last}.csv`, `_${dayIso(nights)}.csv`), slice(0, cut));
  for (let n = 0; n < nights; n++) {
    const a = start(n);
    const b = start(n + 1);
    const dest = path.join(pending, String(n + 1), path.dirname(rel), path.basename(rel).replace(`_${last}.csv`, `_${dayIso(nights - 1 - n)}.csv`));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, slice(a, b));
    deltaRows += b - a;
  }
}
const cfg = JSON.parse(fs.readFileSync(src.config, 'utf8')) as Record<string, unknown>;
fs.writeFileSync(path.join(work, 'afstem.config.json'), JSON.stringify({ ...cfg, inbox: 'inbox', database: 'afstem.duckdb' }, null, 2));
fs.writeFileSync(path.join(work, 'full.config.json'), JSON.stringify({ ...cfg, inbox: 'inbox', database: 'full.duckdb' }, null, 2));
const config = path.join(work, 'afstem.config.json');
const OUTPUTS = ['discrepancies.csv', 'reversals.csv', 'suggestions.csv', 'latency.csv', 'rejects.csv', 'waves.csv'];

interface Night { ms: number; cpuS: number; peakMB: number; exitCode: number; steps: Record<string, number>; peaks: Record<string, number>; evaluation: { full: boolean; reason?: string; items?: number; rows?: number } | null; asOf: string }
const STEP_ABBR: Record<string, string> = { 'load the inbox': 'load', 'build the current books': 'books', 'suggest matches and watch the deliveries': 'suggest', 'measure the four stages': 'stages', 'write the outputs': 'outputs', 'write the report': 'report', "write the municipalities' reports": 'municipalities' };
const once = (cfgPath: string, out: string, asOf: string, full: boolean): Night =>
  measure('nightly-once.mjs', [cfgPath, out, o['memory-limit'], asOf, full ? 'full' : '']) as unknown as Night;
const show = (label: string, r: Night) => {
  const stepText = Object.entries(r.steps).map(([k, v]) => `${STEP_ABBR[k] ?? k.replace(/^evaluate /, '')} ${v.toFixed(2)}`).join(' · ');
  const e = r.evaluation;
  const what = !e ? '' : e.full ? `everything (${e.reason})` : `${e.items!.toLocaleString('en')} keys, ${e.rows!.toLocaleString('en')} rows`;
  // the step during which the peak memory was reached: the first whose peak so far is the run's
  const peakStep = Object.keys(r.steps).find((k) => r.peaks[k] >= Math.round(r.peakMB) - 1);
  const peakAt = peakStep ? ` (in ${STEP_ABBR[peakStep] ?? peakStep.replace(/^evaluate /, '')})` : '';
  console.log(`${label.padEnd(40)} ${(r.ms / 1000).toFixed(2).padStart(7)} s wall, ${r.cpuS.toFixed(1).padStart(5)} s cpu, peak ${r.peakMB.toFixed(0)} MB${peakAt}, exit ${r.exitCode}; ${what}`);
  console.log(`${''.padEnd(40)} ${stepText}`);
};
/** A night run the default way, and beside it (on a copy of the database before it) the full evaluation; outputs compared. */
const night = (label: string, asOf: string, beside: boolean): Night => {
  let full: Night | undefined;
  if (beside && o.beside !== 'no') {
    for (const ext of ['', '.wal']) {
      const from = path.join(work, `afstem.duckdb${ext}`);
      fs.rmSync(path.join(work, `full.duckdb${ext}`), { force: true });
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(work, `full.duckdb${ext}`));
    }
    full = once(path.join(work, 'full.config.json'), path.join(work, 'out-full'), asOf, true);
  }
  const r = once(config, path.join(work, 'out'), asOf, false);
  show(label, r);
  if (full) {
    show('  the same night, --full', full);
    const differ = OUTPUTS.filter((f) => !fs.readFileSync(path.join(work, 'out', f)).equals(fs.readFileSync(path.join(work, 'out-full', f))));
    console.log(`${''.padEnd(40)} outputs ${differ.length ? `DIFFER: ${differ.join(', ')}` : `identical (${OUTPUTS.join(', ')})`}`);
  }
  return r;
};
const sliced = `${nights} nights of ${deltaRows.toLocaleString('en')} delta rows in all (each 1/${period} of the last export period${smallShare ? `; after the first about ${o['delta-rows']} rows each` : ''})`;
console.log(`fees: ${fees.toLocaleString('en')}; anomaly rate ${o['anomaly-rate']}; history up to ${dayIso(nights)}; ${again ? 'the nights sliced by the first run' : sliced}`);
let r: Night;
if (again) {
  // the inbox and the database as they were after the first run: the nights' files out, the history database back
  for (let n = 1; n <= nights; n++) {
    for (const f of listCsv(path.join(pending, String(n)))) fs.rmSync(path.join(inbox, path.relative(path.join(pending, String(n)), f)), { force: true });
  }
  fs.rmSync(path.join(work, 'afstem.duckdb.wal'), { force: true });
  fs.copyFileSync(history, path.join(work, 'afstem.duckdb'));
  console.log(`first run: not run (--again: the history database ${path.relative(process.cwd(), history)})`);
  r = { asOf: '' } as Night;
} else {
  r = night('first run (history, empty database)', '', false);
  fs.copyFileSync(path.join(work, 'afstem.duckdb'), history);
}
for (let n = 1; n <= nights; n++) {
  fs.cpSync(path.join(pending, String(n)), inbox, { recursive: true });
  r = night(`night ${n} (${dayIso(nights - n)}, one night's deltas)`, '', true);
}
const later = new Date(Date.parse(r.asOf) + DAY).toISOString();
r = night('a day later, nothing new (time only)', later, true);
night('a rerun, nothing new, same asOf', r.asOf, true);
console.log('targets (issue 27) at 1M fees: a night with deltas < 3 s, time only < 2 s, a rerun < 1.5 s, the first run < 15 s; at 10M: a night < 10 s, the first run < 150 s with a peak < 2048 MB');
