// The nightly load: every file of the inbox in path order, registered by content hash, so that loading the same
// content again changes nothing and a re-delivery replaces the earlier delivery of its identity in full.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import type { Config } from '../config.ts';
import { pinnedDialect } from '../config.ts';
import { listInbox } from './inbox.ts';
import { loadPlanned, planFile, sha256, type Plan } from './load.ts';
import type { InboxFile } from './inbox.ts';
import { KINDS } from './kinds.ts';

export type FileStatus = 'loaded' | 'already_loaded' | 'replaced' | 'rejected' | 'unknown';

export interface FileSummary {
  path: string;
  kind: string | null;
  municipality: string | null;
  exportDate: string | null;
  status: FileStatus;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  extraColumns: string[];
  message: string | null;
}

export interface IngestResult {
  /** Files in effect after this run plus the unknown files this run met, in path order. */
  files: FileSummary[];
  /** This run rejected rows or files, or met unknown files (exit code 3). */
  unclean: boolean;
  loadedThisRun: number;
}

interface DeliveryRow {
  delivery_id: number;
  path: string;
  municipality: string;
  kind: string;
  export_date: string;
  status: string;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  extra_columns: string;
  message: string | null;
  active: boolean;
}

export async function ingestInbox(
  db: Db,
  config: Config,
  runSeq: number,
  onFile?: (path: string, index: number, total: number) => void,
): Promise<IngestResult> {
  const files = listInbox(config.inboxPath, new Set(config.municipalities.map((m) => m.code)));
  const thisRun = new Map<number, FileStatus>();
  const unknown: FileSummary[] = [];
  let unclean = false;
  let loadedThisRun = 0;
  // the fast load path numbers records in the order the reader gives them
  await db.run(`SET preserve_insertion_order = true`);
  await removeOrphans(db);
  const registry = await readRegistry(db);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-'));
  try {
    // The TypeScript work on a file (reading, hashing, planning) runs while DuckDB loads the file before it.
    const readAhead = (i: number): Promise<ReadAhead | null> =>
      new Promise((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(i < files.length ? readFile(files[i], config, registry, tmpDir) : null);
          } catch (e) {
            reject(e);
          }
        }),
      );
    let next = readAhead(0);
    for (const [index, f] of files.entries()) {
      onFile?.(f.path, index, files.length);
      const ahead = await next;
      next = readAhead(index + 1);
      if (f.unknownReason) {
        unclean = true;
        unknown.push({
          path: f.path,
          kind: null,
          municipality: f.municipality,
          exportDate: null,
          status: 'unknown',
          rowsRead: 0,
          rowsLoaded: 0,
          rowsRejected: 0,
          extraColumns: [],
          message: f.unknownReason,
        });
        continue;
      }
      const { bytes, hash, plan } = ahead!;
      const identity = `${f.municipality}/${f.kind}/${f.exportDate}`;
      if (registry.hashes.has(`${identity}/${hash}`)) continue; // the same content under the same identity: nothing changes
      const previous = registry.active.get(identity);
      const deliveryId = ++registry.lastId;
      // No explicit transaction (DuckDB's temp and transaction-local storage make a 1M-row load 2-3x slower):
      // staged rows count only once their delivery is registered, and a failed load removes its own rows.
      try {
        const target = { deliveryId, path: f.path, absPath: f.absPath, municipality: f.municipality!, kind: f.kind!, exportDate: f.exportDate! };
        const parsed = await loadPlanned(
          db,
          target,
          plan ?? planFile(bytes, f.kind!, pinnedDialect(config, f.municipality!, f.kind!), tmpDir),
          bytes,
          tmpDir,
        );
        let message = parsed.message;
        let status: FileStatus = parsed.status;
        if (previous) {
          await db.run(`UPDATE deliveries SET active = false, replaced_by = ${deliveryId} WHERE delivery_id = ${previous.delivery_id}`);
          await db.run(`DELETE FROM stg_${f.kind} WHERE delivery_id = ${previous.delivery_id}`);
          await db.run(`DELETE FROM rejects WHERE delivery_id = ${previous.delivery_id}`);
          const note = `re-delivery: replaces the earlier delivery ${previous.path} of ${f.municipality}/${f.kind} ${f.exportDate} in full`;
          message = message ? `${message}; ${note}` : note;
          if (status === 'loaded') status = 'replaced';
        }
        await db.run(`INSERT INTO deliveries VALUES (${deliveryId}, ${lit(f.path)}, ${lit(f.municipality)}, ${lit(f.kind)},
          DATE ${lit(f.exportDate)}, ${lit(hash)}, ${bytes.length}, ${lit(parsed.encoding)}, ${lit(parsed.delimiter)},
          ${lit(status)}, ${parsed.rowsRead}, ${parsed.rowsLoaded}, ${parsed.rowsRejected},
          ${lit(JSON.stringify(parsed.extraColumns))}, ${lit(message)}, true, ${runSeq}, now()::TIMESTAMP, NULL)`);
        thisRun.set(deliveryId, status);
        registry.hashes.add(`${identity}/${hash}`);
        registry.active.set(identity, { delivery_id: deliveryId, path: f.path });
        loadedThisRun++;
        if (parsed.rowsRejected > 0 || status === 'rejected') unclean = true;
      } catch (e) {
        await removeDelivery(db, deliveryId);
        throw new Error(`loading ${f.path} failed: ${(e as Error).message}`);
      }
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  const active = await db.all<DeliveryRow>(
    `SELECT delivery_id, path, municipality, kind, strftime(export_date, '%Y-%m-%d') AS export_date, status, rows_read,
            rows_loaded, rows_rejected, extra_columns, message, active
     FROM deliveries WHERE active`,
  );
  const inEffect: FileSummary[] = active.map((d) => ({
    path: d.path,
    kind: d.kind,
    municipality: d.municipality,
    exportDate: d.export_date,
    status: thisRun.get(Number(d.delivery_id)) ?? 'already_loaded',
    rowsRead: Number(d.rows_read),
    rowsLoaded: Number(d.rows_loaded),
    rowsRejected: Number(d.rows_rejected),
    extraColumns: JSON.parse(d.extra_columns) as string[],
    message: d.message,
  }));
  const all = [...inEffect, ...unknown].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: all, unclean, loadedThisRun };
}

