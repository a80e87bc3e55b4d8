// Reading a handling file within bounds (issue 22, src/handling/limits.ts): a sheet over the row limit, a file over
// the size limit, an xlsx whose parts inflate beyond the budget, a cell longer than any spreadsheet writes, and a
// core.xml that inflates far (who last modified it), shared strings beyond what is held in memory are refused or cut
// without being read whole; a Windows-1252 csv
// keeps € – “ ”; text comes back from an xlsx as it was written. Each test failed on the code before issue 22
// (checked there: exceljs and our own zip code read every file whole, a 200,001-row csv and a 129 MiB file were read,
// Latin-1 turned 0x80–0x9F into control characters, core.xml's author was found after 20 MB of padding, and exceljs
// decoded an inline string's entities twice, "&lt;" coming back as "<").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSheet, SheetLimitError } from '../../src/handling/sheet-read.ts';
import { HANDLING_LIMITS } from '../../src/handling/limits.ts';
import { cell, coreXml, HEADER_ROW, sheetXml, xlsxBytes } from '../helpers/xlsx-parts.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-read-bounds-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, bytes: Uint8Array | string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};
const rows = (n: number, from = 2) => Array.from({ length: n }, (_x, i) => `<row r="${from + i}">${cell(`A${from + i}`, `S-${i + 1}`)}${cell(`B${from + i}`, 'I gang')}</row>`).join('');

describe('a csv', () => {
  it('saved by Danish Excel in Windows-1252 keeps € – “ ” (bytes 0x80, 0x96, 0x93, 0x94) and æøå', async () => {
    const ascii = (s: string) => [...Buffer.from(s, 'latin1')];
    const bytes = Buffer.from([
      ...ascii('Sagsnummer;Status;Ansvarlig;Note;Opfølgning\r\n'),
      ...ascii('S-1;Forklaret;Åse;betalt 5 '), 0x80, ...ascii(' '), 0x96, ...ascii(' '), 0x93, ...ascii('kontant'), 0x94, ...ascii(' på Ørestad;\r\n'),
    ]);
    const sheet = await readSheet(file('excel-ansi.csv', bytes));
    expect(sheet.records[0].cells.note).toEqual({ kind: 'text', text: 'betalt 5 € – “kontant” på Ørestad' });
    expect(sheet.records[0].cells.assignee).toEqual({ kind: 'text', text: 'Åse' });
  });

  it(`of 125,000 rows reads whole; one row over the limit (${HANDLING_LIMITS.rows.toLocaleString('en')}) is refused, naming it`, async () => {
    const csv = (n: number) => 'Sagsnummer;Status;Ansvarlig;Note;Opfølgning\r\n' + Array.from({ length: n }, (_x, i) => `S-${i + 1};I gang;;;\r\n`).join('');
    expect((await readSheet(file('fyld.csv', csv(125_000)))).records).toHaveLength(125_000);
    const over = readSheet(file('for-mange.csv', csv(HANDLING_LIMITS.rows + 1)));
    await expect(over).rejects.toBeInstanceOf(SheetLimitError);
    await expect(over).rejects.toThrow('filen har mere end 200.000 rækker (grænsen for et ark); den er ikke læst');
    // the same through a smaller limit (the tests' option)
    await expect(readSheet(file('lille.csv', csv(11)), { ...HANDLING_LIMITS, rows: 10 })).rejects.toThrow('mere end 10 rækker');
  });

  it('over the size limit is not read at all (a sparse file of 129 MiB)', async () => {
    const p = path.join(dir, 'stor.csv');
    fs.writeFileSync(p, 'Sagsnummer;Status\r\n');
    fs.truncateSync(p, HANDLING_LIMITS.fileBytes + 1024 * 1024);
    const r = readSheet(p);
    await expect(r).rejects.toBeInstanceOf(SheetLimitError);
    await expect(r).rejects.toThrow('filen er større end 128 MiB (grænsen for en fil i behandlingsmappen); den er ikke læst');
  });
});

