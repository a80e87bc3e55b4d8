// One load measurement in its own process: `afstem` (the real load: hash, registry, dialect, typing, rejects,
// current books) or `bare` (DuckDB's read_csv of the same files into tables, nothing else). Prints JSON.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decode } from '../src/ingest/decode.ts';
import { Db, lit } from '../src/db.ts';
import { loadConfig } from '../src/config.ts';
import { ensureStore } from '../src/ingest/store.ts';
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
const t0 = performance.now();
let rows = 0;
if (mode === 'afstem') {
  await ensureStore(db);
  const r = await ingestInbox(db, { ...config, databasePath: dbPath }, 1);
  await buildCurrent(db);
  rows = r.files.reduce((n, f) => n + f.rowsRead, 0);
} else {
  let i = 0;
  for (const file of files) {
    await db.run(`CREATE TABLE t${i++} AS SELECT * FROM read_csv(${lit(file)}, ignore_errors = true)`);
  }
}
const ms = performance.now() - t0;
if (mode !== 'afstem') {
  for (let k = 0; k < files.length; k++) rows += Number(await db.value(`SELECT count(*) FROM t${k}`));
}
for (const f of files) if (f.startsWith(os.tmpdir())) fs.rmSync(f, { force: true });
db.close();
console.log(JSON.stringify({ ms, rows, peakMB: process.resourceUsage().maxRSS / 1024 }));
