// What a batched read staged for one file (./batch-read.ts), and whether that is the whole file (./load.ts decides
// with it whether a fast-path file stands or is read again on its own).
import type { RecordLayout } from './lines.ts';

/** What the batch staged for one file: records, first and last line, and rows that failed typing. */
export interface Staged {
  count: number;
  minLine: number;
  maxLine: number;
  bad: number;
}

/** Whether the staged rows of a file are exactly its records, each on the line where it starts. */
export function stagedWhole(s: Staged | undefined, layout: RecordLayout): boolean {
  if (!s) return false;
  if (layout.records <= 1) return s.count === 0;
  return s.count === layout.records - 1 && s.minLine === 2 && s.maxLine === layout.lastLine;
}
