// Importing an edited discrepancy sheet (FORMATS.md §8): its rows become handling requests — only the four editable
// cells (status as Danish label or code, assignee, note, follow-up as a date cell or dd-mm-åååå / åååå-mm-dd text)
// and the row's handled_at (for the conflict check) count. A row that cannot be read (a formula cell, an unknown
// status, a date that is no date, the same case twice) is a bad row with its sheet row and a Danish reason; the good
// rows go to applyHandling, which judges them against the database (unchanged, refused, conflict, applied).
import { DateTime } from 'luxon';
import type { Db } from '../db.ts';
import { ZONE } from '../calendar.ts';
import { COLUMN_DA, HANDLING_STATUS_CHOICE, HANDLING_STATUS_DA, HANDLING_STATUSES, type HandlingStatus } from '../vocabulary.ts';
import { applyHandling, type HandlingOutcome, type HandlingProblem, type HandlingRequest } from './store.ts';
import type { HandlingLimits } from './limits.ts';
import { readSheet, type ReadKey, type ReadSheet, type SheetRecord, type SheetValue } from './sheet-read.ts';

export interface ImportOptions {
  /** Who made the changes. */
  by: string;
  /** How the file is named in the trail and the messages, e.g. 'handling/101/uge48.xlsx'. */
  name: string;
  force?: boolean;
  /** Drop folder: the sub-folder's municipality (a row of another is refused). */
  municipality?: string;
  now?: Date;
  /** The batch run holds a transaction already. */
  inTransaction?: boolean;
  /** The reading limits (default HANDLING_LIMITS; tests pass smaller ones). */
  limits?: HandlingLimits;
}

export interface ImportResult extends HandlingOutcome {
  /** Data rows read (blank rows not counted). */
  rows: number;
  /** Rows that could not be read (listed first in `refused` too). */
  bad: number;
}


const STATUS_BY_WORD: Map<string, HandlingStatus> = (() => {
  const m = new Map<string, HandlingStatus>();
  for (const s of HANDLING_STATUSES) {
    m.set(s, s);
    m.set(HANDLING_STATUS_DA[s].toLowerCase(), s);
  }
  m.set('in progress', 'in_progress');
  m.set('igang', 'in_progress');
  m.set('aaben', 'open');
  return m;
})();

class BadRow extends Error {}

/** Text written spreadsheet-safe (FORMATS.md §7, outputs/csv.ts spreadsheetSafe) loses the one `'` it was given. */
export function unprotect(s: string): string {
  return /^''*[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

function text(v: SheetValue | undefined, key: ReadKey): string | null {
  if (v === undefined) return null;
  if (v.kind === 'formula') throw new BadRow(`cellen ${COLUMN_DA[key]} er en formel; skriv værdien som tekst`);
  if (v.kind === 'date') return v.d.toISOString().slice(0, 10);
  const s = unprotect(v.kind === 'number' ? String(v.n) : v.text).trim();
  return s === '' ? null : s;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A real date from day, month, year → YYYY-MM-DD, or null. */
function ymd(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** An Excel serial day number (1900 system) → its date. */
function serialDate(n: number): Date {
  return new Date(Math.round((n - 25569) * 86400000));
}

/** The follow-up cell: a date cell, a serial number, or dd-mm-åååå, dd.mm.åååå, dd/mm/åååå, åååå-mm-dd text. */
export function followUpDate(v: SheetValue | undefined): string | null {
  if (v === undefined) return null;
  const bad = (s: string) => new BadRow(`${COLUMN_DA.follow_up} «${s}» er ikke en dato (dd-mm-åååå eller åååå-mm-dd)`);
  if (v.kind === 'formula') throw new BadRow(`cellen ${COLUMN_DA.follow_up} er en formel; skriv datoen som en dato`);
  if (v.kind === 'date') return v.d.toISOString().slice(0, 10);
  if (v.kind === 'number') {
    if (Number.isInteger(v.n) && v.n > 0 && v.n < 2958466) return serialDate(v.n).toISOString().slice(0, 10);
    throw bad(String(v.n));
  }
  const s = unprotect(v.text).trim();
  if (s === '') return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let out = m ? ymd(+m[1], +m[2], +m[3]) : null;
  m = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$/.exec(s);
  if (m) out = ymd(+m[3], +m[2], +m[1]);
  if (!out) throw bad(s);
  return out;
}

/**
 * The row's handled_at as ISO UTC: a date-time cell holds the Copenhagen wall time (as discrepancies.xlsx writes it);
 * text is ISO 8601 with Z or an offset, or dd-mm-åååå tt:mm[:ss] / åååå-mm-dd tt:mm[:ss] Copenhagen time. A time
 * without seconds (Excel drops them when it saves the --excel csv again) is read as the last second of its minute:
 * the latest the handling it shows can have been, so a clerk's edit in such a file is no conflict with itself.
 */
export function handledAt(v: SheetValue | undefined): string | null {
  if (v === undefined) return null;
  if (v.kind === 'formula') throw new BadRow(`cellen ${COLUMN_DA.handled_at} er en formel`);
  const wall = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
    DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone: ZONE });
  let t: DateTime | null = null;
  if (v.kind === 'date' || v.kind === 'number') {
    const d = v.kind === 'date' ? v.d : new Date(Math.round((v.n - 25569) * 86400000));
    const r = new Date(Math.round(d.getTime() / 1000) * 1000);
    t = wall(r.getUTCFullYear(), r.getUTCMonth() + 1, r.getUTCDate(), r.getUTCHours(), r.getUTCMinutes(), r.getUTCSeconds());
  } else {
    const s = unprotect(v.text).trim();
    if (s === '') return null;
    let m: RegExpExecArray | null;
    if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(s) && /^\d{4}-\d{2}-\d{2}[T ]/.test(s)) t = DateTime.fromISO(s.replace(' ', 'T'), { setZone: true });
    else if ((m = /^(\d{1,2})[-./](\d{1,2})[-./](\d{4})[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$/.exec(s))) t = wall(+m[3], +m[2], +m[1], +m[4], +m[5], +(m[6] ?? 59));
    else if ((m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s))) t = wall(+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 59));
    if (!t || !t.isValid) throw new BadRow(`${COLUMN_DA.handled_at} «${s}» er ikke et tidspunkt (dd-mm-åååå tt:mm:ss)`);
  }
  if (!t.isValid) throw new BadRow(`${COLUMN_DA.handled_at} er ikke et tidspunkt`);
  return t.toUTC().toISO({ suppressMilliseconds: true })!.replace(/\.\d+Z$/, 'Z');
}

