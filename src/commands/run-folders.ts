// Dated output folders for scheduled runs (`afstem schedule --out DIR`): each run writes into DIR/<YYYY-MM-DD>, the
// Copenhagen date of the run's start, or DIR/<YYYY-MM-DD>-2, -3 … for further runs that day; DIR/latest points at
// the newest. `--keep N` removes the run folders beyond the newest N, and touches nothing but names of that form.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { ZONE } from '../calendar.ts';

const RUN_FOLDER = /^(\d{4}-\d{2}-\d{2})(?:-(\d+))?$/;
export const LATEST = 'latest';

interface RunFolder {
  name: string;
  date: string;
  n: number;
}

function parseRunFolder(name: string): RunFolder | null {
  const m = RUN_FOLDER.exec(name);
  if (!m) return null;
  const n = m[2] === undefined ? 1 : Number(m[2]);
  if (n < 2 && m[2] !== undefined) return null; // "-1", "-0" are not names afstem gives
  return { name, date: m[1], n };
}

/** The run folders under root, oldest first (by date, then by number). */
export function listRunFolders(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => parseRunFolder(e.name))
    .filter((f): f is RunFolder => f !== null)
    .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.n - b.n))
    .map((f) => f.name);
}

/** The folder for a run started at `started`: root/<date>, or root/<date>-N for the N-th run of that day. */
export function nextRunFolder(root: string, started: Date): string {
  const date = DateTime.fromJSDate(started, { zone: ZONE }).toISODate()!;
  const taken = listRunFolders(root)
    .map((n) => parseRunFolder(n)!)
    .filter((f) => f.date === date);
  const n = taken.reduce((max, f) => Math.max(max, f.n), 0) + 1;
  return path.join(root, n === 1 ? date : `${date}-${n}`);
}

/** Points root/latest at the run folder (a relative symbolic link, replaced atomically). */
export function pointLatest(root: string, runFolder: string): void {
  const link = path.join(root, LATEST);
  const tmp = path.join(root, `.${LATEST}-${process.pid}`);
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(path.basename(runFolder), tmp, 'dir');
  fs.renameSync(tmp, link);
}

/** Removes the run folders beyond the newest `keep`; returns the names removed. Never touches other names. */
export function pruneRunFolders(root: string, keep: number): string[] {
  const folders = listRunFolders(root);
  const remove = folders.slice(0, Math.max(0, folders.length - keep));
  for (const name of remove) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  return remove;
}
