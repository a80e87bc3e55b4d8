// The calendar tables of the evaluation context, built once for the whole suite. A first prepareContext on a new
// database builds cal_days and sla_business_deadline (110,000 local dates, and those per SLA stage by ICU's zone
// rules): about half a second of CPU, paid by every Books database and every first run of a test installation,
// hundreds of times a suite. Vitest's globalSetup (vitest.config.ts) builds them here once, with the real
// prepareContext, into a database file under the OS temp dir (never the repository) named by a hash of the code that
// builds them, and names it in AFSTEM_CONTEXT_SEED for the test processes. prepareContext still decides for itself
// (ensureBuilt in src/pipeline/context.ts): it copies a table from the seed only when the seed's key for it (the hash
// of its SQL, the closing days and the SLA settings) is its own, so a test with other SLA settings, or a changed
// calendar, builds them as a new database always did.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/schema/migrate.ts';
import { parseConfig } from '../../src/config.ts';
import { prepareContext } from '../../src/pipeline/context.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The code the seed is made of (a change to any makes a new seed file). */
const INPUTS = [
  'src/pipeline/context.ts', 'src/calendar.ts', 'src/schema/migrations.ts', 'src/schema/migrate.ts', 'src/db.ts',
  'test/helpers/context-seed.ts', 'node_modules/@duckdb/node-api/package.json',
];

function seedPath(): string {
  const h = createHash('sha256').update(process.version);
  for (const f of INPUTS) h.update(f).update(fs.readFileSync(path.join(ROOT, f)));
  return path.join(os.tmpdir(), 'afstem-test-cache', `context-seed-${h.digest('hex').slice(0, 16)}.duckdb`);
}

/** The seed file, built when it is not there yet. */
export async function contextSeed(): Promise<string> {
  const file = seedPath();
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // built beside its final name and renamed into place, so no process ever reads half a file (two suites building it
  // at once each rename an identical file)
  const tmp = `${file}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  try {
    const db = await openDatabase(tmp);
    try {
      const config = parseConfig({ inbox: 'inbox', municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }] }, 'seed.json');
      await prepareContext(db, config, '2026-11-26T12:00:00Z');
    } finally {
      db.close();
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`the tests' context seed ${file} could not be built: ${(e as Error).message}`, { cause: e });
  }
  return file;
}
