// The server's in-memory snapshot of the database (FORMATS.md §9): what the pages need, copied from the database
// file in a moment (reports/serve/snapshot.sql; the file attached read-only and detached again, so the server never
// keeps it open), with the journal entries that have not reached the file yet applied on top, and one schema of
// views per set of municipalities (reports/serve/scope.sql) through which a page reads. A snapshot is replaced
// whole when the file changed; the pages that still read the old one finish on it, then it is closed.
import fs from 'node:fs';
import { Db, lit, tsLiteral } from '../db.ts';
import { ensureHandlingTables } from '../handling/store.ts';
import { handlingColumnsSql } from '../handling/lifecycle.ts';
import { ensureServeTables } from '../handling/serve-tables.ts';
import { appliedIds, applyEntry, readJournal, type JournalEntry } from '../handling/journal.ts';
import { serveSql, statements } from './sql.ts';
import { readUsers, type StoredUser } from './users.ts';

export class Snapshot {
  private refs = 0;
  private retired = false;
  private closed = false;
  private readonly scopes = new Map<string, Promise<void>>();
  /** Journal entries that have not reached the database file (the server applies them when no run holds it). */
  pending = 0;

  constructor(
    readonly db: Db,
    /** The latest recorded run's asOf; null when no run is recorded yet. */
    readonly asOf: Date | null,
    /** The built-in accounts, by name. */
    readonly users: Map<string, StoredUser>,
    /** The database file's size and times when it was copied (see fileStamp). */
    public stamp: string,
    readonly builtAt: Date,
  ) {}

  /** A page reads this snapshot until it calls release(). */
  acquire(): this {
    this.refs++;
    return this;
  }

  release(): void {
    this.refs--;
    this.closeIfDone();
  }

  /** Replaced by a newer one: closed once no page reads it. */
  retire(): void {
    this.retired = true;
    this.closeIfDone();
  }

  private closeIfDone(): void {
    if (this.retired && this.refs <= 0 && !this.closed) {
      this.closed = true;
      this.db.close();
    }
  }

  /**
   * A connection that reads through the scope of these municipalities (`all`: an operator's, with the runs): its own
   * schema of views, made the first time it is asked for. The caller closes it.
   */
  async scoped(codes: string[], all: boolean): Promise<Db> {
    const key = all ? 'all' : codes.map((c) => c.replace(/\D/g, '')).join('_');
    const schema = `scope_${key}`;
    let made = this.scopes.get(key);
    if (!made) {
      made = (async () => {
        const conn = await this.db.connection();
        try {
          const list = codes.length ? codes.map(lit).join(', ') : `''`;
          for (const s of statements(serveSql('scope.sql', { schema, codes: list }))) await conn.run(s);
          if (all) for (const s of statements(serveSql('scope-operator.sql', { schema }))) await conn.run(s);
        } finally {
          conn.close();
        }
      })();
      this.scopes.set(key, made);
    }
    await made;
    const conn = await this.db.connection();
    await conn.run(`SET search_path = '${schema}'`);
    return conn;
  }
}

