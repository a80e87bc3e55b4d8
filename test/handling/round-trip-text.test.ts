// The same text comes back from every file afstem writes and reads (issue 22, FORMATS.md §8 "exporting a file and
// importing it back unedited is no change"): notes and assignees with line breaks (CRLF as Windows sends them),
// quotes, delimiters, a leading apostrophe or formula character, control characters (ESC, BEL, NEL, DEL),
// entities, OOXML's own `_xHHHH_` escape as text, bidirectional marks and characters beyond the BMP, through
// discrepancies.xlsx, the export's xlsx, the export's csv and Danish Excel's csv. Checked on the code before issue 22:
// the CRLF note, the ESC note (dropped from the xlsx), "&amp;" (decoded twice by exceljs) and "'=…" (its apostrophe
// stripped) came back as changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, fee } from '../helpers/books.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { applyHandling } from '../../src/handling/store.ts';
import { importFile } from '../../src/handling/import.ts';
import { writeDiscrepanciesXlsx } from '../../src/outputs/discrepancies-xlsx.ts';
import { maskRows, selectExportRows } from '../../src/export/rows.ts';
import { writeXlsx } from '../../src/export/xlsx.ts';
import { toCsv } from '../../src/export/csv.ts';
import { cellXstring, MAX_CELL_CHARS } from '../../src/outputs/xlsx-sheet.ts';

const NOTES = [
  'første linje\r\nanden linje\rtredje',
  'betalt "kontant"; 5,00 kr, tak',
  "'=ikke en formel",
  "''+to apostroffer",
  '-5 kr retur',
  '=SUM(A1:A2)',
  '@anna, se her',
  'tab\tinde i',
  'esc \u001b]0;titel\u0007 og bel',
  'AT&amp;T <b>&lt;</b> &#65;',
  '_x0041_ og _x005F_ og _x00e6_',
  'emoji 😀 æøå ÆØÅ € – “ ” ‘ ’ …',
  'nel\u0085 og del\u007f og C1\u009b',
  'retning\u202e vendt \u200f',
];
const ASSIGNEES = ['=Bo', 'Bo "B" Berg; x, y', "'@Kim", 'Åse\u001b[2J'];

let b: Books;
let dir: string;
const NOW = new Date('2026-11-26T13:00:00Z');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-round-trip-'));
  b = await Books.open('2026-11-26T12:00:00Z');
  const ids = NOTES.map((_n, i) => `F${String(i + 1).padStart(2, '0')}`);
  await b.add('fbs_fees', ...ids.map((id) => fee(id, '2026-11-26 09:00:00', '10.00')));
  await b.evaluate();
  await updateLifecycle(b.db, 1, new Date('2026-11-26T12:00:00Z'));
  const out = await applyHandling(b.db, NOTES.map((note, i) => ({
    edit: { caseRef: `S-${i + 1}`, status: 'explained' as const, note, assignee: ASSIGNEES[i % ASSIGNEES.length], followUp: null },
    by: 'anna', source: 'kommandolinje',
  })), { now: NOW });
  expect(out).toMatchObject({ applied: NOTES.length, refused: [], conflicts: [] });
  // the next night's discrepancy_states carries the handling, as every file of a run does
  await b.setAsOf('2026-11-27T12:00:00Z');
  await b.evaluate();
  await updateLifecycle(b.db, 2, new Date('2026-11-27T12:00:00Z'));
});

afterAll(() => {
  b?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const unchanged = { applied: 0, unchanged: NOTES.length, refused: [], conflicts: [], rows: NOTES.length, bad: 0 };
const openRows = async () => maskRows(await selectExportRows(b.db, { states: ['new', 'persisting'] }), false);
/** Imports the file and rolls its changes back, so that each test starts from the stored handling. */
async function reimport(file: string) {
  await b.db.run('BEGIN TRANSACTION');
  try {
    return await importFile(b.db, file, { by: 'bo', name: path.basename(file), now: new Date('2026-11-27T13:00:00Z'), inTransaction: true });
  } finally {
    await b.db.run('ROLLBACK');
  }
}

describe('an unedited round trip is no change', () => {
  it('the stored notes are the given ones, line breaks as LF', async () => {
    const stored = await b.db.all<{ note: string }>(`SELECT note FROM handling ORDER BY key_id`);
    expect(stored.map((r) => r.note)).toEqual(NOTES.map((n) => n.replace(/\r\n?/g, '\n')));
  });

  it('through the night\'s discrepancies.xlsx', async () => {
    const f = path.join(dir, 'discrepancies.xlsx');
    await writeDiscrepanciesXlsx(b.db, f);
    expect(await reimport(f)).toEqual(unchanged);
  });

  it("through the export's xlsx", async () => {
    const f = path.join(dir, 'export.xlsx');
    await writeXlsx(await openRows(), f);
    expect(await reimport(f)).toEqual(unchanged);
  });

  it("through the export's csv and Danish Excel's csv", async () => {
    for (const excel of [false, true]) {
      const f = path.join(dir, `export-${excel}.csv`);
      fs.writeFileSync(f, toCsv(await openRows(), { excel }), 'utf8');
      expect(await reimport(f)).toEqual(unchanged);
    }
  });

  it('a text longer than a cell holds is cut there, between characters, ending in …[afkortet]', () => {
    const long = `${'x'.repeat(MAX_CELL_CHARS - 12)}😀${'y'.repeat(100)}`;
    const cut = cellXstring(long);
    expect(cut.length).toBeLessThanOrEqual(MAX_CELL_CHARS);
    expect(cut.endsWith('x…[afkortet]')).toBe(true);
    expect(cellXstring('a\u001bb_x0041_c\rd')).toBe('a_x001B_b_x005F_x0041_c_x000D_d');
  });
});
