// The calendar tables of the evaluation context, built once and copied into each hand-made database. A first
// prepareContext on a new database builds cal_days and sla_business_deadline (110,000 local dates, and those per SLA
// stage by ICU's zone rules): about a second, the larger part of every Books.open's cost and paid ~150 times a suite.
// They are built here once by the real prepareContext into a database file under the OS temp dir (never the
// repository), named by a hash of the code that builds them, and each new database gets a copy of the tables and of
// their ctx_built rows. prepareContext still decides for itself: ensureBuilt (src/pipeline/context.ts) reuses a table
// only when its key (the hash of its own SQL, the closing days and the SLA settings) matches, so a test with other
// SLA settings, or a changed calendar, builds them again as a new database would.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lit, type Db } from '../../src/db.ts';
import { openDatabase } from '../../src/schema/migrate.ts';
import { parseConfig } from '../../src/config.ts';
import { prepareContext } from '../../src/pipeline/context.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SEEDED = ['cal_days', 'sla_business_deadline'] as const;
/** The code the tables are made of and the schema around them (a change to any builds a new seed). */
const INPUTS = ['src/pipeline/context.ts', 'src/calendar.ts', 'src/schema/migrations.ts', 'src/schema/migrate.ts', 'test/helpers/context-seed.ts'];

let seedFile: Promise<string> | undefined;

function seedPath(): string {
  const h = createHash('sha256');
  for (const f of INPUTS) h.update(f).update(fs.readFileSync(path.join(ROOT, f)));
  h.update(process.version);
  return path.join(os.tmpdir(), 'afstem-test-cache', `context-seed-${h.digest('hex').slice(0, 16)}.duckdb`);
}

async function build(file: string): Promise<string> {
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // built beside its final name and renamed into place, so a process that reads it never sees half a file (test files
  // run in parallel processes; when two build it at once, the later rename replaces an identical file)
  const tmp = `${file}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  try {
    const db = await openDatabase(tmp);
    try {
      await prepareContext(db, parseConfig({ inbox: 'inbox', municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }] }, '/tmp/x.json'), '2026-11-26T12:00:00Z');
    } finally {
      db.close();
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`the context seed ${file} could not be built: ${(e as Error).message}`, { cause: e });
  }
  return file;
}

/** Copies the calendar tables (and their ctx_built rows) into a database that has none yet. */
export async function seedContext(db: Db): Promise<void> {
  const have = await db.value<number>(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'cal_days' AND NOT temporary AND database_name = current_database()`);
  if (Number(have) > 0) return;
  seedFile ??= build(seedPath());
  const file = await seedFile;
  await db.run(`ATTACH ${lit(file)} AS afstem_seed (READ_ONLY)`);
  try {
    for (const t of SEEDED) await db.run(`CREATE TABLE ${t} AS SELECT * FROM afstem_seed.${t}${t === 'cal_days' ? ' ORDER BY d' : ''}`);
    await db.run(`INSERT OR REPLACE INTO ctx_built SELECT * FROM afstem_seed.ctx_built WHERE name IN (${SEEDED.map((t) => lit(t)).join(', ')})`);
  } finally {
    await db.run('DETACH afstem_seed');
  }
}
