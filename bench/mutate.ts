// Mutation score of the SQL models (issue 16): applies the operator mutations of bench/mutate-ops.ts one at a time
// and runs the fast rule and model tests against each mutant; prints the score and every survivor.
//   node --import tsx bench/mutate.ts [--files 'queries/rules/R1*.sql'] [--only queries/marts/waves.sql:44,…] [--list]
//                                     [--tests test/rules,test/latency.test.ts] [--jobs 2] [--hits 1] [--screening FILE]
// --only keeps the mutants of the given file:line places (to check that a new test kills them); --screening FILE saves
// the screening there, or reads it back when the file exists (stale once a test changes); --help prints this.
// The repository's queries/ is never written: the mutants live in a temporary copy that the tests read through
// AFSTEM_QUERIES_DIR (src/pipeline/graph.ts). First one screening run of the tests (bench/mutate-screen.ts), which is
// also the baseline: wherever a test builds a model, each of that model's mutants is evaluated beside it on the same
// data; a mutant whose rows never differ cannot fail any test and is a survivor without a run of its own. Every
// other mutant gets a real run in one of --jobs child processes (one Vitest instance each, no process per mutant):
// the tests that told it apart first, then every test file (those that name the mutated model first), bailing at the
// first failure. Both passes read the calendar tables, which do not depend on queries/, back from Parquet after their
// first build (bench/mutate-cache.ts).
// Equivalent mutants are listed in bench/mutate-allow.json by file + the line's exact text + the mutated text, with a
// one-line reason; they are reported as allowed, never silently skipped. A mutant that no longer parses is "invalid".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { globRegExp, mutateFile, type Mutant } from './mutate-ops.ts';
import { modelTable } from '../src/pipeline/graph.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ALLOW_FILE = path.join(ROOT, 'bench/mutate-allow.json');
const DEFAULT_TESTS = [
  'test/rules',
  'test/boundaries',
  'test/latency.test.ts',
  'test/years.test.ts',
  'test/sla-boundary.test.ts',
  'test/waves.test.ts',
  'test/suggestions.test.ts',
  'test/deliveries-overdue.test.ts',
];

/** One equivalent mutant (original + mutated line text), or a reviewed class of them (regular expressions over the
 * original and the mutated line, `originalPattern` and `mutatedPattern`), in one file, with its reason. */
interface AllowEntry {
  file: string;
  original?: string;
  mutated?: string;
  originalPattern?: string;
  mutatedPattern?: string;
  reason: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sqlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sqlFiles(p) : e.name.endsWith('.sql') ? [p] : [];
  });
}

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  const head = fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n');
  console.log(head.slice(0, head.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  console.log(`default --tests: ${DEFAULT_TESTS.join(',')}`);
  process.exit(0);
}

const glob = globRegExp(arg('--files') ?? 'queries/**/*.sql');
const files = sqlFiles(path.join(ROOT, 'queries'))
  .map((p) => path.relative(ROOT, p))
  .filter((f) => glob.test(f))
  .sort();
const only = arg('--only')?.split(',');
const mutants: Mutant[] = files
  .flatMap((f) => mutateFile(f, fs.readFileSync(path.join(ROOT, f), 'utf8')))
  .filter((m) => !only || only.includes(`${m.file}:${m.line}`));
const allow: AllowEntry[] = fs.existsSync(ALLOW_FILE) ? JSON.parse(fs.readFileSync(ALLOW_FILE, 'utf8')) : [];
const allowed = (m: Mutant) =>
  allow.find(
    (a) =>
      a.file === m.file &&
      (a.originalPattern !== undefined ? new RegExp(a.originalPattern).test(m.original) : a.original?.trim() === m.original.trim()) &&
      (a.mutatedPattern !== undefined ? new RegExp(a.mutatedPattern).test(m.mutated) : a.mutated?.trim() === m.mutated.trim()),
  );
const show = (m: Mutant) => `${m.file}:${m.line} [${m.op}]\n    - ${m.original.trim()}\n    + ${m.mutated.trim()}`;

// an entry that matches no mutant of its file is stale (the line changed, or the entry was mistyped): said, not kept silently
for (const a of allow) {
  if (!glob.test(a.file) || only || arg('--worker')) continue;
  const ms = mutateFile(a.file, fs.existsSync(path.join(ROOT, a.file)) ? fs.readFileSync(path.join(ROOT, a.file), 'utf8') : '');
  if (!ms.some((m) => allowed(m) === a)) console.log(`ALLOW-LIST ENTRY MATCHES NO MUTANT: ${a.file} ${a.original ?? a.originalPattern}`);
}

if (process.argv.includes('--list')) {
  for (const m of mutants) console.log(`${show(m)}${allowed(m) ? `\n    allowed: ${allowed(m)!.reason}` : ''}`);
  console.log(`${mutants.length} mutants in ${files.length} files`);
  process.exit(0);
}

// The temporary copy of queries/ the tests read; removed on exit, Ctrl-C included.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-mutate-'));
const tmpQueries = path.join(tmp, 'queries');
fs.cpSync(path.join(ROOT, 'queries'), tmpQueries, { recursive: true });
process.env.AFSTEM_QUERIES_DIR = tmpQueries;
const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });

