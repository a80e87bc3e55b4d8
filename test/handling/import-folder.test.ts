// The handling drop folder over three nights (FORMATS.md §8): each recorded run imports the files it has not
// imported before, before it evaluates the rules, skipping Excel's ~$ lock files and other files, refusing a row of
// another municipality; who = the xlsx's last-modified-by, else the file's owner; summary.json's `handling` and the
// municipality's own report say what was applied and refused; a look back imports nothing; files are never changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchDetailed } from '../../src/run/batch.ts';
import { Db } from '../../src/db.ts';
import { ownerName } from '../../src/handling/folder.ts';
import type { Summary } from '../../src/run/summary.ts';
import { FEES_HEADER } from '../helpers/ingest-fixture.ts';
import { editXlsx } from './import-books.ts';

let dir: string;
let configPath: string;
const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
const NIGHTS = ['2026-11-26T20:00:00Z', '2026-11-27T20:00:00Z', '2026-11-28T20:00:00Z'];
const run = (night: number, out: string) => runBatchDetailed({ configPath, outDir: path.join(dir, out), asOf: NIGHTS[night], stream: quiet });
const summaryOf = (out: string): Summary => JSON.parse(fs.readFileSync(path.join(dir, out, 'summary.json'), 'utf8')) as Summary;
const handlingDir = (...p: string[]) => path.join(dir, 'handling', ...p);

async function trail(): Promise<Record<string, unknown>[]> {
  const db = await Db.open(path.join(dir, 'db', 'afstem.duckdb'), { readOnly: true });
  try {
    return await db.all(`SELECT case_ref, new_status, who, source FROM handling_trail ORDER BY seq`);
  } finally {
    db.close();
  }
}

/** The case_ref of a fee id in a discrepancies.csv. */
function caseRefOf(csvFile: string, feeId: string): string {
  const line = fs.readFileSync(csvFile, 'utf8').split('\r\n').find((l) => l.split(',')[3] === feeId)!;
  return line.split(',').at(-1)!;
}

