// Handling edges through the commands and the batch (FORMATS.md §7, §8): text that a spreadsheet would run (beginning
// with = + - @, a tab or a carriage return) is written with a leading ' and read back without it, so an export
// imported unedited is no change in every format a person edits; a second run of the same asOf (a look back) imports
// no new file of the handling folder, the next night does; a handling folder inside --out is refused before anything
// is loaded (the outputs replace --out whole).
//
// Checked against broken code (each break made by hand, the test run, the break undone): import's unprotect without
// `@` (handling/import.ts) fails "imported back unedited" (S-1's assignee '@anna' came back as "'@anna", 1 changed);
// without `+` or `-` the same on S-2 and S-3; without the tab or the CR fails "a cell the export neutralised";
// Behandlet read back as UTC wall time instead of Copenhagen's (handling/import.ts handledAt) fails "a conflict within
// the hour" (the row seemed an hour newer, and overwrote the later change); isLookBack with `>` for `>=`
// (handling/folder.ts) fails "a second run of the same asOf"; the handling folder not
// passed on to checkOut (pipeline/batch.ts keepOut) fails "a handling folder inside --out" (the run went ahead and its
// outputs replaced the folder holding the clerks' file).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../src/commands/export.ts';
import { importCommand } from '../../src/commands/import.ts';
import { noteCommand } from '../../src/commands/note.ts';
import { Db } from '../../src/db.ts';
import { applyHandling } from '../../src/handling/store.ts';
import { FEE_HEADER, installation, type Installation } from '../helpers/e2e-inbox.ts';
import { editXlsx } from './import-books.ts';

const MUNIS = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
  { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01' },
];
const fees = (inst: Installation, ids: string[]) =>
  inst.export('101/fbs_fees_2026-11-26.csv', FEE_HEADER, ids.map((id) => [id, 'adult_cpr', '0101801234', 'overdue_fee', '25.00', '2026-11-26T08:00:00Z', 'open', null, null, null, null]));

async function handlingRows(inst: Installation): Promise<Record<string, unknown>[]> {
  const db = await Db.open(inst.database, { readOnly: true });
  try {
    return await db.all(`SELECT case_ref, status, assignee, note, CAST(follow_up AS VARCHAR) AS follow_up, handled_by FROM handling ORDER BY case_ref`);
  } catch {
    return [];
  } finally {
    db.close();
  }
}

describe('text a spreadsheet would run, written with \' and read back without it', () => {
  let inst: Installation;
  let before: Record<string, unknown>[];
  beforeAll(async () => {
    inst = installation('edges-formula', MUNIS);
    fees(inst, ['F1', 'F2', 'F3', 'F4', 'F5']);
    expect((await inst.run('out', '2026-11-26T12:00:00Z')).exitCode).toBe(0);
    for (const [ref, ...args] of [
      ['S-1', '--status', 'in_progress', '--assignee', '@anna', '--note', '=SUM(A1:A3) er ikke en formel'],
      ['S-2', '--status', 'explained', '--assignee', '+45 12 34 56 78', '--note', '-2 kr. for meget'],
      ['S-3', '--status', 'awaiting', '--follow-up', '2026-12-03', '--assignee', '-Bo', '--note', '@biblioteket svarer'],
      ['S-4', '--status', 'explained', '--note', '+ rykkergebyr'],
    ]) {
      const r = await inst.command(noteCommand, '--ref', ref, ...args, '--by', 'anna');
      expect(r.result, r.stderr).toBe(0);
    }
    before = await handlingRows(inst);
  });
  afterAll(() => inst?.cleanup());

  it('recorded as given', () => {
    expect(before.map((r) => [r.assignee, r.note])).toEqual([
      ['@anna', '=SUM(A1:A3) er ikke en formel'], ['+45 12 34 56 78', '-2 kr. for meget'], ['-Bo', '@biblioteket svarer'], [null, '+ rykkergebyr'],
    ]);
  });

  for (const [name, args] of [
    ['export.xlsx', ['--format', 'xlsx']], ['export.csv', ['--format', 'csv']], ['export-excel.csv', ['--format', 'csv', '--excel']],
  ] as const) {
    it(`imported back unedited from ${name}: no change, the text as it was`, async () => {
      const file = path.join(inst.dir, name);
      const exp = await inst.command(exportCommand, ...args, '--out', file);
      expect(exp.result, exp.stderr).toBe(0);
      const bytes = fs.readFileSync(file);
      if (name.endsWith('.csv')) expect(bytes.toString('utf8')).toContain("'@anna");
      const imp = await inst.command(importCommand, '--file', file, '--by', 'revisor');
      expect(imp.result, imp.stdout + imp.stderr).toBe(0);
      expect(imp.stdout).toMatch(/ 0 ændret · 5 uændret/);
      expect(await handlingRows(inst)).toEqual(before);
    });
  }

  it('imported back unedited from the run\'s discrepancies.xlsx after a night: no change', async () => {
    expect((await inst.run('out', '2026-11-27T12:00:00Z')).exitCode).toBe(0);
    const imp = await inst.command(importCommand, '--file', path.join(inst.dir, 'out', 'municipalities', '101', 'discrepancies.xlsx'));
    expect(imp.result, imp.stdout + imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/ 0 ændret/);
    expect(await handlingRows(inst)).toEqual(before);
  });

  it('a row whose note alone, assignee alone or follow-up date alone was edited is a change', async () => {
    const file = path.join(inst.dir, 'export.xlsx');
    const edited = path.join(inst.dir, 'edited-one-cell.xlsx');
    await editXlsx(file, edited, { 2: { assignee: 'Anna' }, 3: { note: '-3 kr. for meget' }, 4: { followUp: new Date(Date.UTC(2026, 11, 4)) } });
    const imp = await inst.command(importCommand, '--file', edited, '--by', 'revisor');
    expect(imp.result, imp.stdout + imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/ 3 ændret · 2 uændret/);
    expect((await handlingRows(inst)).slice(0, 3).map((r) => [r.case_ref, r.assignee, r.note, r.follow_up])).toEqual([
      ['S-1', 'Anna', '=SUM(A1:A3) er ikke en formel', null], ['S-2', '+45 12 34 56 78', '-3 kr. for meget', null], ['S-3', '-Bo', '@biblioteket svarer', '2026-12-04'],
    ]);
  });

  it('a cell the export neutralised, beginning with a tab or a CR, is read without its \'', async () => {
    const file = path.join(inst.dir, 'neutralised.csv');
    fs.writeFileSync(file, `case_ref,handling_status,assignee,note,follow_up,handled_at\r\nS-5,explained,"'\tBo","'\rkontant betalt",,\r\n`);
    const imp = await inst.command(importCommand, '--file', file, '--by', 'revisor');
    expect(imp.result, imp.stdout + imp.stderr).toBe(0);
    expect((await handlingRows(inst)).find((r) => r.case_ref === 'S-5')).toMatchObject({ status: 'explained', assignee: 'Bo', note: 'kontant betalt' });
  });
});

