// The inbox of FORMATS.md §1: <inbox>/<kommunekode>/[sub-folders/]<kind>_<YYYY-MM-DD>.csv. Every entry under the
// inbox is accounted for: symbolic links are followed (the file keeps the path through which it was reached), a link
// back into a folder being walked is listed once and not followed, and whatever cannot be read (a dangling link, a
// FIFO, a socket or device, a folder that cannot be listed) is listed as unreadable with the reason. The handling
// folder is walked the same way (walkTree).
import fs from 'node:fs';
import path from 'node:path';
import { KIND_BY_NAME } from './kinds.ts';
import { globMatcher } from '../glob.ts';

export type EntryStatus = 'export' | 'unknown' | 'unreadable' | 'ignored';

export interface InboxFile {
  /** Path relative to the inbox, with forward slashes. */
  path: string;
  absPath: string;
  /** `export`: a file to read and load; the others are listed with their message and not read. */
  status: EntryStatus;
  municipality: string | null;
  kind: string | null;
  exportDate: string | null;
  /** Why the entry is not loaded (Danish, naming the path), when it is not an export. */
  message: string | null;
}

/** One entry of a walked tree (the inbox, the handling folder). */
export interface TreeEntry {
  /** Relative to the root, with forward slashes, through the links it was reached by. */
  rel: string;
  abs: string;
  /** Null for a regular file; otherwise why the entry cannot be read (Danish). */
  unreadable: string | null;
}
type Found = TreeEntry;

/** A reason in Danish from a file-system error: the code and the text the system gave. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = err?.code;
  const words: Record<string, string> = {
    EACCES: 'ingen adgang (tilladelse nægtet)',
    EPERM: 'ingen adgang (handlingen er ikke tilladt)',
    ENOENT: 'findes ikke (længere)',
    EIO: 'læsefejl fra filsystemet',
    ELOOP: 'for mange symbolske links i træk (et link i ring)',
    ENOTDIR: 'en del af stien er ikke en mappe',
    EISDIR: 'er en mappe',
    EMFILE: 'for mange åbne filer',
    ENAMETOOLONG: 'navnet er for langt',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  return code ? `${err.message} (${code})` : String(err?.message ?? e);
}

/**
 * Whether a file's load failed because of the machine rather than the file: DuckDB out of memory, an I/O error, an
 * interrupt or an internal error, or the system's ENOSPC, EIO, ENOMEM, EMFILE, ENFILE or EDQUOT. Such a file is not
 * registered (a whole-file reject would be kept under its hash, and the same file would never be read again): it is
 * listed as unreadable for this run, with this reason, and read again by the next.
 */
export function machineFailure(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException;
  const machine =
    ['ENOSPC', 'EIO', 'ENOMEM', 'EMFILE', 'ENFILE', 'EDQUOT'].includes(err?.code ?? '') ||
    /^(Out of Memory Error|IO Error|Interrupted|INTERNAL Error|FATAL Error)\b/.test(err?.message ?? '');
  if (!machine) return null;
  const what = err.code ? fsReason(err) : String(err.message).split('\n')[0];
  return `kunne ikke indlæses i denne kørsel (${what}); filen er ikke registreret og læses igen ved næste kørsel`;
}

function kindOfSpecial(st: fs.Stats): string {
  if (st.isFIFO()) return 'er en navngivet pipe (FIFO), ikke en almindelig fil';
  if (st.isSocket()) return 'er en socket, ikke en almindelig fil';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'er en enhed (device), ikke en almindelig fil';
  return 'er ikke en almindelig fil';
}

