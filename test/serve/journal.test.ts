// The served worklist's journal (src/handling/journal.ts): entries appended as JSON lines, a torn last line (a crash
// mid-write, never confirmed to anyone) skipped; an entry's trail row and its serve_journal_applied row written in
// one transaction, so that one without the other never happens and an entry is never applied twice. Checked against
// the code before it: the module did not exist.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../src/db.ts';
import { appendEntry, applyEntry, applyPending, journalPath, newEntry, readJournal } from '../../src/handling/journal.ts';
import { makeWorld, query, type World } from './fixture.ts';

let world: World;
beforeAll(async () => {
  world = await makeWorld();
});
afterAll(() => world?.cleanup());

const entry = (ref: string, note: string) => newEntry({ who: 'anna', caseRef: ref, municipality: '101', status: 'explained', assignee: null, note, followUp: null, seen: null });

describe('the journal', () => {
  it('reads back what was appended, masked, and skips a torn last line', () => {
    const a = entry(world.ref('101', 'R01', 'F1'), 'cpr 0101801234 i noten');
    appendEntry(world.database, a);
    fs.appendFileSync(journalPath(world.database), '{"id":"torn","at":"2026-');
    const read = readJournal(world.database);
    expect(read.entries).toEqual([{ ...a, note: 'cpr 010180-XXXX i noten' }]);
    expect(read.unreadable).toBe(1);
    expect(fs.readFileSync(journalPath(world.database), 'utf8')).not.toContain('0101801234');
    expect(fs.statSync(journalPath(world.database)).mode & 0o777).toBe(0o600);
  });

  it('writes an entry\'s trail row and its applied row together or not at all, and never applies it twice', async () => {
    const db = await Db.open(world.database);
    try {
      const applied = await applyPending(db, world.database, 'run-1');
      expect(applied.map((r) => [r.outcome, r.entry.caseRef])).toEqual([['applied', world.ref('101', 'R01', 'F1')]]);
      expect(await applyPending(db, world.database, 'run-2')).toEqual([]);
      // an entry whose applied row cannot be written (its id is taken) leaves no trail row either
      const again = { ...entry(world.ref('101', 'R01', 'F4'), 'to gange'), id: applied[0].entry.id };
      await expect(applyEntry(db, again, { record: 'run-3' })).rejects.toThrow(/PRIMARY KEY|Duplicate key|constraint/i);
    } finally {
      db.close();
    }
    expect(await query(world.database, `SELECT case_ref, new_note, source FROM handling_trail ORDER BY seq`)).toEqual([
      { case_ref: world.ref('101', 'R01', 'F1'), new_note: 'cpr 010180-XXXX i noten', source: 'web' },
    ]);
    expect(await query(world.database, `SELECT applied_by, outcome FROM serve_journal_applied`)).toEqual([{ applied_by: 'run-1', outcome: 'applied' }]);
  });
});
