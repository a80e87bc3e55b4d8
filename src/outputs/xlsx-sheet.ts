// One sheet of rows written as an xlsx file, directly as SpreadsheetML in a zip (node's zlib): tens of thousands of
// rows in well under a second, where exceljs's writers take many seconds (its per-cell style objects). The file holds
// what a spreadsheet needs and nothing else: a bold, frozen header row, column widths, number formats (amounts,
// date-times, dates), an autofilter, and one list validation (the drop-down of statuses) over the whole column range.
// Text cells are inline strings (`t="inlineStr"`): a text cell, never a formula; a character XML cannot hold is
// written as Excel writes it (`_x001B_`), and a text beyond Excel's 32,767 characters a cell is cut. Deterministic
// bytes for the same rows.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { promisify } from 'node:util';

const deflateRaw = promisify(zlib.deflateRaw);

export interface SheetColumn {
  header: string;
  key: string;
  width: number;
  /** A number format for the column's number and date cells (amounts, date-times, dates). */
  numFmt?: string;
}

export interface SheetSpec {
  sheetName: string;
  columns: readonly SheetColumn[];
  /** A drop-down (list validation) over the column `key`, rows 2 to the last (at least row 2). */
  dropDown?: { key: string; values: readonly string[]; title: string; error: string };
}

export type SheetCell = string | number | Date | null;

