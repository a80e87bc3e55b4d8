// Reading the rows of an xlsx within bounds (FORMATS.md §8, README "Bad input"): the parts are inflated step by step
// (zip-read.ts) under one budget for the whole workbook and scanned as they come (xml-scan.ts), so neither a sheet of
// millions of rows nor a part that inflates to gigabytes is ever held whole; the caller sees each row's cells and may
// leave a sheet or stop. Text is read as Excel writes it: shared or inline strings (rich text joined, phonetic runs
// left out), `_xHHHH_` escapes decoded (how a cell holds a control character or a carriage return), numbers, dates
// (a number in a date format, by the workbook's styles, 1900 or 1904 system), booleans and errors; a cell with a
// formula is a formula whatever its cached value. docProps/core.xml (who last modified it) is read through the same
// budget and at most `corePropsBytes` of it: beyond that the author is unknown.
import path from 'node:path';
import { SheetError, SheetLimitError, danishBytes, danishInt, type HandlingLimits } from './limits.ts';
import { attr, attrsOf, XmlError, XmlLimitError, XmlScanner, type XmlHandler } from './xml-scan.ts';
import { inflatePart, ZipBudgetError, ZipError, zipParts, type Budget, type ZipPart } from './zip-read.ts';

export type SheetValue =
  | { kind: 'text'; text: string }
  | { kind: 'number'; n: number }
  | { kind: 'date'; d: Date }
  | { kind: 'formula' }
  | { kind: 'other'; text: string };

/** One cell: its 0-based column and value. */
export interface XlsxCell {
  col: number;
  value: SheetValue;
}

/** What the caller does after a row: go on, leave this sheet for the next, or stop reading sheets. */
export type RowAnswer = 'next' | 'leave-sheet' | 'stop';
export type RowVisitor = (sheet: number, row: number, cells: XlsxCell[]) => RowAnswer;

/** The `_xHHHH_` escapes of OOXML text (ST_Xstring) decoded: `_x000D_` is a carriage return, `_x005F_` an underscore. */
export function decodeXstring(s: string): string {
  return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}

/** Built-in number formats that are dates or times (ECMA-376 §18.8.30, with the East Asian ones). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom format code that shows a date or time (quoted text and [colour]/[$-locale] sections aside). */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '').replace(/\\./g, '');
  return /[ymdhsb]/i.test(bare.replace(/General/gi, ''));
}

