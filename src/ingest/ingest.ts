// The nightly load: every file of the inbox in path order, registered by content hash, so that loading the same
// content again changes nothing and a re-delivery replaces the earlier delivery of its identity in full.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import type { Config } from '../config.ts';
import { pinnedDialect } from '../config.ts';
import type { FileStatus } from '../vocabulary.ts';
import { fsReason, listInbox, machineFailure } from './inbox.ts';
import { loadPlanned, planFile, readerPath, sha256, type LoadTarget, type ParsedFile, type Plan } from './load.ts';
import type { InboxFile } from './inbox.ts';
import { KINDS } from './kinds.ts';
import { stageBatch, type BatchItem } from './batch-read.ts';
import type { Staged } from './staged.ts';

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
  /** Files in effect after this run plus every other entry this run met in the inbox, in path order. */
  files: FileSummary[];
  /**
   * A delivery in effect has rejects no finished run has reported, or this run met unknown or unreadable files
   * (exit code 3).
   */
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
  const files = listInbox(config.inboxPath, new Set(config.municipalities.map((m) => m.code)), config.ignore);
  const thisRun = new Map<number, FileStatus>();
  const listed: FileSummary[] = [];
  let metProblems = false;
  let loadedThisRun = 0;
  // the fast load path numbers records in the order the reader gives them
  await db.run(`SET preserve_insertion_order = true`);
  await removeOrphans(db);
  const registry = await readRegistry(db);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-'));
  try {
    // Files are taken in path order in batches: each file is read, hashed and planned (in TypeScript), then the
    // batch's fast-path files are staged by a few multi-file reads (batch-read.ts), then each file is finished and
    // registered in path order exactly as if it had been loaded alone. A batch never holds two files of one identity
    // (a re-delivery waits for the next batch, so that it replaces a delivery already registered).
    // readFile never throws: what goes wrong with one file becomes that file's status.
    let batch: Pending[] = [];
    let batchBytes = 0;
    const identities = new Set<string>();
    const flush = async () => {
      const items: BatchItem[] = batch.flatMap(({ target, ahead: { plan } }) =>
        plan?.mode === 'fast' || (plan?.mode === 'careful' && plan.cleanPath !== null) ? [{ target, plan }] : [],
      );
      const staged = items.length > 0 ? await stageBatch(db, items) : new Map<number, Staged>();
      for (const p of batch) {
        const ahead = p.ahead.plan;
        const got = staged.get(p.target.deliveryId);
        const plan: Plan | null =
          ahead?.mode === 'fast' ? { mode: 'staged', fast: ahead, staged: got } : ahead?.mode === 'careful' && got ? { ...ahead, staged: got } : ahead;
        await register(p, plan);
      }
      batch = [];
      batchBytes = 0;
      identities.clear();
    };
    const register = async ({ f, ahead, target, identity, previous }: Pending, plan: Plan | null) => {
      const { bytes, hash } = ahead;
      const { deliveryId } = target;
      // No explicit transaction (DuckDB's temp and transaction-local storage make a 1M-row load 2-3x slower):
      // staged rows count only once their delivery is registered, and a failed load removes its own rows.
      let parsed: ParsedFile;
      try {
        if (ahead.planError !== null) throw ahead.planError;
        parsed = await loadPlanned(db, target, plan ?? planFile(bytes, f.kind!, pinnedDialect(config, f.municipality!, f.kind!), tmpDir), bytes, tmpDir);
      } catch (e) {
        await removeDelivery(db, deliveryId);
        const machine = machineFailure(e); // not the file's fault: not registered, read again by the next run
        if (machine) { listed.push(notLoaded(f, 'unreadable', machine)); metProblems = true; return; }
        parsed = await rejectWhole(db, target, bytes, e);
      }
      let message = parsed.message;
      let status: FileStatus = parsed.status;
      if (previous) {
        await db.run(`UPDATE deliveries SET active = false, replaced_by = ${deliveryId} WHERE delivery_id = ${previous.delivery_id}`);
        await db.run(`DELETE FROM stg_${f.kind} WHERE delivery_id = ${previous.delivery_id}`);
        await db.run(`DELETE FROM rejects WHERE delivery_id = ${previous.delivery_id}`);
        const note = `genlevering: erstatter hele den tidligere levering ${previous.path} af ${f.municipality}/${f.kind} ${f.exportDate}`;
        message = message ? `${message}; ${note}` : note;
        if (status === 'loaded') status = 'replaced';
      }
      await db.run(`INSERT INTO deliveries VALUES (${deliveryId}, ${lit(f.path)}, ${lit(f.municipality)}, ${lit(f.kind)},
        DATE ${lit(f.exportDate)}, ${lit(hash)}, ${bytes.length}, ${lit(parsed.encoding)}, ${lit(parsed.delimiter)},
        ${lit(status)}, ${parsed.rowsRead}, ${parsed.rowsLoaded}, ${parsed.rowsRejected},
        ${lit(JSON.stringify(parsed.extraColumns))}, ${lit(message)}, true, ${runSeq}, now()::TIMESTAMP, NULL)`);
      thisRun.set(deliveryId, status);
      registry.hashes.set(`${identity}/${hash}`, { delivery_id: deliveryId, paths: new Set([f.path]) });
      registry.active.set(identity, { delivery_id: deliveryId, path: f.path });
      loadedThisRun++;
    };
    for (const [index, f] of files.entries()) {
      onFile?.(f.path, index, files.length);
      if (f.status === 'export') {
        const identity = `${f.municipality}/${f.kind}/${f.exportDate}`;
        if (identities.has(identity)) await flush();
      }
      const ahead = readFile(f, config, registry, tmpDir);
      if (f.status !== 'export' || ahead === null || ahead.readError !== null) {
        const status: FileStatus = f.status === 'export' ? 'unreadable' : f.status;
        if (status === 'unknown' || status === 'unreadable') metProblems = true;
        listed.push(notLoaded(f, status, f.message ?? `kan ikke læses: "${f.path}" ${ahead?.readError ?? 'blev ikke læst'}`));
        continue;
      }
      const { bytes, hash } = ahead;
      const identity = `${f.municipality}/${f.kind}/${f.exportDate}`;
      const same = registry.hashes.get(`${identity}/${hash}`);
      if (same) {
        // The same content under the same identity: nothing changes. The file is listed by its delivery when it is
        // that delivery's own path; an identical re-delivery under another path is listed as such.
        if (!same.paths.has(f.path)) listed.push(await repeated(db, f, same));
        continue;
      }
      const previous = registry.active.get(identity);
      const deliveryId = ++registry.lastId;
      const target = { deliveryId, path: f.path, absPath: readerPath(f.absPath, tmpDir), municipality: f.municipality!, kind: f.kind!, exportDate: f.exportDate! };
      batch.push({ f, ahead, target, identity, previous });
      identities.add(identity);
      batchBytes += bytes.length;
      if (batchBytes >= BATCH_BYTES) await flush();
    }
    await flush();
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  await db.run(`DELETE FROM inbox_files`);
  const seen = [...registry.filesNow].map(([p, v]) => `(${lit(p)}, ${lit(v.signature)}, ${lit(v.hash)})`);
  if (seen.length > 0) await db.run(`INSERT INTO inbox_files VALUES ${seen.join(', ')}`);
  const active = await db.all<DeliveryRow>(`${DELIVERY_SELECT} WHERE active`);
  const inEffect: FileSummary[] = active.map((d) => ({
    ...summaryOf(d),
    status: thisRun.get(Number(d.delivery_id)) ?? 'already_loaded',
  }));
  const all = [...inEffect, ...listed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: all, unclean: metProblems || (await unreportedRejects(db)), loadedThisRun };
}

