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
import stringWidth from 'string-width';
import { AUDIT_USAGE, COMMAND_HELP, DEMO_USAGE, EXPORT_USAGE, HELP_WIDTH, IMPORT_USAGE, NOTE_USAGE, RUN_USAGE, USER_USAGE, usageText } from '../src/commands/help.ts';
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

describe('help in a terminal of 120 columns', () => {
  // `afstem run`'s usage line was 137 columns and wrapped mid-option in a 120-column terminal, and four help texts had
  // lines of 122-193 columns (checked against the code before: this test listed them). A usage line now wraps before an
  // option, under the first one, keeping each option with its value and each bracket whole.
  const USAGES = { RUN_USAGE, NOTE_USAGE, USER_USAGE, AUDIT_USAGE, EXPORT_USAGE, DEMO_USAGE, IMPORT_USAGE };
  it('every command\'s --help and the overview fit, every line within 120 columns', async () => {
    const texts = { ...COMMAND_HELP, overview: (await afstemForbidding([], ['--help'])).out };
    const long = Object.entries(texts).flatMap(([c, t]) => t.split('\n').filter((l) => stringWidth(l) > HELP_WIDTH).map((l) => `${c}: ${l}`));
    expect(long).toEqual([]);
  });
  it('a wrapped usage line holds every word of the line, options whole, later lines under the first option', () => {
    for (const [name, usage] of Object.entries(USAGES)) {
      const text = usageText('usage', usage);
      expect(text.replace(/\n\s+/g, ' '), name).toBe(`usage: ${usage}`);
      const lines = text.split('\n');
      for (const l of lines) expect(stringWidth(l), `${name}: ${l}`).toBeLessThanOrEqual(HELP_WIDTH);
      for (const l of lines.slice(1)) expect(l, name).toMatch(new RegExp(`^ {${usage.split(' ').slice(0, 2).join(' ').length + 8}}[[-]`));
    }
    expect(usageText('usage', RUN_USAGE).split('\n')).toEqual([
      'usage: afstem run --config <file> --out <dir> [--as-of <instant or date>] [--memory-limit 1GB] [--full]',
      '                  [--banking-days-only] [--verbose]',
    ]);
    // narrower: an option and its value, and a bracket with a space inside, stay on one line
    expect(usageText('usage', 'afstem note --config <fil> --ref S-123 [--note "a b c"]', 40).split('\n')).toEqual([
      'usage: afstem note --config <fil>',
      '                   --ref S-123',
      '                   [--note "a b c"]',
    ]);
  });
});
