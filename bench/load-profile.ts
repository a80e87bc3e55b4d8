// bench/load-profile: where the load's time goes. Loads an inbox into a fresh database once (as bench/load's afstem
// mode does) and prints the load's and the current books' wall time, the database's share, and the statements that
// took the most time, grouped by their first words (one INSERT per chunk of a kind, one CREATE per current table...).
//   node --import tsx bench/load-profile.ts [--fees 1000000] [--anomaly-rate 0] [--top 25]
import fs from 'node:fs';
import path from 'node:path';
import { Db } from '../src/db.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/schema/migrate.ts';
import { ingestInbox } from '../src/ingest/ingest.ts';
import { buildCurrent } from '../src/ingest/current.ts';
import { ensureInbox, options, BENCH_DATA } from './inbox.ts';

const o = options(
  'usage: node --import tsx bench/load-profile.ts [options]: the load once, with the time of its statements',
  { fees: '1000000', 'anomaly-rate': '0', top: '25' },
  { fees: 'fees in the generated inbox', 'anomaly-rate': 'anomalies planted at this rate', top: 'statement groups to print' },
);
const { config: configPath } = ensureInbox(Number(o.fees), Number(o['anomaly-rate']));
const dbPath = path.join(BENCH_DATA, `load-profile-${o.fees}.duckdb`);
for (const f of [dbPath, `${dbPath}.wal`]) fs.rmSync(f, { force: true });
const config = { ...loadConfig(configPath), databasePath: dbPath };
const db = await Db.open(dbPath, {});
const groups = new Map<string, { n: number; ms: number; cpuMs: number }>();
for (const name of ['run', 'all'] as const) {
  const original = db[name].bind(db) as (sql: string) => Promise<unknown>;
  (db as unknown as Record<string, unknown>)[name] = async (sql: string, ...rest: unknown[]) => {
    const t = performance.now();
    const c = process.cpuUsage();
    try {
      return await (original as (...a: unknown[]) => Promise<unknown>)(sql, ...rest);
    } finally {
      const key = sql.trim().replace(/\s+/g, ' ').replace(/load_(raw|rows)_\d+/, 'load_$1_N').replace(/\[[\d, ]*\]/g, '[..]').slice(0, 48);
      const g = groups.get(key) ?? { n: 0, ms: 0, cpuMs: 0 };
      const used = process.cpuUsage(c);
      g.n++;
      g.ms += performance.now() - t;
      g.cpuMs += (used.user + used.system) / 1000;
      groups.set(key, g);
    }
  };
}
await migrate(db);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await ingestInbox(db, config, 1);
const t1 = performance.now();
await buildCurrent(db);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
db.close();
const inDb = [...groups.values()].reduce((s, g) => s + g.ms, 0);
const inDbCpu = [...groups.values()].reduce((s, g) => s + g.cpuMs, 0);
console.log(`load ${((t1 - t0) / 1000).toFixed(2)} s, current books ${((t2 - t1) / 1000).toFixed(2)} s, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; in DuckDB ${(inDb / 1000).toFixed(2)} s (CPU ${(inDbCpu / 1000).toFixed(1)} s), in TypeScript ${((t2 - t0 - inDb) / 1000).toFixed(2)} s`);
// CPU time beside wall time: on a busy machine the wall time of a statement grows with the other processes' load,
// its CPU time (every thread of the process while it ran) much less
console.log('   wall       cpu      n  statement');
for (const [k, g] of [...groups.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(o.top)))
  console.log(`${(g.ms / 1000).toFixed(2).padStart(7)} s ${(g.cpuMs / 1000).toFixed(2).padStart(7)} s ${String(g.n).padStart(5)}x  ${k}`);
