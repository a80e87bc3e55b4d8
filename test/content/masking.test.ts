// No output holds a whole CPR number (FORMATS.md §5), checked by content: every file of every run (xlsx and zip
// members, the report's embedded data, parquet, arrow, JSON, the log, file names) opened by test/helpers/no-cpr.ts,
// and what every command prints, on an inbox with CPR-shaped text in every id and free-text column
// (test/helpers/cpr-inbox.ts), a handling folder file named by one with an assignee, a note, a status and a
// last-modified-by that are CPR numbers, `note` and `import` given them, and an import whose refused rows name them.
//
// Checked against broken code (each break made by hand, the test run, the break undone; the same breaks are mutants
// of bench/mutate-ts.ts): the xlsx cells' maskText dropped (outputs/discrepancies-xlsx.ts `text`) fails "every run
// output" on discrepancies.xlsx!xl/worksheets/sheet1.xml, overall and per municipality; the worklist hints' m() dropped
// (report/sections/worklist.ts hintList) fails it on report.html's embedded data; import's summary unmasked
// (commands/import.ts importSummary) fails "what every command prints". (The handling folder's last-modified-by left
// unmasked in handling/folder.ts passes: summary.json, the log and the trail mask it again, so no output shows it.)
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchCommand } from '../../src/commands/run.ts';
import { noteCommand } from '../../src/commands/note.ts';
import { importCommand } from '../../src/commands/import.ts';
import { exportCommand } from '../../src/commands/export.ts';
import { auditCommand } from '../../src/commands/audit.ts';
import { historyCommand } from '../../src/commands/history.ts';
import { wavesCommand } from '../../src/commands/waves.ts';
import { writeSheet } from '../../src/outputs/xlsx-sheet.ts';
import { Db } from '../../src/db.ts';
import { installation, type Installation } from '../helpers/e2e-inbox.ts';
import { CPR_AS_OF, CPR_MUNICIPALITIES, CPR_NEXT, cpr, masked, writeCprInbox } from '../helpers/cpr-inbox.ts';
import { cprsInFile, cprsInOutputs, cprsInText, htmlTexts, xlsxStrings, type CprFinding } from '../helpers/no-cpr.ts';
import { editXlsx } from '../handling/import-books.ts';

let inst: Installation;
const printed: { what: string; stdout: string; stderr: string }[] = [];
const exportsDir = () => path.join(inst.dir, 'exports');
const night2Out = () => path.join(inst.dir, `out-${cpr(48)}`);

/** The xlsx rows of a sheet by case_ref (column 15) → row number. */
async function rowsByCase(file: string): Promise<Map<string, number>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out = new Map<string, number>();
  wb.worksheets[0].eachRow((row, n) => {
    if (n > 1) out.set(String(row.getCell(15).value), n);
  });
  return out;
}