/** An Excel serial day number → the Date whose UTC fields are its wall time. */
export function excelDate(n: number, date1904: boolean): Date {
  return new Date(Math.round((n - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

const stop = Symbol('stop reading this part');

class PartReader {
  readonly budget: Budget;
  constructor(private readonly bytes: Uint8Array, private readonly parts: Map<string, ZipPart>, private readonly limits: HandlingLimits) {
    this.budget = { left: limits.inflatedBytes, total: limits.inflatedBytes };
  }

  has(name: string): boolean {
    return this.parts.has(name);
  }

  /**
   * Scans a part with the handler; `limit` cuts it quietly (returns false), `cap` is a budget of its own for this part
   * (within the whole's). A handler may throw `stop`.
   */
  scan(name: string, h: XmlHandler, opts: { limit?: number; cap?: number } = {}): boolean {
    const part = this.parts.get(name);
    if (!part) return true;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const scanner = new XmlScanner(h, this.limits.xmlTokenChars);
    const own = opts.cap === undefined ? null : { left: Math.min(opts.cap, this.budget.left), total: opts.cap };
    const ownIsTighter = opts.cap !== undefined && opts.cap < this.budget.left;
    const budget = own ?? this.budget;
    const before = budget.left;
    try {
      const whole = inflatePart(this.bytes, part, (chunk) => scanner.push(decoder.decode(chunk, { stream: true })), budget, opts.limit);
      if (!whole) return false;
      scanner.push(decoder.decode());
      scanner.end();
      return true;
    } catch (e) {
      if (e === stop) return true;
      if (e instanceof ZipBudgetError) {
        if (ownIsTighter) {
          throw new SheetLimitError(`filen har delte tekster (${name}), der fylder udpakket mere end ${danishBytes(opts.cap!)} (grænsen for en xlsx); den er ikke læst`);
        }
        throw new SheetLimitError(`filen fylder udpakket mere end ${danishBytes(this.limits.inflatedBytes)} (grænsen for en xlsx); den er ikke læst`);
      }
      if (e instanceof XmlLimitError) {
        throw new SheetLimitError(`filen har i ${name} en celle eller et mærke på mere end ${danishInt(this.limits.xmlTokenChars)} tegn (grænsen for en xlsx); den er ikke læst`);
      }
      if (e instanceof ZipError) throw new SheetError(`filen kan ikke læses som xlsx: ${e.message}`);
      if (e instanceof XmlError) throw new SheetError(`filen kan ikke læses som xlsx: ${name}: ${e.message}`);
      if (e instanceof TypeError && /encoded data was not valid/i.test(e.message)) {
        throw new SheetError(`filen kan ikke læses som xlsx: ${name} er ikke gyldig UTF-8`);
      }
      throw e;
    } finally {
      if (own) this.budget.left -= before - own.left;
    }
  }
}

/** Relationships of a part: Id → { type, target resolved against the part's folder }. */
function relationships(reader: PartReader, relsName: string, base: string): Map<string, { type: string; target: string }> {
  const out = new Map<string, { type: string; target: string }>();
  reader.scan(relsName, {
    open(name, attrs) {
      if (name !== 'Relationship') return;
      const target = attr(attrs, 'Target');
      const id = attr(attrs, 'Id');
      if (!target || !id || attr(attrs, 'TargetMode') === 'External') return;
      const resolved = target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(base, target));
      out.set(id, { type: attr(attrs, 'Type') ?? '', target: resolved });
    },
  });
  return out;
}

const byType = (rels: Map<string, { type: string; target: string }>, suffix: string) =>
  [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;

/** The workbook's sheets in order, its shared strings, which styles are dates, and the date system. */
function workbookModel(reader: PartReader) {
  const root = relationships(reader, '_rels/.rels', '');
  const workbook = byType(root, '/officeDocument') ?? 'xl/workbook.xml';
  if (!reader.has(workbook)) throw new SheetError('filen kan ikke læses som xlsx: den har ingen projektmappe (xl/workbook.xml)');
  const dir = path.posix.dirname(workbook);
  const rels = relationships(reader, path.posix.join(dir, '_rels', `${path.posix.basename(workbook)}.rels`), dir);
  const sheetIds: string[] = [];
  let date1904 = false;
  reader.scan(workbook, {
    open(name, attrs) {
      if (name === 'sheet') {
        const id = attr(attrs, 'id');
        if (id) sheetIds.push(id);
      } else if (name === 'workbookPr') date1904 = /^(1|true)$/.test(attr(attrs, 'date1904') ?? '');
    },
  });
  const sheets = sheetIds.map((id) => rels.get(id)?.target).filter((t): t is string => t !== undefined && reader.has(t));
  return { sheets, date1904, styles: byType(rels, '/styles'), shared: byType(rels, '/sharedStrings'), core: byType(root, '/core-properties') ?? 'docProps/core.xml' };
}

/** Which cell styles (cellXfs index) show a date. */
function dateStyles(reader: PartReader, name: string | undefined): Set<number> {
  const custom = new Map<number, string>();
  const xfs: number[] = [];
  let inCellXfs = false;
  if (name) {
    reader.scan(name, {
      open(n, attrs) {
        if (n === 'numFmt') custom.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
        else if (n === 'cellXfs') inCellXfs = true;
        else if (n === 'xf' && inCellXfs) xfs.push(Number(attr(attrs, 'numFmtId') ?? 0));
      },
      close(n) {
        if (n === 'cellXfs') inCellXfs = false;
      },
    });
  }
  const out = new Set<number>();
  xfs.forEach((id, i) => {
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id)) out.add(i);
  });
  return out;
}

/**
 * The shared strings: the text of each <si>, its runs joined, phonetic runs (<rPh>) left out. Held in memory while
 * the sheet is read, so bounded on their own: sharedStringsBytes inflated, sharedStrings of them.
 */
function sharedStrings(reader: PartReader, name: string | undefined, limits: HandlingLimits): string[] {
  const out: string[] = [];
  if (!name) return out;
  let text: string[] | null = null;
  let inT = false;
  let phonetic = 0;
  reader.scan(name, {
    open(n) {
      if (n === 'si') text = [];
      else if (n === 'rPh') phonetic++;
      else if (n === 't' && !phonetic) inT = true;
    },
    close(n) {
      if (n === 't') inT = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'si' && text) {
        if (out.length >= limits.sharedStrings) {
          throw new SheetLimitError(`filen har mere end ${danishInt(limits.sharedStrings)} delte tekster (grænsen for en xlsx); den er ikke læst`);
        }
        out.push(decodeXstring(text.join('')));
        text = null;
      }
    },
    text(t) {
      if (inT && text) text.push(t);
    },
  }, { cap: limits.sharedStringsBytes });
  return out;
}

/** A column's letters ('AB' of 'AB12') → 0-based index, or -1. */
function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) & ~32;
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return i === 0 ? -1 : n - 1;
}

