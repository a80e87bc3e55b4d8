// Loading one export into its staging table, row by row accounted for (FORMATS.md §1–4):
// rows read = rows loaded + rows rejected, and every rejected row keeps its file, line, reason and raw text.
//
// Two paths. The fast one hands the file as delivered (or, for Windows-1252 and UTF-16 whose every byte is valid, its
// decoded UTF-8 copy) to DuckDB's reader and types it in the same statement; it is taken when the header is on line 1,
// and it stands only if the reader refused no record and read exactly the records a pass over the bytes found
// (lines.ts recordLayout: record i on line i + 1, but for the records that span lines at a line break inside quotes).
// Anything else (an invalid byte, blank lines, a CR inside a value, a refused record) takes the careful path: a
// quote-aware scan in TypeScript places every record on its physical line, rejects structural problems, and gives
// DuckDB a clean UTF-8 copy whose records carry their line.
import crypto from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import type { Dialect } from '../config.ts';
import { decode, utf16Bom, type Encoding } from './decode.ts';
import { columnLabel, detectDelimiter, mapHeader, type HeaderMap } from './header.ts';
import { KIND_BY_NAME, type KindDef } from './kinds.ts';
import { firstLine, lineIndex, Problem, scanRecords, splitRecord, type Delimiter, type Scan } from './scan.ts';
import { maskText } from '../mask.ts';
import { TYPING_VARIABLES, typingSql, type Pinned } from './typing.ts';
import { stagedWhole, type Staged } from './staged.ts';
import { firstLineOf, recordLayout, recordsOf, type RecordLayout } from './lines.ts';
import { cutRaw, danishInt, MAX_RECORD_BYTES, READER_LINE_LIMIT, recordBytes } from './limits.ts';

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

const DELIM_NAME: Record<Delimiter, string> = { ',': 'komma', ';': 'semikolon', '\t': 'tabulator' };


/**
 * The TypeScript half of loading a file, done without the database so that it can run while DuckDB loads the
 * previous file: which path the file takes, and for the careful path the scan, the structural rejects and the
 * clean copy.
 */
export type Plan = FastPlan | StagedPlan | CarefulPlan;

export interface FastPlan {
  mode: 'fast';
  body: Uint8Array;
  prepared: Prepared;
  /** Where its records start (record k on line k + 1, but for the jumps of records spanning lines). */
  layout: RecordLayout;
  pinned: Dialect;
  kind: KindDef;
  /** The file's encoding as delivered; a file not in UTF-8 is read from its decoded UTF-8 copy at csvPath. */
  encoding: Encoding;
  csvPath: string | null;
}

/** A fast-path file whose rows a batched read (batch-read.ts) has staged; `staged` is what it staged, if anything. */
export interface StagedPlan {
  mode: 'staged';
  fast: FastPlan;
  staged: Staged | undefined;
}

export interface CarefulPlan {
  mode: 'careful';
  kind: KindDef;
  pinned: Dialect;
  decoded: ReturnType<typeof decode>;
  prepared: Prepared;
  scan: Scan;
  /** Structural rejects (wrong field count, broken quoting, invalid bytes). */
  rejects: Reject[];
  good: number[];
  /** The clean UTF-8 copy with a line column, or null when the file is empty or lacks a required column. */
  cleanPath: string | null;
  /** What a batched read of the clean copy staged (batch-read.ts), when it was read in a batch. */
  staged?: Staged;
}

let links = 0;

/**
 * The path DuckDB reads a file by. DuckDB takes a path holding *, ?, [ or { as a pattern (a folder named "b*" also
 * reads the files of a folder "bb"), so such a file is read through a link in the run's temporary folder.
 */
export function readerPath(absPath: string, tmpDir: string): string {
  if (!/[*?[\]{}]/.test(absPath)) return absPath;
  const link = path.join(tmpDir, `link-${++links}.csv`);
  fs.symlinkSync(absPath, link);
  return link;
}

let cleanCopies = 0;

