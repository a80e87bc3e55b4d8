// The persistent schema (src/schema/): a database written by the previous landing (test/fixtures/legacy-db, made by
// c3dc7b6, before there were migrations) opens, is brought up to date with every migration recorded, keeps its
// handling, trail, runs, case numbers and unmask log, and a night's run on it finishes with the same case numbers; a
// second migration changes nothing; a new database gets every migration and the same tables as the old one; a
// database of a newer afstem is refused, a read-only open migrates nothing.
// Checked against the code before src/schema/: there was no schema_migrations table and no openDatabase (the import
// fails), and a database of a "newer" version opened as any other.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../src/db.ts';
import { KINDS, stagingDDL } from '../src/ingest/kinds.ts';
import { migrate, MIGRATIONS, openDatabase, schemaVersion, SCHEMA_VERSION, SchemaError } from '../src/schema/migrate.ts';
import { runBatchDetailed } from '../src/run/batch.ts';
import { historyCommand } from '../src/commands/history.ts';
import { capture, tempDir } from './helpers/command-fixture.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'legacy-db');
const SAMPLE_INBOX = path.join(import.meta.dirname, '..', 'sample-data', 'inbox');
const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });

/** The fixture's database unpacked into a new folder, with its configuration's paths pointing there. */
function legacyCopy(): { dir: string; database: string; config: string } {
  const dir = tempDir('schema');
  const database = path.join(dir, 'afstem.duckdb');
  fs.writeFileSync(database, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE, 'afstem-c3dc7b6.duckdb.gz'))));
  const config = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'afstem.config.json'), 'utf8')) as Record<string, unknown>;
  Object.assign(config, { inbox: SAMPLE_INBOX, database, handling: { folder: path.join(dir, 'handling') } });
  fs.writeFileSync(path.join(dir, 'afstem.config.json'), JSON.stringify(config, null, 2));
  return { dir, database, config: path.join(dir, 'afstem.config.json') };
}

/** Every column of the persistent tables: `table: name type[ NOT NULL], …`, in column order. */
async function persistentColumns(db: Db): Promise<string[]> {
  const rows = await db.all<{ t: string; cols: string }>(`
    SELECT table_name AS t, string_agg(column_name || ' ' || data_type || CASE WHEN is_nullable THEN '' ELSE ' NOT NULL' END,
                                       ', ' ORDER BY column_index) AS cols
    FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'
      AND (table_name IN ('runs', 'deliveries', 'inbox_files', 'rejects', 'lifecycle_runs', 'discrepancy_history',
        'case_refs', 'handling', 'handling_trail', 'handling_files', 'audit_unmask', 'ctx_built') OR table_name LIKE 'stg\\_%' ESCAPE '\\')
    GROUP BY table_name ORDER BY table_name`);
  return rows.map((r) => `${r.t}: ${r.cols}`);
}

/** The columns of a c3dc7b6 database once the migrations after 4 have run: handling_files' outcome columns (5). */
function migrated(legacyColumns: string[]): string[] {
  return legacyColumns.map((c) => (c.startsWith('handling_files: ')
    ? `${c}, status VARCHAR, message VARCHAR, unchanged INTEGER, conflicts INTEGER, reported_run_id VARCHAR`
    : c));
}

const counts = (db: Db) =>
  db.one<Record<string, number>>(`SELECT (SELECT count(*) FROM handling) AS handling, (SELECT count(*) FROM handling_trail) AS trail,
    (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM case_refs) AS case_refs, (SELECT count(*) FROM audit_unmask) AS unmask,
    (SELECT count(*) FROM handling_files) AS handling_files, (SELECT count(*) FROM discrepancy_history) AS history`);

