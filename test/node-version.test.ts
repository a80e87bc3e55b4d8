// Issue 23, item 8: package.json said `node >= 20`, but discrepancies.xlsx is zipped with zlib.crc32, which Node has
// from 20.15 only, so every night on 20.0–20.14 failed with exit 1. engines.node now says the true range, and
// bin/afstem.js refuses an older Node at start with a clear message (exit 2) before it loads anything else.
// Checked against the code before the fix: `afstem --version` under a Node that says 20.14.0 printed the version and
// exited 0 (no check), and engines.node was ">=20".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without declarations (bin/ runs on any Node, before tsx is loaded)
import { minimumOf, nodeProblem } from '../bin/node-check.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node: string } }> };

/** bin/afstem.js under a Node whose process.versions.node says `fake`. */
function afstemUnder(fake: string, ...args: string[]) {
  const pretend = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:${JSON.stringify(fake)}})`;
  const r = spawnSync(process.execPath, ['--import', pretend, path.join(ROOT, 'bin/afstem.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the Node versions afstem runs on', () => {
  it('says the true range: from 20.15, where zlib.crc32 (the xlsx writer) appears, in package.json and its lock', () => {
    expect(pkg.engines.node).toBe('>=20.15.0');
    expect(lock.packages[''].engines?.node).toBe(pkg.engines.node);
    expect(fs.readFileSync(path.join(ROOT, 'src/outputs/xlsx-sheet.ts'), 'utf8')).toContain('zlib.crc32');
    expect(minimumOf(pkg.engines.node)).toBe('20.15.0');
  });

  it('refuses a version below the range, naming both versions, and accepts the range itself and later ones', () => {
    const range = pkg.engines.node;
    for (const old of ['20.14.0', '20.0.0', 'v20.14.9', '18.20.4', '19.9.0']) {
      expect(nodeProblem(old, range), old).toMatch(/^afstem: Node .* is too old: afstem needs Node 20\.15\.0 or later/);
    }
    expect(nodeProblem('20.14.0', range)).toContain('Node 20.14.0 is too old');
    for (const ok of ['20.15.0', 'v20.15.0', '20.15.1', '20.20.2', '21.0.0', '22.12.0', '24.1.0']) expect(nodeProblem(ok, range), ok).toBeNull();
    expect(nodeProblem('weird', range)).toContain('cannot read the Node version "weird"');
    expect(() => minimumOf('^20')).toThrow('expected ">=X.Y.Z"');
  });

  it('stops bin/afstem.js at once under Node 20.14 with exit 2 and the message, and runs under this Node', () => {
    const old = afstemUnder('20.14.0', '--version');
    expect(old.code).toBe(2);
    expect(old.out).toBe('');
    expect(old.err).toContain('afstem: Node 20.14.0 is too old: afstem needs Node 20.15.0 or later');
    const now = afstemUnder(process.versions.node, '--version');
    expect(now.code, now.err).toBe(0);
    expect(now.out).toMatch(/^afstem \d+\.\d+\.\d+\n$/);
  });
});