/**
 * A delivery in effect has rejects (or is rejected whole) that no finished run has reported: it was loaded by this
 * run, or by a run that died before it was recorded in `runs` (FORMATS.md §7, exit code 3).
 */
async function unreportedRejects(db: Db): Promise<boolean> {
  const n = await db.value(`
    SELECT count(*) FROM deliveries
    WHERE active AND (rows_rejected > 0 OR status = 'rejected')
      AND loaded_run_seq NOT IN (SELECT run_seq FROM runs WHERE run_seq IS NOT NULL)`);
  return Number(n ?? 0) > 0;
}

const DELIVERY_SELECT = `SELECT delivery_id, path, municipality, kind, strftime(export_date, '%Y-%m-%d') AS export_date,
  status, rows_read, rows_loaded, rows_rejected, extra_columns, message, active FROM deliveries`;

function summaryOf(d: DeliveryRow): Omit<FileSummary, 'status'> {
  return {
    path: d.path,
    kind: d.kind,
    municipality: d.municipality,
    exportDate: d.export_date,
    rowsRead: Number(d.rows_read),
    rowsLoaded: Number(d.rows_loaded),
    rowsRejected: Number(d.rows_rejected),
    extraColumns: JSON.parse(d.extra_columns) as string[],
    message: d.message,
  };
}