describe('an xlsx', () => {
  it('with one row over the limit is refused after that row, not read to its end', async () => {
    const x = file('fyld.xlsx', xlsxBytes({ sheet: sheetXml(HEADER_ROW + rows(HANDLING_LIMITS.rows + 1)) }));
    await expect(readSheet(x)).rejects.toThrow('filen har mere end 200.000 rækker (grænsen for et ark); den er ikke læst');
  });

  it('whose parts inflate beyond the budget is refused, whatever sizes its directory declares', async () => {
    // a million empty rows: 15 MB of XML from a few kilobytes, none of them a data row
    const empty = Array.from({ length: 1_000_000 }, () => '<row/>').join('');
    const x = file('bombe.xlsx', xlsxBytes({ sheet: sheetXml(HEADER_ROW + empty + rows(3)) }));
    expect(fs.statSync(x).size).toBeLessThan(100_000);
    expect((await readSheet(x)).records).toHaveLength(3); // within the default budget
    const small = { ...HANDLING_LIMITS, inflatedBytes: 4 * 1024 * 1024 };
    const r = readSheet(x, small);
    await expect(r).rejects.toBeInstanceOf(SheetLimitError);
    await expect(r).rejects.toThrow('filen fylder udpakket mere end 4 MiB (grænsen for en xlsx); den er ikke læst');
  });

  it('whose shared strings are more, or inflate to more, than is held in memory is refused', async () => {
    const sst = (n: number) => `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>a</t></si>'.repeat(n)}</sst>`;
    const sheet = sheetXml(`${HEADER_ROW}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`);
    const x = file('delte.xlsx', xlsxBytes({ sheet, shared: sst(HANDLING_LIMITS.sharedStrings + 1) }));
    await expect(readSheet(x)).rejects.toThrow('filen har mere end 4.000.000 delte tekster (grænsen for en xlsx); den er ikke læst');
    const small = { ...HANDLING_LIMITS, sharedStringsBytes: 1024 * 1024 };
    await expect(readSheet(file('lidt.xlsx', xlsxBytes({ sheet, shared: sst(70_000) })), small))
      .rejects.toThrow('filen har delte tekster (xl/sharedStrings.xml), der fylder udpakket mere end 1 MiB (grænsen for en xlsx)');
    expect((await readSheet(file('lidt.xlsx', xlsxBytes({ sheet, shared: sst(70_000) })))).records).toHaveLength(1);
  });

  it('with a cell of 2 MiB of text is refused; a DTD (entity expansion) is not read', async () => {
    const x = file('celle.xlsx', xlsxBytes({ sheet: sheetXml(`${HEADER_ROW}<row r="2">${cell('A2', 'S-1')}${cell('D2', 'x'.repeat(2 * 1024 * 1024))}</row>`) }));
    await expect(readSheet(x)).rejects.toThrow('filen har i xl/worksheets/sheet1.xml en celle eller et mærke på mere end 1.048.576 tegn (grænsen for en xlsx)');
    // (the DTD was refused before issue 22 as well, by exceljs's parser; kept here as a guard)
    const dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>';
    const y = file('dtd.xlsx', xlsxBytes({ sheet: dtd + sheetXml(`${HEADER_ROW}<row r="2">${cell('A2', 'S-1')}${cell('D2', '&b;')}</row>`).replace(/^<\?xml[^>]*>/, '') }));
    await expect(readSheet(y)).rejects.toThrow('DOCTYPE');
  });

  it('whose core.xml inflates beyond its limit has an unknown author; the sheet is read', async () => {
    const sheet = sheetXml(`${HEADER_ROW}<row r="2">${cell('A2', 'S-1')}${cell('B2', 'I gang')}</row>`);
    const ok = await readSheet(file('ok.xlsx', xlsxBytes({ sheet, core: coreXml('Lise Larsen') })));
    expect([ok.lastModifiedBy, ok.corePropsCut]).toEqual(['Lise Larsen', false]);
    const bomb = await readSheet(file('core.xlsx', xlsxBytes({ sheet, core: coreXml('Mallory', 20 * 1024 * 1024) })));
    expect(bomb.records).toHaveLength(1);
    expect([bomb.lastModifiedBy, bomb.corePropsCut]).toEqual([null, true]);
  });

  it('whose parts are named with backslashes (zipped on Windows) is read', async () => {
    const sheet = sheetXml(`${HEADER_ROW}<row r="2">${cell('A2', 'S-1')}${cell('B2', 'I gang')}</row>`);
    const s = await readSheet(file('windows.xlsx', xlsxBytes({ sheet, backslashes: true })));
    expect(s.records.map((r) => r.cells.case_ref)).toEqual([{ kind: 'text', text: 'S-1' }]);
  });

  it('gives text back as written: entities once, _xHHHH_ escapes, rich text joined, phonetic runs left out', async () => {
    const shared = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<si><t>S-2</t></si><si><r><t>ringet </t></r><r><rPr><b/></rPr><t>to gange</t></r><rPh><t>フリガナ</t></rPh></si></sst>';
    const sheet = sheetXml(HEADER_ROW +
      `<row r="2">${cell('A2', 'S-1')}${cell('B2', 'Forklaret')}${cell('D2', 'AT&amp;amp;T &amp;lt;b&amp;gt; _x001B_]0;x_x0007_ a_x000D_b _x005F_x0041_')}</row>` +
      '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="inlineStr"><is><t>Forklaret</t></is></c><c r="D3" t="s"><v>1</v></c></row>');
    const s = await readSheet(file('tekst.xlsx', xlsxBytes({ sheet, shared, level: 0 })));
    expect(s.records.map((r) => r.cells.note)).toEqual([
      { kind: 'text', text: 'AT&amp;T &lt;b&gt; \u001b]0;x\u0007 a\rb _x0041_' },
      { kind: 'text', text: 'ringet to gange' },
    ]);
    expect(s.records[1].cells.case_ref).toEqual({ kind: 'text', text: 'S-2' });
  });
});
