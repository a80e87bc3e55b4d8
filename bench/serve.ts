// bench/serve: afstem serve at volume (issue 26). On the database of a recorded nightly run of the generated inbox
// (default 1,000,000 fees, --anomaly-rate 0.04: about 40,000 open discrepancies), a real server on 127.0.0.1 and a
// client over fetch: the time from request to the whole answer, for the worklist page (its first page, a page deep
// in it, a filtered one; a clerk of the largest municipality and an operator of all), a case page, an exact
// case-number search, an id search, a text search, a handling change (snapshot, journal and database file), the
// discrepancies.xlsx of a municipality, and the snapshot's copy of the database.
// Targets: worklist and case page < 300 ms, exact case-number search < 100 ms, a handling change < 200 ms.
//   node --import tsx bench/serve.ts [--fees 1000000] [--anomaly-rate 0.04] [--runs 15]
// The inbox is generated once into bench/data, loaded once (bench/load's database) and run once as a recorded night
// (bench/data/serve-<fees>-<rate>.duckdb); each bench works on a copy of that.
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DATA, benchOptions, ensureInbox, ensureLoadedDb, measure, median } from './inbox.ts';
import { Db } from '../src/db.ts';
import { loadConfig } from '../src/config.ts';
import { addUser } from '../src/serve/users.ts';
import { startServer } from '../src/serve/server.ts';
import { createLogger } from '../src/log.ts';

const o = benchOptions('usage: node --import tsx bench/serve.ts [options]: afstem serve\'s pages, search and handling change at volume', { 'anomaly-rate': '0.04', runs: '15' });
const fees = Number(o.fees);
const rate = o['anomaly-rate'];
const runs = Number(o.runs);
const { config } = ensureInbox(fees, Number(rate));
const loaded = ensureLoadedDb(`${fees}-${rate}`, config, o['memory-limit']);

const work = path.join(BENCH_DATA, 'serve-run');
const cfg = JSON.parse(fs.readFileSync(config, 'utf8')) as Record<string, unknown>;
const writeConfig = (db: string) => {
  const file = path.join(work, 'afstem.config.json');
  fs.writeFileSync(file, JSON.stringify({ ...cfg, inbox: path.resolve(path.dirname(config), String(cfg.inbox)), database: db }, null, 2));
  return file;
};
const recorded = path.join(BENCH_DATA, `serve-${fees}-${rate}.duckdb`);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
if (!fs.existsSync(recorded)) {
  process.stderr.write('recording one nightly run on the loaded database …\n');
  const db = path.join(work, 'afstem.duckdb');
  fs.copyFileSync(loaded, db);
  const r = measure('report-once.ts', [writeConfig(db), path.join(work, 'out'), o['memory-limit']]);
  if (r.exitCode !== 0 && r.exitCode !== 3) throw new Error(`the batch failed (exit ${r.exitCode})`);
  fs.copyFileSync(db, recorded);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
}
const database = path.join(work, 'afstem.duckdb');
fs.copyFileSync(recorded, database);
const configPath = writeConfig(database);

// the accounts, the largest municipality and the open cases to visit
const PASSWORD = 'bench-adgangskode-1';
const db = await Db.open(database);
const biggest = (await db.one<{ m: string; n: number }>(`SELECT municipality AS m, count(*) AS n FROM discrepancy_states WHERE state <> 'resolved' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`))!;
const totals = (await db.one<{ open: number; worklist: number }>(`SELECT count(*) FILTER (WHERE state <> 'resolved') AS open,
  count(*) FILTER (WHERE state <> 'resolved' AND severity IN ('critical', 'warning')) AS worklist FROM discrepancy_states`))!;
const cases = (await db.all<{ ref: string; key: string }>(`SELECT case_ref AS ref, key_id AS key FROM discrepancy_states
  WHERE state <> 'resolved' AND municipality = '${biggest.m}' AND severity IN ('critical', 'warning') ORDER BY hash(case_ref) LIMIT ${runs * 3}`));
await addUser(db, { name: 'clerk', role: 'clerk', municipalities: [biggest.m], password: PASSWORD });
await addUser(db, { name: 'operator', role: 'operator', municipalities: [], password: PASSWORD });
db.close();

// the server's debug lines say where a change's time goes (opening the file, journal, the file's apply, the snapshot)
const parts: Record<string, number>[] = [];
const log = createLogger({ runId: 'bench', level: 'debug', stream: { write: (l: string) => {
  const o = JSON.parse(l) as { msg: string; ms?: Record<string, number> };
  if (o.msg.endsWith(' recorded') && o.ms) parts.push(o.ms);
  else if (!o.msg.includes('snapshot of the database made')) process.stderr.write(l);
} } });
const t0 = performance.now();
const server = await startServer(loadConfig(configPath), { port: 0, pollMs: 3_600_000, log });
const startMs = performance.now() - t0;