function notLoaded(f: InboxFile, status: FileStatus, message: string): FileSummary {
  return {
    path: f.path,
    kind: f.kind,
    municipality: f.municipality,
    exportDate: f.exportDate,
    status,
    rowsRead: 0,
    rowsLoaded: 0,
    rowsRejected: 0,
    extraColumns: [],
    message,
  };
}

/** An identical re-delivery under another path: listed with the counts of the delivery whose content it repeats. */
async function repeated(db: Db, f: InboxFile, same: { delivery_id: number }): Promise<FileSummary> {
  const [d] = await db.all<DeliveryRow>(`${DELIVERY_SELECT} WHERE delivery_id = ${same.delivery_id}`);
  const original = summaryOf(d);
  const inEffect = d.active ? '' : ' (den levering er siden erstattet af en senere)';
  return {
    ...original,
    path: f.path,
    status: 'already_loaded',
    message: `allerede indlæst: "${f.path}" har samme indhold som ${d.path}, der er indlæst før${inEffect}; intet ændres`,
  };
}

/**
 * A file whose load failed unexpectedly (anything the reader did not foresee): rejected whole with one rejects row
 * at line 1, so that the night goes on and the file's problem is in the summary and rejects.csv (FORMATS.md §4).
 */
async function rejectWhole(db: Db, target: LoadTarget, bytes: Buffer, e: unknown): Promise<ParsedFile> {
  const records = recordEstimate(bytes);
  const reason = `linje 1: filen kunne ikke indlæses (${(e as Error)?.message ?? String(e)}); hele filen er afvist`;
  const firstLine = bytes.subarray(0, Math.min(bytes.length, 64 * 1024)).toString('utf8').split(/\r?\n|\r/)[0];
  await db.run(`INSERT INTO rejects VALUES (${target.deliveryId}, ${lit(target.path)}, 1, ${lit(reason)}, ${lit(firstLine)})`);
  return {
    status: 'rejected',
    rowsRead: records,
    rowsLoaded: 0,
    rowsRejected: records,
    extraColumns: [],
    message: reason,
    encoding: 'utf-8' as ParsedFile['encoding'],
    delimiter: ',' as ParsedFile['delimiter'],
  };
}

/** The records of a file that could not be parsed: its non-blank lines after the header. */
function recordEstimate(bytes: Buffer): number {
  let lines = 0;
  let blank = true;
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i] : 0x0a;
    if (b === 0x0a || b === 0x0d) {
      if (!blank) lines++;
      blank = true;
    } else if (b !== 0x20 && b !== 0x09 && !(i < 3 && (b === 0xef || b === 0xbb || b === 0xbf))) blank = false;
  }
  return Math.max(0, lines - 1);
}

async function removeDelivery(db: Db, deliveryId: number): Promise<void> {
  for (const k of KINDS) await db.run(`DELETE FROM stg_${k.kind} WHERE delivery_id = ${deliveryId}`);
  await db.run(`DELETE FROM rejects WHERE delivery_id = ${deliveryId}`);
}

/**
 * Rows of a load that was cut off (killed process) before its delivery was registered. Their delivery ids are the
 * ids no registered delivery has: above the highest, below the lowest, or in a gap between (a cut-off run's ids are
 * given again by the next one). Said that way, the staging tables' zone maps skip every row group of registered
 * deliveries, where `NOT IN (SELECT delivery_id FROM deliveries)` read the id of every staged row (10M fees: 0.4 s
 * a night).
 */
async function removeOrphans(db: Db): Promise<void> {
  const r = await db.one<{ lo: number | null; hi: number | null; gaps: number[] | null }>(`
    SELECT min(delivery_id) AS lo, max(delivery_id) AS hi,
      (SELECT list(i ORDER BY i) FROM range((SELECT min(delivery_id) FROM deliveries), (SELECT max(delivery_id) FROM deliveries)) r(i)
        ANTI JOIN deliveries d ON d.delivery_id = r.i) AS gaps
    FROM deliveries`);
  const orphan = r?.hi == null
    ? 'true'
    : `(delivery_id < ${Number(r.lo)} OR delivery_id > ${Number(r.hi)}${r.gaps?.length ? ` OR delivery_id IN (${r.gaps.map(Number).join(', ')})` : ''})`;
  for (const k of KINDS) await db.run(`DELETE FROM stg_${k.kind} WHERE ${orphan}`);
  await db.run(`DELETE FROM rejects WHERE ${orphan}`);
}

