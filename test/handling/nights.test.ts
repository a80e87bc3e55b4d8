// Handling over the nights (FORMATS.md §8): a handled discrepancy that resolves is closed by a trail row (new status
// open, who afstem, when the run's asOf, source the run id) and found open again later starts open; an awaiting
// discrepancy comes back due the day after its follow-up date (asOf's date, RULES.md §1); a look back closes nothing;
// the trail is only ever appended to.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';
import { evaluateStates, updateLifecycle } from '../../src/handling/lifecycle.ts';
import { applyHandling, type HandlingEdit } from '../../src/handling/store.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

async function night(books: Books, runSeq: number, asOf: string) {
  await books.setAsOf(asOf);
  await books.evaluate();
  return updateLifecycle(books.db, runSeq, new Date(asOf), `run-${runSeq}`);
}

const note = (books: Books, e: Partial<HandlingEdit> & { caseRef: string; status: HandlingEdit['status'] }, at: string, by = 'anna') =>
  applyHandling(books.db, [{ edit: { assignee: null, note: null, followUp: null, ...e }, by, source: 'kommandolinje' }], { now: new Date(at), force: true });

const handlingOf = (books: Books, key: string) => books.db.one(`SELECT handling_status, assignee, note, CAST(follow_up AS VARCHAR) AS follow_up,
    handled_by, strftime(handled_at, '%Y-%m-%dT%H:%M:%SZ') AS handled_at, handling_due, state, case_ref
  FROM discrepancy_states WHERE key_id = '${key}'`);

const trail = (books: Books) => books.db.all(`SELECT seq, case_ref, old_status, new_status, old_assignee, new_assignee, old_note, new_note,
    CAST(old_follow_up AS VARCHAR) AS old_follow_up, CAST(new_follow_up AS VARCHAR) AS new_follow_up, who,
    strftime(changed_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS changed_at, source FROM handling_trail ORDER BY seq`);

async function twoFees(): Promise<Books> {
  const books = await Books.open('2026-11-26T12:00:00Z');
  await books.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'), fee('F2', '2026-11-26 09:00:00', '10.50'));
  await night(books, 1, '2026-11-26T12:00:00Z');
  return books;
}