function walk(inboxReal: string, dir: string, rel: string, stack: string[], out: Found[], rootWord: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (rel === '') throw e; // the inbox itself: checked as configuration before the run (FORMATS.md §6)
    out.push({ rel, abs: dir, unreadable: `mappen kan ikke læses: ${fsReason(e)}` });
    return;
  }
  for (const entry of entries) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    const abs = path.join(dir, entry.name);
    let st: fs.Stats;
    if (entry.isSymbolicLink()) {
      try {
        st = fs.statSync(abs);
      } catch (e) {
        const target = readlinkOrNull(abs);
        const reason = (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? `symbolsk link til "${target}", som ikke findes`
          : `symbolsk link til "${target}" kan ikke følges: ${fsReason(e)}`;
        out.push({ rel: r, abs, unreadable: reason });
        continue;
      }
    } else if (entry.isDirectory() || entry.isFile()) {
      st = null as unknown as fs.Stats;
    } else {
      try {
        st = fs.lstatSync(abs);
      } catch (e) {
        out.push({ rel: r, abs, unreadable: fsReason(e) });
        continue;
      }
    }
    const isDir = st ? st.isDirectory() : entry.isDirectory();
    const isFile = st ? st.isFile() : entry.isFile();
    if (isDir) {
      let real: string;
      try {
        real = fs.realpathSync(abs);
      } catch (e) {
        out.push({ rel: r, abs, unreadable: `mappen kan ikke læses: ${fsReason(e)}` });
        continue;
      }
      if (stack.includes(real)) {
        const back = path.relative(inboxReal, real).split(path.sep).join('/') || '.';
        const where = back.startsWith('..') ? real : back === '.' ? `${rootWord} selv` : `"${back}"`;
        out.push({
          rel: r,
          abs,
          unreadable: `symbolsk link tilbage til mappen ${where}, som allerede gennemgås; linket følges ikke`,
        });
        continue;
      }
      walk(inboxReal, abs, r, [...stack, real], out, rootWord);
    } else if (isFile) {
      out.push({ rel: r, abs, unreadable: null });
    } else {
      out.push({ rel: r, abs, unreadable: kindOfSpecial(st) });
    }
  }
}

function readlinkOrNull(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '?';
  }
}

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Every entry below `root`, in path order: links followed, a link back into a folder being walked and whatever cannot
 * be read listed with the reason. `rootWord` names the root in such a reason ('indbakken'). Throws when the root
 * itself cannot be listed.
 */
export function walkTree(root: string, rootWord: string): TreeEntry[] {
  const real = fs.realpathSync(root);
  const found: Found[] = [];
  walk(real, root, '', [real], found, rootWord);
  return found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Every entry below the inbox, in path order, classified. */
export function listInbox(inbox: string, municipalities: Set<string>, ignore: readonly string[] = []): InboxFile[] {
  const ignoredBy = globMatcher(ignore);
  return walkTree(inbox, 'indbakken').map((f) => classify(f, municipalities, ignoredBy));
}

function classify(f: Found, municipalities: Set<string>, ignoredBy: (rel: string) => string | undefined): InboxFile {
  const parts = f.rel.split('/');
  const base = parts[parts.length - 1];
  const code = parts.length >= 2 && municipalities.has(parts[0]) ? parts[0] : null;
  const file: InboxFile = { path: f.rel, absPath: f.abs, status: 'export', municipality: code, kind: null, exportDate: null, message: null };
  const pattern = ignoredBy(f.rel);
  if (pattern !== undefined) {
    file.status = 'ignored';
    file.message = `ignoreret: "${f.rel}" passer på mønsteret "${pattern}" i konfigurationens ignore`;
    return file;
  }
  if (f.unreadable !== null) {
    file.status = 'unreadable';
    file.message = `kan ikke læses: "${f.rel}" ${f.unreadable}`;
    return file;
  }
  const unknown = (why: string): InboxFile => ({ ...file, status: 'unknown', message: `ukendt fil: ${why}` });
  if (parts.length < 2) return unknown(`"${f.rel}" ligger direkte i indbakken, uden for en kommunemappe`);
  if (code === null) {
    return unknown(
      /^\d{3}$/.test(parts[0])
        ? `"${f.rel}" ligger i mappen ${parts[0]}, men kommune ${parts[0]} er ikke i konfigurationen`
        : `"${f.rel}" ligger i mappen "${parts[0]}", som ikke er en konfigureret tre-cifret kommunekode`,
    );
  }
  const m = /^([a-z_]+)_(\d{4}-\d{2}-\d{2})\.csv$/.exec(base);
  if (!m || !KIND_BY_NAME.has(m[1])) {
    return unknown(`"${f.rel}" hedder ikke <art>_<ÅÅÅÅ-MM-DD>.csv med en kendt art`);
  }
  if (!isRealDate(m[2])) return unknown(`"${f.rel}" har ingen rigtig eksportdato (${m[2]})`);
  file.kind = m[1];
  file.exportDate = m[2];
  return file;
}