describe('the schema of a database written before migrations (c3dc7b6)', () => {
  let legacy: ReturnType<typeof legacyCopy>;
  let legacyColumns: string[];
  beforeAll(async () => {
    legacy = legacyCopy();
    const db = await Db.open(legacy.database, { readOnly: true });
    try {
      legacyColumns = await persistentColumns(db);
    } finally {
      db.close();
    }
  });
  afterAll(() => fs.rmSync(legacy.dir, { recursive: true, force: true }));

  it('is read as it is by a read-only open, which records no migration', async () => {
    const r = await capture(() => historyCommand(['--config', legacy.config]));
    expect(r.result, r.stderr).toBe(0);
    expect(r.stdout).toContain('2026-11-23T05:00:00Z');
    const db = await openDatabase(legacy.database, { readOnly: true });
    try {
      expect(await schemaVersion(db)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('opens, is brought up to date with every migration recorded, and keeps its rows', async () => {
    const db = await openDatabase(legacy.database);
    try {
      const recorded = await db.all<{ version: number; name: string }>(`SELECT version, name FROM schema_migrations ORDER BY version`);
      expect(recorded).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(await schemaVersion(db)).toBe(SCHEMA_VERSION);
      expect(await counts(db)).toEqual({ handling: 3, trail: 3, runs: 2, case_refs: 67, unmask: 1, handling_files: 1, history: 134 });
      expect(await db.all(`SELECT case_ref, status, assignee, note, CAST(follow_up AS VARCHAR) AS follow_up, handled_by FROM handling ORDER BY case_ref`)).toEqual([
        { case_ref: 'S-1', status: 'in_progress', assignee: 'Anna', note: null, follow_up: null, handled_by: 'anna' },
        { case_ref: 'S-2', status: 'explained', assignee: null, note: 'kontant betalt', follow_up: null, handled_by: 'bo' },
        { case_ref: 'S-3', status: 'awaiting', assignee: null, note: null, follow_up: '2026-11-25', handled_by: 'bo' },
      ]);
      // the tables were the schema already: migration 1 adopted them, 2-4 found their columns there, 5 added its own
      expect(await persistentColumns(db)).toEqual(migrated(legacyColumns));
      expect(legacyColumns.find((c) => c.startsWith('handling_files: '))).not.toContain('reported_run_id');
      expect(Number(await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('handling_file_refusals', 'serve_users', 'serve_journal_applied')`))).toBe(3);
      // a second time: nothing to do, nothing recorded again
      expect(await migrate(db)).toEqual([]);
      expect(Number(await db.value(`SELECT count(*) FROM schema_migrations`))).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
  });

  it("takes a night's run, which keeps the case numbers and the handling", async () => {
    const before = await Db.open(legacy.database, { readOnly: true });
    const refs = await before.all(`SELECT case_no, municipality, rule, key_id FROM case_refs ORDER BY case_no`);
    before.close();
    const r = await runBatchDetailed({ configPath: legacy.config, outDir: path.join(legacy.dir, 'out'), asOf: '2026-11-24T05:00:00Z', stream: sink });
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(3); // the sample's deliberately bad rows, reported by this run
    expect(r.lookBack).toBe(false);
    const db = await Db.open(legacy.database, { readOnly: true });
    try {
      expect(await db.all(`SELECT case_no, municipality, rule, key_id FROM case_refs WHERE case_no <= 67 ORDER BY case_no`)).toEqual(refs);
      expect(refs[0]).toEqual({ case_no: 1, municipality: '101', rule: 'R01', key_id: 'MV101-X0001' });
      expect(Number(await db.value(`SELECT count(*) FROM runs`))).toBe(3);
      expect(Number(await db.value(`SELECT count(*) FROM schema_migrations`))).toBe(MIGRATIONS.length);
    } finally {
      db.close();
    }
    // S-1 is the same discrepancy with the handling recorded before the upgrade
    const csv = fs.readFileSync(path.join(legacy.dir, 'out', 'discrepancies.csv'), 'utf8').split(/\r?\n/);
    const s1 = csv.find((l) => l.endsWith(',S-1'));
    expect(s1).toMatch(/^R01,critical,101,MV101-X0001,/);
    expect(s1).toContain(',in_progress,S-1');
  });
});

describe('a new database', () => {
  it('gets every migration, and the same tables as a database of c3dc7b6', async () => {
    const dir = tempDir('schema-new');
    const db = await openDatabase(path.join(dir, 'new.duckdb'));
    const legacy = legacyCopy();
    const old = await Db.open(legacy.database, { readOnly: true });
    try {
      expect(await db.all(`SELECT version FROM schema_migrations ORDER BY version`)).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      expect(await persistentColumns(db)).toEqual(migrated(await persistentColumns(old)));
      // the staging tables are shaped as src/ingest/kinds.ts says (a new column of a kind needs its migration)
      for (const k of KINDS) {
        const want = `${stagingDDL(k, 'x').replace(/^[^(]*\((.*)\)$/, '$1')}, reject_reason VARCHAR`;
        const got = await db.value<string>(`SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index)
          FROM duckdb_columns() WHERE table_name = 'stg_${k.kind}' AND database_name = current_database()`);
        expect(got, k.kind).toBe(want);
      }
    } finally {
      db.close();
      old.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(legacy.dir, { recursive: true, force: true });
    }
  });
});

describe('a database of a newer afstem', () => {
  it('is refused by a writing and a reading open alike and by the run, naming both versions (exit 2)', async () => {
    const dir = tempDir('schema-newer');
    const file = path.join(dir, 'newer.duckdb');
    const db = await openDatabase(file);
    await db.run(`INSERT INTO schema_migrations VALUES (${SCHEMA_VERSION + 1}, 'a later afstem', now()::TIMESTAMP)`);
    db.close();
    for (const readOnly of [false, true]) {
      const e = await openDatabase(file, { readOnly }).then(() => null, (err: unknown) => err);
      expect(e).toBeInstanceOf(SchemaError);
      expect((e as SchemaError).exitCode).toBe(2);
      expect((e as Error).message).toContain(`schema version ${SCHEMA_VERSION + 1}; this afstem knows up to ${SCHEMA_VERSION}`);
    }
    // the night's run refuses it before loading anything, and leaves no outputs
    const config = path.join(dir, 'afstem.config.json');
    fs.writeFileSync(config, JSON.stringify({ inbox: SAMPLE_INBOX, database: file, municipalities: [
      { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }] }));
    const r = await runBatchDetailed({ configPath: config, outDir: path.join(dir, 'out'), stream: sink });
    expect([r.exitCode, r.error]).toEqual([2, expect.stringContaining('was written by a newer afstem')]);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
