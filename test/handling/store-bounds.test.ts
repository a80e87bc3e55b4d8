// The handling store against what a careless clerk or an attacker gives it (issue 22): a sheet of 125,000 case
// numbers, a case of another municipality, a note longer than a spreadsheet cell, line breaks as Windows sends them.
// Each test failed on the code before issue 22's fix (checked by running it there: a RangeError "Maximum call stack
// size exceeded", "S-3 hører til kommune 561", the 40,000-character note applied, the CRLF note unequal to its LF copy).
import { afterEach, describe, expect, it } from 'vitest';
import type { Books } from '../helpers/books.ts';
import { applyHandling, storedText } from '../../src/handling/store.ts';
import { edit, req, storeBooks as books } from './store-books.ts';
import { MAX_ASSIGNEE_CHARS, MAX_NOTE_CHARS } from '../../src/handling/limits.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

const NOW = new Date('2026-11-26T13:00:00Z');

describe('the handling store, bounded', () => {
  it("refuses 125,000 rows of case numbers (Excel's fill handle) one by one, without overflowing the stack", async () => {
    b = await books();
    const requests = Array.from({ length: 125_000 }, (_x, i) =>
      req(edit(`S-${i + 1}`, 'in_progress'), { source: `fyld.csv, linje ${i + 2}`, municipality: '101' }));
    const out = await applyHandling(b.db, requests, { now: NOW });
    expect(out.applied).toBe(2); // S-1 and S-2; S-3 is 561's, the rest do not exist
    expect(out.refused).toHaveLength(124_998);
    expect(out.refused[0]).toEqual({ source: 'fyld.csv, linje 4', caseRef: 'S-3', reason: 'S-3 findes ikke: ingen afvigelse har det sagsnummer' });
    expect(out.refused.at(-1)).toEqual({ source: 'fyld.csv, linje 125001', caseRef: 'S-125000', reason: 'S-125000 findes ikke: ingen afvigelse har det sagsnummer' });
  });

  it("a case of another municipality reads as one that does not exist, even a row equal to the database's", async () => {
    b = await books();
    const out = await applyHandling(b.db, [
      req(edit('S-3', 'open'), { source: 'x.xlsx, række 2', municipality: '101' }), // equal to the database: still refused
      req(edit('S-3', 'in_progress'), { source: 'x.xlsx, række 3', municipality: '101' }),
      req(edit('S-77', 'in_progress'), { source: 'x.xlsx, række 4', municipality: '101' }),
    ], { now: NOW });
    expect(out).toEqual({ applied: 0, unchanged: 0, conflicts: [], refused: [
      { source: 'x.xlsx, række 2', caseRef: 'S-3', reason: 'S-3 findes ikke: ingen afvigelse har det sagsnummer' },
      { source: 'x.xlsx, række 3', caseRef: 'S-3', reason: 'S-3 findes ikke: ingen afvigelse har det sagsnummer' },
      { source: 'x.xlsx, række 4', caseRef: 'S-77', reason: 'S-77 findes ikke: ingen afvigelse har det sagsnummer' },
    ] });
    for (const r of out.refused) expect(r.reason).not.toContain('561');
  });

  it(`refuses a note over ${MAX_NOTE_CHARS} characters and an assignee over ${MAX_ASSIGNEE_CHARS}, naming the limit`, async () => {
    b = await books();
    const out = await applyHandling(b.db, [
      req(edit('S-1', 'explained', { note: 'x'.repeat(40_000) })),
      req(edit('S-2', 'in_progress', { assignee: 'B'.repeat(MAX_ASSIGNEE_CHARS + 1) })),
      // at the limit: fine, though masking its CPR number makes the stored note one character longer
      req(edit('S-2', 'explained', { note: `${'y'.repeat(MAX_NOTE_CHARS - 11)} 0102031234` })),
    ], { now: NOW });
    expect(out.applied).toBe(1);
    expect(out.refused.map((r) => r.reason)).toEqual([
      'noten er 40.000 tegn lang; højst 4.000 tegn er tilladt',
      'Ansvarlig er 201 tegn lang; højst 200 tegn er tilladt',
    ]);
    expect(await b.db.value(`SELECT max(length(note)) FROM handling`)).toBe(MAX_NOTE_CHARS + 1);
  });

  it('stores line breaks as LF, so the same note with CRLF or a lone CR is no change', async () => {
    expect(storedText(' første linje\r\nanden\rtredje\n ')).toBe('første linje\nanden\ntredje');
    b = await books();
    await applyHandling(b.db, [req(edit('S-1', 'explained', { note: 'betalt\r\nkontant' }))], { now: NOW });
    expect(await b.db.value(`SELECT note FROM handling`)).toBe('betalt\nkontant');
    const again = await applyHandling(b.db, [req(edit('S-1', 'explained', { note: 'betalt\nkontant' }), { source: 'x.xlsx, række 2' })], { now: NOW });
    expect(again).toEqual({ applied: 0, unchanged: 1, refused: [], conflicts: [] });
    // a note stored with CRLF before issue 22 reads back from a file with LF: no change either
    await b.db.run(`UPDATE handling SET note = 'betalt' || chr(13) || chr(10) || 'kontant'`);
    const old = await applyHandling(b.db, [req(edit('S-1', 'explained', { note: 'betalt\nkontant' }), { source: 'x.xlsx, række 2' })], { now: NOW });
    expect(old.unchanged).toBe(1);
  });
});
