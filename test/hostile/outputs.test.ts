// Hostile ids, paths and rejected rows against every output: no output holds a whole CPR number (FORMATS.md §5) or
// a live spreadsheet formula (§7); outputs appear together or not at all; a bad --out is refused before the load.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { tableFromIPC } from 'apache-arrow';
import { runBatchDetailed, type BatchOptions } from '../../src/run/batch.ts';
import { exportCommand } from '../../src/commands/export.ts';
import { Db, lit } from '../../src/db.ts';
import { maskText } from '../../src/mask.ts';
import { csvText } from '../../src/outputs/csv.ts';
import { CPR_IN_TEXT_SQL } from '../../src/ingest/current.ts';
import { csvRows } from '../helpers/csv.ts';
import { capture } from '../helpers/command-fixture.ts';
import { snapshot } from '../helpers/folder-snapshot.ts';

/** A whole CPR number as FORMATS.md §5 defines it: DDMMYY-SSSS or ten digits, not inside a longer run of letters/digits. */
const WHOLE_CPR = /(?<![\p{L}\p{N}])\d{6}-?\d{4}(?![\p{L}\p{N}])/u;
const AS_OF = '2026-11-27T05:00:00Z';
const HOSTILE = ['0102031234', '010203-1234', '=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", '@SUM(1)', '-2+3', 'x-0102031234'];

let dir: string;
let configPath: string;
const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
const run = (out: string, extra: Partial<BatchOptions> = {}) =>
  runBatchDetailed({ configPath, outDir: out, asOf: AS_OF, stream: quiet, ...extra });

function write(rel: string, text: string): void {
  const p = path.join(dir, 'inbox', rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

const csvLine = (cells: string[]) => cells.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-hostile-'));
  configPath = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(
    configPath,
    JSON.stringify({
      inbox: 'inbox',
      database: 'data/afstem.duckdb',
      municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }],
    }),
  );
  // Open fees never transferred (R01 fires for each), ids hostile.
  write(
    '101/fbs_fees_2026-11-20.csv',
    [
      'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status,paid_at,payment_source,cancelled_at,reason',
      ...HOSTILE.map((id) => csvLine([id, 'adult_cpr', '0102031234', 'overdue_fee', '50.00', '2026-10-01T10:00:00Z', 'open', '', '', '', ''])),
      // rejected rows whose raw text starts with a formula character
      '=1+2,adult_cpr,0102031234,overdue_fee,ikke-et-beløb,2026-10-01T10:00:00Z,open,,,,',
      '-5,adult_cpr,0102031234,overdue_fee,ikke-et-beløb,2026-10-01T10:00:00Z,open,,,,',
    ].join('\n') + '\n',
  );
  // Claims without a fee (R02), ids hostile; a source_ref that is a CPR number.
  write(
    '101/debitor_claims_2026-11-20.csv',
    [
      'claim_id,source_ref,account_type,claim_type,debtor_party,principal,received_at,invoiced_at,due_date,collection_sent_at',
      ...HOSTILE.map((id) => csvLine([id, '1112131234', 'library_fees', 'overdue_fee', '0102031234', '75.00', '2026-10-02T10:00:00Z', '', '', ''])),
    ].join('\n') + '\n',
  );
  // Payments that cover nothing, ids hostile.
  write(
    '101/debitor_payments_2026-11-20.csv',
    [
      'payment_id,channel,psp_txn_ref,debtor_party,amount,booked_at,reversed_at',
      ...HOSTILE.map((id) => csvLine([id, 'bank', '', '0102031234', '12.50', '2026-10-03T10:00:00Z', ''])),
    ].join('\n') + '\n',
  );
  // A CPR number in a folder name, with a rejected row so the path reaches rejects.csv.
  write(
    '101/0102031234/fbs_fees_2026-11-21.csv',
    'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status\nF-OK,adult_cpr,0102031234,overdue_fee,12.00,2026-10-01T10:00:00Z,open\n' +
      'F-BAD,adult_cpr,0102031234,overdue_fee,xx,2026-10-01T10:00:00Z,open\n',
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A cell a spreadsheet would run: starts with = + @ tab CR, or with - and is not a plain number. */
function live(cell: string): boolean {
  return /^[=+@\t\r]/.test(cell) || (cell.startsWith('-') && !/^-\d+(\.\d+)?$/.test(cell));
}

describe('hostile ids, paths and rejected rows in the run outputs', () => {
  let out: string;
  beforeAll(async () => {
    out = path.join(dir, 'out');
    const r = await run(out);
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(3);
  });

  it('the rules fired on the hostile rows (the test reaches the ids)', () => {
    const rows = csvRows(fs.readFileSync(path.join(out, 'discrepancies.csv'), 'utf8'));
    expect(rows.filter((r) => r.rule === 'R01').map((r) => r.fee_id).sort()).toEqual(
      ["'+cmd|' /C calc'!A0", "'-2+3", "'=HYPERLINK(\"http://x\")", "'@SUM(1)", '010203-XXXX', '010203-XXXX', 'F-OK', 'x-010203-XXXX'].sort(),
    );
    expect(rows.some((r) => r.rule === 'R02' && r.claim_id === "'@SUM(1)")).toBe(true);
    expect(rows.some((r) => r.payment_id === "'-2+3")).toBe(true);
  });

  it('no output file holds a whole CPR number', () => {
    for (const [file, b64] of Object.entries(snapshot(out))) {
      const text = Buffer.from(b64, 'base64').toString('utf8');
      expect(WHOLE_CPR.exec(text)?.[0], file).toBeUndefined();
    }
  });

  it('no CSV cell is a live formula; negative amounts stay numbers', () => {
    for (const f of fs.readdirSync(out).filter((n) => n.endsWith('.csv'))) {
      const rows = csvRows(fs.readFileSync(path.join(out, f), 'utf8'));
      for (const r of rows) for (const [col, cell] of Object.entries(r)) expect(live(cell), `${f} ${col}: ${cell}`).toBe(false);
    }
    const rejects = csvRows(fs.readFileSync(path.join(out, 'rejects.csv'), 'utf8'));
    expect(rejects.some((r) => r.raw.startsWith("'=1+2,"))).toBe(true);
    expect(rejects.some((r) => r.raw.startsWith("'-5,"))).toBe(true);
    expect(rejects.some((r) => r.file === '101/010203-XXXX/fbs_fees_2026-11-21.csv' && r.line === '3')).toBe(true);
  });

  it('summary.json masks paths and counts the ids that look like CPR numbers in a warning', () => {
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(s.files.map((f: { path: string }) => f.path)).toContain('101/010203-XXXX/fbs_fees_2026-11-21.csv');
    // fee 0102031234 and 010203-1234, x-0102031234 (as fee, claim, payment id alike: distinct values), and source_ref 1112131234
    expect(s.warnings.find((w: string) => w.includes('ligner CPR-numre'))).toMatch(/^4 id'er i leverancerne ligner CPR-numre/);
  });

  it('the exports (csv, excel csv, xlsx, parquet, arrow) hold no whole CPR and no live formula', async () => {
    const files: Record<string, string> = {};
    for (const [name, args] of [
      ['all.csv', ['--format', 'csv']],
      ['excel.csv', ['--format', 'csv', '--excel']],
      ['all.xlsx', ['--format', 'xlsx']],
      ['all.parquet', ['--format', 'parquet']],
      ['all.arrow', ['--format', 'arrow']],
    ] as const) {
      files[name] = path.join(dir, name);
      const r = await capture(() => exportCommand(['--config', configPath, ...args, '--out', files[name]]));
      expect(r.result, r.stderr).toBe(0);
    }
    for (const name of ['all.csv', 'excel.csv']) {
      const text = fs.readFileSync(files[name], 'utf8');
      expect(WHOLE_CPR.exec(text)?.[0], name).toBeUndefined();
      const rows = name === 'all.csv' ? csvRows(text) : [];
      for (const r of rows) for (const [col, cell] of Object.entries(r)) expect(live(cell), `${col}: ${cell}`).toBe(false);
      if (name === 'all.csv') {
        expect(rows.some((r) => r.lineage.includes('101/010203-XXXX/fbs_fees_2026-11-21.csv') || r.fee_id === "'-2+3")).toBe(true);
      }
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(files['all.xlsx']);
    // the export's xlsx is laid out like discrepancies.xlsx (FORMATS.md §8): one sheet, Afvigelser
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Afvigelser']);
    let cells = 0;
    wb.getWorksheet('Afvigelser')!.eachRow((row) =>
      row.eachCell((cell) => {
        cells++;
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string') {
          expect(live(cell.value), cell.value).toBe(false);
          expect(WHOLE_CPR.test(cell.value), cell.value).toBe(false);
        }
      }),
    );
    expect(cells).toBeGreaterThan(100);
    const db = await Db.open(':memory:');
    try {
      const rows = await db.all<Record<string, unknown>>(`SELECT * FROM read_parquet('${files['all.parquet']}')`);
      expect(rows.length).toBeGreaterThan(10);
      expect(WHOLE_CPR.exec(JSON.stringify(rows))?.[0]).toBeUndefined();
    } finally {
      db.close();
    }
    const arrow = tableFromIPC(fs.readFileSync(files['all.arrow']));
    const text = JSON.stringify(arrow.toArray().map((r) => r.toJSON()), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(arrow.numRows).toBeGreaterThan(10);
    expect(WHOLE_CPR.exec(text)?.[0]).toBeUndefined();
  });

  it('only `afstem export --unmask` shows the whole ids, and it is recorded', async () => {
    const file = path.join(dir, 'unmasked.csv');
    const r = await capture(() => exportCommand(['--config', configPath, '--format', 'csv', '--out', file, '--unmask']));
    expect(r.result, r.stderr).toBe(0);
    const rows = csvRows(fs.readFileSync(file, 'utf8'));
    expect(rows.map((x) => x.fee_id)).toContain('0102031234');
    expect(rows.map((x) => x.fee_id)).toContain("'=HYPERLINK(\"http://x\")"); // unmasked, still spreadsheet-safe
    const db = await Db.open(path.join(dir, 'data/afstem.duckdb'), { readOnly: true });
    try {
      expect(Number(await db.value(`SELECT count(*) FROM audit_unmask`))).toBe(1);
    } finally {
      db.close();
    }
  });
});

describe('outputs appear together or not at all', () => {
  it('a run whose report step fails leaves the previous outputs whole and its log beside them', async () => {
    const out = path.join(dir, 'atomic');
    expect([0, 3]).toContain((await run(out)).exitCode);
    const before = snapshot(out);
    expect(Object.keys(before)).toContain('.afstem');
    const r = await run(out, {
      beforeStep: (name) => {
        if (name === 'report') throw new Error('disk full (injected)');
      },
    });
    expect(r.exitCode).toBe(1);
    expect(snapshot(out)).toEqual(before);
    const beside = fs.readdirSync(dir).filter((n) => n.startsWith('atomic.'));
    expect(beside).toHaveLength(1);
    expect(beside[0]).toMatch(/^atomic\.failed-\d{8}T\d{6}Z-[0-9a-f]{4}\.log\.jsonl$/);
    expect(fs.readFileSync(path.join(dir, beside[0]), 'utf8')).toContain('disk full (injected)');
  });

  it('a run killed (SIGKILL) before it moves its outputs in leaves the previous ones; the next run cleans up', async () => {
    const out = path.join(dir, 'killed');
    expect([0, 3]).toContain((await run(out)).exitCode);
    const before = snapshot(out);
    const helper = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'run-and-die.ts');
    for (const at of ['outputs', 'summary', 'move']) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', helper, configPath, out, AS_OF, at], { encoding: 'utf8' });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      expect(snapshot(out)).toEqual(before);
      // each run removes what the one before it left; the killed run's own work folder stays until the next
      expect(fs.readdirSync(dir).filter((n) => n.startsWith('killed.tmp-')).length).toBe(1);
    }
    const r = await run(out);
    expect([0, 3]).toContain(r.exitCode);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('killed.'))).toEqual([]);
    const now = snapshot(out);
    for (const f of ['discrepancies.csv', 'reversals.csv', 'latency.csv', 'rejects.csv', 'waves.csv']) expect(now[f], f).toBe(before[f]);
  });
});

