// Issue 23, item 6: `afstem <command> --help` printed its help only after loading the command, DuckDB and the
// pipeline (0.8-1.3 s against 0.15 s for `afstem --help`). cli.ts now prints it from src/commands/help.ts without
// importing the command. Shown robustly, without timing: each command's --help runs in a child process whose module
// hook (test/helpers/forbid-modules.mjs) throws when @duckdb/node-api or the command's own module is resolved.
// Checked against the code before the fix: every `--help` below exited 1 with "forbidden module loaded".
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_HELP } from '../src/commands/help.ts';
import { joinDashValues } from '../src/commands/common.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function afstemForbidding(forbidden: string[], args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', path.join(ROOT, 'test/helpers/forbid-modules.mjs'), path.join(ROOT, 'bin/afstem.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, AFSTEM_FORBID_MODULES: forbidden.join(',') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += String(b)));
    child.stderr.on('data', (b) => (err += String(b)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** The command's own module, as source (tsx) or as the build (dist/). */
const own = (command: string) => [`/src/commands/${command}.ts`, `/dist/commands/${command}.js`];

describe('afstem <command> --help', () => {
  it('prints each command\'s help without loading DuckDB or the command itself', async () => {
    const commands = Object.keys(COMMAND_HELP);
    expect(commands.sort()).toEqual(['audit', 'demo', 'export', 'history', 'import', 'note', 'run', 'schedule', 'serve', 'user', 'waves']);
    const results = await Promise.all(commands.map((c) => afstemForbidding(['@duckdb', ...own(c)], [c, c === 'note' ? '-h' : '--help'])));
    results.forEach((r, i) => {
      expect(r.err, commands[i]).toBe('');
      expect(r.code, commands[i]).toBe(0);
      expect(r.out, commands[i]).toBe(`${COMMAND_HELP[commands[i]]}\n`);
    });
  });

  it('the hook does stop a command that loads DuckDB (the control)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-help-'));
    try {
      fs.mkdirSync(path.join(dir, 'inbox'));
      const municipalities = [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }];
      fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify({ inbox: 'inbox', database: 'db.duckdb', municipalities }));
      const r = await afstemForbidding(['@duckdb'], ['run', '--config', path.join(dir, 'c.json'), '--out', path.join(dir, 'out')]);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain('forbidden module loaded: @duckdb/node-api');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a clerk\'s command helps in Danish, an operator\'s in English', () => {
    expect(COMMAND_HELP.note).toMatch(/^brug: afstem note /);
    expect(COMMAND_HELP.note).toContain('Afslutningskoder: 0 registreret eller ingen ændring');
    expect(COMMAND_HELP.import).toMatch(/^brug: afstem import /);
    expect(COMMAND_HELP.run).toMatch(/^usage: afstem run /);
  });
});

describe('an option value that begins with "-" (issue 23: `--note "-2 kr. for meget"` exited 2)', () => {
  const options = { note: { type: 'string' }, by: { type: 'string' }, force: { type: 'boolean' } } as const;
  it('is joined to its option, unless it is itself one of the options', () => {
    expect(joinDashValues(['--note', '-2 kr. for meget', '--by', 'anna'], options)).toEqual(['--note=-2 kr. for meget', '--by', 'anna']);
    expect(joinDashValues(['--note', '--by', 'anna'], options)).toEqual(['--note', '--by', 'anna']);
    expect(joinDashValues(['--note', '--by=anna'], options)).toEqual(['--note', '--by=anna']);
    expect(joinDashValues(['--note', '-h'], options)).toEqual(['--note', '-h']);
    expect(joinDashValues(['--force', '-x'], options)).toEqual(['--force', '-x']); // a switch takes no value
    expect(joinDashValues(['--note', '--', 'x'], options)).toEqual(['--note', '--', 'x']);
  });
});
