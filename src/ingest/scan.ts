// A quote-aware pass over a decoded export: where every record starts (physical line), how many fields it
// has, and whether its quoting is sound. DuckDB parses the values; this pass gives lineage and the
// structural rejects (wrong field count, broken quoting) that a bulk reader cannot place on a line.

export type Delimiter = ',' | ';' | '\t';
export const DELIMITERS: Delimiter[] = [';', ',', '\t'];

export const enum Problem {
  None = 0,
  Quoting = 1,
  Unterminated = 2,
}

export interface Scan {
  count: number;
  /** Offsets into the text: the record is text.slice(start[i], end[i]) (its line break excluded). */
  start: Int32Array;
  end: Int32Array;
  /** The physical line (1-based) where the record starts. */
  line: Int32Array;
  fields: Int32Array;
  problem: Uint8Array;
  /** Some record spans more than one physical line. */
  multiline: boolean;
  /** Blank lines were skipped. */
  blankLines: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

class Grow {
  arr: Int32Array;
  n = 0;
  constructor(cap: number) {
    this.arr = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.n === this.arr.length) {
      const next = new Int32Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = v;
  }
  done(): Int32Array {
    return this.arr.subarray(0, this.n);
  }
}

/** Scans every record of `text`. A blank line (nothing but spaces or tabs outside quotes) is skipped and not counted. */
export function scanRecords(text: string, delimiter: Delimiter): Scan {
  const delim = delimiter.charCodeAt(0);
  const guess = Math.max(16, Math.ceil(text.length / 64));
  const starts = new Grow(guess);
  const ends = new Grow(guess);
  const lines = new Grow(guess);
  const fields = new Grow(guess);
  const problems: number[] = [];
  let problemIdx: number[] = [];
  let multiline = false;
  let blankLines = 0;

  const len = text.length;
  let i = 0;
  let line = 1;
  while (i < len) {
    const recStart = i;
    const recLine = line;
    let nFields = 1;
    let problem = Problem.None;
    let blank = true;
    // field state: 0 = at field start, 1 = unquoted, 2 = quoted, 3 = after closing quote
    let state = 0;
    let recEnd = -1;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (state === 2) {
        if (c === QUOTE) {
          if (i + 1 < len && text.charCodeAt(i + 1) === QUOTE) {
            i += 2;
            continue;
          }
          state = 3;
          i++;
          continue;
        }
        if (c === LF) {
          line++;
          multiline = true;
        } else if (c === CR && !(i + 1 < len && text.charCodeAt(i + 1) === LF)) {
          line++;
          multiline = true;
        }
        i++;
        continue;
      }
      if (c === LF || c === CR) {
        recEnd = i;
        if (c === CR && i + 1 < len && text.charCodeAt(i + 1) === LF) i += 2;
        else i++;
        line++;
        break;
      }
      if (c === delim) {
        nFields++;
        state = 0;
        blank = false;
        i++;
        continue;
      }
      if (c !== SPACE && c !== TAB) blank = false;
      if (state === 0) {
        if (c === QUOTE) state = 2;
        else state = 1;
      } else if (state === 3) {
        problem = Problem.Quoting; // text after a closing quote
        state = 1;
      } // a quote inside an unquoted field is a literal quote, as DuckDB's reader takes it
      i++;
    }
    if (recEnd < 0) {
      recEnd = len;
      if (state === 2) problem = Problem.Unterminated;
    }
    if (blank && nFields === 1 && (state === 0 || state === 1)) {
      blankLines++; // nothing but white space on this line
      continue;
    }
    starts.push(recStart);
    ends.push(recEnd);
    lines.push(recLine);
    fields.push(nFields);
    if (problem !== Problem.None) {
      problems.push(problem);
      problemIdx.push(starts.n - 1);
    }
  }
  const count = starts.n;
  const problem = new Uint8Array(count);
  for (let k = 0; k < problemIdx.length; k++) problem[problemIdx[k]] = problems[k];
  problemIdx = [];
  return {
    count,
    start: starts.done(),
    end: ends.done(),
    line: lines.done(),
    fields: fields.done(),
    problem,
    multiline,
    blankLines,
  };
}

/** Splits one record into its values (RFC 4180), for the header and for small files. */
export function splitRecord(record: string, delimiter: Delimiter): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuotes = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i];
    if (inQuotes) {
      if (ch === '"') {
        if (record[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQuotes = false;
      } else cur += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The first line of the text that is not blank (the header), without its line break. */
export function firstLine(text: string): string {
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text.charCodeAt(j) !== LF && text.charCodeAt(j) !== CR) j++;
    const line = text.slice(i, j);
    if (line.trim() !== '') return line;
    i = j + 1;
  }
  return '';
}

/** Binary search from a physical line to the record starting there. */
export function lineIndex(scan: Scan): (line: number) => number {
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
