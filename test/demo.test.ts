// What a newcomer and an operator meet first: `npm start` (afstem demo) on the sample inbox ends in success with a
// short summary, `afstem run` keeps the contract's exit code 3 for them, `--banking-days-only` does nothing
// on a Danish bank closing day, `--version`, and each step's duration in the JSON log.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedToday, runBatchCommand } from '../src/commands/run.ts';
import { BATCH_STEPS } from '../src/run/steps.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/afstem.js');
const SAMPLE = path.join(ROOT, 'sample-data');
const expected = JSON.parse(fs.readFileSync(path.join(SAMPLE, 'expected.json'), 'utf8')) as { asOf: string };
let dir: string;
let config: string;

function afstem(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-demo-'));
  const c = JSON.parse(fs.readFileSync(path.join(SAMPLE, 'afstem.config.json'), 'utf8'));
  c.inbox = path.join(SAMPLE, 'inbox');
  c.database = path.join(dir, 'db', 'afstem.duckdb');
  config = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(config, JSON.stringify(c));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('is afstem demo', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBe('node bin/afstem.js demo');
  });

  it('runs the sample batch, exits 0 although the sample has rejects, and says where the report is', () => {
    const r = afstem('demo', '--config', config, '--out', 'out/sample', '--as-of', expected.asOf);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`afstem demo: the sample batch finished (books as of ${expected.asOf}).`);
    expect(lines[1]).toBe('  report:   out/sample/report.html');
    expect(lines[2]).toMatch(/^ {2}open discrepancies: \d+ \(\d+ critical, \d+ warning, \d+ info\)$/);
    expect(lines[3]).toMatch(/^ {2}files: \d+, rows rejected: [1-9]\d*, files rejected or not read: \d+, warnings: \d+$/);
    expect(lines[4]).toBe('  The sample holds deliberately bad rows and files: see out/sample/rejects.csv (afstem run exits 3 for them).');
    expect(lines[5]).toBe('  all outputs: out/sample/  log: out/sample/afstem.log.jsonl');
    expect(lines).toHaveLength(6);
    expect(r.out).not.toContain('{"'); // no JSON log line on stdout
    expect(fs.existsSync(path.join(dir, 'out/sample/report.html'))).toBe(true);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'out/sample/summary.json'), 'utf8'));
    expect(summary.exitCode).toBe(3);
  });

  it('logs each step with its duration in the JSON log', () => {
    const log = fs
      .readFileSync(path.join(dir, 'out/sample/afstem.log.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; step?: string; ms?: number });
    const steps = log.filter((l) => l.step !== undefined);
    expect(steps.map((s) => s.step)).toEqual([
      'load the inbox',
      'build the current books',
      BATCH_STEPS.rules, // `evaluate rules R01–R22`: the catalog's range
      'suggest matches and watch the deliveries',
      'measure the four stages',
      'write the outputs',
      'write the report',
      "write the municipalities' reports",
    ]);
    for (const s of steps) {
      expect(s.msg).toBe(`step ${s.step} done`);
      expect(Number.isInteger(s.ms) && s.ms! >= 0).toBe(true);
    }
  });

  it('afstem run the next night keeps the contract’s exit code 3 (the sample’s unknown file), and history shows the steps', () => {
    // the next night (a run at the same asOf would be a look back, which records nothing)
    const next = new Date(Date.parse(expected.asOf) + 86_400_000).toISOString().replace('.000Z', 'Z');
    const r = afstem('run', '--config', config, '--out', 'out/run', '--as-of', next);
    expect(r.code, r.err).toBe(3);
    expect(r.out).toContain('exit code 3');
    // the run's warnings are Danish, and so is their line (it said "warning: 147 Frederiksberg har åbnet …")
    expect(r.out).toContain('\nadvarsel: 147 Frederiksberg har åbnet Mit Overblik for fordringer');
    expect(r.out).not.toMatch(/^warning: /m);
    const h = afstem('history', '--config', config);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^ {2}1 .* 3 {2}load \d+\.\d s, books \d+\.\d s,/m);
    expect(h.out).toMatch(/^ {2}2 .* 3 {2}load \d+\.\d s, books \d+\.\d s,/m);
  });
});

describe('afstem run --banking-days-only', () => {
  const out = () => path.join(dir, 'out-closed');
  const run = async (now: string) => {
    const written: string[] = [];
    const code = await runBatchCommand(
      ['--banking-days-only', '--config', config, '--out', out()],
      { now: () => new Date(now), stdout: { write: (s: string) => written.push(s) } },
    );
    return { code, text: written.join('') };
  };

  it('does nothing and exits 0 on Christmas Day, on a Saturday and on Ascension Day, by the Copenhagen date', async () => {
    expect(await run('2026-12-25T05:00:00Z')).toEqual({ code: 0, text: 'afstem: 2026-12-25 is not a banking day (Juledag): nothing to do\n' });
    expect(await run('2026-11-28T05:00:00Z')).toEqual({ code: 0, text: 'afstem: 2026-11-28 is not a banking day (lørdag): nothing to do\n' });
    // 23:30 UTC on Wednesday 13 May 2026 is already Thursday 14 May (Kristi himmelfartsdag) in Copenhagen
    expect((await run('2026-05-13T23:30:00Z')).text).toBe('afstem: 2026-05-14 is not a banking day (Kristi himmelfartsdag): nothing to do\n');
    expect(fs.existsSync(out())).toBe(false);
  });

  it('says nothing of the kind on a banking day', () => {
    expect(closedToday(new Date('2026-11-27T05:00:00Z'))).toBeUndefined(); // Friday
    expect(closedToday(new Date('2026-12-23T22:59:59Z'))).toBeUndefined(); // 23:59:59 on 23 December in Copenhagen
    expect(closedToday(new Date('2026-12-23T23:00:00Z'))).toContain('2026-12-24 is not a banking day (Juleaftensdag)');
  });

  it('still refuses incomplete arguments with exit 2', async () => {
    const code = await runBatchCommand(['--banking-days-only', '--config', config], { now: () => new Date('2026-12-25T05:00:00Z') });
    expect(code).toBe(2);
  });
});

describe('afstem --version and --help', () => {
  it('prints the version of package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const r = afstem('--version');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`afstem ${pkg.version}\n`);
  });

  it('lists the commands, demo and --version among them', () => {
    const r = afstem('--help');
    expect(r.code).toBe(0);
    for (const c of ['afstem run ', 'afstem demo ', 'afstem waves ', 'afstem export ', 'afstem schedule ', 'afstem history ', 'afstem --version']) {
      expect(r.out).toContain(c);
    }
  });
});
