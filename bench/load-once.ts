// One load measurement in its own process: `afstem` (the real load: hash, registry, dialect, typing, rejects,
// current books), `bare` (DuckDB's read_csv with its sniffer, file by file, into tables, nothing else) or `declared`
// (the same bytes in one multi-file read_csv per delimiter and field count, everything declared, all VARCHAR, into
// tables: the floor of a declared batched read). Prints JSON.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decode } from '../src/ingest/decode.ts';
import { Db, lit } from '../src/db.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/schema/migrate.ts';
import { ingestInbox } from '../src/ingest/ingest.ts';
import { buildCurrent } from '../src/ingest/current.ts';
import { listCsv } from './inbox.ts';

const [mode, configPath, dbPath, memoryLimit] = process.argv.slice(2);
for (const f of [dbPath, `${dbPath}.wal`]) fs.rmSync(f, { force: true });
const config = loadConfig(configPath);
const db = await Db.open(dbPath, { memoryLimit });
// The bare reader gets UTF-8 copies of the Windows-1252 files, made before the clock starts (DuckDB reads
// latin-1 but refuses the bytes 0x80-0x9F where Windows-1252 differs).
const files = mode === 'afstem' ? [] : listCsv(config.inboxPath).map((file, i) => {
  const bytes = fs.readFileSync(file);
  if (isUtf8(bytes)) return file;
  const copy = path.join(os.tmpdir(), `afstem-bench-${process.pid}-${i}.csv`);
  fs.writeFileSync(copy, decode(bytes, 'windows-1252').text);
  return copy;
});
// For the declared read: each file's delimiter and field count, from its header line (before the clock starts).
const groups = new Map<string, string[]>();
if (mode === 'declared') {
  for (const file of files) {
    const head = fs.readFileSync(file).subarray(0, 64 * 1024).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    const delim = [';', ',', '\t'].sort((a, b) => head.split(b).length - head.split(a).length)[0];
    const key = JSON.stringify([delim, head.split(delim).length]);
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let rows = 0;
if (mode === 'afstem') {
  await migrate(db);
  const r = await ingestInbox(db, { ...config, databasePath: dbPath }, 1);
  await buildCurrent(db);
  rows = r.files.reduce((n, f) => n + f.rowsRead, 0);
} else if (mode === 'bare') {
  let i = 0;
  for (const file of files) {
    await db.run(`CREATE TABLE t${i++} AS SELECT * FROM read_csv(${lit(file)}, ignore_errors = true)`);
  }
} else {
  let i = 0;
  for (const [key, group] of groups) {
    const [delim, n] = JSON.parse(key) as [string, number];
    const columns = `{${Array.from({ length: n }, (_x, c) => `'c${c}': 'VARCHAR'`).join(', ')}}`;
    await db.run(`CREATE TABLE t${i++} AS SELECT * FROM read_csv([${group.map(lit).join(', ')}], delim = ${lit(delim)}, quote = '"',
      escape = '"', header = true, auto_detect = false, columns = ${columns}, ignore_errors = true, filename = true)`);
  }
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
if (mode !== 'afstem') {
  const tables = mode === 'bare' ? files.length : groups.size;
  for (let k = 0; k < tables; k++) rows += Number(await db.value(`SELECT count(*) FROM t${k}`));
}
for (const f of files) if (f.startsWith(os.tmpdir())) fs.rmSync(f, { force: true });
db.close();
console.log(JSON.stringify({ ms, cpuS, rows, peakMB: process.resourceUsage().maxRSS / 1024 }));
