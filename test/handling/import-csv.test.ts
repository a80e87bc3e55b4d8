// afstem import of csv files and of files saved by LibreOffice Calc (FORMATS.md §8): the export's csv, Danish
// Excel's ";" csv with a UTF-8 BOM and decimal commas, Excel's plain Windows-1252 csv, and the committed fixtures of
// test/fixtures/handling/remake.sh (discrepancies.xlsx and the export's csv, edited and saved by Calc). A csv row is
// named by the line where its record starts; a note over two lines moves the next record's line on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Books } from '../helpers/books.ts';
import { importFile } from '../../src/handling/import.ts';
import { csvRecords, readSheet } from '../../src/handling/sheet-read.ts';
import { quoteField } from '../../src/outputs/csv.ts';
import { maskRows, selectExportRows } from '../../src/export/rows.ts';
import { toCsv } from '../../src/export/csv.ts';
import { COLUMN_DA } from '../../src/vocabulary.ts';
import { handlingRows, importBooks } from './import-books.ts';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'handling');
const NOW = new Date('2026-11-26T14:00:00Z');

let b: Books | undefined;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-import-csv-'));
});
afterEach(() => {
  b?.close();
  b = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The export's csv of the open discrepancies, its lines edited by a function of (case_ref, fields). */
async function exportCsv(books: Books, excel: boolean, edit: (fields: string[], header: string[]) => void): Promise<string> {
  const text = toCsv(maskRows(await selectExportRows(books.db, { states: ['new', 'persisting'] }), false), { excel });
  const d = excel ? ';' : ',';
  const [head, ...records] = [...csvRecords(text.replace(/^\uFEFF/, ''), d)].map((r) => r.fields);
  const lines = records.map((f) => {
    edit(f, head);
    return f.map((x) => quoteField(x, d)).join(d);
  });
  return (excel ? '\uFEFF' : '') + [head.join(d), ...lines].join('\r\n') + '\r\n';
}

/** A column's place by its code, or by its Danish header in the --excel csv. */
const DANISH = new Map<string, string>(Object.entries(COLUMN_DA));
const at = (header: string[], key: string) => (header.includes(key) ? header.indexOf(key) : header.indexOf(DANISH.get(key)!));

const set = (f: string[], header: string[], ref: string, cells: Record<string, string>) => {
  if (f[at(header, 'case_ref')] !== ref) return;
  for (const [k, v] of Object.entries(cells)) f[at(header, k)] = v;
};

describe('importing csv', () => {
  it("reads the export's csv by its column codes: status as code or label, dd-mm-åååå dates", async () => {
    b = await importBooks();
    const text = await exportCsv(b, false, (f, h) => {
      set(f, h, 'S-1', { handling_status: 'in_progress', assignee: 'Bo' });
      set(f, h, 'S-2', { handling_status: 'Afventer', follow_up: '03-12-2026' });
    });
    const file = path.join(dir, 'export.csv');
    fs.writeFileSync(file, text);
    const r = await importFile(b.db, file, { by: 'anna', name: 'export.csv', now: NOW });
    expect(r).toEqual({ applied: 2, unchanged: 3, refused: [], conflicts: [], rows: 5, bad: 0 });
    expect((await handlingRows(b)).map((h) => [h.case_ref, h.status, h.assignee, h.follow_up])).toEqual([
      ['S-1', 'in_progress', 'Bo', null],
      ['S-2', 'awaiting', null, '2026-12-03'],
    ]);
  });

  it("reads Danish Excel's csv (BOM, ';', decimal comma) and Excel's plain Windows-1252 csv", async () => {
    b = await importBooks();
    const text = await exportCsv(b, true, (f, h) => {
      set(f, h, 'S-1', { handling_status: 'Forklaret', note: 'Kontant betalt på Østerbro bibliotek' });
    });
    expect(text.startsWith('\uFEFFRegel;Alvor;')).toBe(true); // the Danish headers (FORMATS.md §8)
    expect(text).toContain(';125,00;');
    const utf8 = path.join(dir, 'excel-utf8.csv');
    fs.writeFileSync(utf8, text, 'utf8');
    expect(await importFile(b.db, utf8, { by: 'anna', name: 'excel-utf8.csv', now: NOW })).toMatchObject({ applied: 1, refused: [] });
    // Excel's "CSV (semikolonsepareret)": Windows-1252, no BOM (into fresh books: in these S-1 is handled now)
    b.close();
    b = await importBooks();
    const cp1252 = path.join(dir, 'excel-ansi.csv');
    const ansi = text.replace(/^\uFEFF/, '').replace('Kontant betalt på Østerbro bibliotek', 'Kontant betalt på Ørestad bibliotek');
    // every character of the text is Latin-1, whose code points are their Windows-1252 bytes
    fs.writeFileSync(cp1252, Buffer.from(ansi, 'latin1'));
    expect(await importFile(b.db, cp1252, { by: 'anna', name: 'excel-ansi.csv', now: new Date('2026-11-26T15:00:00Z') }))
      .toMatchObject({ applied: 1, refused: [] });
    expect((await handlingRows(b))[0]).toMatchObject({ case_ref: 'S-1', status: 'explained', note: 'Kontant betalt på Ørestad bibliotek' });
  });

  it('a csv cell beginning with = is a formula (a bad row); one neutralised with a leading apostrophe is text', async () => {
    b = await importBooks();
    const text = await exportCsv(b, false, (f, h) => {
      set(f, h, 'S-1', { handling_status: 'Forklaret', note: '=HYPERLINK("http://x")' });
      set(f, h, 'S-2', { handling_status: 'Forklaret', note: "'=ikke en formel" });
    });
    const file = path.join(dir, 'formula.csv');
    fs.writeFileSync(file, text);
    const r = await importFile(b.db, file, { by: 'anna', name: 'formula.csv', now: NOW });
    expect(r.refused).toEqual([{ source: 'formula.csv, linje 2', caseRef: 'S-1', reason: 'cellen Note er en formel; skriv værdien som tekst' }]);
    expect((await handlingRows(b)).map((h) => [h.case_ref, h.note])).toEqual([['S-2', '=ikke en formel']]);
  });

  it('a file without a Sagsnummer / case_ref column is no discrepancy sheet', async () => {
    const file = path.join(dir, 'other.csv');
    fs.writeFileSync(file, 'a;b\r\n1;2\r\n');
    await expect(readSheet(file)).rejects.toThrow('filen har ingen kolonne Sagsnummer (case_ref)');
  });
});

describe('files saved by LibreOffice Calc (test/fixtures/handling/remake.sh)', () => {
  it('discrepancies.xlsx edited in Calc: typed date, formula cell refused, apostrophe text kept, lastModifiedBy read', async () => {
    b = await importBooks();
    const file = path.join(FIXTURES, 'lo-edited.xlsx');
    expect((await readSheet(file)).lastModifiedBy).toBe('Lise Larsen');
    const r = await importFile(b.db, file, { by: 'Lise Larsen', name: 'lo-edited.xlsx', now: NOW });
    expect(r).toEqual({
      applied: 4, unchanged: 0, conflicts: [], rows: 5, bad: 1,
      refused: [{ source: 'lo-edited.xlsx, række 4', caseRef: 'S-3', reason: 'cellen Note er en formel; skriv værdien som tekst' }],
    });
    expect(await handlingRows(b)).toEqual([
      { case_ref: 'S-1', status: 'in_progress', assignee: 'Lise', note: null, follow_up: null, handled_by: 'Lise Larsen' },
      { case_ref: 'S-2', status: 'awaiting', assignee: null, note: 'biblioteket sender gebyret igen', follow_up: '2026-12-03', handled_by: 'Lise Larsen' },
      { case_ref: 'S-4', status: 'explained', assignee: null, note: '=ikke en formel, borger 010203-XXXX', follow_up: null, handled_by: 'Lise Larsen' },
      { case_ref: 'S-5', status: 'in_progress', assignee: 'Kim', note: null, follow_up: null, handled_by: 'Lise Larsen' },
    ]);
  });

  it("the export's Danish csv edited in Calc: a two-line note, the next record named by the line it starts on", async () => {
    b = await importBooks();
    const r = await importFile(b.db, path.join(FIXTURES, 'lo-edited-excel.csv'), { by: 'lise', name: 'lo-edited-excel.csv', now: NOW });
    expect(r).toEqual({
      applied: 2, unchanged: 2, conflicts: [], rows: 5, bad: 0,
      refused: [{ source: 'lo-edited-excel.csv, linje 5', caseRef: 'S-3', reason: 'status Forklaret kræver en note, der siger hvorfor' }],
    });
    expect((await handlingRows(b)).map((h) => [h.case_ref, h.status, h.assignee, h.note, h.follow_up])).toEqual([
      ['S-1', 'in_progress', 'Lise', null, null],
      ['S-2', 'awaiting', null, 'ringer; "igen" i morgen\nanden linje', '2026-12-03'],
    ]);
  });
});
