// Declared reads in batches (FORMATS.md §1–4): the files of one kind and one pinned dialect are typed in one
// statement over a few multi-file read_csv with everything declared (no sniffing): one read per way of reading (the
// file as delivered or its clean copy from the careful path, delimiter, field count, where each column is). Header
// names and the optional columns present may differ from file to file: each file's names and missing columns come
// from a small table of the batch's files, and reasons name a column as the row's own file does.
//
// Lineage: a clean copy carries each record's line. A read of files as delivered gives their records in list order
// (insertion order preserved), so record k of that read is record j = k - offset of its file, where offset is the
// number of records of the files before it, counted by a pass over their bytes (lines.ts recordLayout), on line j + 1
// plus the extra lines of the records before it that span lines. Each file's staged rows are then checked
// (count, first and last line); a file whose reader gave fewer records, and every file after it in its read, fails
// that check and is read again on its own (the per-file path).
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import type { KindDef } from './kinds.ts';
import { READER_LINE_LIMIT } from './limits.ts';
import type { CarefulPlan, FastPlan, LoadTarget } from './load.ts';
import { TYPING_VARIABLES, typingSql } from './typing.ts';
import type { Staged } from './staged.ts';

/** A fast-path file as delivered, or the clean copy of a careful-path file (whose records carry their line). */
export interface BatchItem {
  target: LoadTarget;
  plan: FastPlan | CarefulPlan;
}

