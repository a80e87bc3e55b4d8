// The handling folder's limits (FORMATS.md §8, README "Bad input"): how big a file people drop there, or give to
// `afstem import`, may be, and how long a note may be. A file over a limit is listed as unreadable with a Danish
// reason naming the limit (the other files and the night go on; `afstem import` exits 3); a note over its limit is a
// refused row. Every figure is in this one place; the tests pass smaller limits through the readers' `limits` option.
import { danishInt } from '../ingest/limits.ts';

export interface HandlingLimits {
  /** The file's size on disk, csv or xlsx. */
  fileBytes: number;
  /** Data rows of the sheet read (rows with none of the columns the import reads are not counted). */
  rows: number;
  /** What the xlsx's parts inflate to together (the sheets, shared strings, styles, workbook). */
  inflatedBytes: number;
  /** The shared strings (xl/sharedStrings.xml), which are kept in memory while the sheet is read: inflated, and count. */
  sharedStringsBytes: number;
  sharedStrings: number;
  /** docProps/core.xml inflated (who last modified the workbook): beyond it the author is unknown. */
  corePropsBytes: number;
  /** One XML tag or text run of an xlsx part, in characters (Excel's own cells hold at most 32,767). */
  xmlTokenChars: number;
}

/**
 * The defaults: a municipality's discrepancies.xlsx of 40,000 rows is 2.3 MB and inflates to 40 MB (its csv export
 * about 16 MB; saved again by Excel, 21 MB of sheet and 10 MB of shared strings), so the whole run's sheet of 200,000
 * open discrepancies still passes with room to spare. Reading one file holds at most the shared strings (128 MiB of
 * text, 4 million of them) and the rows' few cells in memory.
 */
export const HANDLING_LIMITS: Readonly<HandlingLimits> = Object.freeze({
  fileBytes: 128 * 1024 * 1024,
  rows: 200_000,
  inflatedBytes: 512 * 1024 * 1024,
  sharedStringsBytes: 128 * 1024 * 1024,
  sharedStrings: 4_000_000,
  corePropsBytes: 1024 * 1024,
  xmlTokenChars: 1024 * 1024,
});

/** The longest note, in characters (after trimming): well within a spreadsheet cell's 32,767. */
export const MAX_NOTE_CHARS = 4_000;
/** The longest assignee, in characters. */
export const MAX_ASSIGNEE_CHARS = 200;
/** Who made a change (--by, the workbook's last-modified-by, the file's owner) is cut to this many characters. */
export const MAX_WHO_CHARS = 200;

export { danishInt };

/** A file that is not a discrepancy sheet, or cannot be read as one: listed as unreadable with this Danish reason. */
export class SheetError extends Error {}
/** A file over one of the limits above (a kind of SheetError): `afstem import` exits 3 for it, not 2. */
export class SheetLimitError extends SheetError {}

/** A size for a Danish reason: '128 MiB', '64 KiB', else '1.500 bytes'. */
export function danishBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${danishInt(n / (1024 * 1024))} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${danishInt(n / 1024)} KiB`;
  return `${danishInt(n)} bytes`;
}
