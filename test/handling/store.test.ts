// The handling store (FORMATS.md §8): validation of each edit, "a row equal to the database is no change", the
// conflict check to the second, masking, and one trail row per change.
import { afterEach, describe, expect, it } from 'vitest';
import type { Books } from '../helpers/books.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { applyHandling, type HandlingEdit } from '../../src/handling/store.ts';
import { edit, req, storeBooks as books } from './store-books.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

const NOW = new Date('2026-11-26T13:00:00.250Z');

async function handling(books: Books) {
  return books.db.all(`SELECT case_ref, status, assignee, note, CAST(follow_up AS VARCHAR) AS follow_up, handled_by,
    strftime(handled_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS handled_at FROM handling ORDER BY case_ref`);
}

describe('applyHandling', () => {
  it('applies valid edits, each with a trail row, and masks the free text', async () => {
    b = await books();
    expect(await b.db.all(`SELECT 'S-' || case_no AS ref, key_id FROM case_refs ORDER BY case_no`)).toEqual([
      { ref: 'S-1', key_id: 'F1' }, { ref: 'S-2', key_id: 'F2' }, { ref: 'S-3', key_id: 'F3' },
    ]);
    const out = await applyHandling(b.db, [
      req(edit('S-1', 'in_progress', { assignee: 'Bo 010203-1234' })),
      req(edit('s-2 ', 'awaiting', { followUp: '2026-12-03', note: 'borger 0102031234 ringer' })),
      req(edit('S-3', 'explained', { note: 'kontant betalt på biblioteket' })),
    ], { now: NOW });
    expect(out).toEqual({ applied: 3, unchanged: 0, refused: [], conflicts: [] });
    expect(await handling(b)).toEqual([
      { case_ref: 'S-1', status: 'in_progress', assignee: 'Bo 010203-XXXX', note: null, follow_up: null, handled_by: 'anna', handled_at: '2026-11-26T13:00:00.250Z' },
      { case_ref: 'S-2', status: 'awaiting', assignee: null, note: 'borger 010203-XXXX ringer', follow_up: '2026-12-03', handled_by: 'anna', handled_at: '2026-11-26T13:00:00.250Z' },
      { case_ref: 'S-3', status: 'explained', assignee: null, note: 'kontant betalt på biblioteket', follow_up: null, handled_by: 'anna', handled_at: '2026-11-26T13:00:00.250Z' },
    ]);
    expect(await b.db.all(`SELECT seq, case_ref, municipality, rule, key_id, old_status, new_status, old_note, new_note,
        CAST(new_follow_up AS VARCHAR) AS fu, who, source FROM handling_trail ORDER BY seq`)).toEqual([
      { seq: 1, case_ref: 'S-1', municipality: '101', rule: 'R01', key_id: 'F1', old_status: 'open', new_status: 'in_progress', old_note: null, new_note: null, fu: null, who: 'anna', source: 'kommandolinje' },
      { seq: 2, case_ref: 'S-2', municipality: '101', rule: 'R01', key_id: 'F2', old_status: 'open', new_status: 'awaiting', old_note: null, new_note: 'borger 010203-XXXX ringer', fu: '2026-12-03', who: 'anna', source: 'kommandolinje' },
      { seq: 3, case_ref: 'S-3', municipality: '561', rule: 'R01', key_id: 'F3', old_status: 'open', new_status: 'explained', old_note: null, new_note: 'kontant betalt på biblioteket', fu: null, who: 'anna', source: 'kommandolinje' },
    ]);
  });

  it('refuses each bad edit with a Danish reason naming it, and applies the good ones', async () => {
    b = await books();
    const src = (n: number) => `handling/101/uge48.xlsx, række ${n}`;
    const out = await applyHandling(b.db, [
      req(edit('S-1', 'explained'), { source: src(2) }),
      req(edit('S-2', 'awaiting'), { source: src(3) }),
      req(edit('S-1', 'in_progress', { followUp: '2026-12-01' }), { source: src(4) }),
      req(edit('S-99', 'in_progress'), { source: src(5) }),
      req(edit('17', 'in_progress'), { source: src(6) }),
      req(edit('S-3', 'in_progress'), { source: src(7), municipality: '101' }),
      req(edit('S-2', 'awaiting', { followUp: '2026-02-30' }), { source: src(8) }),
      req(edit('S-2', 'in_progress'), { source: src(9), municipality: '101' }),
    ], { now: NOW });
    expect(out.applied).toBe(1);
    expect(out.refused).toEqual([
      { source: src(2), caseRef: 'S-1', reason: 'status Forklaret kræver en note, der siger hvorfor' },
      { source: src(3), caseRef: 'S-2', reason: 'status Afventer kræver en opfølgningsdato' },
      { source: src(4), caseRef: 'S-1', reason: 'en opfølgningsdato hører kun til status Afventer, ikke til status I gang' },
      { source: src(5), caseRef: 'S-99', reason: 'S-99 findes ikke: ingen afvigelse har det sagsnummer' },
      { source: src(6), caseRef: '17', reason: '«17» er ikke et sagsnummer (S- og et tal)' },
      // issue 22: a case of another municipality is refused as one that does not exist (no word of 561)
      { source: src(7), caseRef: 'S-3', reason: 'S-3 findes ikke: ingen afvigelse har det sagsnummer' },
      { source: src(8), caseRef: 'S-2', reason: 'opfølgningsdatoen «2026-02-30» er ikke en dato (ÅÅÅÅ-MM-DD)' },
    ]);
    expect(await b.db.value(`SELECT count(*) FROM handling_trail`)).toBe(1);
  });

  it('counts a row equal to the database as no change, and refuses a change to a discrepancy that is not open', async () => {
    b = await books();
    await applyHandling(b.db, [req(edit('S-1', 'in_progress', { assignee: 'Bo' }))], { now: NOW });
    // F1 gets resolved by the next run: its handling is closed
    await b.clear('fbs_fees', `fee_id = 'F1'`);
    await b.setAsOf('2026-11-27T12:00:00Z');
    await b.evaluate();
    await updateLifecycle(b.db, 2, new Date('2026-11-27T12:00:00Z'));
    const out = await applyHandling(b.db, [
      req(edit('S-2', 'open')),
      req(edit('S-1', 'open')),
      req(edit('S-1', 'in_progress')),
    ], { now: NOW });
    expect(out).toEqual({ applied: 0, unchanged: 2, conflicts: [], refused: [
      { source: 'kommandolinje', caseRef: 'S-1', reason: 'S-1 (R01, kommune 101) er ikke åben i den seneste registrerede kørsel' },
    ] });
    // afstem note names a closed discrepancy as an error even when it asks for no change
    const strict = await applyHandling(b.db, [req(edit('S-1', 'open'))], { strictOpen: true });
    expect(strict.refused.map((r) => r.caseRef)).toEqual(['S-1']);
  });

  it('finds a conflict when the database changed after the row was handled, to the second; force applies it', async () => {
    b = await books();
    await applyHandling(b.db, [req(edit('S-1', 'in_progress')), req(edit('S-2', 'in_progress'))], { now: NOW });
    const file = (ref: string, handledAt: string | null, status: HandlingEdit['status'] = 'explained') =>
      req(edit(ref, status, { note: 'ok' }), { source: 'f.xlsx, række 2', handledAt });
    const later = new Date('2026-11-26T14:00:00Z');
    const out = await applyHandling(b.db, [
      file('S-1', '2026-11-26T13:00:00Z'), // the same second as the database's change: no conflict
      file('S-2', '2026-11-26T12:59:59Z'), // a second earlier: conflict
      file('S-3', null), // never handled in the file nor in the database: fine
    ], { now: later });
    expect(out.applied).toBe(2);
    expect(out.conflicts).toEqual([{ source: 'f.xlsx, række 2', caseRef: 'S-2',
      reason: 'S-2 er ændret i databasen 2026-11-26T13:00:00Z af anna, efter rækkens seneste behandling (2026-11-26T12:59:59Z); ændringen er ikke anvendt' }]);
    const forced = await applyHandling(b.db, [file('S-2', null)], { now: later, force: true });
    expect(forced).toEqual({ applied: 1, unchanged: 0, refused: [], conflicts: [] });
  });

  it('applies two requests for the same case in their order', async () => {
    b = await books();
    const out = await applyHandling(b.db, [
      req(edit('S-1', 'in_progress', { assignee: 'Bo' })),
      req(edit('S-1', 'explained', { assignee: 'Bo', note: 'afskrevet' })),
      req(edit('S-1', 'explained', { assignee: 'Bo', note: 'afskrevet' })),
    ], { now: NOW });
    expect(out).toEqual({ applied: 2, unchanged: 1, refused: [], conflicts: [] });
    expect(await b.db.all(`SELECT old_status, new_status FROM handling_trail ORDER BY seq`)).toEqual([
      { old_status: 'open', new_status: 'in_progress' }, { old_status: 'in_progress', new_status: 'explained' },
    ]);
  });
});
