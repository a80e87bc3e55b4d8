// The handling drop folder (FORMATS.md §8): `handling.folder` holds one sub-folder per municipality (handling/101/)
// where its staff save edited discrepancy sheets. Each recorded run, before it evaluates the rules, imports every
// .xlsx and .csv file there it has not imported before (by content hash and municipality, folder-store.ts), skipping
// Excel's `~$…` lock files and other files; a row of another municipality is refused. Who made the changes: the xlsx's
// last-modified-by, else the file's owner. Files are never changed or moved.
// The folder is walked like the inbox (src/ingest/inbox.ts walkTree): links are followed and the file is listed by the
// path it was reached through; a dangling link, a link back into a folder being walked, a FIFO or a folder that cannot
// be read is listed as unreadable with the reason. Whatever one file holds, the other files and the night go on: a
// file over a limit of limits.ts, or one that cannot be read at all, is listed as unreadable with a Danish reason.
// The refusals of a file imported by a run that did not finish are listed again until a finished run reports them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { lit, tsLiteral, type Db } from '../db.ts';
import { fsReason, walkTree, type TreeEntry } from '../ingest/inbox.ts';
import { importSheet, type ImportResult } from './import.ts';
import { danishBytes, HANDLING_LIMITS, type HandlingLimits } from './limits.ts';
import { readFileBounded, readSheetBytes, SheetError, SheetLimitError, type ReadSheet } from './sheet-read.ts';
import { storedWho } from './store.ts';
import {
  ensureHandlingFilesTable,
  fileKey,
  markReported,
  recordFile,
  unreportedFiles,
  type HandlingFileSummary,
  type HandlingRefusal,
} from './folder-store.ts';

export { ensureHandlingFilesTable, type HandlingFileSummary, type HandlingRefusal };

/** summary.json `handling` (FORMATS.md §8). */
export interface HandlingSummary {
  folder: string;
  /** A look back imports nothing (FORMATS.md §7). */
  lookBack: boolean;
  files: HandlingFileSummary[];
  applied: number;
  unchanged: number;
  /** Refused rows and conflicts (not applied), and unreadable files (row null). */
  refused: HandlingRefusal[];
}

/** The user name of a uid from /etc/passwd, else the uid itself. */
export function ownerName(uid: number, passwd = '/etc/passwd'): string {
  try {
    for (const line of fs.readFileSync(passwd, 'utf8').split('\n')) {
      const f = line.split(':');
      if (f.length > 2 && Number(f[2]) === uid && f[2] !== '') return f[0];
    }
  } catch {
    // no passwd file: the uid
  }
  return String(uid);
}

const isSheet = (name: string) => !name.startsWith('~$') && !name.startsWith('.') && /\.(xlsx|csv)$/i.test(name);

const rowOf = (source: string) => {
  const m = /(\d+)$/.exec(source);
  return m ? Number(m[1]) : null;
};

/** What a look back says instead of importing (FORMATS.md §7). */
export function lookBackHandling(folder: string): HandlingSummary {
  return { folder, lookBack: true, files: [], applied: 0, unchanged: 0, refused: [] };
}

export interface FolderOptions {
  runId: string;
  /** When the changes are recorded. */
  now: Date;
  /** The reading limits (default HANDLING_LIMITS; tests pass smaller ones). */
  limits?: HandlingLimits;
  /** Told of a file that could not be imported for a reason not of the file's making (it is listed unreadable). */
  onError?: (file: string, error: Error) => void;
}

/**
 * Imports the folder's new files. `municipalities`: the configured codes (a sub-folder of another name is listed,
 * not read).
 */
