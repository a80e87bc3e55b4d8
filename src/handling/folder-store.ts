// What the handling folder's imports leave in the database (FORMATS.md §8): one row per imported file (by
// municipality and content hash, so a file is imported once) with its outcome, and its refused rows and conflicts,
// kept so that a run which is killed after importing a file does not take the refusals with it: until a finished run
// (one recorded in `runs`) has reported them, every run lists the file again with its refusals (issue 22), as the
// inbox's rejects are reported by the next finished run.
//
//   handling_files(municipality, sha256, path, who, run_id, imported_at, rows, applied, refused, status, message,
//                  unchanged, conflicts, reported_run_id)   refused = refused rows + conflicts, as before
//   handling_file_refusals(municipality, sha256, ord, row, case_ref, reason)
import { lit, tsLiteral, type Db } from '../db.ts';
import { migrate } from '../schema/migrate.ts';

export interface HandlingFileSummary {
  /** Relative to the handling folder's parent, e.g. 'handling/101/uge48.xlsx'. */
  path: string;
  municipality: string;
  /**
   * imported (by this run, or by a run that did not finish: `message` says so), already_imported (by a finished run),
   * unreadable (not read: `message` says why), not_municipality (not in a configured municipality's folder).
   */
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

/** The handling folder's tables (schema migrations 1 and 5, src/schema/): brought up to date on an open database. */
export async function ensureHandlingFilesTable(db: Db): Promise<void> {
  await migrate(db);
}

/** Records an imported file with its outcome and refusals (the caller holds the transaction). */
export async function recordFile(
  db: Db,
  o: { code: string; hash: string; runId: string; now: Date },
  entry: HandlingFileSummary,
  refusals: readonly HandlingRefusal[],
): Promise<void> {
  const text = (v: string | null) => (v === null ? 'NULL' : lit(v));
  await db.run(`INSERT INTO handling_files (municipality, sha256, path, who, run_id, imported_at, rows, applied, refused,
      status, message, unchanged, conflicts)
    VALUES (${lit(o.code)}, ${lit(o.hash)}, ${lit(entry.path)}, ${text(entry.by)}, ${lit(o.runId)}, ${tsLiteral(o.now)},
      ${entry.rows}, ${entry.applied}, ${entry.refused + entry.conflicts}, ${lit(entry.status)}, ${text(entry.message)},
      ${entry.unchanged}, ${entry.conflicts})`);
  if (refusals.length === 0) return;
  const appender = await db.conn.createAppender('handling_file_refusals');
  refusals.forEach((r, ord) => {
    appender.appendVarchar(o.code);
    appender.appendVarchar(o.hash);
    appender.appendInteger(ord);
    if (r.row === null) appender.appendNull();
    else appender.appendInteger(r.row);
    appender.appendVarchar(r.caseRef);
    appender.appendVarchar(r.reason);
    appender.endRow();
  });
  appender.closeSync();
}

export interface UnreportedFile {
  entry: HandlingFileSummary;
  refusals: HandlingRefusal[];
}

/** `municipality/sha256`, how a file is known. */
export const fileKey = (municipality: string, sha256: string) => `${municipality}/${sha256}`;

const FINISHED = `(SELECT run_id FROM runs WHERE run_id IS NOT NULL)`;

/**
 * The files imported by a run that did not finish, and not yet reported by a finished run: by key, with their
 * outcome and refusals as they were recorded.
 */
export async function unreportedFiles(db: Db): Promise<Map<string, UnreportedFile>> {
  const files = await db.all<{ municipality: string; sha256: string; path: string; who: string | null; run_id: string; rows: number;
    applied: number; refused: number; status: string | null; message: string | null; unchanged: number | null; conflicts: number | null }>(`
    SELECT municipality, sha256, path, who, run_id, rows, applied, refused, status, message, unchanged, conflicts
    FROM handling_files
    WHERE run_id NOT IN ${FINISHED} AND (reported_run_id IS NULL OR reported_run_id NOT IN ${FINISHED})
    ORDER BY path`);
  const out = new Map<string, UnreportedFile>();
  for (const f of files) {
    const status = f.status === 'unreadable' ? 'unreadable' : 'imported';
    const earlier = `af kørslen ${f.run_id}, som ikke blev færdig; dens afviste rækker meldes her`;
    const conflicts = Number(f.conflicts ?? 0);
    out.set(fileKey(f.municipality, f.sha256), {
      entry: {
        path: f.path, municipality: f.municipality, status, by: f.who, rows: Number(f.rows), applied: Number(f.applied),
        unchanged: Number(f.unchanged ?? 0), refused: Number(f.refused) - conflicts, conflicts,
        message: f.message ? `${f.message} (${earlier})` : earlier,
      },
      refusals: [],
    });
  }
  if (out.size === 0) return out;
  const refusals = await db.all<{ municipality: string; sha256: string; row: number | null; case_ref: string; reason: string }>(`
    SELECT r.municipality, r.sha256, r.row, r.case_ref, r.reason FROM handling_file_refusals r
    JOIN handling_files f USING (municipality, sha256)
    WHERE f.run_id NOT IN ${FINISHED} AND (f.reported_run_id IS NULL OR f.reported_run_id NOT IN ${FINISHED})
    ORDER BY r.municipality, r.sha256, r.ord`);
  for (const r of refusals) {
    const f = out.get(fileKey(r.municipality, r.sha256));
    f?.refusals.push({ file: f.entry.path, row: r.row === null ? null : Number(r.row), caseRef: r.case_ref, reason: r.reason });
  }
  return out;
}

/** The files this run lists again are reported by it (counted once it is recorded as finished). */
export async function markReported(db: Db, keys: Iterable<string>, runId: string): Promise<void> {
  const list = [...keys];
  if (list.length === 0) return;
  await db.run(`UPDATE handling_files SET reported_run_id = ${lit(runId)}
    WHERE municipality || '/' || sha256 IN (${list.map(lit).join(', ')})`);
}