const { createVitest, BaseSequencer } = await import('vitest/node');
/** Small test files first: the screening then records the hits of a mutant (the tests its real run starts with) in
 * the quick files rather than in the heavy ones (the default order runs the slowest files first). */
class SmallFirst extends BaseSequencer {
  async sort(files: { moduleId: string }[]) {
    const size = (f: string) => fs.statSync(f).size;
    return [...files].sort((a, b) => size(a.moduleId) - size(b.moduleId)) as never;
  }
}
/** The real runs keep the order they are given (the tests that told the mutant apart first, see `ordered`). */
class AsGiven extends BaseSequencer {
  async sort(files: { moduleId: string }[]) {
    return files as never;
  }
}
const testArgs = (arg('--tests') ?? DEFAULT_TESTS.join(',')).split(',');
// the calendar tables of the evaluation context, built once and read back (bench/mutate-cache.ts)
// (the --jobs child processes share the parent's)
process.env.AFSTEM_MUTATE_CACHE ??= path.join(tmp, 'cache');
const env = { AFSTEM_QUERIES_DIR: tmpQueries, AFSTEM_MUTATE_CACHE: process.env.AFSTEM_MUTATE_CACHE };
const cacheSetup = path.join(ROOT, 'bench/mutate-cache.ts');
const workerFile = arg('--worker');
const jobs = workerFile ? 1 : Math.max(1, Number(arg('--jobs') ?? 2));

// 1. The baseline, which is also the screening pass (bench/mutate-screen.ts): every mutant of a model is evaluated
// beside the original wherever a test materialises that model, and recorded with the first test whose data tells it
// apart. Macros are not models: their mutants always get a real run.
const mutantsFile = path.join(tmp, 'mutants.json');
const hitsFile = path.join(tmp, 'hits.tsv');
const screened = mutants.map((m, id) => ({ id, m })).filter(({ m }) => !allowed(m) && !m.file.startsWith('queries/macros/'));
fs.writeFileSync(
  mutantsFile,
  JSON.stringify(screened.map(({ id, m }) => ({ id, table: modelTable(path.relative('queries', m.file)), original: m.original, mutated: m.mutated }))),
);
const isScreened = new Set(screened.map((s) => s.id));
const tScreen = performance.now();
const hits = new Map<number, { file: string; test: string }[]>();
// --screening FILE: the screening's outcome is saved there, and read back instead of screening when it exists
// (a re-run after a new test: delete the file, or the new test's hits are not seen)
const screenFile = arg('--screening');
const key = (m: Mutant) => `${m.file}:${m.line}:${m.op}:${m.mutated}`;
if (!workerFile && screenFile && fs.existsSync(screenFile)) {
  const saved = JSON.parse(fs.readFileSync(screenFile, 'utf8')) as Record<string, { file: string; test: string }[]>;
  for (const { id, m } of screened) if (saved[key(m)]?.length) hits.set(id, saved[key(m)]);
  for (const { id, m } of screened) if (!(key(m) in saved)) hits.set(id, []); // not screened then: a real run
  console.log(`screening read from ${screenFile}: ${hits.size} of ${screened.length} model mutants to run`);
  for (const { id, m } of screened) if (!hits.has(id)) console.log(`SCREENED SURVIVOR ${show(m)}`);
} else if (workerFile) {
  for (const [id, h] of Object.entries(JSON.parse(fs.readFileSync(workerFile, 'utf8')).hits as Record<string, { file: string; test: string }[]>)) hits.set(Number(id), h);
} else {
  const screenVitest = await createVitest('test', {
    watch: false,
    reporters: [{ onInit() {} }],
    passWithNoTests: false,
    setupFiles: [cacheSetup, path.join(ROOT, 'bench/mutate-screen.ts')],
    maxWorkers: jobs,
    sequence: { sequencer: SmallFirst },
    // screening evaluates every mutant beside its model: a test takes many times its usual time
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    // --hits N: a mutant is screened until N tests told it apart (default 1: in the last full run the first of them
    // killed every mutant; more make a slower screening and more tests to try before all of them)
    env: { ...env, AFSTEM_MUTANTS_FILE: mutantsFile, AFSTEM_MUTANTS_HITS: hitsFile, AFSTEM_MUTANTS_MAX_HITS: arg('--hits') ?? '1' },
  });
  const specsScreen = await screenVitest.getRelevantTestSpecifications(testArgs);
  const baseline = await screenVitest.runTestSpecifications(specsScreen, true);
  await screenVitest.close();
  // The tests must pass on the unmutated copy, or every mutant would look killed.
  if (baseline.testModules.some((t) => t.state() !== 'passed')) {
    console.error('the tests fail without any mutation: fix them first');
    for (const t of baseline.testModules.filter((t) => t.state() !== 'passed')) {
      const errs = [...t.errors(), ...[...t.children.allTests()].flatMap((c) => c.result().errors ?? [])];
      const failedTests = [...t.children.allTests()].filter((c) => c.result().state !== 'passed').map((c) => `${c.name} (${c.result().state})`);
      console.error(`  ${path.relative(ROOT, t.moduleId)} (${t.state()}): ${failedTests.join(', ')} ${errs.map((e) => e.message ?? String(e)).join('; ').slice(0, 800)}`);
    }
    process.exit(2);
  }
  for (const l of fs.existsSync(hitsFile) ? fs.readFileSync(hitsFile, 'utf8').split('\n') : []) {
    const [id, file, test] = l.split('\t');
    if (l) hits.set(Number(id), [...(hits.get(Number(id)) ?? []), { file, test: test ?? '' }]);
  }
  console.log(
    `screening: ${((performance.now() - tScreen) / 60000).toFixed(1)} min, ${hits.size} of ${screened.length} model mutants change a model's rows on some test's data`,
  );
  for (const { id, m } of screened) if (!hits.has(id)) console.log(`SCREENED SURVIVOR ${show(m)}`);
  if (screenFile) fs.writeFileSync(screenFile, JSON.stringify(Object.fromEntries(screened.map(({ id, m }) => [key(m), hits.get(id) ?? []]))));
}

