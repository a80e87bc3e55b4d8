// A Vitest setup file of bench/mutate.ts (screening and real runs, never `npm test`): the calendar tables of the
// evaluation context (src/pipeline/context.ts) cost about a second per prepareContext, in every test, and depend on
// src/calendar.ts and the SLA settings only, never on queries/. The first build of each is written to a Parquet file
// in AFSTEM_MUTATE_CACHE, keyed by its statement and the content of the tables it reads (cal_days, cfg_sla); later
// builds with the same key read that file back instead. Everything else (every model of queries/) runs as always.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Db } from '../src/db.ts';

const dir = process.env.AFSTEM_MUTATE_CACHE;
// the cached tables and what each reads besides its own statement
const CACHED: Record<string, string[]> = {
  cal_days: [],
  sla_business_deadline: ['cal_days', 'cfg_sla'],
  cal_banking_index: ['cal_days'],
  cal_banking_days: ['cal_days'],
};
const STATEMENT = /CREATE OR REPLACE (TEMP )?TABLE (\w+) AS\b[^;]*/g;
const PATCHED = Symbol.for('afstem.mutate-cache');

if (dir && !(Db.prototype as unknown as Record<symbol, boolean>)[PATCHED]) {
  (Db.prototype as unknown as Record<symbol, boolean>)[PATCHED] = true;
  fs.mkdirSync(dir, { recursive: true });
  const run = Db.prototype.run;
  const exec = Db.prototype.exec;
  const value = Db.prototype.value;
  /** A fingerprint of a table's content (order-free): its row count and the xor of its rows' hashes. */
  const content = async (db: Db, table: string) =>
    String(await value.call(db, `SELECT count(*)::VARCHAR || ':' || coalesce(bit_xor(hash(t))::VARCHAR, '') FROM ${table} t`));
  /** The statements of sql with each cached table's build replaced by a read of its file, and the files to write. */
  async function rewrite(db: Db, sql: string) {
    const writes: { table: string; file: string }[] = [];
    let out = '';
    let last = 0;
    for (const m of sql.matchAll(STATEMENT)) {
      const [stmt, temp, table] = m;
      if (!(table in CACHED)) continue;
      const deps = await Promise.all(CACHED[table].map((t) => content(db, t)));
      const key = crypto.createHash('sha1').update([stmt, ...deps].join('\n')).digest('hex').slice(0, 16);
      const file = path.join(dir!, `${table}-${key}.parquet`);
      out += sql.slice(last, m.index);
      if (fs.existsSync(file)) out += `CREATE OR REPLACE ${temp ?? ''}TABLE ${table} AS FROM read_parquet('${file}')`;
      else {
        out += stmt;
        writes.push({ table, file });
      }
      last = m.index! + stmt.length;
    }
    return { sql: out + sql.slice(last), writes };
  }
  async function save(db: Db, writes: { table: string; file: string }[]) {
    for (const w of writes) {
      const tmp = `${w.file}.${process.pid}.tmp`;
      await run.call(db, `COPY ${w.table} TO '${tmp}' (FORMAT parquet)`);
      fs.renameSync(tmp, w.file);
    }
  }
  Db.prototype.run = async function (this: Db, sql: string, values?: never) {
    if (values !== undefined || !/^\s*CREATE OR REPLACE (TEMP )?TABLE (cal_|sla_)/.test(sql)) return run.call(this, sql, values);
    const r = await rewrite(this, sql);
    await run.call(this, r.sql);
    await save(this, r.writes);
  };
  Db.prototype.exec = async function (this: Db, sql: string) {
    if (!/CREATE OR REPLACE (TEMP )?TABLE (cal_|sla_)/.test(sql)) return exec.call(this, sql);
    const r = await rewrite(this, sql);
    await exec.call(this, r.sql);
    await save(this, r.writes);
  };
}