/** The database file's (and its write-ahead log's) size and modification time: changed = written by someone. */
export function fileStamp(file: string): string {
  const one = (f: string) => {
    try {
      const st = fs.statSync(f);
      return `${st.size}@${st.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return `${one(file)}|${one(`${file}.wal`)}`;
}

/**
 * Copies the database file into a new in-memory database. `hold` runs the copy while the file may be opened (the
 * caller takes afstem's lock around it). A file that does not exist yet gives an empty snapshot.
 */
export async function copyDatabase(file: string, hold: (copy: () => Promise<void>) => Promise<boolean>): Promise<{ db: Db; stamp: string } | null> {
  const db = await Db.open(':memory:', { memoryLimit: '1GB' });
  let stamp = '-|-';
  const copied = await hold(async () => {
    stamp = fileStamp(file);
    if (!fs.existsSync(file)) return;
    await db.run(`ATTACH ${lit(file)} AS src (READ_ONLY)`);
    try {
      const have = new Set((await db.all<{ t: string }>(
        `SELECT table_name AS t FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = 'main'`)).map((r) => r.t));
      for (const s of statements(serveSql('snapshot.sql'))) {
        const from = /FROM src\.main\.(\w+)/.exec(s)?.[1];
        if (from && have.has(from)) await db.run(s);
      }
    } finally {
      await db.run('DETACH src');
    }
  });
  if (!copied) {
    db.close();
    return null;
  }
  return { db, stamp };
}

/**
 * Makes a copied database a snapshot: the tables a database without them would lack, the view discrepancy_states
 * with the current handling, the users, and the journal entries that have not reached the file applied on top.
 */
export async function makeSnapshot(db: Db, stamp: string, databasePath: string): Promise<Snapshot> {
  await ensureHandlingTables(db);
  await ensureServeTables(db);
  const hasRun = Number(await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'ds_recorded'`)) > 0;
  const asOfText = hasRun ? await db.value<string | null>(`SELECT strftime(max(as_of), '%Y-%m-%dT%H:%M:%S.%fZ') FROM lifecycle_runs`) : null;
  const asOf = asOfText ? new Date(asOfText) : null;
  if (asOf) {
    await db.run(`CREATE TABLE IF NOT EXISTS discrepancy_hints (municipality VARCHAR, rule VARCHAR, key_id VARCHAR,
      suggestion VARCHAR, counterpart_id VARCHAR, candidates BIGINT, overdue_cause VARCHAR)`);
    for (const s of statements(serveSql('states.sql', { handling_columns: handlingColumnsSql('r', 'h', asOf) }))) await db.run(s);
  }
  const users = new Map((await readUsers(db)).map((u) => [u.name, u]));
  const snapshot = new Snapshot(db, asOf, users, stamp, new Date());
  if (asOf) snapshot.pending = await overlayJournal(snapshot, databasePath);
  return snapshot;
}

/**
 * Applies the journal's entries that have not reached the file to the snapshot (those applyHandling accepts), lists
 * them as pending, and returns how many have not reached the file.
 */
async function overlayJournal(s: Snapshot, databasePath: string): Promise<number> {
  const { entries } = readJournal(databasePath);
  if (!entries.length) return 0;
  const done = await appliedIds(s.db);
  let pending = 0;
  for (const e of entries) {
    if (done.has(e.id)) continue;
    pending++;
    await applyToSnapshot(s, e);
  }
  return pending;
}

/** Applies one entry to the snapshot (the same applyHandling as the file) and lists it as pending. */
export async function applyToSnapshot(s: Snapshot, e: JournalEntry, opts: { beforeCommit?: () => void } = {}) {
  const conn = await s.db.connection();
  try {
    await conn.run('BEGIN TRANSACTION');
    const result = await applyEntry(conn, e, { inTransaction: true });
    if (result.outcome !== 'applied') {
      await conn.run('ROLLBACK');
      return result;
    }
    opts.beforeCommit?.();
    await conn.run(`INSERT INTO journal_pending VALUES (${lit(e.id)}, ${lit(e.caseRef)}, ${lit(e.municipality)}, ${tsLiteral(new Date(e.at))}, ${lit(e.who)})`);
    await conn.run('COMMIT');
    return result;
  } catch (err) {
    await conn.run('ROLLBACK');
    throw err;
  } finally {
    conn.close();
  }
}

/**
 * Puts a case's handling row and trail rows, as the database file has them after a change the server wrote there,
 * into the snapshot (reports/serve/mirror.sql): a few statements instead of applying the change a second time.
 */
export async function mirrorCase(s: Snapshot, file: Db, caseRef: string): Promise<void> {
  const [readHandling, readTrail, dropHandling] = statements(serveSql('mirror.sql'));
  const ref = { case_ref: caseRef };
  const handling = await file.all<Record<string, string | null>>(readHandling, ref);
  const trail = await file.all<Record<string, string | null>>(readTrail, ref);
  const row = (r: Record<string, string | null>) => `(${Object.values(r).map((v) => lit(v)).join(', ')})`;
  const conn = await s.db.connection();
  try {
    await conn.run('BEGIN TRANSACTION');
    await conn.all(dropHandling, ref);
    if (handling.length) await conn.run(`INSERT INTO handling SELECT * FROM (VALUES ${handling.map(row).join(', ')})`);
    if (trail.length) {
      await conn.run(`INSERT INTO handling_trail SELECT * FROM (VALUES ${trail.map(row).join(', ')}) v
        WHERE NOT EXISTS (SELECT 1 FROM handling_trail t WHERE t.case_ref = v.col1 AND t.seq = CAST(v.col0 AS BIGINT))`);
    }
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  } finally {
    conn.close();
  }
}