let night2: Summary;
let night3: Summary;
let ref: { F1: string; F2: string; F9: string };
let lookBack: Summary;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-handling-folder-'));
  const fees = (rows: string[]) => `${FEES_HEADER}\n${rows.map((r) => `${r};adult_cpr;0102031234;overdue_fee;125.00;2026-11-26T10:15:00+01:00;open;;;;`).join('\n')}\n`;
  fs.mkdirSync(path.join(dir, 'inbox', '101'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'inbox', '561'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'inbox', '101', 'fbs_fees_2026-11-26.csv'), fees(['F1', 'F2']));
  fs.writeFileSync(path.join(dir, 'inbox', '561', 'fbs_fees_2026-11-26.csv'), fees(['F9']));
  configPath = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(configPath, JSON.stringify({
    inbox: 'inbox', database: 'db/afstem.duckdb', handling: { folder: 'handling' },
    municipalities: [
      { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
      { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01' },
    ],
  }));
  fs.mkdirSync(handlingDir('101'), { recursive: true });
  fs.mkdirSync(handlingDir('561'), { recursive: true });

  // night 1: nothing in the folder yet
  expect((await run(0, 'out1')).exitCode).toBe(0);
  const csv = path.join(dir, 'out1', 'discrepancies.csv');
  ref = { F1: caseRefOf(csv, 'F1'), F2: caseRefOf(csv, 'F2'), F9: caseRefOf(csv, 'F9') };
  expect(summaryOf('out1').handling).toEqual({ folder: 'handling', lookBack: false, files: [], applied: 0, unchanged: 0, refused: [] });

  // during day 2 the clerks save their sheets: 101's own, a lock file, a text file, and 561's sheet in 101's folder
  await editXlsx(path.join(dir, 'out1', 'municipalities', '101', 'discrepancies.xlsx'), handlingDir('101', 'uge48.xlsx'), {
    2: { status: 'I gang', assignee: 'Anna' },
  }, 'Anna Andersen');
  fs.writeFileSync(handlingDir('101', '~$uge48.xlsx'), 'Anna Andersen lock');
  fs.writeFileSync(handlingDir('101', 'noter.txt'), 'husk S-1');
  await editXlsx(path.join(dir, 'out1', 'municipalities', '561', 'discrepancies.xlsx'), handlingDir('101', 'fra-561.xlsx'), {
    2: { status: 'I gang', assignee: 'Bo' },
  }, 'Bo Berg');
  expect((await run(1, 'out2')).exitCode).toBe(0);
  night2 = summaryOf('out2');

  // day 3: a csv without handled_at in 101's folder (a conflict with Anna's change), and the same files as before
  fs.writeFileSync(handlingDir('101', 'rettelse.csv'), `case_ref;handling_status;assignee;note;follow_up\r\n${ref.F1};Forklaret;;betalt kontant;\r\n${ref.F2};Afventer;;;05-12-2026\r\n`);
  const before = fs.readdirSync(handlingDir('101')).map((f) => [f, fs.statSync(handlingDir('101', f)).mtimeMs]);
  expect((await run(2, 'out3')).exitCode).toBe(0);
  night3 = summaryOf('out3');
  expect(fs.readdirSync(handlingDir('101')).map((f) => [f, fs.statSync(handlingDir('101', f)).mtimeMs])).toEqual(before);

  // a look back to night 2 with a new file in the folder: nothing imported
  await editXlsx(path.join(dir, 'out1', 'municipalities', '561', 'discrepancies.xlsx'), handlingDir('561', 'sen.xlsx'), { 2: { status: 'I gang' } });
  expect((await run(1, 'look')).exitCode).toBe(0);
  lookBack = summaryOf('look');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the handling drop folder', () => {
  it('night 2 imports the new xlsx files (not the lock file or the text file) before the rules, by last-modified-by', () => {
    expect(night2.handling!.files.map((f) => [f.path, f.status, f.by, f.applied, f.refused])).toEqual([
      ['handling/101/fra-561.xlsx', 'imported', 'Bo Berg', 0, 1],
      ['handling/101/uge48.xlsx', 'imported', 'Anna Andersen', 1, 0],
    ]);
    expect(night2.handling!.applied).toBe(1);
    expect(night2.handling!.refused).toEqual([{
      file: 'handling/101/fra-561.xlsx', row: 2, caseRef: ref.F9,
      // a case of another municipality is refused as one that does not exist: 101 learns nothing of 561's cases
      reason: `${ref.F9} findes ikke: ingen afvigelse har det sagsnummer`,
    }]);
    // imported before the rules: night 2's own outputs carry the status
    const line = fs.readFileSync(path.join(dir, 'out2', 'discrepancies.csv'), 'utf8').split('\r\n').find((l) => l.split(',')[3] === 'F1')!;
    expect(line.split(',').at(-2)).toBe('in_progress');
  });

  it('night 3 imports only the new csv (owner as who); the files already imported are not read again', async () => {
    const h = night3.handling!;
    expect(h.files.map((f) => [f.path, f.status, f.by, f.applied, f.conflicts])).toEqual([
      ['handling/101/fra-561.xlsx', 'already_imported', null, 0, 0],
      ['handling/101/rettelse.csv', 'imported', ownerName(fs.statSync(handlingDir('101', 'rettelse.csv')).uid), 1, 1],
      ['handling/101/uge48.xlsx', 'already_imported', null, 0, 0],
    ]);
    expect(h.refused).toHaveLength(1);
    expect(h.refused[0]).toMatchObject({ file: 'handling/101/rettelse.csv', row: 2, caseRef: ref.F1 });
    expect(h.refused[0].reason).toMatch(/^konflikt: .* er ændret i databasen .* af Anna Andersen/);
    expect(await trail()).toEqual([
      { case_ref: ref.F1, new_status: 'in_progress', who: 'Anna Andersen', source: 'handling/101/uge48.xlsx, række 2' },
      { case_ref: ref.F2, new_status: 'awaiting', who: h.files[1].by, source: 'handling/101/rettelse.csv, linje 3' },
    ]);
  });

  it('a look back imports nothing and says so', () => {
    expect(lookBack.handling).toEqual({ folder: 'handling', lookBack: true, files: [], applied: 0, unchanged: 0, refused: [] });
  });

  it("the municipality's own report names its own files alone; the whole report all of them", () => {
    const own = fs.readFileSync(path.join(dir, 'out2', 'municipalities', '101', 'report.html'), 'utf8');
    expect(own).toContain('handling/101/uge48.xlsx');
    expect(own).toContain(`${ref.F9} findes ikke`);
    expect(own).not.toMatch(/kommune 561|Esbjerg/);
    const other = fs.readFileSync(path.join(dir, 'out2', 'municipalities', '561', 'report.html'), 'utf8');
    expect(other).not.toContain('handling/101/');
    expect(other).toContain('Ingen nye filer i mappen');
    expect(fs.readFileSync(path.join(dir, 'out2', 'report.html'), 'utf8')).toContain('handling/101/fra-561.xlsx');
  });
});