async function signIn(user: string): Promise<string> {
  let r = await fetch(`${server.url}/login`);
  const pre = r.headers.getSetCookie()[0].split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await r.text())![1];
  r = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: pre, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user, password: PASSWORD, _csrf: token }) });
  return r.headers.getSetCookie().find((c) => c.startsWith('afstem_session='))!.split(';')[0];
}
const clerk = await signIn('clerk');
const operator = await signIn('operator');

/** Milliseconds from the request until its whole answer, one request at a time. */
async function timed(cookie: string, p: string, init: RequestInit = {}): Promise<{ ms: number; status: number; body: string }> {
  const t = performance.now();
  const r = await fetch(server.url + p, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers ?? {}) } });
  const body = await r.text();
  return { ms: performance.now() - t, status: r.status, body };
}

const results: [string, number[], number | null][] = [];
async function bench(label: string, target: number | null, paths: (i: number) => string, cookie = clerk): Promise<void> {
  await timed(cookie, paths(0)); // warm
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await timed(cookie, paths(i));
    if (r.status !== 200) throw new Error(`${label}: ${paths(i)} answered ${r.status}`);
    ms.push(r.ms);
  }
  results.push([label, ms, target]);
}

const pages = Math.ceil(biggest.n / 50);
await bench('worklist, first page (clerk of the largest municipality)', 300, () => '/');
await bench('worklist, a page deep in it', 300, (i) => `/?side=${Math.max(1, Math.floor(pages / 2) - i)}`);
await bench('worklist, filtered (severity, age, text)', 300, () => '/?alvor=critical&alder=1&tekst=kr');
await bench('worklist, first page (operator: every municipality)', 300, () => '/', operator);
await bench('case page', 300, (i) => `/sager/${cases[i % cases.length].ref}`);
await bench('exact case-number search', 100, (i) => `/?q=${cases[i % cases.length].ref}`);
await bench('id search', null, (i) => `/?q=${encodeURIComponent(cases[i % cases.length].key)}`);
await bench('text search', null, () => `/?q=${encodeURIComponent('ikke overført')}`);
await bench('handled list', null, () => '/behandlede');

// a handling change: the form posted, journaled (fsync), applied to the database file and put into the snapshot
const changes: number[] = [];
for (let i = 0; i < runs; i++) {
  const ref = cases[runs + i].ref;
  const page = await timed(clerk, `/sager/${ref}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const seen = /name="seen" value="([^"]*)"/.exec(page.body)![1];
  const r = await timed(clerk, `/sager/${ref}`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, seen, status: 'in_progress', assignee: 'bench', note: `bench ${i}`, follow_up: '' }) });
  if (r.status !== 303) throw new Error(`change ${ref}: ${r.status} ${r.body.slice(0, 400)}`);
  changes.push(r.ms);
}
results.push(['handling change (journal fsync, database file, snapshot)', changes, 200]);
const xlsx = await timed(clerk, `/kommuner/${biggest.m}/discrepancies.xlsx`);
const t1 = performance.now();
await (server.shared as unknown as { rebuild(): Promise<void> }).rebuild();
const rebuildMs = performance.now() - t1;
await server.close();

const f = (ms: number) => `${ms.toFixed(0)} ms`;
console.log(`fees: ${fees.toLocaleString('en')}; anomaly rate ${rate}; open discrepancies ${totals.open.toLocaleString('en')} (critical and warning ${totals.worklist.toLocaleString('en')}); the clerk's municipality ${biggest.m} with ${biggest.n.toLocaleString('en')}; ${runs} requests each, one at a time, on 127.0.0.1`);
for (const [label, ms, target] of results) {
  const m = median(ms);
  const p90 = [...ms].sort((a, b) => a - b)[Math.floor(ms.length * 0.9)];
  console.log(`  ${label.padEnd(60)} median ${f(m).padStart(7)}, p90 ${f(p90).padStart(7)}${target ? ` (target < ${target} ms: ${m < target ? 'met' : 'NOT met'})` : ''}`);
}
const part = (k: string) => median(parts.map((p) => p[k] ?? 0)).toFixed(0);
console.log(`    of a change (medians): opening the file ${part('open')} ms, journal ${part('journal')} ms, the file's apply ${part('file')} ms, into the snapshot ${part('snapshot')} ms`);
console.log(`  discrepancies.xlsx of ${biggest.m} (${biggest.n.toLocaleString('en')} rows)${' '.repeat(30)} ${f(xlsx.ms)} (${(xlsx.body.length / 1e6).toFixed(2)} MB as text)`);
console.log(`  server start (first snapshot of the database, listening)                 ${f(startMs)}`);
console.log(`  a new snapshot of the database (copy, views, journal)                     ${f(rebuildMs)}`);
console.log(`  peak memory (RSS) of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