describe('a conflict within the hour after the export (the Copenhagen time of Behandlet read back)', () => {
  it('a change made half an hour after the exported one is a conflict for the exported row', async () => {
    const inst = installation('edges-conflict', MUNIS);
    try {
      fees(inst, ['F1']);
      expect((await inst.run('out', '2026-11-26T12:00:00Z')).exitCode).toBe(0);
      const at = async (when: string, assignee: string) => {
        const db = await Db.open(inst.database);
        try {
          return await applyHandling(db, [{ edit: { caseRef: 'S-1', status: 'in_progress', assignee, note: null, followUp: null }, by: 'anna', source: 'kommandolinje' }], { now: new Date(when), force: true });
        } finally {
          db.close();
        }
      };
      expect((await at('2026-11-28T10:00:00Z', 'Bo')).applied).toBe(1);
      const file = path.join(inst.dir, 'export.xlsx');
      expect((await inst.command(exportCommand, '--format', 'xlsx', '--out', file)).result).toBe(0);
      expect((await at('2026-11-28T10:30:00Z', 'Eva')).applied).toBe(1); // 11:30 in Copenhagen; the export says 11:00
      await editXlsx(file, file, { 2: { status: 'Forklaret', note: 'kontant betalt' } });
      const imp = await inst.command(importCommand, '--file', file);
      expect(imp.result, imp.stdout).toBe(3);
      expect(imp.stdout).toContain('konflikt');
      expect(await handlingRows(inst)).toMatchObject([{ case_ref: 'S-1', status: 'in_progress', assignee: 'Eva', note: null }]);
    } finally {
      inst.cleanup();
    }
  });
});

describe('the handling folder', () => {
  let inst: Installation;
  beforeAll(() => {
    inst = installation('edges-folder', MUNIS, { handling: { folder: 'handling' } });
    fees(inst, ['F1', 'F2']);
    fs.mkdirSync(path.join(inst.dir, 'handling', '101'), { recursive: true });
  });
  afterAll(() => inst?.cleanup());

  it('a second run of the same asOf (a look back) imports no new file; the next night does', async () => {
    const first = await inst.run('out', '2026-11-26'); // the end of 26 November: 23:00Z
    expect(first.exitCode, first.error).toBe(0);
    await editXlsx(path.join(inst.dir, 'out', 'discrepancies.xlsx'), path.join(inst.dir, 'handling', '101', 'uge48.xlsx'),
      { 2: { status: 'Forklaret', note: 'kontant betalt' } });
    const again = await inst.run('out', '2026-11-26T23:00:00Z');
    expect(again.exitCode, again.error).toBe(0);
    expect(again.lookBack).toBe(true);
    expect(again.summary!.handling).toMatchObject({ lookBack: true, files: [], applied: 0 });
    expect(await handlingRows(inst)).toEqual([]);
    const next = await inst.run('out', '2026-11-27T23:00:00Z');
    expect(next.lookBack).toBe(false);
    expect(next.summary!.handling).toMatchObject({ lookBack: false, applied: 1, files: [{ path: 'handling/101/uge48.xlsx', status: 'imported' }] });
    expect(await handlingRows(inst)).toMatchObject([{ case_ref: 'S-1', status: 'explained', note: 'kontant betalt' }]);
  });

  it('inside --out (or --out itself) is refused before anything is loaded, the clerks\' file left as it was', async () => {
    for (const folder of ['out2/handling', 'out3']) {
      const cfg = path.join(inst.dir, `c-${path.basename(folder)}.json`);
      const config = JSON.parse(fs.readFileSync(inst.configPath, 'utf8'));
      fs.writeFileSync(cfg, JSON.stringify({ ...config, database: `db-${path.basename(folder)}/a.duckdb`, handling: { folder } }));
      const file = path.join(inst.dir, folder, '101', 'uge48.xlsx');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'the clerk\'s file');
      const out = path.join(inst.dir, folder.split('/')[0]);
      const r = await inst.run(out, '2026-11-27T23:00:00Z', { configPath: cfg });
      expect(r.exitCode, folder).toBe(2);
      expect(r.error).toMatch(/holds the handling folder/);
      expect(fs.readFileSync(file, 'utf8')).toBe('the clerk\'s file');
      expect(fs.existsSync(path.join(inst.dir, `db-${path.basename(folder)}`))).toBe(false);
    }
  });
});