export function planFile(bytes: Uint8Array, kindName: string, pinned: Dialect, tmpDir: string): Plan {
  const kind = KIND_BY_NAME.get(kindName)!;
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hadBom ? bytes.subarray(3) : bytes;
  if (pinned.encoding !== 'windows-1252' && !(pinned.encoding === undefined && utf16Bom(bytes)) && isUtf8(body)) {
    const fast = planFast(body, kind, pinned, 'utf-8', null);
    if (fast) return fast;
  } else {
    // Windows-1252 or UTF-16 whose every byte is valid: the decoded text, as a UTF-8 copy, takes the fast path too
    const decoded = decode(bytes, pinned.encoding);
    if (!decoded.invalidBytes && decoded.encoding !== 'utf-8') {
      const utf8 = Buffer.from(decoded.text, 'utf8');
      const fast = planFast(utf8, kind, pinned, decoded.encoding, path.join(tmpDir, `decoded-${++cleanCopies}.csv`));
      if (fast) {
        fs.writeFileSync(fast.csvPath!, utf8);
        return fast;
      }
    }
  }
  return planCareful(bytes, kind, pinned, tmpDir);
}

/** The fast plan of a UTF-8 body (as delivered, or the decoded copy at csvPath), or null when it cannot take it. */
function planFast(body: Uint8Array, kind: KindDef, pinned: Dialect, encoding: Encoding, csvPath: string | null): FastPlan | null {
  const headerLine = firstLineOf(body);
  if (headerLine.trim() === '') return null;
  const prepared = prepare(headerLine, kind, pinned);
  const { missingRequired, ambiguous } = prepared.header;
  const layout = missingRequired.length === 0 && ambiguous.length === 0 ? recordLayout(body) : null;
  return layout && layout.records >= 1 ? { mode: 'fast', body, prepared, layout, pinned, kind, encoding, csvPath } : null;
}

function planCareful(bytes: Uint8Array, kind: KindDef, pinned: Dialect, tmpDir: string): CarefulPlan {
  const decoded = decode(bytes, pinned.encoding);
  const text = decoded.text;
  const prepared = prepare(firstLine(text), kind, pinned);
  const { delimiter, header } = prepared;
  const scan = scanRecords(text, delimiter);
  const plan: CarefulPlan = { mode: 'careful', kind, pinned, decoded, prepared, scan, rejects: [], good: [], cleanPath: null };
  if (scan.count === 0 || header.missingRequired.length > 0 || header.ambiguous.length > 0) return plan;
  const recordText = (i: number) => text.slice(scan.start[i], scan.end[i]);
  const nFields = header.names.length;
  for (let i = 1; i < scan.count; i++) {
    const line = scan.line[i];
    let reason: string | null = null;
    const size = recordBytes(text, scan.start[i], scan.end[i]);
    if (size > MAX_RECORD_BYTES)
      reason = `posten fylder ${danishInt(size)} bytes; en post må højst fylde ${danishInt(MAX_RECORD_BYTES)} bytes (8 MiB)`;
    else if (scan.problem[i] === Problem.Unterminated) reason = 'et felt i anførselstegn lukkes aldrig: posten løber til filens slutning';
    else if (scan.problem[i] === Problem.Quoting) reason = 'forkert brug af anførselstegn: tekst lige efter et afsluttende anførselstegn';
    else if (scan.fields[i] !== nFields)
      reason = `posten har ${scan.fields[i]} felter; overskriften har ${nFields} (skilletegn ${DELIM_NAME[delimiter]})`;
    else if (decoded.invalidBytes && recordText(i).includes('\uFFFD')) reason = `posten indeholder bytes, der ikke er gyldig tekst (${decoded.why})`;
    if (reason) plan.rejects.push({ line, reason: `linje ${line}: ${reason}`, raw: recordText(i) });
    else plan.good.push(i);
  }
  plan.cleanPath = path.join(tmpDir, `clean-${++cleanCopies}.csv`);
  writeClean(plan.cleanPath, text, scan, plan.good, delimiter);
  return plan;
}

/** The database half of loading a file, from its plan; the caller registers the delivery. */
export async function loadPlanned(db: Db, target: LoadTarget, plan: Plan, bytes: Uint8Array, tmpDir: string): Promise<ParsedFile> {
  if (plan.mode === 'staged') {
    if (stagedWhole(plan.staged, plan.fast.layout)) return finishFast(db, target, plan.fast, plan.fast.layout.records - 1, plan.staged!.bad > 0);
    await db.run(`DELETE FROM stg_${plan.fast.kind.kind} WHERE delivery_id = ${target.deliveryId}`);
    return loadPlanned(db, target, plan.fast, bytes, tmpDir);
  }
  if (plan.mode === 'fast') {
    const fast = await fastPath(db, target, plan);
    if (fast) return fast;
    return carefulPath(db, target, planCareful(bytes, plan.kind, plan.pinned, tmpDir));
  }
  return carefulPath(db, target, plan);
}