/** The spreadsheet column letters of a 1-based column number (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** XML text: escaped, and characters XML 1.0 cannot hold (control characters but tab, LF, CR) left out. */
export function xmlText(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Excel's limit for the text of one cell (a longer one makes Excel call the workbook damaged). */
export const MAX_CELL_CHARS = 32_767;
/** How a text cut at MAX_CELL_CHARS ends. */
export const CELL_CUT_MARK = '…[afkortet]';

// a control character XML cannot hold (all but tab and LF; CR too, which XML reads as LF), U+FFFE, U+FFFF, a lone
// surrogate, or an underscore that would read as the start of an escape
// eslint-disable-next-line no-control-regex
const NOT_XML = /_(?=x[0-9A-Fa-f]{4}_)|[\u0000-\u0008\u000b-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A cell's text as OOXML holds it (ST_Xstring, as Excel writes it): each character XML cannot hold as `_xHHHH_`
 * (a CR as `_x000D_`), and an underscore that would start such an escape as `_x005F_`, so the text reads back as it
 * was (src/handling/xlsx-read.ts); cut at MAX_CELL_CHARS, ending in CELL_CUT_MARK.
 */
export function cellXstring(s: string): string {
  let t = s;
  if (t.length > MAX_CELL_CHARS) {
    let cut = MAX_CELL_CHARS - CELL_CUT_MARK.length;
    const c = t.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--; // not between the halves of a character
    t = t.slice(0, cut) + CELL_CUT_MARK;
  }
  return t.replace(NOT_XML, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

/** A Date (its UTC fields the wall time) as a spreadsheet serial day number (1900 date system). */
export function serial(d: Date): number {
  return d.getTime() / 86_400_000 + 25_569;
}

/**
 * serial() as the cell's text: at most 9 decimals (86 µs, within half a millisecond of the instant, so a reader
 * rounding to the millisecond gets it back), trailing zeros dropped. A double's shortest text has up to 11 digits
 * after the point, and 10 of them can form a CPR-shaped run: 02:10:07 on 7 December 2026 was written
 * 46363.0903587963 (FORMATS.md §5: no output holds a whole CPR number).
 */
export function serialText(d: Date): string {
  return serial(d).toFixed(9).replace(/\.?0+$/, '');
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function styles(formats: string[]): string {
  const numFmts = formats.map((f, i) => `<numFmt numFmtId="${164 + i}" formatCode="${xmlText(f)}"/>`).join('');
  const xfs = formats.map((_, i) => `<xf numFmtId="${164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`).join('');
  return `${XML}<styleSheet xmlns="${NS}">` +
    (formats.length ? `<numFmts count="${formats.length}">${numFmts}</numFmts>` : '') +
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${2 + formats.length}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
    `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>${xfs}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';
}

/** How each column's number and date cells are styled: its style index (2 + its number format's), or none. */
function cellStyles(spec: SheetSpec): { formats: string[]; styleOf: (number | undefined)[] } {
  const formats = [...new Set(spec.columns.map((c) => c.numFmt).filter((f): f is string => !!f))];
  return { formats, styleOf: spec.columns.map((c) => (c.numFmt ? 2 + formats.indexOf(c.numFmt) : undefined)) };
}

const textCell = (ref: string, s: string, style = '') =>
  `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${xmlText(cellXstring(s))}</t></is></c>`;

/** The sheet's XML before its data rows, for `n` data rows: the dimension, the frozen pane, the widths, the header. */
function sheetHead(spec: SheetSpec, n: number): string {
  const cols = spec.columns;
  const letters = cols.map((_, i) => columnLetter(i + 1));
  return `${XML}<worksheet xmlns="${NS}" xmlns:r="${REL}"><dimension ref="A1:${letters[cols.length - 1]}${n + 1}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${cols.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('')}</cols>` +
    `<sheetData><row r="1">${cols.map((c, i) => textCell(`${letters[i]}1`, c.header, ' s="1"')).join('')}</row>`;
}

/** The XML of data rows, the first of them the sheet's row `first`. */
function rowsXml(spec: SheetSpec, rows: Iterable<Record<string, SheetCell>>, first: number, styleOf: (number | undefined)[]): string {
  const cols = spec.columns;
  const letters = cols.map((_, i) => columnLetter(i + 1));
  let out = '';
  let r = first - 1;
  for (const row of rows) {
    r++;
    let cells = '';
    for (let i = 0; i < cols.length; i++) {
      const v = row[cols[i].key];
      if (v === null || v === undefined || v === '') continue;
      const ref = `${letters[i]}${r}`;
      const s = styleOf[i] === undefined ? '' : ` s="${styleOf[i]}"`;
      if (typeof v === 'number') cells += Number.isFinite(v) ? `<c r="${ref}"${s}><v>${v}</v></c>` : '';
      else if (v instanceof Date) cells += `<c r="${ref}"${s}><v>${serialText(v)}</v></c>`;
      else cells += textCell(ref, v);
    }
    out += `<row r="${r}">${cells}</row>`;
  }
  return out;
}

/** The sheet's XML after its `n` data rows: the autofilter, the drop-down, the margins. */
function sheetTail(spec: SheetSpec, n: number): string {
  const cols = spec.columns;
  const letters = cols.map((_, i) => columnLetter(i + 1));
  const r = n + 1;
  let validation = '';
  if (spec.dropDown) {
    const dd = spec.dropDown;
    const col = cols.findIndex((c) => c.key === dd.key);
    if (col < 0) throw new Error(`no column ${dd.key} for the drop-down`);
    const range = `${letters[col]}2:${letters[col]}${Math.max(r, 2)}`;
    validation = `<dataValidations count="1"><dataValidation type="list" allowBlank="0" showErrorMessage="1" ` +
      `errorTitle="${xmlText(dd.title)}" error="${xmlText(dd.error)}" sqref="${range}">` +
      `<formula1>${xmlText(`"${dd.values.join(',')}"`)}</formula1></dataValidation></dataValidations>`;
  }
  return `</sheetData><autoFilter ref="A1:${letters[cols.length - 1]}${r}"/>${validation}` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
}

/** A zip entry's local header (30 bytes and the name) and central directory record (46 bytes and the name). */
export function zipHeaders(name: string, crc: number, packedSize: number, size: number, offset: number): { local: Buffer; central: Buffer } {
  const fname = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(30);
  head.writeUInt32LE(0x04034b50, 0);
  head.writeUInt16LE(20, 4);
  head.writeUInt16LE(0x0800, 6); // UTF-8 names
  head.writeUInt16LE(8, 8);
  head.writeUInt16LE(0, 10);
  head.writeUInt16LE(0x21, 12); // 1980-01-01
  head.writeUInt32LE(crc, 14);
  head.writeUInt32LE(packedSize, 18);
  head.writeUInt32LE(size, 22);
  head.writeUInt16LE(fname.length, 26);
  head.writeUInt16LE(0, 28);
  const dir = Buffer.alloc(46);
  dir.writeUInt32LE(0x02014b50, 0);
  dir.writeUInt16LE(20, 4);
  dir.writeUInt16LE(20, 6);
  dir.writeUInt16LE(0x0800, 8);
  dir.writeUInt16LE(8, 10);
  dir.writeUInt16LE(0, 12);
  dir.writeUInt16LE(0x21, 14);
  dir.writeUInt32LE(crc, 16);
  dir.writeUInt32LE(packedSize, 20);
  dir.writeUInt32LE(size, 24);
  dir.writeUInt16LE(fname.length, 28);
  dir.writeUInt32LE(offset, 42);
  return { local: Buffer.concat([head, fname]), central: Buffer.concat([dir, fname]) };
}

/** The zip's end of central directory record. */
export function zipEnd(count: number, centralSize: number, centralOffset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  return end;
}

/**
 * A zip of the entries, deflated, with a fixed timestamp (1980-01-01) so the same content gives the same bytes. The
 * deflating runs on libuv's thread pool, so the caller's thread can go on with other work meanwhile.
 */
export async function zip(entries: [string, string][]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8');
    const packed = await deflateRaw(data, { level: 6 });
    const h = zipHeaders(name, zlib.crc32(data), packed.length, data.length, offset);
    locals.push(h.local, packed);
    central.push(h.central);
    offset += h.local.length + packed.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([...locals, ...central, zipEnd(entries.length, size, offset)]);
}

/** The name of the sheet's entry, the workbook's last. */
export const SHEET_ENTRY = 'xl/worksheets/sheet1.xml';

/** The workbook's entries before its sheet, for a sheet of `n` data rows. */
export function workbookEntries(spec: SheetSpec, n: number): [string, string][] {
  const name = xmlText(spec.sheetName);
  const last = columnLetter(spec.columns.length);
  const sheetRef = `'${spec.sheetName.replace(/'/g, "''")}'`;
  return [
    ['[Content_Types].xml', `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'],
    ['_rels/.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'],
    ['docProps/core.xml', `${XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
      'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>afstem</dc:creator></cp:coreProperties>'],
    ['xl/workbook.xml', `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews>` +
      `<sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets><definedNames>` +
      `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${xmlText(sheetRef)}!$A$1:$${last}$${n + 1}</definedName>` +
      '</definedNames></workbook>'],
    ['xl/_rels/workbook.xml.rels', `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
      `<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`],
    ['xl/styles.xml', styles(cellStyles(spec).formats)],
  ];
}

/** The pieces a streamed sheet is written from (./sheet-file.ts): its XML before, between and after the rows. */
export const sheetParts = { head: sheetHead, rows: rowsXml, tail: sheetTail, styles: (spec: SheetSpec) => cellStyles(spec).styleOf };

export async function writeSheet(file: string, spec: SheetSpec, rows: Iterable<Record<string, SheetCell>>): Promise<number> {
  const list = [...rows];
  const xml = sheetHead(spec, list.length) + rowsXml(spec, list, 2, cellStyles(spec).styleOf) + sheetTail(spec, list.length);
  await fs.promises.writeFile(file, await zip([...workbookEntries(spec, list.length), [SHEET_ENTRY, xml]]));
  return list.length;
}