export async function importHandlingFolder(db: Db, folder: string, municipalities: string[], opts: FolderOptions): Promise<HandlingSummary> {
  const label = path.basename(folder);
  const summary: HandlingSummary = { folder: label, lookBack: false, files: [], applied: 0, unchanged: 0, refused: [] };
  if (!fs.existsSync(folder) && !isLink(folder)) return summary;
  await ensureHandlingFilesTable(db);
  const unreported = await unreportedFiles(db);
  const reported = new Set<string>();
  const known = new Set(municipalities);
  const list = (entry: HandlingFileSummary, refusals: readonly HandlingRefusal[] = []) => {
    summary.files.push(entry);
    summary.applied += entry.applied;
    summary.unchanged += entry.unchanged;
    for (const r of refusals) summary.refused.push(r);
  };
  const unreadable = (rel: string, code: string, message: string) => {
    list(blank(rel, code, 'unreadable', message), [{ file: rel, row: null, caseRef: '', reason: message }]);
  };
  let entries: TreeEntry[];
  try {
    entries = walkTree(folder, 'behandlingsmappen');
  } catch (e) {
    entries = [{ rel: '', abs: folder, unreadable: `mappen kan ikke læses: ${fsReason(e)}` }];
  }
  for (const e of entries) {
    const rel = e.rel === '' ? label : `${label}/${e.rel}`;
    const parts = e.rel.split('/');
    const name = parts[parts.length - 1];
    const code = parts.length >= 2 ? parts[0] : '';
    if (name.startsWith('~$') || (e.unreadable === null && !isSheet(name))) continue;
    if (e.unreadable !== null) {
      unreadable(rel, code, `kan ikke læses: "${rel}" ${e.unreadable}`);
      continue;
    }
    if (!known.has(code)) {
      const message = code === ''
        ? `filen ligger direkte i mappen ${label}, uden for en kommunes mappe; den er ikke læst`
        : `mappen ${code} er ikke en konfigureret kommune; filen er ikke læst`;
      list(blank(rel, code, 'not_municipality', message), [{ file: rel, row: null, caseRef: '', reason: message }]);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileBounded(e.abs, opts.limits ?? HANDLING_LIMITS);
    } catch (err) {
      // too big, vanished, no permission, no regular file: listed every night until it is fixed (nothing recorded)
      const why = err instanceof SheetError ? err.message : fsReason(err);
      unreadable(rel, code, err instanceof SheetLimitError ? why : `kan ikke læses: "${rel}" ${why}`);
      continue;
    }
    const hash = crypto.createHash('sha256').update(bytes).digest('hex');
    const key = fileKey(code, hash);
    const earlier = unreported.get(key);
    if (earlier && !reported.has(key)) {
      list(earlier.entry, earlier.refusals);
      reported.add(key);
      continue;
    }
    if (earlier || (await isImported(db, code, hash))) {
      list(blank(rel, code, 'already_imported', null));
      continue;
    }
    const outcome = await importOne(db, e.abs, bytes, { code, hash, rel, ...opts }).catch((err: Error) => {
      opts.onError?.(rel, err);
      return { entry: blank(rel, code, 'unreadable', `filen kunne ikke indlæses: ${err.message}`), refusals: null };
    });
    list(outcome.entry, outcome.refusals ?? [{ file: rel, row: null, caseRef: '', reason: outcome.entry.message ?? '' }]);
  }
  // files of a run that did not finish which are no longer in the folder: their refusals are still reported
  for (const [key, f] of unreported) if (!reported.has(key)) (list(f.entry, f.refusals), reported.add(key));
  await markReported(db, reported, opts.runId);
  return summary;
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function blank(rel: string, code: string, status: HandlingFileSummary['status'], message: string | null): HandlingFileSummary {
  return { path: rel, municipality: code, status, by: null, rows: 0, applied: 0, unchanged: 0, refused: 0, conflicts: 0, message };
}

async function isImported(db: Db, code: string, hash: string): Promise<boolean> {
  const n = await db.value(`SELECT count(*) FROM handling_files WHERE municipality = ${lit(code)} AND sha256 = ${lit(hash)}`);
  return Number(n) > 0;
}

/** Reads and applies one new file in one transaction with its record; a file that is no sheet is recorded unreadable. */
async function importOne(
  db: Db,
  file: string,
  bytes: Buffer,
  o: { code: string; hash: string; rel: string; runId: string; now: Date; limits?: HandlingLimits },
): Promise<{ entry: HandlingFileSummary; refusals: HandlingRefusal[] }> {
  const entry = blank(o.rel, o.code, 'imported', null);
  const refusals: HandlingRefusal[] = [];
  let sheet: ReadSheet | null = null;
  try {
    sheet = readSheetBytes(bytes, file, o.limits ?? HANDLING_LIMITS);
  } catch (e) {
    if (!(e instanceof SheetError)) throw e;
    entry.status = 'unreadable';
    entry.message = e.message;
    refusals.push({ file: o.rel, row: null, caseRef: '', reason: e.message });
  }
  entry.by = storedWho(sheet?.lastModifiedBy ?? ownerName(fs.statSync(file).uid));
  if (sheet?.corePropsCut) {
    entry.message = `docProps/core.xml fylder udpakket mere end ${danishBytes((o.limits ?? HANDLING_LIMITS).corePropsBytes)}, ` +
      'så hvem der sidst gemte filen er ukendt; filens ejer står som den, der har ændret';
  }
  await db.run('BEGIN TRANSACTION');
  try {
    if (sheet) {
      const r: ImportResult = await importSheet(db, sheet, { by: entry.by, name: o.rel, municipality: o.code, now: o.now, inTransaction: true });
      entry.rows = r.rows;
      entry.applied = r.applied;
      entry.unchanged = r.unchanged;
      entry.refused = r.refused.length;
      entry.conflicts = r.conflicts.length;
      for (const p of r.refused) refusals.push({ file: o.rel, row: rowOf(p.source), caseRef: p.caseRef, reason: p.reason });
      for (const p of r.conflicts) refusals.push({ file: o.rel, row: rowOf(p.source), caseRef: p.caseRef, reason: `konflikt: ${p.reason}` });
    }
    await recordFile(db, o, entry, refusals);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
  return { entry, refusals };
}

/** Whether a run of this asOf is a look back (FORMATS.md §7): asOf not later than the latest recorded run's. */
export async function isLookBack(db: Db, asOf: Date): Promise<boolean> {
  const t = await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'lifecycle_runs' AND NOT temporary`);
  if (Number(t) === 0) return false;
  const n = await db.value(`SELECT count(*) FROM lifecycle_runs WHERE as_of >= ${tsLiteral(asOf)}`);
  return Number(n) > 0;
}
