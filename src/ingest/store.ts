// The persistent tables of the database: the delivery registry, rejected rows, staged rows per kind, runs.
import type { Db } from '../db.ts';
import { KINDS, stagingDDL } from './kinds.ts';

export async function ensureStore(db: Db): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS deliveries (
      delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE,
      content_hash VARCHAR, byte_size BIGINT, encoding VARCHAR, delimiter VARCHAR,
      status VARCHAR,            -- loaded | replaced | rejected (as of its own load)
      rows_read INTEGER, rows_loaded INTEGER, rows_rejected INTEGER,
      extra_columns VARCHAR,     -- JSON array
      message VARCHAR,
      active BOOLEAN,            -- in effect (not replaced by a later delivery of the same identity)
      loaded_run_seq INTEGER, loaded_at TIMESTAMP, replaced_by INTEGER);
    -- how each inbox file looked on disk (size, times, inode) when its content was hashed: unchanged files are not read
    CREATE TABLE IF NOT EXISTS inbox_files (path VARCHAR, signature VARCHAR, content_hash VARCHAR);
    CREATE TABLE IF NOT EXISTS rejects (delivery_id INTEGER, path VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR);
    CREATE TABLE IF NOT EXISTS runs (
      run_seq INTEGER, run_id VARCHAR, as_of TIMESTAMP, started_at TIMESTAMP, finished_at TIMESTAMP,
      exit_code INTEGER, files_read INTEGER, rows_rejected INTEGER,
      critical INTEGER, warning INTEGER, info INTEGER, new_count INTEGER, resolved_count INTEGER,
      summary_json VARCHAR);
  `);
  for (const k of KINDS) {
    await db.run(stagingDDL(k, `stg_${k.kind}`));
    // Rows are typed straight into staging; the few that fail are moved to rejects right after.
    await db.run(`ALTER TABLE stg_${k.kind} ADD COLUMN IF NOT EXISTS reject_reason VARCHAR`);
  }
}
