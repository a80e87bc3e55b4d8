// afstem import of discrepancies.xlsx (FORMATS.md §8): only the four editable cells count, a row equal to the
// database is no change, bad rows (a formula cell included) are listed with their sheet row and a Danish reason while
// the good rows apply, a row changed in the database after its handled_at is a conflict unless --force, and the same
// file twice changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Books } from '../helpers/books.ts';
import { writeDiscrepanciesXlsx } from '../../src/outputs/discrepancies-xlsx.ts';
import { importFile } from '../../src/handling/import.ts';
import { readSheet } from '../../src/handling/sheet-read.ts';
import { writeXlsx } from '../../src/export/xlsx.ts';
import { maskRows, selectExportRows } from '../../src/export/rows.ts';
import { editXlsx, handlingRows, importBooks, nextNight } from './import-books.ts';

let b: Books | undefined;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-import-xlsx-'));
});
afterEach(() => {
  b?.close();
  b = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-11-26T14:00:00Z');

/** The books' discrepancies.xlsx as the run writes it; returns the sheet's path. */
async function sheetOf(books: Books): Promise<string> {
  const x = path.join(dir, 'discrepancies.xlsx');
  await writeDiscrepanciesXlsx(books.db, x);
  return x;
}

describe('importing discrepancies.xlsx', () => {
  it('applies the edited rows, leaves the unedited ones unchanged, and a second import changes nothing', async () => {
    b = await importBooks();
    const x = await sheetOf(b);
    const edited = path.join(dir, 'uge48.xlsx');
    await editXlsx(x, edited, {
      2: { status: 'I gang', assignee: 'Bo' },
      3: { status: 'Afventer', followUp: new Date(Date.UTC(2026, 11, 3)), note: 'biblioteket sender igen' },
      4: { status: 'explained', note: 'kontant betalt, borger 010203-1234' },
    });
    const r = await importFile(b.db, edited, { by: 'anna', name: 'uge48.xlsx', now: NOW });
    expect(r).toEqual({ applied: 3, unchanged: 2, refused: [], conflicts: [], rows: 5, bad: 0 });
    expect(await handlingRows(b)).toEqual([
      { case_ref: 'S-1', status: 'in_progress', assignee: 'Bo', note: null, follow_up: null, handled_by: 'anna' },
      { case_ref: 'S-2', status: 'awaiting', assignee: null, note: 'biblioteket sender igen', follow_up: '2026-12-03', handled_by: 'anna' },
      { case_ref: 'S-3', status: 'explained', assignee: null, note: 'kontant betalt, borger 010203-XXXX', follow_up: null, handled_by: 'anna' },
    ]);
    expect(await b.db.all(`SELECT case_ref, source FROM handling_trail ORDER BY seq`)).toEqual([
      { case_ref: 'S-1', source: 'uge48.xlsx, række 2' },
      { case_ref: 'S-2', source: 'uge48.xlsx, række 3' },
      { case_ref: 'S-3', source: 'uge48.xlsx, række 4' },
    ]);
    const again = await importFile(b.db, edited, { by: 'anna', name: 'uge48.xlsx', now: new Date('2026-11-26T15:00:00Z') });
    expect(again).toEqual({ applied: 0, unchanged: 5, refused: [], conflicts: [], rows: 5, bad: 0 });
    expect(Number(await b.db.value(`SELECT count(*) FROM handling_trail`))).toBe(3);
  });

  it('lists each bad row with its sheet row and a Danish reason, and applies the good rows', async () => {
    b = await importBooks();
    const x = await sheetOf(b);
    const edited = path.join(dir, 'bad.xlsx');
    await editXlsx(x, edited, {
      2: { status: 'I gang', note: { formula: 'A1&"x"', result: 'R01x' } },
      3: { status: 'Måske' },
      4: { status: 'Afventer', followUp: '31-02-2026' },
      5: { status: 'Forklaret' },
      6: { status: 'I gang', assignee: 'Carla' },
    });
    const r = await importFile(b.db, edited, { by: 'anna', name: 'bad.xlsx', now: NOW });
    expect(r.applied).toBe(1);
    expect(r.bad).toBe(3);
    expect(r.refused).toEqual([
      { source: 'bad.xlsx, række 2', caseRef: 'S-1', reason: 'cellen Note er en formel; skriv værdien som tekst' },
      { source: 'bad.xlsx, række 3', caseRef: 'S-2', reason: 'ukendt status «Måske»: vælg Åben, I gang, Afventer eller Forklaret' },
      { source: 'bad.xlsx, række 4', caseRef: 'S-3', reason: 'Opfølgning «31-02-2026» er ikke en dato (dd-mm-åååå eller åååå-mm-dd)' },
      { source: 'bad.xlsx, række 5', caseRef: 'S-4', reason: 'status Forklaret kræver en note, der siger hvorfor' },
    ]);
    expect(await handlingRows(b)).toEqual([
      { case_ref: 'S-5', status: 'in_progress', assignee: 'Carla', note: null, follow_up: null, handled_by: 'anna' },
    ]);
  });

  it('reads follow-up dates typed as text (dd-mm-åååå, åååå-mm-dd) and a status code, and a formula-looking note as text', async () => {
    b = await importBooks();
    const x = await sheetOf(b);
    const edited = path.join(dir, 'text.xlsx');
    await editXlsx(x, edited, {
      2: { status: 'awaiting', followUp: '03-12-2026' },
      3: { status: 'afventer', followUp: '2026-12-04' },
      4: { status: 'Forklaret', note: "'=SUM(A1:A2) er ikke en formel" },
    });
    const r = await importFile(b.db, edited, { by: 'anna', name: 'text.xlsx', now: NOW });
    expect(r.refused).toEqual([]);
    expect((await handlingRows(b)).map((h) => [h.case_ref, h.status, h.follow_up, h.note])).toEqual([
      ['S-1', 'awaiting', '2026-12-03', null],
      ['S-2', 'awaiting', '2026-12-04', null],
      ['S-3', 'explained', null, '=SUM(A1:A2) er ikke en formel'],
    ]);
    // written back out the note is text again, never a formula
    await nextNight(b, 2, '2026-11-27T12:00:00Z');
    const y = path.join(dir, 'night2.xlsx');
    await writeDiscrepanciesXlsx(b.db, y);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(y);
    const cell = wb.worksheets[0].getCell(4, 17);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe("'=SUM(A1:A2) er ikke en formel");
  });

  it('a row whose handled_at is older than the database change is a conflict, not applied unless force', async () => {
    b = await importBooks();
    const x = await sheetOf(b); // night 1: nothing handled
    const first = path.join(dir, 'anna.xlsx');
    await editXlsx(x, first, { 2: { status: 'I gang', assignee: 'Anna' } });
    expect((await importFile(b.db, first, { by: 'anna', name: 'anna.xlsx', now: NOW })).applied).toBe(1);
    // Bo edits his copy of the same night-1 sheet (Behandlet empty: never handled when he opened it)
    const second = path.join(dir, 'bo.xlsx');
    await editXlsx(x, second, { 2: { status: 'Forklaret', note: 'betalt kontant' }, 3: { status: 'I gang', assignee: 'Bo' } });
    const r = await importFile(b.db, second, { by: 'bo', name: 'bo.xlsx', now: new Date('2026-11-26T15:00:00Z') });
    expect(r.applied).toBe(1);
    expect(r.conflicts).toEqual([{
      source: 'bo.xlsx, række 2',
      caseRef: 'S-1',
      reason: 'S-1 er ændret i databasen 2026-11-26T14:00:00Z af anna, efter rækkens seneste behandling (aldrig behandlet); ændringen er ikke anvendt',
    }]);
    expect((await handlingRows(b))[0]).toMatchObject({ case_ref: 'S-1', status: 'in_progress', assignee: 'Anna' });
    const forced = await importFile(b.db, second, { by: 'bo', name: 'bo.xlsx', force: true, now: new Date('2026-11-26T16:00:00Z') });
    expect(forced).toMatchObject({ applied: 1, unchanged: 4, conflicts: [] });
    expect((await handlingRows(b))[0]).toMatchObject({ case_ref: 'S-1', status: 'explained', note: 'betalt kontant', handled_by: 'bo' });
  });

  it('a sheet exported after the change carries its handled_at (Copenhagen time, to the second): editing it is no conflict', async () => {
    b = await importBooks();
    const x = await sheetOf(b);
    const first = path.join(dir, 'anna.xlsx');
    await editXlsx(x, first, { 2: { status: 'I gang', assignee: 'Anna' } });
    await importFile(b.db, first, { by: 'anna', name: 'anna.xlsx', now: new Date('2026-11-26T14:00:07Z') });
    await nextNight(b, 2, '2026-11-27T12:00:00Z');
    const y = path.join(dir, 'night2.xlsx');
    await writeDiscrepanciesXlsx(b.db, y);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(y);
    const row = wb.worksheets[0].getRow(2);
    expect([row.getCell(14).value, row.getCell(16).value, row.getCell(19).value]).toEqual(['I gang', 'Anna', 'anna']);
    // 14:00:07 UTC is 15:00:07 in Copenhagen in November
    expect((row.getCell(20).value as Date).toISOString()).toBe('2026-11-26T15:00:07.000Z');
    expect(row.getCell(20).numFmt).toBe('dd-mm-yyyy hh:mm:ss');
    const second = path.join(dir, 'bo.xlsx');
    await editXlsx(y, second, { 2: { status: 'Forklaret', note: 'betalt kontant' } });
    const r = await importFile(b.db, second, { by: 'bo', name: 'bo.xlsx', now: new Date('2026-11-27T13:00:00Z') });
    expect(r).toMatchObject({ applied: 1, conflicts: [], refused: [] });
  });

  it("reads the export's xlsx by its Danish headers (handled_at as a date-time cell), a second sheet of notes ignored", async () => {
    b = await importBooks();
    const x = path.join(dir, 'export.xlsx');
    await writeXlsx(maskRows(await selectExportRows(b.db, { states: ['new', 'persisting'] }), false), x);
    const edited = path.join(dir, 'export-edited.xlsx');
    await editXlsx(x, edited, { 3: { status: 'in_progress', assignee: 'Eva' } });
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(edited);
    expect(wb.worksheets[0].getCell(1, 14).value).toBe('Status');
    wb.addWorksheet('Noter').addRow(['husk at ringe']);
    await wb.xlsx.writeFile(edited);
    const r = await importFile(b.db, edited, { by: 'eva', name: 'export-edited.xlsx', now: NOW });
    expect(r).toEqual({ applied: 1, unchanged: 4, refused: [], conflicts: [], rows: 5, bad: 0 });
    expect((await handlingRows(b)).map((h) => [h.case_ref, h.status, h.assignee])).toEqual([['S-2', 'in_progress', 'Eva']]);
  });

  it('a file that is no xlsx at all is said to be unreadable', async () => {
    const f = path.join(dir, 'broken.xlsx');
    fs.writeFileSync(f, 'PK not really a zip');
    await expect(readSheet(f)).rejects.toThrow('filen kan ikke læses som xlsx');
  });
});