describe('a bad --out is refused (exit 2) before anything is loaded', () => {
  const cases: [string, () => string, RegExp][] = [
    ['an existing file', () => (fs.writeFileSync(path.join(dir, 'afile'), 'x'), path.join(dir, 'afile')), /exists and is not a folder/],
    ['a folder afstem did not write', () => (fs.mkdirSync(path.join(dir, 'foreign'), { recursive: true }), fs.writeFileSync(path.join(dir, 'foreign', 'notes.txt'), 'mine'), path.join(dir, 'foreign')), /other content/],
    ['a path under a file (cannot be written)', () => (fs.writeFileSync(path.join(dir, 'afile2'), 'x'), path.join(dir, 'afile2', 'out')), /cannot be (used|written)/],
    ['a folder under /proc (cannot be written)', () => '/proc/afstem-no-such/out', /cannot be written/],
    ['a folder inside the inbox', () => path.join(dir, 'inbox', 'out'), /inside the inbox/],
    ['a folder that holds the database', () => dir, /holds the (inbox|database)/],
  ];
  for (const [what, make, message] of cases) {
    it(what, async () => {
      const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-out-'));
      const cfg = path.join(fresh, 'c.json');
      fs.writeFileSync(cfg, JSON.stringify({ ...JSON.parse(fs.readFileSync(configPath, 'utf8')), inbox: path.join(dir, 'inbox'), database: path.join(fresh, 'db', 'a.duckdb') }));
      const target = make();
      const before = fs.existsSync(target) && fs.statSync(target).isFile() ? fs.readFileSync(target, 'utf8') : undefined;
      const r = await runBatchDetailed({ configPath: cfg, outDir: target, asOf: AS_OF, stream: quiet });
      expect(r.exitCode).toBe(2);
      expect(r.error).toMatch(message);
      expect(fs.existsSync(path.join(fresh, 'db'))).toBe(false); // nothing loaded, no database made
      if (before !== undefined) expect(fs.readFileSync(target, 'utf8')).toBe(before);
      fs.rmSync(fresh, { recursive: true, force: true });
    });
  }
});