interface Prepared {
  delimiter: Delimiter;
  header: HeaderMap;
}

function prepare(headerLine: string, kind: KindDef, pinned: Dialect): Prepared {
  const delimiter = (pinned.delimiter as Delimiter | undefined) ?? detectDelimiter(headerLine, kind);
  return { delimiter, header: mapHeader(splitRecord(headerLine, delimiter), kind) };
}

/** One statement: DuckDB's reader → typing and checks → staging. Returns how many records the reader gave. */
async function readIntoStaging(
  db: Db,
  target: LoadTarget,
  kind: KindDef,
  p: Prepared,
  pinned: Pinned,
  csvPath: string,
  withLineColumn: boolean,
): Promise<number> {
  const rawCols = p.header.names.map((_n, i) => `c${i}`);
  const cols = withLineColumn ? ['line', ...rawCols] : rawCols;
  const columns = `{${cols.map((c) => `'${c}': '${c === 'line' ? 'INTEGER' : 'VARCHAR'}'`).join(', ')}}`;
  const named = ['line'];
  const names = new Map<string, string>();
  for (const [canonical, pos] of p.header.positions) {
    names.set(canonical, p.header.names[pos]);
    named.push(`c${pos} AS ${canonical}`);
  }
  const source = `(SELECT ${withLineColumn ? '' : 'CAST(row_number() OVER () AS INTEGER) + 1 AS line, '}* FROM read_csv(${lit(csvPath)},
      delim = ${lit(p.delimiter)}, quote = '"', escape = '"', header = true, auto_detect = false, columns = ${columns},
      encoding = 'utf-8', ignore_errors = true, max_line_size = ${READER_LINE_LIMIT}))`;
  const colList = kind.columns.map((c) => c.name).join(', ');
  await db.run(TYPING_VARIABLES);
  const inserted = await db.all<{ Count: number }>(`INSERT INTO stg_${kind.kind}
      (delivery_id, municipality, export_date, line, ${colList}, reject_reason)
    SELECT ${target.deliveryId}, ${lit(target.municipality)}, DATE ${lit(target.exportDate)}, line, ${colList}, reject_reason
    FROM (${typingSql(kind, `(SELECT ${named.join(', ')} FROM ${source})`, names, pinned)})`);
  return Number(inserted[0]?.Count ?? 0);
}

async function fastPath(db: Db, target: LoadTarget, plan: FastPlan): Promise<ParsedFile | null> {
  const { prepared: p, layout, kind, pinned } = plan;
  // A file alone numbers its records from their order (record i on line i + 1): one with records spanning lines is read
  // by the careful path when its batch did not take it.
  if (layout.jumps.length > 0) return null;
  // The reader skips what it cannot read (ignore_errors); a skipped record or a blank line leaves fewer records than
  // lines, so equality proves record i is line i + 1.
  let read = -1;
  try {
    read = await readIntoStaging(db, target, kind, p, pinned, plan.csvPath ?? target.absPath, false);
  } catch {
    // whatever the reader cannot take as the file stands, the careful path reads record by record
  }
  if (read !== layout.records - 1) {
    await db.run(`DELETE FROM stg_${kind.kind} WHERE delivery_id = ${target.deliveryId}`);
    return null;
  }
  return finishFast(db, target, plan, read, true);
}

/** A fast-path file whose `read` records are staged, record i on line i + 1: its typing rejects moved out. */
async function finishFast(db: Db, target: LoadTarget, plan: FastPlan, read: number, mayHaveRejects: boolean): Promise<ParsedFile> {
  const { body, prepared: p, kind } = plan;
  if (plan.csvPath) fs.rmSync(plan.csvPath, { force: true });
  const rejects = mayHaveRejects ? await takeTypingRejects(db, target, kind, (wanted) => recordsOf(body, wanted)) : [];
  await insertRejects(db, target, rejects);
  return {
    status: 'loaded',
    encoding: plan.encoding,
    delimiter: p.delimiter,
    extraColumns: p.header.extraColumns,
    rowsRead: read,
    rowsLoaded: read - rejects.length,
    rowsRejected: rejects.length,
    message: null,
  };
}

