// The handling folder as careless clerks and shared drives leave it (issue 22), through whole nightly runs: Excel's
// fill handle (125,000 case numbers) in a municipality's folder that is itself a link to a share, a linked file and a
// linked folder, a dangling link, a link back up, a FIFO, a file over the row limit and one over the size limit, a
// file outside every municipality's folder, a Windows-1252 csv; and a run killed after it imported a file, whose
// refusals the next finished run reports. Every night finishes with exit 0 (handling never changes a run's exit code).
// Checked on the code before issue 22: night 2 listed none of the links, the FIFO or the loose file (the fill-handle
// csv was never reached; read, it made the run exit 1), the Windows-1252 note lost € – “ ”, and the run after the
// killed one listed sen.csv as already imported with no refusal.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchDetailed } from '../../src/run/batch.ts';
import { Db } from '../../src/db.ts';
import type { Summary } from '../../src/run/summary.ts';
import { FEES_HEADER } from '../helpers/ingest-fixture.ts';

let dir: string;
let configPath: string;
const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
const NIGHTS = ['2026-11-26T20:00:00Z', '2026-11-27T20:00:00Z', '2026-11-28T20:00:00Z', '2026-11-29T20:00:00Z'];
const run = (night: number, out: string) => runBatchDetailed({ configPath, outDir: path.join(dir, out), asOf: NIGHTS[night], stream: quiet });
const summaryOf = (out: string): Summary => JSON.parse(fs.readFileSync(path.join(dir, out, 'summary.json'), 'utf8')) as Summary;
const at = (...p: string[]) => path.join(dir, ...p);
const caseRefOf = (out: string, feeId: string) =>
  fs.readFileSync(at(out, 'discrepancies.csv'), 'utf8').split('\r\n').find((l) => l.split(',')[3] === feeId)!.split(',').at(-1)!;
const csv = (rows: string[]) => `Sagsnummer;Status;Ansvarlig;Note;Opfølgning\r\n${rows.map((r) => `${r}\r\n`).join('')}`;