interface Registry {
  /** identity/hash of every delivery ever loaded → its first delivery and every path a delivery of it came from. */
  hashes: Map<string, { delivery_id: number; paths: Set<string> }>;
  /** identity → the delivery in effect. */
  active: Map<string, { delivery_id: number; path: string }>;
  lastId: number;
  /** Inbox path → how the file looked on disk when its content was hashed, and the hash (from the last run). */
  files: Map<string, { signature: string; hash: string }>;
  /** The same for this run's inbox, stored when the run's load is done. */
  filesNow: Map<string, { signature: string; hash: string }>;
}

async function readRegistry(db: Db): Promise<Registry> {
  const rows = await db.all<{ delivery_id: number; path: string; identity: string; content_hash: string; active: boolean }>(
    `SELECT delivery_id, path, municipality || '/' || kind || '/' || strftime(export_date, '%Y-%m-%d') AS identity, content_hash, active
     FROM deliveries`,
  );
  const registry: Registry = { hashes: new Map(), active: new Map(), lastId: 0, files: new Map(), filesNow: new Map() };
  for (const r of await db.all<{ path: string; signature: string; content_hash: string }>(`SELECT * FROM inbox_files`)) {
    registry.files.set(r.path, { signature: r.signature, hash: r.content_hash });
  }
  rows.sort((a, b) => Number(a.delivery_id) - Number(b.delivery_id));
  for (const r of rows) {
    const key = `${r.identity}/${r.content_hash}`;
    const seen = registry.hashes.get(key);
    if (seen) seen.paths.add(r.path);
    else registry.hashes.set(key, { delivery_id: Number(r.delivery_id), paths: new Set([r.path]) });
    if (r.active) registry.active.set(r.identity, { delivery_id: Number(r.delivery_id), path: r.path });
    registry.lastId = Math.max(registry.lastId, Number(r.delivery_id));
  }
  return registry;
}

/** The most bytes of files one batch holds in memory (the careful plans among them hold their text too). */
const BATCH_BYTES = 192 * 1024 * 1024;

interface Pending {
  f: InboxFile;
  ahead: ReadAhead;
  target: LoadTarget;
  identity: string;
  previous: { delivery_id: number; path: string } | undefined;
}

interface ReadAhead {
  bytes: Buffer;
  hash: string;
  /** Null for content already loaded under its identity, or when planning failed. */
  plan: Plan | null;
  /** Why the file's bytes could not be read (Danish), or null. */
  readError: string | null;
  /** What went wrong while planning the load of bytes that were read, or null. */
  planError: unknown;
}

/** Reads one regular file without ever blocking on a FIFO or device put in its place since the listing. */
export function readInboxFile(absPath: string): Buffer {
  const fd = fs.openSync(absPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw Object.assign(new Error('er ikke længere en almindelig fil'), { code: 'ENOTREG' });
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** What a file looks like on disk without reading it: size, modification and change times, inode. */
function signature(absPath: string): string | null {
  try {
    const st = fs.statSync(absPath);
    return st.isFile() ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${st.dev}` : null;
  } catch {
    return null;
  }
}

function readFile(f: InboxFile, config: Config, registry: Registry, tmpDir: string): ReadAhead | null {
  if (f.status !== 'export') return null;
  // A file that looks on disk exactly as when its content was last hashed, content loaded under its identity, is not
  // read again: its content is already loaded (a night with nothing new reads no file). Anything else is read whole.
  const sig = signature(f.absPath);
  const identity = `${f.municipality}/${f.kind}/${f.exportDate}`;
  const seen = registry.files.get(f.path);
  if (sig !== null && seen?.signature === sig && registry.hashes.has(`${identity}/${seen.hash}`)) {
    registry.filesNow.set(f.path, seen);
    return { bytes: Buffer.alloc(0), hash: seen.hash, plan: null, readError: null, planError: null };
  }
  let bytes: Buffer;
  try {
    bytes = readInboxFile(f.absPath);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'forsvandt, mens kørslen læste indbakken (ENOENT)' : fsReason(e);
    return { bytes: Buffer.alloc(0), hash: '', plan: null, readError: reason, planError: null };
  }
  const hash = sha256(bytes);
  if (sig !== null) registry.filesNow.set(f.path, { signature: sig, hash });
  const known = registry.hashes.has(`${identity}/${hash}`);
  try {
    const plan = known ? null : planFile(bytes, f.kind!, pinnedDialect(config, f.municipality!, f.kind!), tmpDir);
    return { bytes, hash, plan, readError: null, planError: null };
  } catch (e) {
    return { bytes, hash, plan: null, readError: null, planError: e };
  }
}
