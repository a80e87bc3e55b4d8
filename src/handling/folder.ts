// The handling drop folder (FORMATS.md §8): `handling.folder` holds one sub-folder per municipality (handling/101/)
// where its staff save edited discrepancy sheets. Each recorded run, before it evaluates the rules, imports every
// .xlsx and .csv file there it has not imported before (by content hash and municipality, in the table
// handling_files), skipping Excel's `~$…` lock files and other files; a row of another municipality is refused. Who
// made the changes: the xlsx's last-modified-by, else the file's owner. Files are never changed or moved.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { lit, tsLiteral, type Db } from '../db.ts';
import { maskText } from '../mask.ts';
import { importSheet, type ImportResult } from './import.ts';
import { readSheet, SheetError } from './sheet-read.ts';

export interface HandlingFileSummary {
  /** Relative to the handling folder's parent, e.g. 'handling/101/uge48.xlsx'. */
  path: string;
  municipality: string;
  /** imported (this run), already_imported (an earlier run), unreadable (no discrepancy sheet), not_municipality. */
  status: 'imported' | 'already_imported' | 'unreadable' | 'not_municipality';
  by: string | null;
  rows: number;
  applied: number;
  unchanged: number;
  refused: number;
  conflicts: number;
  message: string | null;
}

export interface HandlingRefusal {
  file: string;
  /** The sheet row (xlsx row number, or csv line); null for a whole file. */
  row: number | null;
  caseRef: string;
  reason: string;
}

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

/** The sheet files under dir (recursively), sorted by path. */
function sheetFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && isSheet(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const rowOf = (source: string) => {
  const m = /(\d+)$/.exec(source);
  return m ? Number(m[1]) : null;
};

/** What a look back says instead of importing (FORMATS.md §7). */
export function lookBackHandling(folder: string): HandlingSummary {
  return { folder, lookBack: true, files: [], applied: 0, unchanged: 0, refused: [] };
}

/**
 * Imports the folder's new files. `municipalities`: the configured codes (a sub-folder of another name is listed,
 * not read). `now`: when the changes are recorded.
 */
export async function importHandlingFolder(
  db: Db,
  folder: string,
  municipalities: string[],
  opts: { runId: string; now: Date },
): Promise<HandlingSummary> {
  const label = path.basename(folder);
  const summary: HandlingSummary = { folder: label, lookBack: false, files: [], applied: 0, unchanged: 0, refused: [] };
  if (!fs.existsSync(folder)) return summary;
  const known = new Set(municipalities);
  const subs = fs.readdirSync(folder, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const code of subs) {
    for (const file of sheetFiles(path.join(folder, code))) {
      const rel = [label, ...path.relative(folder, file).split(path.sep)].join('/');
      const entry: HandlingFileSummary = {
        path: rel, municipality: code, status: 'imported', by: null, rows: 0, applied: 0, unchanged: 0, refused: 0, conflicts: 0, message: null,
      };
      summary.files.push(entry);
      if (!known.has(code)) {
        entry.status = 'not_municipality';
        entry.message = `mappen ${code} er ikke en konfigureret kommune; filen er ikke læst`;
        summary.refused.push({ file: rel, row: null, caseRef: '', reason: entry.message });
        continue;
      }
      const bytes = fs.readFileSync(file);
      const hash = crypto.createHash('sha256').update(bytes).digest('hex');
      const before = await db.value(`SELECT count(*) FROM handling_files WHERE municipality = ${lit(code)} AND sha256 = ${lit(hash)}`);
      if (Number(before) > 0) {
        entry.status = 'already_imported';
        continue;
      }
      await importOne(db, file, entry, summary, { code, hash, rel, ...opts });
    }
  }
  return summary;
}

async function importOne(
  db: Db,
  file: string,
  entry: HandlingFileSummary,
  summary: HandlingSummary,
  o: { code: string; hash: string; rel: string; runId: string; now: Date },
): Promise<void> {
  let sheet;
  try {
    sheet = await readSheet(file);
  } catch (e) {
    if (!(e instanceof SheetError)) throw e;
    sheet = null;
    entry.status = 'unreadable';
    entry.message = e.message;
    summary.refused.push({ file: o.rel, row: null, caseRef: '', reason: e.message });
  }
  entry.by = maskText(sheet?.lastModifiedBy ?? ownerName(fs.statSync(file).uid));
  await db.run('BEGIN TRANSACTION');
  try {
    let r: ImportResult | null = null;
    if (sheet) {
      r = await importSheet(db, sheet, { by: entry.by ?? 'ukendt', name: o.rel, municipality: o.code, now: o.now, inTransaction: true });
      entry.rows = r.rows;
      entry.applied = r.applied;
      entry.unchanged = r.unchanged;
      entry.refused = r.refused.length;
      entry.conflicts = r.conflicts.length;
      summary.applied += r.applied;
      summary.unchanged += r.unchanged;
      for (const p of r.refused) summary.refused.push({ file: o.rel, row: rowOf(p.source), caseRef: p.caseRef, reason: p.reason });
      for (const p of r.conflicts) summary.refused.push({ file: o.rel, row: rowOf(p.source), caseRef: p.caseRef, reason: `konflikt: ${p.reason}` });
    }
    await db.run(`INSERT INTO handling_files VALUES (${lit(o.code)}, ${lit(o.hash)}, ${lit(o.rel)}, ${entry.by === null ? 'NULL' : lit(entry.by)},
      ${lit(o.runId)}, ${tsLiteral(o.now)}, ${entry.rows}, ${entry.applied}, ${entry.refused + entry.conflicts})`);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}

/** Whether a run of this asOf is a look back (FORMATS.md §7): asOf not later than the latest recorded run's. */
export async function isLookBack(db: Db, asOf: Date): Promise<boolean> {
  const t = await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'lifecycle_runs' AND NOT temporary`);
  if (Number(t) === 0) return false;
  const n = await db.value(`SELECT count(*) FROM lifecycle_runs WHERE as_of >= ${tsLiteral(asOf)}`);
  return Number(n) > 0;
}
