// The tables of the served worklist (FORMATS.md §9), created by the schema module (src/schema/, migration 6). They sit below the run
// and the server alike: the nightly run applies the server's journal too (./journal.ts).
//   serve_users(name, password_hash, role, municipalities, created_at, changed_at)
//       the built-in accounts of `afstem user`: the password only as a scrypt hash (src/serve/password.ts), the
//       municipalities as a comma list of codes ('' = every municipality: an operator)
//   serve_journal_applied(id, case_ref, municipality, who, recorded_at, outcome, reason, applied_at, applied_by)
//       one row per journal entry that reached the database, written in the same transaction as its trail row, so
//       a crash between the two never applies an entry twice; outcome applied | unchanged | refused | conflict
import type { Db } from '../db.ts';
import { migrate } from '../schema/migrate.ts';

export async function ensureServeTables(db: Db): Promise<void> {
  await migrate(db);
}