async function removeDelivery(db: Db, deliveryId: number): Promise<void> {
  for (const k of KINDS) await db.run(`DELETE FROM stg_${k.kind} WHERE delivery_id = ${deliveryId}`);
  await db.run(`DELETE FROM rejects WHERE delivery_id = ${deliveryId}`);
}

/** Rows of a load that was cut off (killed process) before its delivery was registered. */
async function removeOrphans(db: Db): Promise<void> {
  for (const k of KINDS) {
    await db.run(`DELETE FROM stg_${k.kind} WHERE delivery_id NOT IN (SELECT delivery_id FROM deliveries)`);
  }
  await db.run(`DELETE FROM rejects WHERE delivery_id NOT IN (SELECT delivery_id FROM deliveries)`);
}

interface Registry {
  /** identity/hash of every delivery ever loaded. */
  hashes: Set<string>;
  /** identity → the delivery in effect. */
  active: Map<string, { delivery_id: number; path: string }>;
  lastId: number;
}

async function readRegistry(db: Db): Promise<Registry> {
  const rows = await db.all<{ delivery_id: number; path: string; identity: string; content_hash: string; active: boolean }>(
    `SELECT delivery_id, path, municipality || '/' || kind || '/' || strftime(export_date, '%Y-%m-%d') AS identity, content_hash, active
     FROM deliveries`,
  );
  const registry: Registry = { hashes: new Set(), active: new Map(), lastId: 0 };
  for (const r of rows) {
    registry.hashes.add(`${r.identity}/${r.content_hash}`);
    if (r.active) registry.active.set(r.identity, { delivery_id: Number(r.delivery_id), path: r.path });
    registry.lastId = Math.max(registry.lastId, Number(r.delivery_id));
  }
  return registry;
}

interface ReadAhead {
  bytes: Buffer;
  hash: string;
  /** Null for unknown files and for content already loaded under its identity. */
  plan: Plan | null;
}

function readFile(f: InboxFile, config: Config, registry: Registry, tmpDir: string): ReadAhead | null {
  if (f.unknownReason) return null;
  const bytes = fs.readFileSync(f.absPath);
  const hash = sha256(bytes);
  const known = registry.hashes.has(`${f.municipality}/${f.kind}/${f.exportDate}/${hash}`);
  const plan = known ? null : planFile(bytes, f.kind!, pinnedDialect(config, f.municipality!, f.kind!), tmpDir);
  return { bytes, hash, plan };
}