beforeAll(async () => {
  inst = installation('masking', CPR_MUNICIPALITIES, { handling: { folder: 'handling' } });
  writeCprInbox(inst);
  for (const code of ['101', '561']) fs.mkdirSync(path.join(inst.dir, 'handling', code), { recursive: true });
  const night1 = await inst.run('out-1', CPR_AS_OF);
  expect(night1.error).toBeUndefined();
  printed.push({ what: 'run (night 1, its log)', stdout: '', stderr: night1.log });

  // a clerk's edit of 101's own sheet, saved into the handling folder under a name holding a CPR number
  const sheet101 = path.join(inst.dir, 'out-1', 'municipalities', '101', 'discrepancies.xlsx');
  const rows = [...(await rowsByCase(sheet101)).values()];
  expect(rows.length).toBeGreaterThan(4);
  await editXlsx(sheet101, path.join(inst.dir, 'handling', '101', `uge48-${cpr(34)}.xlsx`), {
    [rows[0]]: { status: 'Forklaret', assignee: cpr(35, true), note: `Ring til ${cpr(36)}` },
    [rows[1]]: { status: cpr(37) }, // refused: an unknown status, named in the reason
    [rows[2]]: { status: 'Afventer', followUp: `${cpr(47)}` }, // refused: no date
  }, cpr(38));

  // night 2 through the command, into an --out whose name holds a CPR number: the import of the handling folder
  printed.push({ what: 'run (night 2)', ...(await inst.command(runBatchCommand, '--out', night2Out(), '--as-of', CPR_NEXT)) });
  const refs = [...(await rowsByCase(path.join(night2Out(), 'discrepancies.xlsx'))).keys()];
  printed.push({ what: 'note', ...(await inst.command(noteCommand, '--ref', refs[3], '--status', 'in_progress', '--assignee', cpr(39),
    '--note', `${cpr(44, true)} betalte kontant`, '--by', cpr(43))) });
  printed.push({ what: 'note (refused)', ...(await inst.command(noteCommand, '--ref', 'S-999', '--status', 'explained', '--note', cpr(50))) });

  // an import by command whose refused rows name CPR numbers (case number, status, follow-up)
  const sheet = path.join(night2Out(), 'discrepancies.xlsx');
  const r2 = [...(await rowsByCase(sheet)).values()];
  const edited = path.join(inst.dir, `uge49-${cpr(45)}.xlsx`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(sheet);
  const ws = wb.worksheets[0];
  ws.getCell(r2[0], 15).value = cpr(46);
  ws.getCell(r2[1], 14).value = cpr(51, true);
  ws.getCell(r2[2], 17).value = `Borgeren ${cpr(52)} har betalt`;
  ws.getCell(r2[2], 14).value = 'Forklaret';
  await wb.xlsx.writeFile(edited);
  printed.push({ what: 'import', ...(await inst.command(importCommand, '--file', edited, '--by', cpr(53))) });
  printed.push({ what: 'import (no such file)', ...(await inst.command(importCommand, '--file', path.join(inst.dir, `mangler-${cpr(54)}.xlsx`))) });

  fs.mkdirSync(exportsDir());
  for (const [name, args] of [
    ['all.csv', ['--format', 'csv']], ['excel.csv', ['--format', 'csv', '--excel']], ['all.xlsx', ['--format', 'xlsx']],
    ['all.parquet', ['--format', 'parquet']], ['all.arrow', ['--format', 'arrow']], ['resolved.csv', ['--format', 'csv', '--state', 'resolved']],
  ] as const) {
    printed.push({ what: `export ${name}`, ...(await inst.command(exportCommand, ...args, '--out', path.join(exportsDir(), name))) });
  }
  for (const [what, fn, args] of [['audit', auditCommand, ['--wide']], ['history', historyCommand, ['--wide']], ['waves', wavesCommand, ['--wide']]] as const) {
    printed.push({ what, ...(await inst.command(fn, ...args)) });
  }
  // a run that fails: its error names a CPR number, and its log lies beside --out
  const failed = await inst.run('out-1', CPR_NEXT, { beforeStep: (s) => { if (s === 'report') throw new Error(`disken er fuld (${cpr(55)})`); } });
  expect(failed.exitCode).toBe(1);
  printed.push({ what: 'run (failed)', stdout: failed.error ?? '', stderr: failed.log });
  // a bad --out whose name holds a CPR number
  fs.writeFileSync(path.join(inst.dir, `fil-${cpr(56)}`), 'x');
  printed.push({ what: 'run (bad --out)', ...(await inst.command(runBatchCommand, '--out', path.join(inst.dir, `fil-${cpr(56)}`))) });
});
afterAll(() => inst?.cleanup());

const show = (f: CprFinding[]) => f.map((x) => `${x.where}: ${x.cpr} in «${x.context}»`);

describe('test/helpers/no-cpr.ts finds a whole CPR number in every kind of content it opens', () => {
  it('in an xlsx cell, a number cell, a phrase-encoded description of the report, parquet and arrow', async () => {
    const dir = path.join(inst.dir, 'helper');
    fs.mkdirSync(dir);
    await writeSheet(path.join(dir, 'a.xlsx'), { sheetName: 'A', columns: [{ header: 'Id', key: 'id', width: 10 }, { header: 'N', key: 'n', width: 10 }] }, [{ id: `x ${cpr(1, true)}`, n: 102031234 }]);
    const found = await cprsInOutputs(path.join(dir, 'a.xlsx'));
    expect(found.map((f) => f.cpr).sort()).toEqual(['0102031234', cpr(1, true)]);
    const data = { phrases: ['Gebyr '], rows: [['S-1', 'R01', 0, '101', 'x', null, 1, 0, [0, cpr(2)]]] };
    expect(htmlTexts(`<script type="application/json" id="d">${JSON.stringify(data)}</script><p>${cpr(3).slice(0, 6)}<wbr>${cpr(3).slice(6)}</p>`).join('\n'))
      .toContain(`Gebyr ${cpr(2)}`);
    expect(cprsInText('x', htmlTexts(`<p>${cpr(3).slice(0, 6)}<wbr>${cpr(3).slice(6)}</p>`).join('\n')).map((f) => f.cpr)).toEqual([cpr(3)]);
    const db = await Db.open(':memory:');
    try {
      await db.run(`COPY (SELECT '${cpr(4)}' AS id) TO '${path.join(dir, 'a.parquet')}' (FORMAT parquet)`);
    } finally {
      db.close();
    }
    expect((await cprsInFile('a.parquet', path.join(dir, 'a.parquet'))).map((f) => f.cpr)).toEqual([cpr(4)]);
    // the masked form and ten digits inside a longer run are no CPR number; an invalid date is none either
    expect(cprsInText('x', `${masked(5)} MV${cpr(6)} ${cpr(7)}9 9999991234`)).toEqual([]);
  });
});

describe('an instant in an xlsx cell', () => {
  it('is written with at most 9 decimals, so its day fraction never shows a CPR-shaped run, and reads back to the millisecond', async () => {
    // 02:10:07 on 7 December 2026 was written 46363.0903587963 (found by the run-folder test below on a run at that
    // second); the test's other instants: a whole day, the last millisecond of a day, a millisecond past noon.
    // (Checked against the code before: the first cell held the run 0903587963 and this test failed.)
    const dir = path.join(inst.dir, 'serial');
    fs.mkdirSync(dir);
    const when = [Date.UTC(2026, 11, 7, 2, 10, 7), Date.UTC(2026, 11, 7), Date.UTC(2026, 5, 30, 23, 59, 59, 999), Date.UTC(2026, 0, 1, 12, 0, 0, 1)];
    const file = path.join(dir, 'a.xlsx');
    await writeSheet(file, { sheetName: 'A', columns: [{ header: 'T', key: 't', width: 20 }] }, when.map((t) => ({ t: new Date(t) })));
    expect(show(await cprsInOutputs(file))).toEqual([]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    // a cell without a date format reads as its serial number: days since 1899-12-30, back to milliseconds
    const cells = wb.worksheets[0].getColumn(1).values.slice(2) as (number | Date)[];
    expect(cells.map((v) => (v instanceof Date ? v.getTime() : Math.round((v - 25_569) * 86_400_000)))).toEqual(when);
  });
});

describe('the CPR numbers reach the outputs, masked', () => {
  it('as ids, hints, handling and refusals', async () => {
    const all = xlsxStrings(path.join(night2Out(), 'discrepancies.xlsx')).join('\n');
    for (const i of [1, 5, 8, 13, 15, 20, 22, 40]) expect(all, `cpr(${i})`).toContain(masked(i));
    expect(all).toContain(masked(35)); // the assignee imported from the handling folder
    const report = htmlTexts(fs.readFileSync(path.join(night2Out(), 'municipalities', '101', 'report.html'), 'utf8')).join('\n');
    expect(report).toContain(`Transaktionen ${masked(20)} på 200,00 kr. er sandsynligvis indbetalingen ${masked(22)}`);
    expect(report).toContain(`Gebyret ${masked(6)} på 300,00 kr. er sandsynligvis fordringen ${masked(8)}`);
    const summary = JSON.parse(fs.readFileSync(path.join(night2Out(), 'summary.json'), 'utf8'));
    expect(summary.handling.files[0]).toMatchObject({ path: `handling/101/uge48-${masked(34)}.xlsx`, by: masked(38), applied: 1 });
    const imp = printed.find((p) => p.what === 'import')!;
    expect(imp.stdout).toContain(`«${masked(46)}» er ikke et sagsnummer`);
    expect(imp.stdout).toContain(`uge49-${masked(45)}.xlsx`);
  });
});

describe('no output holds a whole CPR number', () => {
  it('every file of every run folder, discrepancies.xlsx overall and per municipality included', async () => {
    const folders = fs.readdirSync(inst.dir).filter((n) => /^out-/.test(n) && fs.statSync(path.join(inst.dir, n)).isDirectory());
    expect(folders.sort()).toEqual(['out-1', `out-${cpr(48)}`]);
    for (const f of folders) {
      const files = fs.readdirSync(path.join(inst.dir, f));
      expect(files).toEqual(expect.arrayContaining(['discrepancies.xlsx', 'report.html', 'summary.json', 'afstem.log.jsonl', 'municipalities']));
      expect(show(await cprsInOutputs(path.join(inst.dir, f))), f).toEqual([]);
    }
  });

  it('the log of a failed run beside --out', async () => {
    const logs = fs.readdirSync(inst.dir).filter((n) => /^out-1\.failed-.*\.log\.jsonl$/.test(n));
    expect(logs).toHaveLength(1);
    const text = fs.readFileSync(path.join(inst.dir, logs[0]), 'utf8');
    expect(text).toContain(masked(55));
    expect(show(await cprsInFile(logs[0], path.join(inst.dir, logs[0])))).toEqual([]);
  });

  it('the exports in every format (the file names are the user\'s own)', async () => {
    for (const name of fs.readdirSync(exportsDir())) {
      expect(show(await cprsInFile(name, path.join(exportsDir(), name))), name).toEqual([]);
    }
    expect(fs.readdirSync(exportsDir()).sort()).toEqual(['all.arrow', 'all.csv', 'all.parquet', 'all.xlsx', 'excel.csv', 'resolved.csv']);
  });

  it('the handling as stored: assignee and note masked (FORMATS.md §8), in the handling and its trail', async () => {
    const db = await Db.open(inst.database, { readOnly: true });
    try {
      const rows = await db.all<Record<string, string | null>>(`
        SELECT assignee AS a, note AS n FROM handling
        UNION ALL SELECT old_assignee, old_note FROM handling_trail UNION ALL SELECT new_assignee, new_note FROM handling_trail`);
      const text = rows.flatMap((r) => [r.a ?? '', r.n ?? '']).join('\n');
      for (const i of [35, 36, 39, 44, 52]) expect(text, `cpr(${i})`).toContain(masked(i));
      expect(show(cprsInText('handling', text))).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('what every command prints', () => {
    for (const p of printed) {
      expect(show(cprsInText(`${p.what} stdout`, p.stdout)), p.what).toEqual([]);
      expect(show(cprsInText(`${p.what} stderr`, p.stderr)), p.what).toEqual([]);
    }
    const text = printed.map((p) => p.stdout + p.stderr).join('\n');
    // the commands did print them, masked
    for (const i of [39, 43, 44, 48, 53, 54, 56]) expect(text, `cpr(${i})`).toContain(masked(i));
  });
});