/** Moves the rows that failed typing out of staging and into reject records. */
async function takeTypingRejects(
  db: Db,
  target: LoadTarget,
  kind: KindDef,
  rawOf: (lines: number[]) => Map<number, string>,
): Promise<Reject[]> {
  const mine = `delivery_id = ${target.deliveryId}`;
  const bad = await db.all<{ line: number; reason: string }>(
    `SELECT line, reject_reason AS reason FROM stg_${kind.kind} WHERE ${mine} AND reject_reason IS NOT NULL ORDER BY line`,
  );
  if (bad.length === 0) return [];
  await db.run(`DELETE FROM stg_${kind.kind} WHERE ${mine} AND reject_reason IS NOT NULL`);
  const raw = rawOf(bad.map((b) => Number(b.line)));
  return bad.map((b) => ({ line: Number(b.line), reason: `linje ${b.line}: ${b.reason}`, raw: raw.get(Number(b.line)) ?? '' }));
}

async function carefulPath(db: Db, target: LoadTarget, plan: CarefulPlan): Promise<ParsedFile> {
  const { kind, pinned, decoded, scan, good, prepared: p } = plan;
  const text = decoded.text;
  const { delimiter, header } = p;
  const base = { encoding: decoded.encoding, delimiter, extraColumns: header.extraColumns };
  if (scan.count === 0) {
    const what = text.length === 0 ? (decoded.hadBom ? 'den indeholder kun en BOM' : 'den har ingen bytes') : 'den indeholder kun tomme linjer';
    const message = `filen er tom: ${what}, ingen overskriftslinje`;
    await insertRejects(db, target, [{ line: 1, reason: `linje 1: ${message}; hele filen afvises`, raw: '' }]);
    return { ...base, extraColumns: [], status: 'rejected', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, message };
  }
  const recordText = (i: number) => text.slice(scan.start[i], scan.end[i]);
  const rowsRead = scan.count - 1;
  const problems: string[] = [];
  if (header.ambiguous.length > 0) {
    problems.push(`overskriften er tvetydig: ${header.ambiguous.join('; ')}; hvilken kolonne der gælder, kan ikke afgøres`);
  }
  if (header.missingRequired.length > 0) {
    const cols = header.missingRequired.map((c) => columnLabel(kind, c)).join(', ');
    problems.push(`mangler ${header.missingRequired.length > 1 ? 'kolonnerne' : 'kolonnen'}: ${cols}`);
  }
  if (problems.length > 0) {
    const message = problems.join('; ');
    const readAs = [`skilletegn læst som ${DELIM_NAME[delimiter]}`];
    if (pinned.encoding) readAs.push(`tegnsæt ${pinned.encoding}, som konfigurationen fastlægger`);
    const reason = `linje ${scan.line[0]}: ${message}; hele filen afvises (${readAs.join(', ')})`;
    await insertRejects(db, target, [{ line: scan.line[0], reason, raw: recordText(0) }]);
    return { ...base, status: 'rejected', rowsRead, rowsLoaded: 0, rowsRejected: rowsRead, message };
  }
  const rejects: Reject[] = [...plan.rejects];
  const cleanPath = plan.cleanPath!;
  const read = plan.staged ? plan.staged.count : await readIntoStaging(db, target, kind, p, pinned, cleanPath, true);
  fs.rmSync(cleanPath, { force: true });
  if (read !== good.length) {
    // The bulk reader refused records the scan accepted: name each by its line.
    const have = new Set(
      (await db.all<{ line: number }>(`SELECT line FROM stg_${kind.kind} WHERE delivery_id = ${target.deliveryId}`)).map((r) => Number(r.line)),
    );
    for (const i of good) {
      if (!have.has(scan.line[i])) {
        rejects.push({ line: scan.line[i], reason: `linje ${scan.line[i]}: posten kan ikke læses som CSV`, raw: recordText(i) });
      }
    }
  }
  const indexOfLine = lineIndex(scan);
  const typing = await takeTypingRejects(db, target, kind, (lines) => {
    const m = new Map<number, string>();
    for (const l of lines) {
      const i = indexOfLine(l);
      if (i >= 0) m.set(l, recordText(i));
    }
    return m;
  });
  rejects.push(...typing);
  rejects.sort((a, b) => a.line - b.line);
  await insertRejects(db, target, rejects);
  const loaded = read - typing.length;
  if (loaded + rejects.length !== rowsRead) {
    throw new Error(`${target.path}: ${rowsRead} rows read but ${loaded} loaded and ${rejects.length} rejected`);
  }
  return { ...base, status: 'loaded', rowsRead, rowsLoaded: loaded, rowsRejected: rejects.length, message: null };
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
    appender.appendVarchar(cutRaw(r.raw));
    appender.endRow();
  }
  appender.closeSync();
}

