// Declared reads in batches (FORMATS.md §1–4): the files of one kind and one pinned dialect are typed in one
// statement over a few multi-file read_csv with everything declared (no sniffing): one read per way of reading (the
// file as delivered or its clean copy from the careful path, delimiter, field count, where each column is). Header
// names and the optional columns present may differ from file to file: each file's names and missing columns come
// from a small table of the batch's files, and reasons name a column as the row's own file does.
//
// Lineage: a clean copy carries each record's line. A read of files as delivered gives their records in list order
// (insertion order preserved), so record k of that read is line k - offset + 1 of its file, where offset is the number
// of records of the files before it, counted from their physical lines. Each file's staged rows are then checked
// (count, first and last line); a file whose reader gave fewer records, and every file after it in its read, fails
// that check and is read again on its own (the per-file path).
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import type { KindDef } from './kinds.ts';
import { READER_LINE_LIMIT } from './limits.ts';
import type { CarefulPlan, FastPlan, LoadTarget } from './load.ts';
import { typingSql } from './typing.ts';

/** A fast-path file as delivered, or the clean copy of a careful-path file (whose records carry their line). */
export interface BatchItem {
  target: LoadTarget;
  plan: FastPlan | CarefulPlan;
}

const sizeOf = (p: FastPlan | CarefulPlan) => (p.mode === 'fast' ? p.body.length : p.decoded.text.length);
const csvOf = (it: BatchItem) => (it.plan.mode === 'fast' ? it.target.absPath : it.plan.cleanPath!);

/** What the batch staged for one file: records, first and last line, and rows that failed typing. */
export interface Staged {
  count: number;
  minLine: number;
  maxLine: number;
  bad: number;
}

/** The most bytes of CSV one statement reads (bounds the rows a statement holds for its line numbers). */
const CHUNK_BYTES = 96 * 1024 * 1024;

/** Files typed by one statement: one kind, one pinned dialect (delimiters, field counts and columns may differ). */
function groupKey(p: FastPlan | CarefulPlan): string {
  return JSON.stringify([p.kind.kind, p.pinned]);
}

/**
 * Stages every item's rows; returns per delivery what was staged, or nothing for the items whose statement failed
 * (their rows are removed; the caller reads them one by one).
 */
export async function stageBatch(db: Db, items: BatchItem[]): Promise<Map<number, Staged>> {
  const groups = new Map<string, BatchItem[][]>();
  for (const it of items) {
    const k = groupKey(it.plan);
    const chunks = groups.get(k) ?? [];
    if (!groups.has(k)) groups.set(k, chunks);
    let last = chunks[chunks.length - 1];
    const size = (c: BatchItem[]) => c.reduce((n, x) => n + sizeOf(x.plan), 0);
    if (!last || (last.length > 0 && size(last) + sizeOf(it.plan) > CHUNK_BYTES)) chunks.push((last = []));
    last.push(it);
  }
  const out = new Map<number, Staged>();
  for (const chunks of groups.values()) {
    for (const chunk of chunks) {
      const kind = chunk[0].plan.kind;
      const ids = chunk.map((c) => c.target.deliveryId).join(', ');
      try {
        await db.run(chunkSql(kind, chunk));
      } catch {
        await db.run(`DELETE FROM stg_${kind.kind} WHERE delivery_id IN (${ids})`);
        continue;
      }
      const rows = await db.all<{ id: number; n: number; lo: number; hi: number; bad: number }>(
        `SELECT delivery_id AS id, count(*) AS n, min(line) AS lo, max(line) AS hi, count(reject_reason) AS bad
         FROM stg_${kind.kind} WHERE delivery_id IN (${ids}) GROUP BY delivery_id`,
      );
      const by = new Map(rows.map((r) => [Number(r.id), r]));
      for (const c of chunk) {
        const r = by.get(c.target.deliveryId);
        out.set(c.target.deliveryId, r ? { count: Number(r.n), minLine: Number(r.lo), maxLine: Number(r.hi), bad: Number(r.bad) } : { count: 0, minLine: 0, maxLine: 0, bad: 0 });
      }
    }
  }
  return out;
}

/** Whether the staged rows of a file are exactly its records, record i on line i + 1. */
export function stagedWhole(s: Staged | undefined, lines: number): boolean {
  if (!s) return false;
  if (lines <= 1) return s.count === 0;
  return s.count === lines - 1 && s.minLine === 2 && s.maxLine === lines;
}

