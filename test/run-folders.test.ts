// Dated output folders of scheduled runs: DIR/<Copenhagen date>, -2, -3 … for more runs that day, DIR/latest at the
// newest, --keep N pruning only names of that form.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRunFolders, nextRunFolder, pointLatest, pruneRunFolders } from '../src/commands/run-folders.ts';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-runs-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const mk = (name: string) => fs.mkdirSync(path.join(root, name));

describe('run folders', () => {
  it('names a run by the Copenhagen date of its start, not the UTC date', () => {
    // 23:30Z on 30 November is 00:30 on 1 December in Copenhagen (winter time, +01:00)
    expect(path.basename(nextRunFolder(root, new Date('2026-11-30T23:30:00Z')))).toBe('2026-12-01');
    // 21:59Z on 30 June is 23:59 on 30 June (summer time, +02:00)
    expect(path.basename(nextRunFolder(root, new Date('2026-06-30T21:59:00Z')))).toBe('2026-06-30');
  });

  it('numbers further runs of the same day -2, -3, … after the highest taken', () => {
    const at = new Date('2026-12-01T05:00:00Z');
    mk('2026-12-01');
    expect(path.basename(nextRunFolder(root, at))).toBe('2026-12-01-2');
    mk('2026-12-01-2');
    mk('2026-11-30-7');
    expect(path.basename(nextRunFolder(root, at))).toBe('2026-12-01-3');
  });

  it('orders folders by date, then by number (10 after 9), and ignores other names', () => {
    for (const n of ['2026-12-01-10', '2026-12-01', '2026-11-30', '2026-12-01-9', 'notes', '2026-12-01-1', '2026-12-01-x']) mk(n);
    fs.writeFileSync(path.join(root, '2026-11-29'), 'a file, not a folder');
    expect(listRunFolders(root)).toEqual(['2026-11-30', '2026-12-01', '2026-12-01-9', '2026-12-01-10']);
  });

  it('points latest at the newest folder, replacing an earlier link', () => {
    mk('2026-11-30');
    pointLatest(root, path.join(root, '2026-11-30'));
    mk('2026-12-01');
    pointLatest(root, path.join(root, '2026-12-01'));
    expect(fs.readlinkSync(path.join(root, 'latest'))).toBe('2026-12-01');
    expect(fs.realpathSync(path.join(root, 'latest'))).toBe(fs.realpathSync(path.join(root, '2026-12-01')));
  });

  it('--keep N removes the oldest run folders beyond N and nothing else', () => {
    for (const n of ['2026-11-27', '2026-11-30', '2026-12-01', '2026-12-01-2', 'archive', '2026-1-1']) mk(n);
    fs.writeFileSync(path.join(root, 'archive', 'keep.txt'), 'x');
    expect(pruneRunFolders(root, 2)).toEqual(['2026-11-27', '2026-11-30']);
    expect(fs.readdirSync(root).sort()).toEqual(['2026-1-1', '2026-12-01', '2026-12-01-2', 'archive']);
    expect(pruneRunFolders(root, 5)).toEqual([]);
  });
});
