// An `--out` that cannot be replaced (issue 22): an output folder made immutable (`chattr +i`) can be read and the
// work folder beside it written, but not moved aside; before issue 22 the run loaded everything and failed with exit
// 1 (EPERM) at the end. Now it is found before anything is loaded, with exit 2, as every other unwritable --out. A
// file made immutable inside the old outputs no longer fails the run either: the new outputs go in place and the old
// folder is left beside them, with a warning. Checked by running both tests on the code before the fix (exit 1 both).
// Runs as root with chattr where it can; elsewhere the kernel's answer (EPERM) is injected into node:fs for the path.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runBatchDetailed } from '../../src/run/batch.ts';

let dir: string;
let configPath: string;
const AS_OF = '2026-11-27T05:00:00Z';
const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
const undo: (() => void)[] = [];

/**
 * Makes `p` immutable (chattr +i), or, where chattr cannot be used, makes node:fs refuse `fn` with EPERM for the
 * paths `hit` names (the folder itself, or where the file has been moved).
 */
function immutable(p: string, fn: 'renameSync' | 'rmSync', hit: (target: string) => boolean): void {
  if (spawnSync('chattr', ['+i', p]).status === 0) return; // undone for the whole folder after each test
  const real = fs[fn] as (...a: unknown[]) => unknown;
  const spy = vi.spyOn(fs, fn).mockImplementation(((target: fs.PathLike, ...rest: unknown[]) => {
    if (hit(String(target))) throw Object.assign(new Error(`EPERM: operation not permitted, ${fn} '${String(target)}'`), { code: 'EPERM' });
    return real(target, ...rest);
  }) as never);
  undo.push(() => spy.mockRestore());
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-out-immutable-'));
  configPath = path.join(dir, 'afstem.config.json');
  fs.mkdirSync(path.join(dir, 'inbox', '101'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'inbox', '101', 'fbs_fees_2026-11-20.csv'),
    'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status\nF1,adult_cpr,12345678,overdue_fee,50.00,2026-10-01T10:00:00Z,open\n');
  fs.writeFileSync(configPath, JSON.stringify({
    inbox: 'inbox', database: 'data/afstem.duckdb',
    municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }],
  }));
});
afterEach(() => {
  while (undo.length) undo.pop()!();
  spawnSync('chattr', ['-R', '-i', dir]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('an --out that cannot be replaced', () => {
  it('an immutable output folder is refused with exit 2 before anything is loaded', async () => {
    const out = path.join(dir, 'out-locked');
    expect((await runBatchDetailed({ configPath, outDir: out, asOf: AS_OF, stream: quiet })).exitCode).toBe(0);
    const before = fs.readFileSync(path.join(out, 'discrepancies.csv'), 'utf8');
    immutable(out, 'renameSync', (t) => t === out);
    // a configuration of its own database: nothing may be loaded into it
    const cfg = path.join(dir, 'fresh.json');
    fs.writeFileSync(cfg, JSON.stringify({ ...JSON.parse(fs.readFileSync(configPath, 'utf8')), inbox: path.join(dir, 'inbox'), database: path.join(dir, 'fresh', 'a.duckdb') }));
    const r = await runBatchDetailed({ configPath: cfg, outDir: out, asOf: AS_OF, stream: quiet });
    expect(r.exitCode).toBe(2);
    expect(r.error).toMatch(/^--out .*out-locked cannot be replaced by the new outputs: EPERM/);
    expect(fs.existsSync(path.join(dir, 'fresh', 'a.duckdb'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'discrepancies.csv'), 'utf8')).toBe(before);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('out-locked.'))).toEqual([]);
  });

  it('an immutable file inside the old outputs leaves them beside the new ones, with a warning; the run finishes', async () => {
    const out = path.join(dir, 'out-file');
    expect((await runBatchDetailed({ configPath, outDir: out, asOf: AS_OF, stream: quiet })).exitCode).toBe(0);
    immutable(path.join(out, 'report.html'), 'rmSync', (t) => t.startsWith(`${out}.old-`));
    const r = await runBatchDetailed({ configPath, outDir: out, asOf: AS_OF, stream: quiet });
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(0);
    const aside = fs.readdirSync(dir).filter((n) => n.startsWith('out-file.old-'));
    expect(aside).toHaveLength(1);
    expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(true);
    expect(fs.readFileSync(path.join(out, 'afstem.log.jsonl'), 'utf8')).toContain('the previous outputs could not be removed and stay in');
    // the next run tries again, says so while it cannot, and finishes
    const again = await runBatchDetailed({ configPath, outDir: out, asOf: AS_OF, stream: quiet });
    expect(again.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(out, 'afstem.log.jsonl'), 'utf8')).toContain(`could not remove ${path.join(dir, aside[0])}`);
  });
});
