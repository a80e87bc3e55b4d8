// A thin wrapper around @duckdb/node-api: open the database file, run SQL, read rows with exact values. DuckDB (a
// native library) is loaded by the first Db.open, not by importing this module: what only needs lit() or the types
// (a command's --help, the export's formats) starts without it.
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeFolders } from './folders.ts';

type DuckDB = typeof import('@duckdb/node-api');
/** The loaded module, set by the first Db.open (every value this module converts comes from an open database). */
let duckdb: DuckDB | undefined;

export type Row = Record<string, unknown>;

export interface DbOptions {
  memoryLimit?: string;
  threads?: number;
  readOnly?: boolean;
}

export class DatabaseBusyError extends Error {}

const MiB = 1024 * 1024;
/** DuckDB's working memory when none is given: this share of the machine's RAM … */
export const MEMORY_SHARE = 0.25;
/**
 * … at most this (MiB), so that the process stays within 2 GiB at 10,000,000 fees: its RSS runs 0.6–0.9 GB above
 * DuckDB's limit (Node's own heap, DuckDB's allocations outside its buffer pool). 7 December 2026, bench/nightly.ts
 * --fees 10000000: a full evaluation of the history peaked at 2,431 MB with 1536 MiB, 2,216 MB with the allocator
 * settings below, 1,909 MB with them and 1200 MiB, 1,629 MB with 1 GiB (64–76 s each); a first run with 1200 MiB
 * peaked at 2,134 MB, with 1 GiB it ran out of memory in int_claims until a whole evaluation started from a
 * checkpoint (src/pipeline/incremental.ts evaluateStep), then 1,890 MB.
 */
export const MEMORY_CEILING_MIB = 1024;
/**
 * DuckDB's allocator (jemalloc) gives freed memory back to the system from background threads, and after any task
 * that used more than the threshold: without them the pages DuckDB freed stay in the process's RSS.
 */
const ALLOCATOR = { allocator_background_threads: 'true', allocator_flush_threshold: '32MiB' };
/** … and at least this (MiB). */
export const MEMORY_FLOOR_MIB = 256;

/**
 * The default of DuckDB's memory_limit on a machine with `totalBytes` of RAM (os.totalmem()): a quarter of it, at
 * most 1 GiB and at least 256 MiB, as DuckDB reads it (`1024MiB`). `--memory-limit` wins over it.
 */
export function defaultMemoryLimit(totalBytes = os.totalmem()): string {
  const mib = Math.floor((totalBytes / MiB) * MEMORY_SHARE);
  return `${Math.max(MEMORY_FLOOR_MIB, Math.min(MEMORY_CEILING_MIB, mib))}MiB`;
}