/** Reads the sheets in the workbook's order, handing each row to `visit`; returns the workbook's last-modified-by. */
export function readWorkbook(bytes: Uint8Array, limits: HandlingLimits, visit: RowVisitor): { lastModifiedBy: string | null; corePropsCut: boolean } {
  let parts: Map<string, ZipPart>;
  try {
    parts = zipParts(bytes);
  } catch (e) {
    if (e instanceof ZipError) throw new SheetError(`filen kan ikke læses som xlsx: ${e.message}`);
    throw e;
  }
  const reader = new PartReader(bytes, parts, limits);
  const model = workbookModel(reader);
  const dates = dateStyles(reader, model.styles);
  const shared = sharedStrings(reader, model.shared, limits);
  let done = false;
  for (let s = 0; s < model.sheets.length && !done; s++) {
    let rowNo = 0;
    let cells: XlsxCell[] = [];
    let col = -1;
    let cell: { col: number; t: string; s: number; formula: boolean; text: string[] | null; phonetic: number; inText: boolean } | null = null;
    reader.scan(model.sheets[s], {
      open(n, attrs) {
        if (n === 'row') {
          const r = Number(attr(attrs, 'r') ?? NaN);
          rowNo = Number.isInteger(r) && r > 0 ? r : rowNo + 1;
          cells = [];
          col = -1;
        } else if (n === 'c') {
          const a = attrsOf(attrs);
          const at = a.r === undefined ? -1 : columnIndex(a.r);
          col = at >= 0 ? at : col + 1;
          cell = { col, t: a.t ?? 'n', s: Number(a.s ?? 0), formula: false, text: null, phonetic: 0, inText: false };
        } else if (cell) {
          if (n === 'f') cell.formula = true;
          else if (n === 'rPh') cell.phonetic++;
          else if ((n === 'v' || n === 't') && !cell.phonetic) {
            cell.text ??= [];
            cell.inText = true;
          }
        }
      },
      close(n) {
        if (n === 'c' && cell) {
          const v = cellValue(cell, shared, dates, model.date1904);
          if (v) cells.push({ col: cell.col, value: v });
          cell = null;
        } else if (n === 'row') {
          const answer = visit(s, rowNo, cells);
          if (answer === 'stop') done = true;
          if (answer !== 'next') throw stop;
        } else if (cell) {
          if (n === 'v' || n === 't') cell.inText = false;
          else if (n === 'rPh') cell.phonetic--;
        }
      },
      text(t) {
        if (cell?.inText) cell.text!.push(t);
      },
    });
  }
  return coreProps(reader, model.core, limits);
}

function cellValue(c: { t: string; s: number; formula: boolean; text: string[] | null }, shared: string[], dates: Set<number>, date1904: boolean): SheetValue | undefined {
  if (c.formula) return { kind: 'formula' };
  if (c.text === null) return undefined;
  const raw = c.text.join('');
  switch (c.t) {
    case 's': {
      const text = shared[Number(raw)];
      return text === undefined || text === '' ? undefined : { kind: 'text', text };
    }
    case 'inlineStr':
    case 'str': {
      const text = decodeXstring(raw);
      return text === '' ? undefined : { kind: 'text', text };
    }
    case 'b':
      return { kind: 'other', text: raw.trim() === '1' ? 'true' : 'false' };
    case 'e':
      return { kind: 'other', text: raw };
    case 'd': {
      const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) ? raw : `${raw}Z`);
      return Number.isNaN(d.getTime()) ? { kind: 'other', text: raw } : { kind: 'date', d };
    }
    default: {
      if (raw.trim() === '') return undefined;
      const n = Number(raw);
      if (!Number.isFinite(n)) return { kind: 'other', text: raw };
      return dates.has(c.s) ? { kind: 'date', d: excelDate(n, date1904) } : { kind: 'number', n };
    }
  }
}

/** docProps/core.xml's `lastModifiedBy`, read to at most corePropsBytes (beyond: unknown, corePropsCut). */
function coreProps(reader: PartReader, name: string, limits: HandlingLimits): { lastModifiedBy: string | null; corePropsCut: boolean } {
  let inBy = false;
  let by: string[] | null = null;
  let whole = true;
  try {
    whole = reader.scan(name, {
      open(n) {
        if (n === 'lastModifiedBy') (inBy = true), (by = []);
      },
      close(n) {
        if (n === 'lastModifiedBy') {
          inBy = false;
          throw stop;
        }
      },
      text(t) {
        if (inBy) by!.push(t);
      },
    }, { limit: limits.corePropsBytes });
  } catch (e) {
    // a broken or overlong core.xml: the author is unknown (the sheet itself was read)
    if (!(e instanceof SheetError)) throw e;
    return { lastModifiedBy: null, corePropsCut: e instanceof SheetLimitError };
  }
  const v = by === null || inBy ? '' : (by as string[]).join('').trim();
  return { lastModifiedBy: v === '' ? null : v, corePropsCut: !whole && v === '' };
}
