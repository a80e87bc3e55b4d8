// Loading one export into its staging table, row by row accounted for (FORMATS.md §1–4):
// rows read = rows loaded + rows rejected, and every rejected row keeps its file, line, reason and raw text.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import type { Dialect } from '../config.ts';
import { maskText } from '../mask.ts';
import { decode, type Encoding } from './decode.ts';
import { detectDelimiter, mapHeader } from './header.ts';
import { KIND_BY_NAME } from './kinds.ts';
import { firstLine, Problem, scanRecords, splitRecord, type Delimiter, type Scan } from './scan.ts';
import { typingSql } from './typing.ts';

export interface ParsedFile {
  status: 'loaded' | 'rejected';
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  extraColumns: string[];
  message: string | null;
  encoding: Encoding;
  delimiter: Delimiter;
}

export interface LoadTarget {
  deliveryId: number;
  path: string;
  municipality: string;
  kind: string;
  exportDate: string;
  absPath: string;
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

interface Reject {
  line: number;
  reason: string;
  raw: string;
}

const DELIM_NAME: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** Reads, checks and stages one file. The caller holds a transaction and registers the delivery. */
export async function loadFile(db: Db, target: LoadTarget, bytes: Uint8Array, pinned: Dialect, tmpDir: string): Promise<ParsedFile> {
  const kind = KIND_BY_NAME.get(target.kind)!;
  const decoded = decode(bytes, pinned.encoding);
  const text = decoded.text;
  const headerLine = firstLine(text);
  const delimiter = (pinned.delimiter as Delimiter | undefined) ?? detectDelimiter(headerLine, kind);
  const base = { encoding: decoded.encoding, delimiter, extraColumns: [] as string[] };
  const scan = scanRecords(text, delimiter);
  const rejects: Reject[] = [];

  if (scan.count === 0) {
    return { ...base, status: 'rejected', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, message: 'the file is empty: it has no header line' };
  }
  const recordText = (i: number) => text.slice(scan.start[i], scan.end[i]);
  const header = mapHeader(splitRecord(recordText(0), delimiter), kind);
  const rowsRead = scan.count - 1;
  if (header.missingRequired.length > 0) {
    const cols = header.missingRequired.join(', ');
    const reason = `the header lacks the required column${header.missingRequired.length > 1 ? 's' : ''} ${cols}; the whole file is rejected (delimiter read as ${DELIM_NAME[delimiter]})`;
    await insertRejects(db, target, [{ line: scan.line[0], reason, raw: recordText(0) }]);
    return {
      ...base,
      extraColumns: header.extraColumns,
      status: 'rejected',
      rowsRead,
      rowsLoaded: 0,
      rowsRejected: rowsRead,
      message: `missing required column${header.missingRequired.length > 1 ? 's' : ''}: ${cols}`,
    };
  }

  // Structural problems a bulk reader cannot place on a line.
  const nFields = header.names.length;
  const good: number[] = [];
  for (let i = 1; i < scan.count; i++) {
    const line = scan.line[i];
    let reason: string | null = null;
    if (scan.problem[i] === Problem.Unterminated) reason = 'a quoted field is never closed: the record runs to the end of the file';
    else if (scan.problem[i] === Problem.Quoting) reason = 'broken quoting: a quote inside an unquoted field, or text right after a closing quote';
    else if (scan.fields[i] !== nFields)
      reason = `the record has ${scan.fields[i]} fields; the header has ${nFields} (delimiter ${DELIM_NAME[delimiter]})`;
    else if (decoded.invalidBytes && recordText(i).includes('\uFFFD')) reason = 'the record is not valid UTF-8, the encoding pinned in the configuration';
    if (reason) rejects.push({ line, reason: `line ${line}: ${reason}`, raw: recordText(i) });
    else good.push(i);
  }

  const fastPath =
    decoded.encoding === 'utf-8' && rejects.length === 0 && !scan.multiline && scan.blankLines === 0 && scan.line[0] === 1;
  const rawCols = header.names.map((_n, i) => `c${i}`);
  const read = async (csvPath: string, cols: string[], ordinal: boolean) => {
    const columns = `{${cols.map((c) => `'${c}': '${c === 'line' ? 'INTEGER' : 'VARCHAR'}'`).join(', ')}}`;
    await db.run(`CREATE OR REPLACE TEMP TABLE raw_file AS
      SELECT ${ordinal ? 'CAST(row_number() OVER () AS INTEGER) + 1 AS line, ' : ''}* FROM read_csv(${lit(csvPath)}, delim = ${lit(delimiter)}, quote = '"', escape = '"', header = true,
        auto_detect = false, columns = ${columns}, encoding = 'utf-8', store_rejects = true, max_line_size = 20000000)`);
    return db.value<number>(`SELECT count(*) FROM raw_file`);
  };
  // Fast path: the file as delivered, where record i (from 1) starts on line i + 1. Otherwise (or when the bulk reader
  // disagrees with the scan) a clean UTF-8 copy whose records carry their physical line.
  let loadedRaw = fastPath ? await read(target.absPath, rawCols, true) : -1;
  if (loadedRaw !== good.length) {
    const cleanPath = path.join(tmpDir, `d${target.deliveryId}.csv`);
    writeClean(cleanPath, text, scan, good, delimiter);
    loadedRaw = await read(cleanPath, ['line', ...rawCols], false);
    fs.rmSync(cleanPath, { force: true });
  }
  if (loadedRaw !== good.length) {
    // The bulk reader refused records the scan accepted: name each by its line.
    const have = new Set((await db.all<{ line: number }>(`SELECT line FROM raw_file`)).map((r) => Number(r.line)));
    for (const i of good.splice(0)) {
      if (have.has(scan.line[i])) good.push(i);
      else rejects.push({ line: scan.line[i], reason: `line ${scan.line[i]}: the record cannot be read as CSV`, raw: recordText(i) });
    }
  }

  const names = new Map<string, string>();
  const select = ['line'];
  for (const [canonical, pos] of header.positions) {
    names.set(canonical, header.names[pos]);
    select.push(`c${pos} AS ${canonical}`);
  }
  await db.run(`CREATE OR REPLACE TEMP VIEW raw_named AS SELECT ${select.join(', ')} FROM raw_file`);
  await db.run(`CREATE OR REPLACE TEMP TABLE typed_file AS ${typingSql(kind, 'raw_named', names, pinned)}`);
  const colList = kind.columns.map((c) => c.name).join(', ');
  await db.run(`INSERT INTO stg_${kind.kind} (delivery_id, municipality, export_date, line, ${colList})
    SELECT ${target.deliveryId}, ${lit(target.municipality)}, DATE ${lit(target.exportDate)}, line, ${colList}
    FROM typed_file WHERE reject_reason IS NULL`);
  const loaded = await db.value<number>(`SELECT count(*) FROM typed_file WHERE reject_reason IS NULL`);
  const bad = await db.all<{ line: number; reason: string }>(
    `SELECT line, reject_reason AS reason FROM typed_file WHERE reject_reason IS NOT NULL ORDER BY line`,
  );
  if (bad.length) {
    const indexOfLine = lineIndex(scan);
    for (const b of bad) {
      const i = indexOfLine(Number(b.line));
      rejects.push({ line: Number(b.line), reason: `line ${b.line}: ${b.reason}`, raw: i >= 0 ? recordText(i) : '' });
    }
  }
  await db.run(`DROP TABLE IF EXISTS typed_file; DROP VIEW IF EXISTS raw_named; DROP TABLE IF EXISTS raw_file`);
  rejects.sort((a, b) => a.line - b.line);
  await insertRejects(db, target, rejects);
  if (loaded + rejects.length !== rowsRead) {
    throw new Error(`${target.path}: ${rowsRead} rows read but ${loaded} loaded and ${rejects.length} rejected`);
  }
  return {
    ...base,
    extraColumns: header.extraColumns,
    status: 'loaded',
    rowsRead,
    rowsLoaded: loaded,
    rowsRejected: rejects.length,
    message: null,
  };
}

/** Binary search from a physical line to the record starting there. */
function lineIndex(scan: Scan): (line: number) => number {
  return (line) => {
    let lo = 0;
    let hi = scan.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = scan.line[mid];
      if (v === line) return mid;
      if (v < line) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
}

/** A UTF-8 copy holding the header and the structurally sound records, each prefixed with its physical line. */
function writeClean(file: string, text: string, scan: Scan, good: number[], delimiter: Delimiter): void {
  const fd = fs.openSync(file, 'w');
  try {
    const chunk: string[] = [`line${delimiter}${text.slice(scan.start[0], scan.end[0])}`];
    let size = 0;
    for (const i of good) {
      const rec = `${scan.line[i]}${delimiter}${text.slice(scan.start[i], scan.end[i])}`;
      chunk.push(rec);
      size += rec.length;
      if (size > 8_000_000) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk.length = 0;
        size = 0;
      }
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
}

async function insertRejects(db: Db, target: LoadTarget, rejects: Reject[]): Promise<void> {
  if (rejects.length === 0) return;
  const appender = await db.conn.createAppender('rejects');
  for (const r of rejects) {
    appender.appendInteger(target.deliveryId);
    appender.appendVarchar(target.path);
    appender.appendInteger(r.line);
    appender.appendVarchar(maskText(r.reason) ?? '');
    appender.appendVarchar(maskText(r.raw) ?? '');
    appender.endRow();
  }
  appender.closeSync();
}

