// The TypeScript mutations of issue 16, item 3, and those of issue 25 (./mutate-ts-newer.ts: the case handling, the
// lock, the output folder, the masking call sites, the report's sections and the commands): hand-made, one at a time,
// in a copy of the repository (the worktree is never written), each run against the tests that should catch it. A
// mutation that leaves its tests green is a survivor: a test is missing.
//   node --import tsx bench/mutate-ts.ts [--only <substring of a name>] [--newer] [--list]
// --newer runs issue 25's mutations alone; --list prints the mutations and their tests without running them.
// Prints one line per mutation (killed / SURVIVED / not applicable when its text is not found, with its time) and the
// count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { newerMutants, type TsMutant } from './mutate-ts-newer.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const CAL = ['test/closing-days.test.ts', 'test/calendar.test.ts'];
const SLA = ['test/sla-boundary.test.ts', 'test/calendar.test.ts'];
const MASK = ['test/mask.test.ts'];
const CP = ['test/ingest/cp1252.test.ts'];
const LATER = ['test/ingest/later-export.test.ts', 'test/ingest/current-books.test.ts'];
const EXIT = ['test/cli-main.test.ts', 'test/cli.test.ts', 'test/hostile/inbox.test.ts'];
const closing = [
  ["add(`${year}-01-01`, 'Nytårsdag');", '1 January'],
  ["add(rel(-3), 'Skærtorsdag');", 'Maundy Thursday'],
  ["add(rel(-2), 'Langfredag');", 'Good Friday'],
  ["add(rel(1), '2. påskedag');", 'Easter Monday'],
  ["if (year <= 2023) add(rel(26), 'Store bededag');", 'Great Prayer Day'],
  ["add(rel(39), 'Kristi himmelfartsdag');", 'Ascension Day'],
  ["add(rel(40), 'Fredag efter Kristi himmelfartsdag');", 'the Friday after Ascension Day'],
  ["add(rel(50), '2. pinsedag');", 'Whit Monday'],
  ["add(`${year}-06-05`, 'Grundlovsdag');", '5 June'],
  ["add(`${year}-12-24`, 'Juleaftensdag');", '24 December'],
  ["add(`${year}-12-25`, 'Juledag');", '25 December'],
  ["add(`${year}-12-26`, '2. juledag');", '26 December'],
  ["add(`${year}-12-31`, 'Nytårsaftensdag');", '31 December'],
];
const MUTANTS: TsMutant[] = [
  ...closing.map(([from, what]) => ({ name: `calendar: ${what} dropped`, file: 'src/calendar.ts', from, to: '', tests: CAL })),
  { name: 'calendar: Great Prayer Day until 2022 only', file: 'src/calendar.ts', from: 'year <= 2023', to: 'year < 2023', tests: CAL },
  { name: 'calendar: Great Prayer Day from 2024 too', file: 'src/calendar.ts', from: 'if (year <= 2023) add(rel(26)', to: 'add(rel(26)', tests: CAL },
  { name: 'SLA deadline (TS): the N-th banking day itself, not the day after', file: 'src/calendar.ts', from: "return d.plus({ days: 1 }).startOf('day');", to: "return d.startOf('day');", tests: SLA },
  { name: 'SLA deadline (TS): the start date counted', file: 'src/calendar.ts', from: 'while (counted < n) {\n    d = d.plus({ days: 1 });\n    if (isBankingDay(d.toISODate()!)) counted++;', to: 'while (counted < n) {\n    if (isBankingDay(d.toISODate()!)) counted++;\n    d = d.plus({ days: 1 });', tests: SLA },
  { name: 'SLA deadline (SQL): the N-th banking day itself, not the day after', file: 'src/pipeline/context.ts', from: '(n.d + INTERVAL 1 DAY)::TIMESTAMP', to: 'n.d::TIMESTAMP', tests: SLA },
  { name: 'SLA deadline (SQL): start date counted', file: 'src/pipeline/context.ts', from: 'n.n_upto = i.n_upto + s.business_days', to: 'n.n_upto = i.n_upto + s.business_days - 1', tests: SLA },
  { name: 'CPR mask: digits before the number allowed', file: 'src/mask.ts', from: '/(?<![\\p{L}\\p{N}])(\\d{6})', to: '/(\\d{6})', tests: MASK },
  { name: 'CPR mask: digits after the number allowed', file: 'src/mask.ts', from: '(\\d{4})(?![\\p{L}\\p{N}])/gu', to: '(\\d{4})/gu', tests: MASK },
  { name: 'CPR mask: letters around the number not allowed either', file: 'src/mask.ts', from: '(?<![\\p{L}\\p{N}])(\\d{6})(-?)(\\d{4})(?![\\p{L}\\p{N}])', to: '(?<!\\p{N})(\\d{6})(-?)(\\d{4})(?!\\p{N})', tests: MASK },
  { name: 'CPR mask: ten digits without a hyphen not masked in text', file: 'src/mask.ts', from: '(\\d{6})(-?)(\\d{4})(?!', to: '(\\d{6})(-)(\\d{4})(?!', tests: MASK },
  { name: 'CPR mask: debtor_party without a hyphen shown whole', file: 'src/mask.ts', from: '/^\\s*(\\d{6})-?(\\d{4})\\s*$/', to: '/^\\s*(\\d{6})-(\\d{4})\\s*$/', tests: MASK },
  { name: 'CPR mask: a CVR (8 digits) masked too', file: 'src/mask.ts', from: '/^\\s*(\\d{6})-?(\\d{4})\\s*$/', to: '/^\\s*(\\d{6})-?(\\d{2,4})\\s*$/', tests: MASK },
  { name: 'Windows-1252: 0x80 is not €', file: 'src/ingest/decode.ts', from: "'€\\u0081", to: "'¤\\u0081", tests: CP },
  { name: 'Windows-1252: 0x91 and 0x92 swapped', file: 'src/ingest/decode.ts', from: '‘’', to: '’‘', tests: CP },
  { name: 'Windows-1252: 0x9F is not Ÿ', file: 'src/ingest/decode.ts', from: "žŸ'", to: "žÿ'", tests: CP },
  { name: 'Windows-1252: 0x8A is not Š', file: 'src/ingest/decode.ts', from: '‰Š‹', to: '‰S‹', tests: CP },
  { name: 'later export: the earlier export date wins', file: 'src/ingest/current.ts', from: 'ORDER BY s.export_date DESC, s.line DESC', to: 'ORDER BY s.export_date ASC, s.line DESC', tests: LATER },
  { name: 'later export: the line decides before the export date', file: 'src/ingest/current.ts', from: 'ORDER BY s.export_date DESC, s.line DESC', to: 'ORDER BY s.line DESC, s.export_date DESC', tests: LATER },
  { name: 'later export: within one file the earlier row wins', file: 'src/ingest/current.ts', from: 'ORDER BY s.export_date DESC, s.line DESC', to: 'ORDER BY s.export_date DESC, s.line ASC', tests: LATER },
  { name: 'exit code: rejects or unknown files give 0, not 3', file: 'src/run/batch.ts', from: 'ingest.unclean ? 3 : 0', to: 'ingest.unclean ? 0 : 0', tests: EXIT },
  { name: 'exit code: unreadable files do not make 3', file: 'src/ingest/ingest.ts', from: "if (status === 'unknown' || status === 'unreadable') metProblems = true;", to: "if (status === 'unknown') metProblems = true;", tests: EXIT },
  { name: 'exit code: unknown files do not make 3', file: 'src/ingest/ingest.ts', from: "if (status === 'unknown' || status === 'unreadable') metProblems = true;", to: "if (status === 'unreadable') metProblems = true;", tests: EXIT },
  // (cli.ts's own `ConfigError ? 2` is a safety net no command reaches: batch.ts and commands/common.ts turn a
  // ConfigError into exit 2 first, so these two are the mutations of that rule)
  { name: 'exit code: a bad configuration of a run is 1, not 2', file: 'src/run/batch.ts', from: 'return { exitCode: 2, error: msg };', to: 'return { exitCode: 1, error: msg };', tests: EXIT },
  { name: 'exit code: a bad configuration of a command is 1, not 2', file: 'src/commands/common.ts', from: 'throw new CommandError(e.message, 2)', to: 'throw new CommandError(e.message, 1)', tests: EXIT },
  { name: 'exit code: an unexpected error is 2, not 1', file: 'src/cli.ts', from: 'e instanceof ConfigError ? 2 : 1', to: 'e instanceof ConfigError ? 2 : 2', tests: EXIT },
];

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const chosen = (process.argv.includes('--newer') ? newerMutants(ROOT) : [...MUTANTS, ...newerMutants(ROOT)]).filter((x) => !only || x.name.includes(only));
if (process.argv.includes('--list')) {
  for (const m of chosen) console.log(`${m.name}\n    ${m.file}  (${m.tests.join(' ')})`);
  console.log(`\n${chosen.length} mutations`);
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-mutate-ts-'));
const copy = path.join(tmp, 'repo');
fs.mkdirSync(copy);
for (const e of fs.readdirSync(ROOT)) {
  if (e === 'node_modules') fs.symlinkSync(path.join(ROOT, e), path.join(copy, e));
  else if (!e.startsWith('.') && !['dist', 'data'].includes(e)) fs.cpSync(path.join(ROOT, e), path.join(copy, e), { recursive: true });
}
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const t0 = performance.now();
let killed = 0;
let equivalent = 0;
const survivors: string[] = [];
for (const m of chosen) {
  if (m.equivalent) {
    equivalent++;
    console.log(`equivalent ${m.name}: ${m.equivalent}`);
    continue;
  }
  const file = path.join(copy, m.file);
  const orig = fs.readFileSync(file, 'utf8');
  if (!orig.includes(m.from)) {
    console.log(`not applicable  ${m.name} (text not found in ${m.file})`);
    continue;
  }
  fs.writeFileSync(file, orig.replace(m.from, m.to));
  const t = performance.now();
  const r = spawnSync(process.execPath, [path.join(copy, 'node_modules/vitest/vitest.mjs'), 'run', '--bail=1', ...m.tests], { cwd: copy, encoding: 'utf8' });
  fs.writeFileSync(file, orig);
  const secs = `${((performance.now() - t) / 1000).toFixed(0)} s`;
  if (r.status !== 0) {
    killed++;
    // what failed: the first failing test (or the error, when no test ran)
    const lines = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    const why = lines.find((l) => /^\s*FAIL\s/.test(l)) ?? lines.find((l) => /Error/.test(l)) ?? `exit ${r.status}`;
    console.log(`killed    ${m.name}  (${secs})\n            ${why.trim().slice(0, 200)}`);
  } else {
    survivors.push(m.name);
    console.log(`SURVIVED  ${m.name}  (${m.tests.join(' ')}; ${secs})`);
  }
}
console.log(`\n${killed} of ${killed + survivors.length} TypeScript mutations killed (${equivalent} equivalent, not run), ${((performance.now() - t0) / 60000).toFixed(1)} min`);
process.exitCode = survivors.length ? 1 : 0;
