// Physical lines of a UTF-8 body, for the fast load path: how many (or why the file cannot take that path), the
// header line, and the text of given lines.
import { MAX_RECORD_BYTES } from './limits.ts';

const LF = 10;
const CR = 13;

/** Where a body's records start: see recordLayout. */
export interface RecordLayout {
  records: number;
  lastLine: number;
  jumps: [from: number, extra: number][];
}

/**
 * Where the records of a UTF-8 body start, for the fast load path: `records` (the header counted), the physical line
 * of the last record, and `jumps`, the places where a record spans more than one physical line (a line break inside a
 * quoted field): from data record `from` (1-based, the header is record 0) on, a record starts `extra` lines below
 * line from + 1. Null when the file cannot take the fast path: a blank line outside quotes, a quoted field still open
 * at the end (or in the header), a CR that does not end a line before its LF (bare-CR line ends, a CR inside a
 * value), line ends that are not all LF or all CRLF, or a record longer than the record limit. DuckDB's reader takes
 * one line-end style per file; the careful path takes them all.
 */
export function recordLayout(body: Uint8Array): RecordLayout | null {
  const QUOTE = 34;
  let records = 0;
  let line = 0; // physical lines passed
  let lastLine = 0;
  let start = 0;
  let recStart = 0;
  let odd = false;
  let q = body.indexOf(QUOTE); // the next quote at or after `start`, or -1
  let cr = body.indexOf(CR); // the next CR at or after `start`, or -1
  let crlf: boolean | null = null; // the file's line-end style, from its first line
  const jumps: [number, number][] = [];
  let extra = 0;
  while (start < body.length) {
    let end = body.indexOf(LF, start);
    if (end === -1) end = body.length;
    line++;
    if (!odd) {
      if (end === start || (end === start + 1 && body[start] === CR)) return null; // blank line
      recStart = start;
      // record `records` starts on this line; as data record k = records it would sit on line k + 1
      if (line - (records + 1) !== extra) {
        extra = line - (records + 1);
        jumps.push([records, extra]);
      }
      lastLine = line;
    }
    if (end - recStart > MAX_RECORD_BYTES) return null;
    let lineCrlf = false;
    while (cr !== -1 && cr < end) {
      if (cr !== end - 1 || end === body.length) return null; // a CR that is not the first half of a CRLF
      lineCrlf = true;
      cr = body.indexOf(CR, cr + 1);
    }
    if (end < body.length) {
      if (crlf === null) crlf = lineCrlf;
      else if (crlf !== lineCrlf) return null; // mixed LF and CRLF
    }
    while (q !== -1 && q < end) {
      odd = !odd;
      q = body.indexOf(QUOTE, q + 1);
    }
    if (!odd) records++;
    else if (records === 0) return null; // a header that runs on to the next line
    start = end + 1;
  }
  if (odd) return null; // a quoted field never closed
  return { records, lastLine, jumps };
}

export function firstLineOf(body: Uint8Array): string {
  let end = body.indexOf(LF);
  if (end === -1) end = body.length;
  return Buffer.from(body.buffer, body.byteOffset, end).toString('utf8').replace(/\r$/, '');
}

/** The text of the records that start on the given physical lines (1-based) of a UTF-8 body, without their final line
 * break (a record spanning lines keeps its inner line breaks). */
export function recordsOf(body: Uint8Array, wanted: number[]): Map<number, string> {
  const QUOTE = 34;
  const out = new Map<number, string>();
  const want = new Set(wanted);
  const last = Math.max(...wanted);
  let line = 1;
  let start = 0;
  let odd = false;
  let recStart = 0;
  let recLine = 1;
  while (recLine <= last && start <= body.length) {
    let end = body.indexOf(LF, start);
    if (end === -1) end = body.length;
    if (!odd) {
      recStart = start;
      recLine = line;
    }
    for (let i = start; i < end; i++) if (body[i] === QUOTE) odd = !odd;
    if (!odd && want.has(recLine)) {
      const stop = end > recStart && body[end - 1] === CR ? end - 1 : end;
      out.set(recLine, Buffer.from(body.buffer, body.byteOffset + recStart, stop - recStart).toString('utf8'));
    }
    start = end + 1;
    line++;
  }
  return out;
}
