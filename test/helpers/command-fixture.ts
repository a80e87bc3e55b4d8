// Hand-made databases and configurations for the command tests (export, history, waves, lock, schedule).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../../src/db.ts';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `afstem-${prefix}-`));
}

export interface MunicipalityFixture {
  code: string;
  name: string;
  debtorSystem: string;
  wave: number;
  goLive: string;
}

/** Writes a configuration whose database is `db.duckdb` in the same folder; returns its path. */
export function writeConfig(dir: string, municipalities: MunicipalityFixture[] = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
]): string {
  const file = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(file, JSON.stringify({ inbox: 'inbox', database: 'db.duckdb', municipalities }, null, 2));
  return file;
}

export const DISCREPANCY_STATES_DDL = `CREATE TABLE discrepancy_states (
  rule VARCHAR, severity VARCHAR, municipality VARCHAR, key_id VARCHAR, fee_id VARCHAR, claim_id VARCHAR,
  payment_id VARCHAR, psp_txn_id VARCHAR, coverage_id VARCHAR, amount DECIMAL(18,2), detail VARCHAR, lineage VARCHAR,
  first_seen TIMESTAMP, state VARCHAR, resolved_at TIMESTAMP, arose_at TIMESTAMP, age_banking_days INTEGER,
  handling_status VARCHAR, case_ref VARCHAR)`;

/** Creates (or extends) a database file with the given SQL and closes it. */
export async function makeDb(file: string, sql: string): Promise<void> {
  const db = await Db.open(file);
  try {
    await db.exec(sql);
  } finally {
    db.close();
  }
}

/** Captures what a command writes to process.stdout / process.stderr while it runs. */
export async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => (err.push(String(c)), true)) as typeof process.stderr.write;
  try {
    const result = await fn();
    return { result, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}
