// Issue 23, item 5: the report spoke English where people read ("1 ignored" in Inputkvalitet's lead), listed a file
// without a kind as an export type with no name, and its menu linked to "Indlæst behandling" when no handling folder
// is configured (the section renders nothing, so the link went nowhere). Checked against the code before the fix:
// the lead said "1 ignored, 1 unreadable", the kind table had a row whose Eksporttype cell was empty, and the menu
// held href="#behandling-indlaest" with no such id on the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Books } from '../helpers/books.ts';
import { REPORT_SUMMARY, reportBooks } from '../helpers/report-books.ts';
import { buildReport } from '../../src/report/build.ts';
import { FILE_STATUS_DA } from '../../src/report/labels.ts';
import type { Summary } from '../../src/run/batch.ts';

let b: Books;
const asOf = new Date('2026-06-10T10:00:00Z');

const SUMMARY: Summary = {
  ...REPORT_SUMMARY,
  files: [
    ...REPORT_SUMMARY.files,
    { path: '101/notes.txt', kind: '', municipality: '101', exportDate: '', status: 'ignored', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, extraColumns: [],
      message: 'ignoreret: "101/notes.txt" passer på mønsteret "**/*.txt" i konfigurationens ignore' },
    { path: '561/fbs_fees_2026-06-09.csv', kind: 'fbs_fees', municipality: '561', exportDate: '2026-06-09', status: 'unreadable', rowsRead: 0, rowsLoaded: 0,
      rowsRejected: 0, extraColumns: [], message: 'kan ikke læses: "561/fbs_fees_2026-06-09.csv" adgang nægtet' },
  ],
};

beforeAll(async () => {
  b = await reportBooks();
});
afterAll(() => b?.close());

describe('the report in Danish, with no link that goes nowhere', () => {
  it('names every file status in Danish, in the lead and the file table', async () => {
    const page = await buildReport(b.db, { asOf, summary: SUMMARY });
    const input = page.slice(page.indexOf('id="input"'));
    const lead = /<p class="lead">([^<]*)/.exec(input)![1];
    expect(lead).toBe('6 filer (2 indlæst, 1 afvist, 1 ukendt fil, 1 ignoreret, 1 kan ikke læses); 55 rækker læst, 50 indlæst, ');
    expect(input).not.toMatch(/\b(ignored|unreadable|unknown|loaded|rejected)\b(?![^<]*\.csv)/);
    expect(input).toContain('<td>ignoreret</td>');
    expect(input).toContain('<td>kan ikke læses</td>');
    for (const [code, da] of Object.entries(FILE_STATUS_DA)) expect(da, code).not.toBe(code);
  });

  it('lists by export type only the exports read: no row without a kind', async () => {
    const page = await buildReport(b.db, { asOf, summary: SUMMARY });
    const kinds = page.slice(page.indexOf('Indlæste filer pr. eksporttype'), page.indexOf('Filer med fejl'));
    const firstCells = [...kinds.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(firstCells).toEqual(['fordringer', 'gebyrer', 'fakturabilag']);
  });

  it('links "Indlæst behandling" only when the section is on the page', async () => {
    const without = await buildReport(b.db, { asOf, summary: SUMMARY });
    expect(without).not.toContain('href="#behandling-indlaest"');
    expect(without).not.toContain('id="behandling-indlaest"');
    // every link of the menu lands on a section of the page
    const nav = without.slice(without.indexOf('<nav class="toc"'), without.indexOf('</nav>'));
    for (const [, id] of nav.matchAll(/href="#([^"]+)"/g)) expect(without, id).toContain(`id="${id}"`);
    const withFolder = await buildReport(b.db, {
      asOf,
      summary: { ...SUMMARY, handling: { folder: 'handling', lookBack: false, files: [], applied: 0, unchanged: 0, refused: [] } },
    });
    expect(withFolder).toContain('href="#behandling-indlaest"');
    expect(withFolder).toContain('id="behandling-indlaest"');
    expect(withFolder).toContain('Ingen nye filer i mappen.');
  });
});