/** SQL choosing, per row, the value of expressions that differ by file: one branch per distinct expression. */
function byFile(values: string[]): string {
  const distinct = [...new Set(values)];
  if (distinct.length === 1) return distinct[0];
  const whens = distinct.map((v) => {
    const fids = values.flatMap((x, i) => (x === v ? [i] : []));
    return `WHEN fid IN (${fids.join(', ')}) THEN ${v}`;
  });
  return `(CASE ${whens.join(' ')} END)`;
}

function chunkSql(kind: KindDef, chunk: BatchItem[]): string {
  // One read_csv per way of reading (as delivered or a clean copy, delimiter, field count, column places), one typing
  // over them all.
  const branches = new Map<string, number[]>();
  chunk.forEach((c, fid) => {
    const h = c.plan.prepared.header;
    const k = JSON.stringify([c.plan.mode, c.plan.prepared.delimiter, h.names.length, [...h.positions].sort()]);
    branches.set(k, [...(branches.get(k) ?? []), fid]);
  });
  const off = new Array<number>(chunk.length).fill(0);
  for (const fids of branches.values()) {
    let n = 0;
    for (const fid of fids) {
      off[fid] = n;
      const p = chunk[fid].plan;
      n += p.mode === 'fast' ? Math.max(0, p.lines - 1) : 0;
    }
  }
  const files = chunk.map(
    (c, fid) => `(${fid}, ${lit(csvOf(c))}, ${off[fid]}, ${c.target.deliveryId}, ${lit(c.target.municipality)}, DATE ${lit(c.target.exportDate)})`,
  );
  const filesTable = `(VALUES ${files.join(', ')}) AS f(fid, path, off, delivery_id, municipality, export_date)`;
  const header = (fid: number) => chunk[fid].plan.prepared.header;
  const all = chunk.map((_c, fid) => fid);
  // every canonical column some file of the chunk has; a file without it gives no value
  const canonical = kind.columns.map((c) => c.name).filter((name) => all.some((fid) => header(fid).positions.has(name)));
  const parts = [...branches.values()].map((fids) => {
    const p = chunk[fids[0]].plan;
    const careful = p.mode === 'careful';
    const n = p.prepared.header.names.length;
    const columns = `{${careful ? `'line': 'INTEGER', ` : ''}${Array.from({ length: n }, (_x, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
    // every file of a read has its columns in the same places
    const picked = canonical.map((name) => {
      const pos = header(fids[0]).positions.get(name);
      return `${pos === undefined ? 'NULL::VARCHAR' : `r.c${pos}`} AS ${name}`;
    });
    const read = `read_csv([${fids.map((fid) => lit(csvOf(chunk[fid]))).join(', ')}],
      delim = ${lit(p.prepared.delimiter)}, quote = '"', escape = '"', header = true, auto_detect = false, columns = ${columns},
      encoding = 'utf-8', ignore_errors = true, max_line_size = ${READER_LINE_LIMIT}, filename = true)`;
    // a clean copy carries each record's line; a file as delivered has record k of its read on line k - offset + 1
    return careful
      ? `SELECT r.line, f.fid, ${picked.join(', ')} FROM ${read} r JOIN ${filesTable} ON f.path = r.filename`
      : `SELECT CAST(r.rn - f.off + 1 AS INTEGER) AS line, f.fid, ${picked.join(', ')}
         FROM (SELECT row_number() OVER () AS rn, * FROM ${read}) r JOIN ${filesTable} ON f.path = r.filename`;
  });
  const raw = `(${parts.join('\n UNION ALL ')})`;
  const nameOf = (fid: number, name: string) => {
    const pos = header(fid).positions.get(name);
    return pos === undefined ? name : header(fid).names[pos];
  };
  const names = new Map(canonical.map((name) => [name, nameOf(0, name)]));
  const labels = new Map(canonical.map((name) => [name, byFile(all.map((fid) => lit(nameOf(fid, name))))]));
  const absent = new Map(
    kind.columns.map((c) => [c.name, byFile(all.map((fid) => lit(header(fid).positions.has(c.name) ? '' : ` (filen har ingen kolonne ${c.name})`)))]),
  );
  const colList = kind.columns.map((c) => c.name).join(', ');
  return `INSERT INTO stg_${kind.kind} (delivery_id, municipality, export_date, line, ${colList}, reject_reason)
    SELECT f.delivery_id, f.municipality, f.export_date, t.line, ${kind.columns.map((c) => `t.${c.name}`).join(', ')}, t.reject_reason
    FROM (${typingSql(kind, raw, names, chunk[0].plan.pinned, { keep: ['fid'], labels, absent })}) t JOIN ${filesTable} ON f.fid = t.fid`;
}