describe('handling over the nights', () => {
  it('carries the handling night after night, closes it when the discrepancy resolves, and starts open when it reopens', async () => {
    b = await twoFees();
    await note(b, { caseRef: 'S-1', status: 'explained', assignee: 'Bo', note: 'kontant betalt' }, '2026-11-26T13:00:00Z');
    await night(b, 2, '2026-11-27T12:00:00Z');
    expect(await handlingOf(b, 'F1')).toEqual({ handling_status: 'explained', assignee: 'Bo', note: 'kontant betalt', follow_up: null,
      handled_by: 'anna', handled_at: '2026-11-26T13:00:00Z', handling_due: false, state: 'persisting', case_ref: 'S-1' });
    expect(await handlingOf(b, 'F2')).toMatchObject({ handling_status: 'open', assignee: null, handled_by: null, handled_at: null });

    // night 3: F1 gets its claim and resolves; its handling is closed by a trail row of the run
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-28 08:00:00', '125.00'));
    await night(b, 3, '2026-11-28T12:00:00Z');
    expect(await handlingOf(b, 'F1')).toMatchObject({ state: 'resolved', handling_status: 'open', assignee: null, note: null,
      handled_by: 'afstem', handled_at: '2026-11-28T12:00:00Z' });
    expect((await trail(b)).at(-1)).toEqual({ seq: 2, case_ref: 'S-1', old_status: 'explained', new_status: 'open',
      old_assignee: 'Bo', new_assignee: null, old_note: 'kontant betalt', new_note: null, old_follow_up: null, new_follow_up: null,
      who: 'afstem', changed_at: '2026-11-28T12:00:00.000000Z', source: 'run-3' });
    expect(await b.db.one(`SELECT status, assignee, note, handled_by FROM handling WHERE key_id = 'F1'`))
      .toEqual({ status: 'open', assignee: null, note: null, handled_by: 'afstem' });

    // night 4: nothing more to close (the trail stays as it is)
    await night(b, 4, '2026-11-29T12:00:00Z');
    expect(await trail(b)).toHaveLength(2);

    // night 5: the claim is gone again; F1 reopens as open with its old case_ref
    await b.clear('debitor_claims');
    await night(b, 5, '2026-11-30T12:00:00Z');
    expect(await handlingOf(b, 'F1')).toMatchObject({ state: 'new', case_ref: 'S-1', handling_status: 'open', note: null });
    expect(await trail(b)).toHaveLength(2);
  });

  it('a look back closes nothing', async () => {
    b = await twoFees();
    await note(b, { caseRef: 'S-1', status: 'in_progress' }, '2026-11-26T13:00:00Z');
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-26 10:00:00', '125.00'));
    // a second run of the same night: F1 is resolved in its outputs, but nothing is recorded
    await night(b, 2, '2026-11-26T12:00:00Z');
    expect(await trail(b)).toHaveLength(1);
    expect(await b.db.value(`SELECT status FROM handling WHERE key_id = 'F1'`)).toBe('in_progress');
  });

  it('brings an awaiting discrepancy back due the day after its follow-up date, by asOf\'s Copenhagen date', async () => {
    b = await twoFees();
    await note(b, { caseRef: 'S-1', status: 'awaiting', followUp: '2026-12-03', note: 'biblioteket sender igen' }, '2026-11-26T13:00:00Z');
    const dueAt = async (asOf: string) => {
      await b!.setAsOf(asOf);
      await b!.evaluate();
      await evaluateStates(b!.db, 99, new Date(asOf));
      return (await handlingOf(b!, 'F1'))!.handling_due;
    };
    expect(await dueAt('2026-12-03T12:00:00Z')).toBe(false); // the follow-up day itself
    expect(await dueAt('2026-12-03T23:00:00Z')).toBe(false); // 00:00 on 4 December in Copenhagen: asOf's date is the 3rd
    expect(await dueAt('2026-12-03T23:00:00.001Z')).toBe(true); // asOf's date is the 4th
    expect(await dueAt('2026-12-04T05:00:00Z')).toBe(true);
    // in_progress is never due
    await note(b, { caseRef: 'S-1', status: 'in_progress' }, '2026-11-26T14:00:00Z');
    expect(await dueAt('2026-12-10T05:00:00Z')).toBe(false);
  });

  it('only ever appends to the trail: every earlier row stays as it was through notes, imports, nights, resolve and reopen', async () => {
    b = await twoFees();
    const snapshots: unknown[][] = [];
    const check = async () => {
      const now = await trail(b!);
      for (const before of snapshots) expect(now.slice(0, before.length)).toEqual(before);
      if (snapshots.length) expect(now.length).toBeGreaterThanOrEqual(snapshots.at(-1)!.length);
      snapshots.push(now);
    };
    await note(b, { caseRef: 'S-1', status: 'in_progress', assignee: 'Bo' }, '2026-11-26T13:00:00Z');
    await check();
    await applyHandling(b.db, [
      { edit: { caseRef: 'S-1', status: 'explained', assignee: 'Bo', note: 'ok', followUp: null }, by: 'eva', source: 'f.xlsx, række 2', handledAt: '2026-11-26T13:00:00Z' },
      { edit: { caseRef: 'S-2', status: 'awaiting', assignee: null, note: null, followUp: '2026-12-01' }, by: 'eva', source: 'f.xlsx, række 3', handledAt: null },
    ], { now: new Date('2026-11-26T14:00:00Z') });
    await check();
    await night(b, 2, '2026-11-27T12:00:00Z');
    await check();
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-28 08:00:00', '125.00'), claim('C2', 'F2', '2026-11-28 08:00:00', '10.50'));
    await night(b, 3, '2026-11-28T12:00:00Z'); // both resolve: two closing rows
    await check();
    await b.clear('debitor_claims');
    await night(b, 4, '2026-11-29T12:00:00Z'); // both reopen
    await check();
    await note(b, { caseRef: 'S-2', status: 'explained', note: 'afskrevet' }, '2026-11-29T13:00:00Z');
    await night(b, 5, '2026-11-30T12:00:00Z');
    await check();
    expect(snapshots.at(-1)!.map((r) => (r as { new_status: string }).new_status)).toEqual(['in_progress', 'explained', 'awaiting', 'open', 'open', 'explained']);
  });

  it('no code updates or deletes trail rows', () => {
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const offending = [...files('src'), ...files('queries'), ...files('reports')]
      .filter((f) => /\.(ts|sql)$/.test(f))
      .filter((f) => /(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE|CREATE\s+OR\s+REPLACE\s+TABLE)\s+[\w."]*handling_trail/i.test(fs.readFileSync(f, 'utf8')));
    expect(offending).toEqual([]);
  });
});
