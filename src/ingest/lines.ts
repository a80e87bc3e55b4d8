// Physical lines of a UTF-8 body, for the fast load path: how many (or why the file cannot take that path), the
// header line, and the text of given lines.
import { MAX_RECORD_BYTES } from './limits.ts';

const LF = 10;
const CR = 13;

/**
 * Physical lines of a UTF-8 body (a final line without a line break counts), or -1 when the file cannot take the
 * fast path: a blank line, a line break inside quotes (an odd number of quotes on a line), a CR that does not end a
 * line before its LF (bare-CR line ends, a CR inside a value), line ends that are not all LF or all CRLF, or a line
 * longer than the record limit. DuckDB's reader takes one line-end style per file; the careful path takes them all.
 */
export function countLines(body: Uint8Array): number {
  const QUOTE = 34;
  let n = 0;
  let start = 0;
  let odd = false;
  let q = body.indexOf(QUOTE); // the next quote at or after `start`, or -1
  let cr = body.indexOf(CR); // the next CR at or after `start`, or -1
  let crlf: boolean | null = null; // the file's line-end style, from its first line
  while (start < body.length) {
    let end = body.indexOf(LF, start);
    if (end === -1) end = body.length;
    if (end === start || (end === start + 1 && body[start] === CR)) return -1; // blank line
    if (end - start > MAX_RECORD_BYTES) return -1;
    let lineCrlf = false;
    while (cr !== -1 && cr < end) {
      if (cr !== end - 1 || end === body.length) return -1; // a CR that is not the first half of a CRLF
      lineCrlf = true;
      cr = body.indexOf(CR, cr + 1);
    }
    if (end < body.length) {
      if (crlf === null) crlf = lineCrlf;
      else if (crlf !== lineCrlf) return -1; // mixed LF and CRLF
    }
    while (q !== -1 && q < end) {
      odd = !odd;
      q = body.indexOf(QUOTE, q + 1);
    }
    if (odd) return -1; // a quoted field runs on to the next line
    n++;
    start = end + 1;
  }
  return n;
}

export function firstLineOf(body: Uint8Array): string {
  let end = body.indexOf(LF);
  if (end === -1) end = body.length;
  return Buffer.from(body.buffer, body.byteOffset, end).toString('utf8').replace(/\r$/, '');
}

/** The text of the given physical lines (1-based) of a UTF-8 body, without line breaks. */
export function linesOf(body: Uint8Array, wanted: number[]): Map<number, string> {
  const out = new Map<number, string>();
  const want = new Set(wanted);
  const last = Math.max(...wanted);
  let line = 1;
  let start = 0;
  while (line <= last && start <= body.length) {
    let end = body.indexOf(LF, start);
    if (end === -1) end = body.length;
    if (want.has(line)) {
      out.set(line, Buffer.from(body.buffer, body.byteOffset + start, end - start).toString('utf8').replace(/\r$/, ''));
    }
    start = end + 1;
    line++;
  }
  return out;
}

