// The reader's limits (FORMATS.md §4): how long a record may be, and how much of a rejected record rejects.csv keeps.
import { maskText } from '../mask.ts';

/**
 * The longest record the reader takes, in bytes of UTF-8 (FORMATS.md §4 asks for at least 1 MiB). A longer record is a
 * rejected row whose reason states this limit; DuckDB's own line limit is set just above it, so the reader never
 * meets a longer line. 8 MiB is far beyond any real export row and keeps a file's memory bounded by its size.
 */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;
/** In rejects.csv a raw record longer than this (bytes of UTF-8) is cut here and ends in RAW_CUT_MARK. */
export const MAX_RAW_BYTES = 64 * 1024;
export const RAW_CUT_MARK = '…[afkortet]';
export const READER_LINE_LIMIT = MAX_RECORD_BYTES + 64; // the clean copy prefixes each record with its line number

export const danishInt = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** The size in UTF-8 bytes of text.slice(start, end), measured only when it could exceed the record limit (else its
 * length in characters, which is then below the limit too). */
export function recordBytes(text: string, start: number, end: number): number {
  const chars = end - start;
  if (chars * 3 <= MAX_RECORD_BYTES) return chars;
  return Buffer.byteLength(text.slice(start, end), 'utf8');
}

/** The raw record as rejects.csv shows it: masked, and cut at MAX_RAW_BYTES (on a character) with RAW_CUT_MARK. */
export function cutRaw(raw: string): string {
  // mask a little beyond the cut, so that a CPR number across the cut is masked before it is cut
  const head = raw.length > MAX_RAW_BYTES + 16 ? raw.slice(0, MAX_RAW_BYTES + 16) : raw;
  const masked = maskText(head) ?? '';
  if (head === raw && Buffer.byteLength(masked, 'utf8') <= MAX_RAW_BYTES) return masked;
  const bytes = Buffer.from(masked, 'utf8');
  let cut = MAX_RAW_BYTES;
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--; // not inside a character
  return bytes.subarray(0, cut).toString('utf8') + RAW_CUT_MARK;
}