let ref: Record<'F1' | 'F2' | 'F9', string>;
let night2: Summary;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-handling-hostile-'));
  const fees = (ids: string[]) => `${FEES_HEADER}\n${ids.map((r) => `${r};adult_cpr;0102031234;overdue_fee;125.00;2026-11-26T10:15:00+01:00;open;;;;`).join('\n')}\n`;
  fs.mkdirSync(at('inbox', '101'), { recursive: true });
  fs.mkdirSync(at('inbox', '561'), { recursive: true });
  fs.writeFileSync(at('inbox', '101', 'fbs_fees_2026-11-26.csv'), fees(['F1', 'F2']));
  fs.writeFileSync(at('inbox', '561', 'fbs_fees_2026-11-26.csv'), fees(['F9']));
  configPath = at('afstem.config.json');
  fs.writeFileSync(configPath, JSON.stringify({
    inbox: 'inbox', database: 'db/afstem.duckdb', handling: { folder: 'handling' },
    municipalities: [
      { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' },
      { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01' },
    ],
  }));
  expect((await run(0, 'out1')).exitCode).toBe(0);
  ref = { F1: caseRefOf('out1', 'F1'), F2: caseRefOf('out1', 'F2'), F9: caseRefOf('out1', 'F9') };

  // the share: 561's folder is a link to it, and so are a file and a folder in 101's
  fs.mkdirSync(at('share', '561'), { recursive: true });
  fs.mkdirSync(at('share', 'mappe'), { recursive: true });
  fs.writeFileSync(at('share', '561', 'fyld.csv'), csv(Array.from({ length: 125_000 }, (_x, i) => `S-${i + 1};I gang;;;`)));
  const ansi = (s: string) => [...Buffer.from(s, 'latin1')];
  fs.writeFileSync(at('share', 'ansi.csv'), Buffer.from([
    ...ansi(`Sagsnummer;Status;Ansvarlig;Note;Opfølgning\r\n${ref.F2};Forklaret;Åse;betalt 5 `), 0x80, ...ansi(' '), 0x96, ...ansi(' '), 0x93,
    ...ansi('kontant'), 0x94, ...ansi(';\r\n'),
  ]));
  fs.writeFileSync(at('share', 'mappe', 'to.csv'), csv([`${ref.F1};Afventer;;;03-12-2026`]));
  fs.mkdirSync(at('handling', '101'), { recursive: true });
  fs.symlinkSync(at('share', '561'), at('handling', '561'));
  fs.symlinkSync(at('share', 'ansi.csv'), at('handling', '101', 'link.csv'));
  fs.symlinkSync(at('share', 'mappe'), at('handling', '101', 'mappe'));
  fs.symlinkSync(at('share', 'gone.xlsx'), at('handling', '101', 'borte.xlsx'));
  fs.symlinkSync('..', at('handling', '101', 'loop'));
  execFileSync('mkfifo', [at('handling', '101', 'fifo.csv')]);
  fs.writeFileSync(at('handling', '101', 'for-mange.csv'), csv(Array.from({ length: 200_001 }, () => `${ref.F1};I gang;;;`)));
  fs.writeFileSync(at('handling', '101', 'stor.csv'), csv([]));
  fs.truncateSync(at('handling', '101', 'stor.csv'), 129 * 1024 * 1024);
  fs.writeFileSync(at('handling', 'løs.csv'), csv([`${ref.F1};I gang;;;`]));
  const r = await run(1, 'out2');
  expect(r.error).toBeUndefined();
  expect(r.exitCode).toBe(0);
  night2 = summaryOf('out2');
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the handling folder, hostile', () => {
  it('follows links as the inbox does and lists what cannot be read, with the reason; the other files import', () => {
    expect(night2.handling!.files.map((f) => [f.path, f.status, f.applied, f.refused, f.message])).toEqual([
      ['handling/101/borte.xlsx', 'unreadable', 0, 0, `kan ikke læses: "handling/101/borte.xlsx" symbolsk link til "${at('share', 'gone.xlsx')}", som ikke findes`],
      ['handling/101/fifo.csv', 'unreadable', 0, 0, 'kan ikke læses: "handling/101/fifo.csv" er en navngivet pipe (FIFO), ikke en almindelig fil'],
      ['handling/101/for-mange.csv', 'unreadable', 0, 0, 'filen har mere end 200.000 rækker (grænsen for et ark); den er ikke læst'],
      ['handling/101/link.csv', 'imported', 1, 0, null],
      ['handling/101/loop', 'unreadable', 0, 0, 'kan ikke læses: "handling/101/loop" symbolsk link tilbage til mappen behandlingsmappen selv, som allerede gennemgås; linket følges ikke'],
      ['handling/101/mappe/to.csv', 'imported', 1, 0, null],
      ['handling/101/stor.csv', 'unreadable', 0, 0, 'filen er større end 128 MiB (grænsen for en fil i behandlingsmappen); den er ikke læst'],
      ['handling/561/fyld.csv', 'imported', 1, 124_999, null],
      ['handling/løs.csv', 'not_municipality', 0, 0, 'filen ligger direkte i mappen handling, uden for en kommunes mappe; den er ikke læst'],
    ]);
    const refused = night2.handling!.refused;
    expect(refused.filter((r) => r.file === 'handling/561/fyld.csv')).toHaveLength(124_999);
    expect(refused.find((r) => r.file === 'handling/561/fyld.csv')).toEqual({ file: 'handling/561/fyld.csv', row: 2, caseRef: 'S-1', reason: 'S-1 findes ikke: ingen afvigelse har det sagsnummer' });
  });

  it('keeps € – “ ” of a Windows-1252 csv, and imports the fill-handle file of 561 as far as its cases go', async () => {
    const db = await Db.open(at('db', 'afstem.duckdb'), { readOnly: true });
    try {
      expect(await db.all(`SELECT case_ref, status, assignee, note FROM handling ORDER BY key_id`)).toEqual([
        { case_ref: ref.F1, status: 'awaiting', assignee: null, note: null },
        { case_ref: ref.F2, status: 'explained', assignee: 'Åse', note: 'betalt 5 € – “kontant”' },
        { case_ref: ref.F9, status: 'in_progress', assignee: null, note: null },
      ]);
    } finally {
      db.close();
    }
  });

  it("reports a killed run's refusals in the next finished run, and only there", async () => {
    fs.writeFileSync(at('handling', '101', 'sen.csv'), csv(['S-999999;I gang;;;']));
    const helper = path.join(import.meta.dirname, '..', 'helpers', 'run-and-die.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', helper, configPath, at('out3'), NIGHTS[2], 'outputs'], { encoding: 'utf8' });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect((await run(2, 'out3')).exitCode).toBe(0);
    const after = summaryOf('out3').handling!;
    const sen = after.files.find((f) => f.path === 'handling/101/sen.csv')!;
    expect(sen).toMatchObject({ status: 'imported', rows: 1, refused: 1 });
    expect(sen.message).toMatch(/^af kørslen \S+, som ikke blev færdig; dens afviste rækker meldes her$/);
    expect(after.refused.filter((r) => r.file === 'handling/101/sen.csv')).toEqual([
      { file: 'handling/101/sen.csv', row: 2, caseRef: 'S-999999', reason: 'S-999999 findes ikke: ingen afvigelse har det sagsnummer' },
    ]);
    expect(fs.readFileSync(at('out3', 'municipalities', '101', 'report.html'), 'utf8')).toContain('S-999999 findes ikke');
    // reported by a finished run: the night after lists it as imported before, with nothing to report
    expect((await run(3, 'out4')).exitCode).toBe(0);
    const later = summaryOf('out4').handling!;
    expect(later.files.find((f) => f.path === 'handling/101/sen.csv')).toMatchObject({ status: 'already_imported', refused: 0 });
    expect(later.refused.filter((r) => r.file === 'handling/101/sen.csv')).toEqual([]);
  });
});