describe('what counts as a CPR number standing on its own (FORMATS.md §5)', () => {
  it('masks ten digits or DDMMYY-SSSS with no letter or digit directly beside them', () => {
    expect(maskText('0102031234')).toBe('010203-XXXX');
    expect(maskText('010203-1234')).toBe('010203-XXXX');
    expect(maskText('x-0102031234')).toBe('x-010203-XXXX');
    expect(maskText('101/0102031234/fbs_fees_2026-11-20.csv')).toBe('101/010203-XXXX/fbs_fees_2026-11-20.csv');
    expect(maskText('fbs_0102031234.csv')).toBe('fbs_010203-XXXX.csv');
    expect(maskText('(0102031234)')).toBe('(010203-XXXX)');
  });

  it('leaves ten digits inside a longer run of letters or digits whole: they are not a CPR number', () => {
    expect(maskText('MV0102031234')).toBe('MV0102031234');
    expect(maskText('0102031234X')).toBe('0102031234X');
    expect(maskText('01020312345')).toBe('01020312345');
    expect(maskText('9010203-1234')).toBe('9010203-1234');
    expect(maskText('010203-12345')).toBe('010203-12345');
    expect(maskText('æ0102031234')).toBe('æ0102031234');
  });

  it('the SQL pattern that counts CPR-shaped ids agrees with maskText', async () => {
    const samples = ['0102031234', '010203-1234', 'x-0102031234', 'MV0102031234', '0102031234X', '01020312345', 'æ0102031234', 'F-1', '(0102031234)'];
    const db = await Db.open(':memory:');
    try {
      for (const s of samples) {
        const sql = Boolean(await db.value(`SELECT regexp_matches(${lit(s)}, '${CPR_IN_TEXT_SQL}')`));
        expect(sql, s).toBe(maskText(s) !== s);
      }
    } finally {
      db.close();
    }
  });
});