const sizeOf = (p: FastPlan | CarefulPlan) => (p.mode === 'fast' ? p.body.length : p.decoded.text.length);
const csvOf = (it: BatchItem) => (it.plan.mode === 'fast' ? (it.plan.csvPath ?? it.target.absPath) : it.plan.cleanPath!);

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
  await db.run(TYPING_VARIABLES);
  for (const chunks of groups.values()) {
    for (const chunk of chunks) {
      const kind = chunk[0].plan.kind;
      const ids = chunk.map((c) => c.target.deliveryId).join(', ');
      const { create, reads, insert, tables } = chunkSql(kind, chunk);
      try {
        // each read's first rowid: the rows appended before it
        const bases: number[] = [];
        await db.run(create);
        let appended = 0;
        for (const r of reads) {
          bases.push(appended);
          const [done] = await db.all<{ Count: number | bigint }>(r);
          appended += Number(done?.Count ?? 0);
        }
        await db.run(insert(bases));
      } catch {
        await db.run(`DELETE FROM stg_${kind.kind} WHERE delivery_id IN (${ids})`);
        continue;
      } finally {
        for (const t of tables) await db.run(`DROP TABLE IF EXISTS temp.main.${t}`);
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

/** Records per bucket of the line lookup of files whose records span lines. */
const BUCKET = 256;

/**
 * The jumps of a file (lines.ts recordLayout) by bucket of BUCKET records, as SQL values `b, base, froms, extras`: the
 * extra lines at the bucket's start, and the jumps inside it (NULL lists when none). Only buckets whose records have
 * extra lines are listed (the others have none); a hash join on the bucket finds a record's row.
 */
function jumpBuckets(jumps: [number, number][], dataRecords: number): string[] {
  if (jumps.length === 0) return [];
  const out: string[] = [];
  let k = 0;
  let extra = 0;
  for (let b = Math.floor(jumps[0][0] / BUCKET); b * BUCKET <= dataRecords; b++) {
    const base = extra;
    const froms: number[] = [];
    const extras: number[] = [];
    while (k < jumps.length && jumps[k][0] < (b + 1) * BUCKET) {
      froms.push(jumps[k][0]);
      extras.push(jumps[k][1]);
      extra = jumps[k][1];
      k++;
    }
    if (froms.length === 0 && base === 0) continue;
    out.push(froms.length === 0 ? `${b}, ${base}, NULL::INTEGER[], NULL::INTEGER[]` : `${b}, ${base}, [${froms.join(', ')}], [${extras.join(', ')}]`);
  }
  return out;
}

/** SQL choosing, per row, the value of expressions that differ by file: the one value, or a list indexed by fid. */
function byFile(values: string[]): string {
  const distinct = [...new Set(values)];
  if (distinct.length === 1) return distinct[0];
  return `[${values.join(', ')}][fid + 1]`;
}

/**
 * The statements that stage one chunk. `create` makes one TEMP table of the chunk's rows (file, the clean copy's line,
 * one VARCHAR per canonical column); `reads` append each read (one per way of reading) to it in the reader's order
 * (insertion order preserved: a read's rows get consecutive rowids, in its files' list order, each record in its
 * place), so a row of a file as delivered is its file's record j = rowid + 1 - start (from 1), where start is the
 * rows appended before its read plus the records of the files before it in that read. `insert(bases)` types them all
 * into the staging table in one statement on every thread, given each read's first rowid (the rows before it);
 * `tables` are dropped afterwards. Appending every read to one table avoids copying the reads' rows once more to gather them (a
 * read of fewer rows than a row group is scanned by one thread, so typing straight over the reads ran on one core).
 */
function chunkSql(kind: KindDef, chunk: BatchItem[]): { create: string; reads: string[]; insert: (bases: number[]) => string; tables: string[] } {
  // One read_csv per way of reading (as delivered or a clean copy, delimiter, field count, column places), one typing
  // over them all.
  const branches = new Map<string, number[]>();
  chunk.forEach((c, fid) => {
    const h = c.plan.prepared.header;
    const k = JSON.stringify([c.plan.mode, c.plan.prepared.delimiter, h.names.length, [...h.positions].sort()]);
    branches.set(k, [...(branches.get(k) ?? []), fid]);
  });
  // per file: its read, and the records of the files before it in that read
  const off = new Array<number>(chunk.length).fill(0);
  const readOf = new Array<number>(chunk.length).fill(0);
  [...branches.values()].forEach((fids, b) => {
    let n = 0;
    for (const fid of fids) {
      off[fid] = n;
      readOf[fid] = b;
      const p = chunk[fid].plan;
      n += p.mode === 'fast' ? Math.max(0, p.layout.records - 1) : 0;
    }
  });
  // per file of the chunk (fid, from 0): what its rows are staged with; a list indexed by fid + 1 (no join)
  const perFile = (f: (c: BatchItem) => string) => `[${chunk.map(f).join(', ')}]`;
  const deliveryOf = perFile((c) => String(c.target.deliveryId));
  const municipalityOf = perFile((c) => lit(c.target.municipality));
  const exportDateOf = perFile((c) => `DATE ${lit(c.target.exportDate)}`);
  const header = (fid: number) => chunk[fid].plan.prepared.header;
  const all = chunk.map((_c, fid) => fid);
  // every canonical column some file of the chunk has; a file without it gives no value
  const canonical = kind.columns.map((c) => c.name).filter((name) => all.some((fid) => header(fid).positions.has(name)));
  const rows = `load_rows_${++rawTables}`;
  const create = `CREATE OR REPLACE TEMP TABLE ${rows} (fid INTEGER, line INTEGER${canonical.map((n) => `, ${n} VARCHAR`).join('')})`;
  const reads = [...branches.values()].map((fids) => {
    const p = chunk[fids[0]].plan;
    const careful = p.mode === 'careful';
    const n = p.prepared.header.names.length;
    const columns = `{${careful ? `'line': 'INTEGER', ` : ''}${Array.from({ length: n }, (_x, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
    // every file of a read has its columns in the same places
    const picked = canonical.map((name) => {
      const pos = header(fids[0]).positions.get(name);
      return pos === undefined ? 'NULL::VARCHAR' : `r.c${pos}`;
    });
    const read = `read_csv([${fids.map((fid) => lit(csvOf(chunk[fid]))).join(', ')}],
      delim = ${lit(p.prepared.delimiter)}, quote = '"', escape = '"', header = true, auto_detect = false, columns = ${columns},
      encoding = 'utf-8', ignore_errors = true, max_line_size = ${READER_LINE_LIMIT})`;
    // the reader's file_index is the file's place in this read's list; a clean copy carries each record's line
    return `INSERT INTO temp.main.${rows} SELECT [${fids.join(', ')}][CAST(r.file_index AS INTEGER) + 1], ${careful ? 'r.line' : 'NULL'}${picked.map((x) => `, ${x}`).join('')}
      FROM ${read} r`;
  });
  const buckets = all.flatMap((fid) => {
    const p = chunk[fid].plan;
    return p.mode === 'fast' ? jumpBuckets(p.layout.jumps, p.layout.records - 1).map((b) => `(${fid}, ${b})`) : [];
  });
  const carefulOf = perFile((c) => String(c.plan.mode === 'careful'));
  const numbered = (bases: number[]) => {
    // a file as delivered has its record j on line j + 1 plus the extra lines of the records before it that span lines
    // (its layout's jumps): its bucket's (j // BUCKET) extra at the bucket's start, or that of the last jump inside the
    // bucket at or before j
    const j = `(r.rowid + 1 - [${all.map((fid) => bases[readOf[fid]] + off[fid]).join(', ')}][r.fid + 1])`;
    const inBucket = `len(list_filter(x.froms, v -> v <= ${j}))`;
    const extra = buckets.length === 0 ? '0' : `CASE WHEN x.froms IS NULL OR ${inBucket} = 0 THEN coalesce(x.base, 0) ELSE x.extras[${inBucket}] END`;
    const join = buckets.length === 0 ? '' : `LEFT JOIN (VALUES ${buckets.join(', ')}) AS x(fid, b, base, froms, extras) ON x.fid = r.fid AND x.b = ${j} // ${BUCKET}`;
    return `(SELECT CASE WHEN ${carefulOf}[r.fid + 1] THEN r.line ELSE CAST(${j} + 1 + ${extra} AS INTEGER) END AS line, r.fid${canonical.map((c) => `, r.${c}`).join('')}
      FROM temp.main.${rows} r ${join}) rows`;
  };
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
  const insert = (bases: number[]) => `INSERT INTO stg_${kind.kind} (delivery_id, municipality, export_date, line, ${colList}, reject_reason)
    SELECT ${deliveryOf}[t.fid + 1], ${municipalityOf}[t.fid + 1], ${exportDateOf}[t.fid + 1], t.line,
      ${kind.columns.map((c) => `t.${c.name}`).join(', ')}, t.reject_reason
    FROM (${typingSql(kind, numbered(bases), names, chunk[0].plan.pinned, { keep: ['fid'], labels, absent })}) t`;
  return { create, reads, insert, tables: [rows] };
}

let rawTables = 0;
