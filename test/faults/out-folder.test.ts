// Faults inside the swap of the output folder (FORMATS.md §7 "Writing": the outputs of a run appear together or not
// at all; a run that dies leaves the previous outputs untouched). moveIntoPlace renames the old outputs aside, then
// the new ones in: a failure of the second rename puts the old ones back, and a process killed between the two leaves
// them aside, where the next run finds them and puts them back before anything else. Expected values are the previous
// run's files themselves, compared byte for byte.
//
// Checked against broken code (each break made by hand, the test run, the break undone): moveIntoPlace without its
// catch that renames the old outputs back fails "a failing rename" (--out is gone); the first rename replaced by a
// delete (fs.rmSync(out) instead of renaming it aside) fails it too; removeLeftovers' restoring rename replaced by a
// delete (or dropped) fails "killed between the two renames" (--out stays missing, the old outputs are removed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FEE_HEADER, installation, type Installation } from '../helpers/e2e-inbox.ts';
import { snapshot } from '../helpers/folder-snapshot.ts';

let inst: Installation;
const NIGHT = '2026-11-26T12:00:00Z';

const beside = (name: string) => fs.readdirSync(inst.dir).filter((n) => n.startsWith(`${name}.`)).sort();

beforeAll(() => {
  inst = installation('out-faults', [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }]);
  inst.export('101/fbs_fees_2026-11-26.csv', FEE_HEADER, [['F1', 'adult_cpr', '0101801234', 'overdue_fee', '25.00', '2026-11-26T08:00:00Z', 'open', null, null, null, null]]);
});
afterAll(() => inst?.cleanup());
afterEach(() => vi.restoreAllMocks());

describe('a failure inside the swap', () => {
  it('a failing rename of the new outputs into place puts the old ones back whole; the log lies beside them', async () => {
    const out = path.join(inst.dir, 'failing');
    expect((await inst.run(out, NIGHT)).exitCode).toBe(0);
    const before = snapshot(out);
    const rename = fs.renameSync;
    const spy = vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      if (String(from).includes('.tmp-') && String(to) === out) throw Object.assign(new Error('EXDEV: cross-device link not permitted (injected)'), { code: 'EXDEV' });
      rename(from, to);
    });
    const r = await inst.run(out, '2026-11-27T12:00:00Z');
    expect(spy).toHaveBeenCalled();
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain('EXDEV');
    expect(snapshot(out)).toEqual(before);
    const left = beside('failing');
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^failing\.failed-.*\.log\.jsonl$/);
    expect(fs.readFileSync(path.join(inst.dir, left[0]), 'utf8')).toContain('EXDEV');
  });
});

describe('a run killed between the two renames', () => {
  it('leaves the old outputs aside; the next run puts them back before anything else, and cleans up', async () => {
    const out = path.join(inst.dir, 'killed');
    expect((await inst.run(out, NIGHT)).exitCode).toBe(0);
    const before = snapshot(out);
    const helper = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'die-in-move.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', helper, inst.configPath, out, '2026-11-27T12:00:00Z'], { encoding: 'utf8' });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    // between the renames: no --out, the old outputs aside, the new ones in their work folder
    expect(fs.existsSync(out)).toBe(false);
    const aside = beside('killed');
    expect(aside.map((n) => n.replace(/-\d{8}T\d{6}Z-[0-9a-f]{4}$/, ''))).toEqual(['killed.old', 'killed.tmp']);
    expect(snapshot(path.join(inst.dir, aside[0]))).toEqual(before);

    // the next run fails before its outputs: the previous ones are back in place, whole, and nothing is left aside
    const failed = await inst.run(out, '2026-11-27T12:00:00Z', { beforeStep: (s) => { if (s === 'outputs') throw new Error('disk full (injected)'); } });
    expect(failed.exitCode).toBe(1);
    expect(snapshot(out)).toEqual(before);
    expect(beside('killed').filter((n) => !n.includes('.failed-'))).toEqual([]);
    expect(failed.log).toMatch(/removed .*killed\.tmp-.*, left by a run that did not finish/);

    // and a run that finishes replaces them as usual
    const ok = await inst.run(out, '2026-11-27T12:00:00Z');
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).asOf).toBe('2026-11-27T12:00:00Z');
    expect(beside('killed').filter((n) => !n.includes('.failed-'))).toEqual([]);
  });
});
