// The one way into the batch database: openDatabase opens the file and brings its schema up to date (./migrations.ts)
// before anything reads or writes it, so no other module creates or alters a persistent table. Each migration not
// yet applied runs in its own transaction and is recorded in schema_migrations (version, name, applied_at); a
// database written before there were migrations is adopted by migration 1 (IF NOT EXISTS) and brought up from there.
//
// A read-only open (afstem waves, history, audit, export) cannot migrate and does not: a reading command never
// writes, and reads an older database as its code always has (each reader tolerates the older shapes it may meet). A
// database written by a newer afstem (a schema version this one does not know) is refused by every command, reading
// or writing: exit 2, naming both versions.
import { Db, type DbOptions } from '../db.ts';
import { AfstemError } from '../errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';

export { MIGRATIONS, SCHEMA_VERSION };

/** The database's schema is one this afstem cannot use: exit 2. */
export class SchemaError extends AfstemError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'SchemaError';
  }
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`;

/** The database's schema version: its latest recorded migration, 0 when none is recorded (or it has no such table). */
export async function schemaVersion(db: Db): Promise<number> {
  const table = await db.value(`SELECT count(*) FROM duckdb_tables()
    WHERE table_name = 'schema_migrations' AND schema_name = 'main' AND database_name = current_database()`);
  if (Number(table) === 0) return 0;
  return Number(await db.value(`SELECT coalesce(max(version), 0) FROM main.schema_migrations`));
}

function refuseNewer(db: Db, version: number): void {
  if (version > SCHEMA_VERSION) {
    throw new SchemaError(
      `the database ${db.file} was written by a newer afstem (schema version ${version}; this afstem knows up to ${SCHEMA_VERSION}): ` +
        'run it with that version of afstem or a later one',
    );
  }
}

/**
 * Applies every migration the database has not had, in order, each in its own transaction with its row in
 * schema_migrations. Returns the versions applied (none when it was up to date). Refuses a newer database.
 */
export async function migrate(db: Db): Promise<number[]> {
  await db.run(MIGRATIONS_TABLE);
  const current = await schemaVersion(db);
  refuseNewer(db, current);
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    await db.run('BEGIN TRANSACTION');
    try {
      await db.exec(m.sql);
      await db.run(`INSERT INTO main.schema_migrations VALUES ($1, $2, now()::TIMESTAMP)`, [m.version, m.name]);
      await db.run('COMMIT');
    } catch (e) {
      await db.run('ROLLBACK');
      throw new Error(`migration ${m.version} (${m.name}) of ${db.file} failed: ${(e as Error).message}`);
    }
    applied.push(m.version);
  }
  return applied;
}

/**
 * Opens the batch database: read-write with its schema brought up to date, or read-only (`readOnly`) as it is. Either
 * way a database of a newer afstem is refused (SchemaError, exit 2).
 */
export async function openDatabase(file: string, opts: DbOptions = {}): Promise<Db> {
  const db = await Db.open(file, opts);
  try {
    if (opts.readOnly) refuseNewer(db, await schemaVersion(db));
    else await migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
