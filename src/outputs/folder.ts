// The output folder of a run (FORMATS.md §7 "Writing"): the outputs appear together or not at all.
// checkOut, before anything is loaded: `--out` must be missing, empty, or a folder afstem wrote before (marked with
// a `.afstem` file), outside the inbox, not holding the inbox or the database, and writable; it creates the run's
// work folder `<out>.tmp-<runId>` beside it, which proves the location can be written. checkReplaceable, once the run
// holds the lock, proves that the outputs there can be moved aside (an immutable folder cannot). The run writes everything
// there; moveIntoPlace swaps it in (the old folder renamed aside, the new one renamed in, the old one removed), so a
// run that dies leaves the previous outputs whole. A failed run leaves its log beside: `<out>.failed-<runId>.log.jsonl`.
import fs from 'node:fs';
import path from 'node:path';
import { makeFolders } from '../folders.ts';

export const MARKER = '.afstem';

/** A bad `--out`: exit code 2, found before anything is loaded. */
export class OutFolderError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'OutFolderError';
  }
}

export interface OutFolder {
  /** Where the outputs go in the end. */
  out: string;
  /** The run's work folder beside it. */
  work: string;
}

/** The real path of p, or of its nearest existing ancestor joined with the rest (for comparing locations). */
function real(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(real(parent), path.basename(abs));
  }
}

/** Whether `inner` is `outer` or lies inside it. */
export function isInside(inner: string, outer: string): boolean {
  const rel = path.relative(real(outer), real(inner));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface OutChecks {
  inbox: string;
  database: string;
  /** Further folders the outputs must stay out of (the handling folder). */
  keepOut?: { name: string; path: string }[];
}

/** Checks `--out` and creates the run's work folder beside it; throws OutFolderError (exit 2) when it will not do. */
export function checkOut(outDir: string, runId: string, checks: OutChecks): OutFolder {
  const out = path.resolve(outDir);
  if (isInside(out, checks.inbox)) {
    throw new OutFolderError(`--out ${out} lies inside the inbox ${checks.inbox}: choose a folder outside it`);
  }
  for (const [name, p] of [['the inbox', checks.inbox], ['the database', checks.database], ...(checks.keepOut ?? []).map((k) => [k.name, k.path])]) {
    if (isInside(p, out)) throw new OutFolderError(`--out ${out} holds ${name} (${p}): the outputs are replaced as a whole, so choose a folder of its own`);
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(out);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new OutFolderError(`--out ${out} cannot be used: ${(e as Error).message}`);
  }
  if (st) {
    if (!st.isDirectory()) throw new OutFolderError(`--out ${out} exists and is not a folder: give a folder that is missing, empty or written by afstem`);
    let entries: string[];
    try {
      entries = fs.readdirSync(out);
    } catch (e) {
      throw new OutFolderError(`--out ${out} cannot be read: ${(e as Error).message}`);
    }
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new OutFolderError(
        `--out ${out} is a folder with other content (no ${MARKER} file, so afstem did not write it): give a missing, empty or afstem folder`,
      );
    }
  }
  const work = `${out}.tmp-${runId}`;
  try {
    makeFolders(path.dirname(out));
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, MARKER), 'afstem output folder: replaced as a whole by every run\n');
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw new OutFolderError(`--out ${out} cannot be written: ${(e as Error).message}`);
  }
  return { out, work };
}

/**
 * Whether the outputs already in `--out` can be replaced: the run moves the folder aside at the end, which an
 * immutable folder (`chattr +i`) or one in an append-only folder refuses (EPERM) though it can be read and the work
 * folder beside it written. Tried now, before anything is loaded, by moving it aside and back under the name a run
 * that dies between the two renames leaves for the next run to put back (removeLeftovers). Throws OutFolderError.
 */
export function checkReplaceable(folder: OutFolder, runId: string): void {
  if (!fs.existsSync(folder.out)) return;
  const aside = `${folder.out}.old-${runId}`;
  try {
    fs.renameSync(folder.out, aside);
  } catch (e) {
    throw new OutFolderError(`--out ${folder.out} cannot be replaced by the new outputs: ${(e as Error).message}`);
  }
  fs.renameSync(aside, folder.out);
}

/**
 * Removes an output folder afstem wrote, its marker last: one that cannot be removed whole (a file in it immutable)
 * keeps its marker, so the next run knows it for a leftover and tries again.
 */
function removeOutputs(dir: string): void {
  for (const name of fs.readdirSync(dir)) if (name !== MARKER) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}

/** One entry of what removeLeftovers did: removed, or left with the reason it could not be removed. */
export interface Leftover {
  path: string;
  error?: string;
}

/**
 * Removes work folders and set-aside folders that runs which died left beside `out` (the caller holds the lock); one
 * that cannot be removed is left (and tried again by the next run), with the reason.
 */
export function removeLeftovers(folder: OutFolder): Leftover[] {
  const dir = path.dirname(folder.out);
  const base = path.basename(folder.out);
  const removed: Leftover[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  // A run that died between its two renames left the previous outputs set aside and none in place: put them back.
  if (!fs.existsSync(folder.out)) {
    const aside = names.filter((n) => n.startsWith(`${base}.old-`) && fs.existsSync(path.join(dir, n, MARKER))).sort();
    if (aside.length > 0) fs.renameSync(path.join(dir, aside[aside.length - 1]), folder.out);
  }
  for (const n of names) {
    const p = path.join(dir, n);
    if (p === folder.work || !fs.existsSync(p)) continue;
    if ((n.startsWith(`${base}.tmp-`) || n.startsWith(`${base}.old-`)) && fs.existsSync(path.join(p, MARKER))) {
      try {
        removeOutputs(p);
        removed.push({ path: p });
      } catch (e) {
        removed.push({ path: p, error: (e as Error).message });
      }
    }
  }
  return removed;
}

/**
 * Moves the complete work folder into place: the old outputs aside, the new in, the old removed. The new outputs are
 * in place once it returns; an old folder that cannot be removed (a file in it made immutable) is left beside them
 * for the next run to try again, and said in the warning returned.
 */
export function moveIntoPlace(folder: OutFolder, runId: string): string | null {
  const { out, work } = folder;
  if (!fs.existsSync(out)) {
    fs.renameSync(work, out);
    return null;
  }
  const old = `${out}.old-${runId}`;
  fs.renameSync(out, old);
  try {
    fs.renameSync(work, out);
  } catch (e) {
    fs.renameSync(old, out);
    throw e;
  }
  try {
    removeOutputs(old);
    return null;
  } catch (e) {
    return `the previous outputs could not be removed and stay in ${old}: ${(e as Error).message}`;
  }
}

/** Gives up the work folder (a failed run) and writes the run's log beside `out`; returns the log's path. */
export function abandon(folder: OutFolder, runId: string, log: string): string | undefined {
  fs.rmSync(folder.work, { recursive: true, force: true });
  const file = `${folder.out}.failed-${runId}.log.jsonl`;
  try {
    fs.writeFileSync(file, log);
    return file;
  } catch {
    return undefined;
  }
}
