// Rendered charts kept in the database (table chart_cache, src/schema/migrations.ts 8), keyed by chartKey: the hash of
// everything a chart's SVG depends on (./charts.ts). A report asks for each chart by its rows; a chart rendered before
// with the same rows, spec, look, locale, libraries and code comes back from the table, byte for byte what rendering
// gives, and only a miss is rendered (a rerun renders nothing; a night renders the charts whose rows changed).
//
// The table's keys are read once (by the first chart); what is rendered is written to the table by flush() (one
// INSERT: a run flushes once for its report and once for all its municipalities'), and the charts taken from the
// table are marked used (at most once a day each). Entries no report has used for PRUNE_DAYS days are deleted,
// once per process and database. A database without the table (one of an older afstem opened read-only, or books
// made by hand) or opened read-only renders what it cannot find and writes nothing.
import { lit, type Db } from '../db.ts';
import { chartEnvironment, chartKey, chartRows, renderRows, type ChartEnvironment } from './charts.ts';

/** Days an entry stays in the table after the last report that used it. */
export const PRUNE_DAYS = 7;
/** A used entry's used_at is moved on when it is older than this (ms): not on every rerun of a night. */
const TOUCH_AFTER_MS = 24 * 3600 * 1000;

const MISSING_TABLE = /^Catalog Error: Table with name chart_cache does not exist/;
const READ_ONLY = /read-only mode/i;

/** The databases whose old entries this process has pruned. */
const pruned = new WeakSet<Db>();

export interface ChartCacheOptions {
  /** The wall clock (tests). */
  now?: () => Date;
  /** What the key covers besides the rows (tests change a part of it). */
  environment?: ChartEnvironment;
}

/** The charts of one or more reports (a run's municipalities share one): svg() for each chart, then flush() once. */
export class ChartCache {
  /** Charts taken from the table, and rendered. */
  hits = 0;
  rendered = 0;
  /** The table's keys, each with when it was last used (epoch ms), read by the first chart; null without the table. */
  private keys: Promise<Map<string, number> | null> | undefined;
  private writable = true;
  private readonly fresh = new Map<string, { spec: string; svg: string }>();
  private readonly touch = new Set<string>();
  private readonly now: () => Date;
  private readonly environment: ChartEnvironment | undefined;

  constructor(private readonly db: Db, opts: ChartCacheOptions = {}) {
    this.now = opts.now ?? (() => new Date());
    this.environment = opts.environment;
  }

  /** The SVG of the spec reports/<spec>.vl.json with `values` as its rows: from the table, or rendered. */
  async svg(spec: string, values: Record<string, unknown>[]): Promise<string> {
    const rows = chartRows(values);
    const key = chartKey(spec, rows, this.environment ?? chartEnvironment());
    const keys = key === null ? null : await this.tableKeys();
    if (key !== null && keys) {
      const own = this.fresh.get(key);
      if (own) return own.svg;
      const usedAt = keys.get(key);
      const found = usedAt === undefined ? undefined : await this.db.value<string | null>(`SELECT svg FROM chart_cache WHERE key = ${lit(key)}`);
      if (typeof found === 'string') {
        this.hits++;
        if (this.now().getTime() - usedAt! > TOUCH_AFTER_MS) this.touch.add(key);
        return found;
      }
    }
    const svg = await renderRows(spec, rows);
    this.rendered++;
    if (key !== null && keys) this.fresh.set(key, { spec, svg });
    return svg;
  }

  private tableKeys(): Promise<Map<string, number> | null> {
    this.keys ??= this.db.all<{ key: string; used_at: string }>(`SELECT key, strftime(used_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS used_at FROM chart_cache`)
      .then((rows) => new Map(rows.map((r) => [r.key, Date.parse(r.used_at)])))
      .catch((e: Error) => {
        if (MISSING_TABLE.test(e.message)) return null;
        throw e;
      });
    return this.keys;
  }

  /** Writes what this report rendered, marks what it used and prunes (once per process and database). */
  async flush(): Promise<void> {
    // no table (a chart found none), or a read-only database (a write refused before)
    if ((this.keys && !(await this.keys)) || !this.writable) return;
    const now = this.now();
    const at = sqlInstant(now);
    try {
      if (this.fresh.size) {
        const entries = [...this.fresh];
        await this.db.run(
          `INSERT INTO chart_cache (key, spec, svg, used_at) VALUES ${entries.map(() => '(?, ?, ?, CAST(? AS TIMESTAMP))').join(', ')} ON CONFLICT DO NOTHING`,
          entries.flatMap(([key, { spec, svg }]) => [key, spec, svg, at]),
        );
        const keys = await this.keys;
        for (const key of this.fresh.keys()) keys?.set(key, now.getTime());
        this.fresh.clear();
      }
      if (this.touch.size) {
        const keys = [...this.touch];
        await this.db.run(`UPDATE chart_cache SET used_at = CAST(? AS TIMESTAMP) WHERE key IN (${keys.map(() => '?').join(', ')})`, [at, ...keys]);
        this.touch.clear();
      }
      if (!pruned.has(this.db)) {
        pruned.add(this.db);
        const before = sqlInstant(new Date(now.getTime() - PRUNE_DAYS * 24 * 3600 * 1000));
        await this.db.run(`DELETE FROM chart_cache WHERE used_at < CAST(? AS TIMESTAMP)`, [before]);
      }
    } catch (e) {
      const msg = (e as Error).message;
      if (!READ_ONLY.test(msg) && !MISSING_TABLE.test(msg)) throw e;
      this.writable = false;
    }
  }
}

/** An instant as DuckDB reads a TIMESTAMP (UTC, the database's time zone): '2026-12-07 05:00:00.123'. */
const sqlInstant = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
