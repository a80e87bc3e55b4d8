// Hand-made xlsx files for the reader's tests: the few parts a workbook needs, written as text and zipped by fflate,
// so a test can give a part any content (a bomb, a DTD, a rich-text shared string) that no spreadsheet would write.
import { zipSync, strToU8 } from 'fflate';

const CT = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/></Types>';
const ROOT_RELS = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>';
const WORKBOOK = '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Afvigelser" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';

/** A sheet's XML around its <row> elements. */
export const sheetXml = (rows: string) =>
  `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

/** An inline-string cell. */
export const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${text}</t></is></c>`;

/** The header row of the four editable columns and the case number (A–E). */
export const HEADER_ROW = `<row r="1">${cell('A1', 'Sagsnummer')}${cell('B1', 'Status')}${cell('C1', 'Ansvarlig')}${cell('D1', 'Note')}${cell('E1', 'Opfølgning')}</row>`;

/** An xlsx of the given sheet XML (and optional shared strings and core properties), or any parts given instead. */
export function xlsxBytes(parts: { sheet: string; shared?: string; core?: string | Uint8Array; level?: 0 | 6; backslashes?: boolean }): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(CT),
    '_rels/.rels': strToU8(ROOT_RELS),
    'xl/workbook.xml': strToU8(WORKBOOK),
    'xl/_rels/workbook.xml.rels': strToU8(WORKBOOK_RELS),
    'xl/worksheets/sheet1.xml': strToU8(parts.sheet),
  };
  if (parts.shared !== undefined) files['xl/sharedStrings.xml'] = strToU8(parts.shared);
  if (parts.core !== undefined) files['docProps/core.xml'] = typeof parts.core === 'string' ? strToU8(parts.core) : parts.core;
  // a zip made by some Windows tools names its parts with backslashes
  const named = parts.backslashes ? Object.fromEntries(Object.entries(files).map(([k, v]) => [k.replace(/\//g, '\\'), v])) : files;
  return zipSync(named, { level: parts.level ?? 6 });
}

/** docProps/core.xml naming who last modified the workbook, after `padding` bytes of white space. */
export function coreXml(by: string, padding = 0): Uint8Array {
  const head = strToU8('<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties">');
  const tail = strToU8(`<cp:lastModifiedBy>${by}</cp:lastModifiedBy></cp:coreProperties>`);
  const out = new Uint8Array(head.length + padding + tail.length);
  out.set(head, 0);
  out.fill(32, head.length, head.length + padding);
  out.set(tail, head.length + padding);
  return out;
}
