// bench/typing: what the load's typing costs beside a plain copy of the same text (issue 27 item 3). The fees exports
// of the generated inbox that DuckDB's sniffer reads as they are (UTF-8; the other encodings are skipped) are read once
// into an all-VARCHAR table; then, in turns, the load's typing statement (src/ingest/typing.ts, every check and
// reason) over it into a TEMP table and into a table of the database file as the staging tables are, and a plain
// copy of the text. Prints the median of each.
//   node --import tsx bench/typing.ts [--fees 1000000] [--runs 3]
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { KINDS } from '../src/ingest/kinds.ts';
import { TYPING_VARIABLES, typingSql } from '../src/ingest/typing.ts';
import { BENCH_DATA, ensureInbox, listCsv, options } from './inbox.ts';

const o = options('usage: node --import tsx bench/typing.ts [options]: the typing beside a plain copy', { fees: '1000000', runs: '3' }, {
  fees: 'fees in the generated inbox',
  runs: 'runs of each statement (the median printed)',
});
const { inbox } = ensureInbox(Number(o.fees));
const dbPath = path.join(BENCH_DATA, 'typing.duckdb');
for (const f of [dbPath, `${dbPath}.wal`]) fs.rmSync(f, { force: true });
const instance = await DuckDBInstance.create(dbPath, { threads: '2' });
const c = await instance.connect();
const kind = KINDS.find((k) => k.kind === 'fbs_fees')!;
const cols = kind.columns.map((x) => x.name);
await c.run(`CREATE TEMP TABLE raw0 (${cols.map((n) => `${n} VARCHAR`).join(', ')})`);
let files = 0;
for (const f of listCsv(inbox).filter((f) => /fbs_fees_[^/]*\.csv$/.test(f))) {
  try {
    await c.run(`INSERT INTO raw0 BY NAME SELECT ${cols.join(', ')} FROM read_csv('${f.replace(/'/g, "''")}', header = true, all_varchar = true)`);
    files++;
  } catch {
    // another encoding or a dialect the sniffer does not take: not needed for a cost per row
  }
}
await c.run(`CREATE TEMP TABLE raw AS SELECT row_number() OVER () AS line, * FROM raw0; DROP TABLE raw0`);
const rows = Number((await c.runAndReadAll(`SELECT count(*) FROM raw`)).getRows()[0][0]);
await c.run(TYPING_VARIABLES);
const typing = typingSql(kind, 'raw', new Map(cols.map((n) => [n, n])), {});
await c.run(`CREATE TABLE stg AS SELECT * FROM (${typing}) LIMIT 0`);
const runs: Record<string, number[]> = { 'plain copy (TEMP)': [], 'typing (TEMP)': [], 'typing into a table of the file': [] };
const time = async (label: string, sql: string) => {
  const t = performance.now();
  await c.run(sql);
  runs[label].push(performance.now() - t);
};
for (let i = 0; i < Number(o.runs); i++) {
  await time('plain copy (TEMP)', `CREATE OR REPLACE TEMP TABLE out AS SELECT * FROM raw`);
  await time('typing (TEMP)', `CREATE OR REPLACE TEMP TABLE out AS ${typing}`);
  await c.run(`DELETE FROM stg; CHECKPOINT`);
  await time('typing into a table of the file', `INSERT INTO stg ${typing}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${rows.toLocaleString('en')} fees rows from ${files} files, 2 threads, median of ${o.runs}:`);
for (const [label, xs] of Object.entries(runs)) {
  const ms = median(xs);
  console.log(`  ${label.padEnd(32)} ${(ms / 1000).toFixed(2)} s  ${((ms * 1000) / rows).toFixed(2)} µs a row`);
}
c.closeSync();
instance.closeSync();
for (const f of [dbPath, `${dbPath}.wal`]) fs.rmSync(f, { force: true });