function status(v: SheetValue | undefined): HandlingStatus {
  const s = text(v, 'handling_status');
  if (s === null) throw new BadRow(`${COLUMN_DA.handling_status} er tom: vælg ${HANDLING_STATUS_CHOICE}`);
  const found = STATUS_BY_WORD.get(s.toLowerCase().replace(/\s+/g, ' '));
  if (!found) throw new BadRow(`ukendt status «${s}»: vælg ${HANDLING_STATUS_CHOICE}`);
  return found;
}

/** The sheet's rows as requests, and the bad rows with their reasons. */
export function sheetRequests(sheet: ReadSheet, opts: ImportOptions): { requests: HandlingRequest[]; bad: HandlingProblem[] } {
  const rowWord = sheet.format === 'xlsx' ? 'række' : 'linje';
  const requests: HandlingRequest[] = [];
  const bad: HandlingProblem[] = [];
  const seen = new Map<string, number>();
  const missing = (['handling_status', 'assignee', 'note', 'follow_up'] as const).filter((k) => !sheet.columns.includes(k));
  for (const rec of sheet.records) {
    const source = `${opts.name}, ${rowWord} ${rec.row}`;
    const ref = refOf(rec);
    try {
      if (missing.length) throw new BadRow(`filen mangler kolonnen ${missing.map((k) => COLUMN_DA[k]).join(', ')}`);
      if (ref === null) throw new BadRow(`${COLUMN_DA.case_ref} er tomt`);
      const key = ref.toUpperCase();
      const earlier = seen.get(key);
      if (earlier !== undefined) throw new BadRow(`${ref} står også i ${rowWord} ${earlier}; kun den første læses`);
      seen.set(key, rec.row);
      const c = rec.cells;
      requests.push({
        edit: { caseRef: ref, status: status(c.handling_status), assignee: text(c.assignee, 'assignee'), note: text(c.note, 'note'), followUp: followUpDate(c.follow_up) },
        by: opts.by,
        source,
        handledAt: handledAt(c.handled_at),
        ...(opts.municipality ? { municipality: opts.municipality } : {}),
      });
    } catch (e) {
      if (!(e instanceof BadRow)) throw e;
      bad.push({ source, caseRef: ref ?? '', reason: e.message });
    }
  }
  return { requests, bad };
}

function refOf(rec: SheetRecord): string | null {
  try {
    return text(rec.cells.case_ref, 'case_ref');
  } catch {
    return null;
  }
}

/**
 * Reads a file and applies its rows. Throws SheetError when the file is no discrepancy sheet at all, SheetLimitError
 * when it is over a limit of limits.ts.
 */
export async function importFile(db: Db, file: string, opts: ImportOptions): Promise<ImportResult> {
  return importSheet(db, await readSheet(file, opts.limits), opts);
}

export async function importSheet(db: Db, sheet: ReadSheet, opts: ImportOptions): Promise<ImportResult> {
  const { requests, bad } = sheetRequests(sheet, opts);
  const outcome = await applyHandling(db, requests, { force: opts.force, now: opts.now, inTransaction: opts.inTransaction });
  const refused = [...bad, ...outcome.refused].sort((a, b) => rowOf(a.source) - rowOf(b.source));
  return { ...outcome, refused, rows: sheet.records.length, bad: bad.length };
}

/** The sheet row at the end of a source ('…, række 7' → 7). */
function rowOf(source: string): number {
  const m = /(\d+)$/.exec(source);
  return m ? Number(m[1]) : 0;
}