export class Db {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly file: string,
    private readonly ownsInstance = true,
  ) {}

  static async open(file: string, opts: DbOptions = {}): Promise<Db> {
    if (file !== ':memory:') makeFolders(path.dirname(path.resolve(file)));
    const options: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'true',
      memory_limit: opts.memoryLimit ?? defaultMemoryLimit(),
      ...ALLOCATOR,
    };
    // AFSTEM_DUCKDB_THREADS: the test suite's workers share the cores, each database then takes one thread
    const threads = opts.threads ?? (Number(process.env.AFSTEM_DUCKDB_THREADS) || undefined);
    if (threads) options.threads = String(threads);
    if (opts.readOnly) options.access_mode = 'READ_ONLY';
    duckdb ??= await import('@duckdb/node-api');
    let instance: DuckDBInstance;
    try {
      instance = await duckdb.DuckDBInstance.create(file, options);
    } catch (e) {
      const msg = (e as Error).message;
      if (/lock/i.test(msg)) {
        throw new DatabaseBusyError(
          `the database ${file} is in use by another afstem process (a batch run is in progress); try again when it has finished`,
        );
      }
      throw e;
    }
    const conn = await instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    return new Db(instance, conn, file);
  }

  /** Runs one statement; `values` bind its `?` / `$1` parameters. */
  async run(sql: string, values?: DuckDBValue[]): Promise<void> {
    const t0 = TRACE ? performance.now() : 0;
    await this.conn.run(sql, values);
    if (TRACE) trace(sql, t0);
  }

  /** Runs a script of several statements separated by semicolons. */
  async exec(sql: string): Promise<void> {
    const extracted = await this.conn.extractStatements(sql);
    for (let i = 0; i < extracted.count; i++) {
      const prepared = await extracted.prepare(i);
      await prepared.run();
    }
  }

  /**
   * Rows as plain objects: DECIMAL as exact strings ("12.50"), TIMESTAMP as ISO UTC strings, BIGINT as number when
   * safe. `values` bind the statement's `$name` parameters.
   */
  async all<T = Row>(sql: string, values?: Record<string, DuckDBValue>): Promise<T[]> {
    const t0 = TRACE ? performance.now() : 0;
    const reader = await this.conn.runAndReadAll(sql, values);
    if (TRACE) trace(sql, t0);
    return reader.getRowObjects().map((r) => plain(r) as T);
  }

  /**
   * The rows of a query in DuckDB's chunks (2,048 rows at most), as plain objects like all()'s, read as they are
   * consumed: a long result is never held whole, in DuckDB or here. Nothing else may run on this connection until
   * the iteration ends (a new statement ends a streamed result).
   */
  async *chunks<T = Row>(sql: string, values?: Record<string, DuckDBValue>): AsyncGenerator<T[]> {
    const result = await this.conn.stream(sql, values);
    let cols: string[] | undefined;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      const names = (cols ??= result.deduplicatedColumnNames());
      yield chunk.getRowObjects(names).map((r) => plain(r) as T);
    }
  }

  async one<T = Row>(sql: string, values?: Record<string, DuckDBValue>): Promise<T | undefined> {
    return (await this.all<T>(sql, values))[0];
  }

  async value<T = unknown>(sql: string): Promise<T> {
    const row = await this.one(sql);
    return (row ? Object.values(row)[0] : undefined) as T;
  }

  /**
   * Another connection to the same database (its own TEMP objects, transaction and settings such as search_path):
   * its close() closes the connection alone and leaves the database open.
   */
  async connection(): Promise<Db> {
    const conn = await this.instance.connect();
    await conn.run(`SET TimeZone = 'UTC'`);
    return new Db(this.instance, conn, this.file, false);
  }

  close(): void {
    this.conn.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/** AFSTEM_TRACE_SQL=<file>: every statement's start (ms since the process began), time and the process's RSS after it, appended to the file as a JSON line (a developer's profile). */
const TRACE = process.env.AFSTEM_TRACE_SQL;
function trace(sql: string, t0: number): void {
  const line = { at: Math.round(t0), ms: Math.round(performance.now() - t0), rssMB: Math.round(process.memoryUsage.rss() / 1048576), sql: sql.replace(/\s+/g, ' ').slice(0, 160) };
  fs.appendFileSync(TRACE!, `${JSON.stringify(line)}\n`);
}

function plain(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = plainValue(v);
  return out;
}

function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (duckdb && (v instanceof duckdb.DuckDBDecimalValue || v instanceof duckdb.DuckDBTimestampValue || v instanceof duckdb.DuckDBDateValue)) {
    return v.toString();
  }
  if (typeof v === 'object' && v !== null && 'items' in v && Array.isArray((v as { items: unknown[] }).items)) {
    return (v as { items: unknown[] }).items.map(plainValue);
  }
  return v;
}

/** A SQL string literal. */
export function lit(s: string | null | undefined): string {
  if (s === null || s === undefined) return 'NULL';
  return `'${String(s).replace(/'/g, "''")}'`;
}

export function ident(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** An instant as a SQL TIMESTAMP literal (UTC): a Date, or an ISO string in UTC ("2026-11-27T05:00:00.123456Z"). */
export function tsLiteral(d: Date | string): string {
  const iso = typeof d === 'string' ? d : d.toISOString();
  return `TIMESTAMP '${iso.replace('T', ' ').replace('Z', '')}'`;
}

/** The database file's own schema, e.g. "afstem".main (TEMP objects live in temp.main). */
export async function mainSchema(db: Db): Promise<string> {
  const name = await db.value<string>(`SELECT current_database()`);
  return `"${String(name).replace(/"/g, '""')}".main`;
}