describe('the one CSV writer', () => {
  const opts = { numberColumns: ['amount', 'line'] };
  it('quotes a text cell that begins with = + - @ tab or CR; number cells stay numbers', () => {
    const text = csvText(['id', 'amount', 'line', 'note'], [
      ['=1+1', '-12.50', 3, '-F4'],
      ['@SUM(1)', '0.00', -1, '\tx'],
      ['+45', null, null, '\rx'],
      ['ok', '=2', '-3', ' =x'],
    ], opts);
    expect(text).toBe(
      'id,amount,line,note\r\n' +
        "'=1+1,-12.50,3,'-F4\r\n" +
        "'@SUM(1),0.00,-1,'\tx\r\n" +
        `'+45,,,"'\rx"\r\n` +
        "ok,'=2,-3, =x\r\n", // a number column holding text is text, and made safe
    );
  });

  it('masks CPR numbers in text cells (unless told not to) and writes the Excel dialect', () => {
    expect(csvText(['id', 'amount'], [['0102031234', '1234.50']], opts)).toBe('id,amount\r\n010203-XXXX,1234.50\r\n');
    expect(csvText(['id', 'amount'], [['0102031234', '-1234.50']], { ...opts, mask: false, delimiter: ';', bom: true, decimalComma: true })).toBe(
      '\uFEFFid;amount\r\n0102031234;-1234,50\r\n',
    );
    expect(csvText(['a'], [['x;y'], ['"q"']], { delimiter: ';' })).toBe('a\r\n"x;y"\r\n"""q"""\r\n');
  });
});