// 2. A real run for every mutant the screening could not rule out: the test that told it apart alone first, then
// (when that one passes) every test file, those that name the mutated model first, bailing at the first failure.
const vitest = await createVitest('test', {
  watch: false,
  bail: 1,
  reporters: [{ onInit() {} }],
  passWithNoTests: false,
  env,
  setupFiles: [cacheSetup],
  sequence: { sequencer: AsGiven },
});
const specs = jobs === 1 ? await vitest.getRelevantTestSpecifications(testArgs) : [];
const specText = new Map(specs.map((s) => [s.moduleId, fs.readFileSync(s.moduleId, 'utf8')]));

/** The test files that name the model (its rule code or table name) first, so a killed mutant fails early. */
function ordered(m: Mutant, told: { file: string }[]) {
  const base = path.basename(m.file, '.sql');
  const name = /^(R\d{2})_/.exec(base)?.[1] ?? base;
  const score = (id: string) => (told.some((t) => t.file === id) ? -1 : specText.get(id)!.includes(name) ? 0 : 1);
  const size = (id: string) => fs.statSync(id).size;
  return [...specs].sort((a, b) => score(a.moduleId) - score(b.moduleId) || size(a.moduleId) - size(b.moduleId));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
type Outcome = 'killed' | 'survived' | 'invalid' | 'allowed';
async function attempt(list: typeof specs): Promise<Outcome> {
  const result = await vitest.runTestSpecifications(list, true);
  const errors = result.testModules.flatMap((t) => [...t.children.allTests()].flatMap((c) => c.result().errors ?? []));
  const failed = result.testModules.some((t) => t.state() === 'failed') || errors.length > 0 || result.unhandledErrors.length > 0;
  if (!failed) return 'survived';
  const msgs = [...errors.map((e) => e.message ?? ''), ...result.testModules.flatMap((t) => t.errors().map((e) => e.message ?? ''))];
  return msgs.length > 0 && msgs.every((s) => /Parser Error|Binder Error|syntax error/i.test(s)) ? 'invalid' : 'killed';
}
async function run(m: Mutant, id: number): Promise<Outcome> {
  const target = path.join(tmp, m.file);
  const orig = fs.readFileSync(target, 'utf8');
  const lines = orig.split('\n');
  lines[m.line - 1] = m.mutated;
  fs.writeFileSync(target, lines.join('\n'));
  try {
    // the tests that told it apart first, file by file (the smallest file first), each file with only those tests
    // (the whole file when the difference showed in a beforeAll): a test on whose data the rows are the same cannot
    // fail. A test file's beforeAll runs even when its tests are filtered out, so the filter saves only test bodies.
    const told = hits.get(id) ?? [];
    const toldFiles = specs.filter((s) => told.some((t) => t.file === s.moduleId)).sort((a, b) => fs.statSync(a.moduleId).size - fs.statSync(b.moduleId).size);
    for (const f of toldFiles) {
      const names = told.filter((t) => t.file === f.moduleId).map((t) => t.test);
      if (names.every(Boolean)) vitest.setGlobalTestNamePattern(new RegExp(names.map((t) => escapeRe(t.split(' > ').pop()!)).join('|')));
      const outcome = await attempt([f]);
      vitest.resetGlobalTestNamePattern();
      if (outcome !== 'survived') return outcome;
    }
    // then every test file, those that name the mutated model first, bailing at the first failure
    return await attempt(ordered(m, told));
  } finally {
    vitest.resetGlobalTestNamePattern();
    fs.writeFileSync(target, orig);
  }
}

const counts: Record<Outcome, number> = { killed: 0, survived: 0, invalid: 0, allowed: 0 };
const outcomes = new Map<number, Outcome>();
const report = (i: number, outcome: Outcome, secs?: string) => {
  outcomes.set(i, outcome);
  counts[outcome]++;
  const m = mutants[i];
  const rate = (outcomes.size / ((performance.now() - tScreen) / 60000)).toFixed(1);
  console.log(`[${outcomes.size}/${mutants.length}] ${outcome.padEnd(8)} ${m.file}:${m.line} ${m.op}${secs ? ` ${secs} s` : ''} (${rate}/min)`);
};
// decided without a run: allowed, or screened with no test's data telling it apart
const toRun: number[] = [];
for (const i of workerFile ? (JSON.parse(fs.readFileSync(workerFile, 'utf8')).ids as number[]) : mutants.keys()) {
  if (workerFile) toRun.push(i);
  else if (allowed(mutants[i])) report(i, 'allowed');
  else if (isScreened.has(i) && !hits.has(i)) report(i, 'survived');
  else toRun.push(i);
}
// the mutants without a screening (the macros: every test file until one fails) first, one per child, so that their
// long runs overlap the others rather than trail at the end
toRun.sort((a, b) => Number(isScreened.has(a) || workerFile !== undefined) - Number(isScreened.has(b) || workerFile !== undefined));
try {
  if (jobs === 1) {
    for (const i of toRun) {
      const t = performance.now();
      const outcome = await run(mutants[i], i);
      const secs = ((performance.now() - t) / 1000).toFixed(1);
      if (workerFile) console.log(`RESULT\t${i}\t${outcome}\t${secs}`);
      else report(i, outcome, secs);
    }
  } else {
    // child processes, each with its own copy of queries/ and its own Vitest: a share of the runs each
    const { spawn } = await import('node:child_process');
    const pass = ['--files', '--only', '--tests'].flatMap((f) => (arg(f) ? [f, arg(f)!] : []));
    await Promise.all(
      Array.from({ length: jobs }, (_, k) => {
        const file = path.join(tmp, `worker-${k}.json`);
        fs.writeFileSync(file, JSON.stringify({ ids: toRun.filter((_, j) => j % jobs === k), hits: Object.fromEntries(hits) }));
        const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, ...pass, '--worker', file], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const [tag, id, outcome, secs] = buf.slice(0, nl).split('\t');
            buf = buf.slice(nl + 1);
            if (tag === 'RESULT') report(Number(id), outcome as Outcome, secs);
          }
        });
        return new Promise<void>((resolve, reject) => child.on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`worker ${k} exited ${c}`)))));
      }),
    );
  }
} finally {
  await vitest.close();
  cleanup();
}
if (workerFile) process.exit(0);
const survivors = mutants.filter((_, i) => outcomes.get(i) === 'survived');
const minutes = (performance.now() - tScreen) / 60000;
const scored = counts.killed + counts.survived;
console.log(`\n${mutants.length} mutants in ${files.length} files, ${minutes.toFixed(1)} min (${(mutants.length / minutes).toFixed(1)} mutants/min)`);
console.log(`killed ${counts.killed}, survived ${counts.survived}, allowed (equivalent) ${counts.allowed}, invalid ${counts.invalid}`);
console.log(`mutation score ${scored ? ((100 * counts.killed) / scored).toFixed(1) : '—'} % of ${scored} non-equivalent mutants`);
for (const m of survivors) console.log(`SURVIVOR ${show(m)}`);
process.exitCode = survivors.length ? 1 : 0;
