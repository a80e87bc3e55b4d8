// The auditors' export — every format read back by an independent reader, filters, masking, unmask audit,
// formula neutralising, and the clear message while a run holds the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { tableFromIPC, util } from 'apache-arrow';
import { Db } from '../src/db.ts';
import { exportCommand, parseFilter } from '../src/commands/export.ts';
import { neutralise, toOre } from '../src/export/rows.ts';
import { spreadsheetValue } from '../src/export/xlsx.ts';
import { EXPORT_FORMATS, FORMAT_NAMES, writeExport } from '../src/export/registry.ts';
import { RULE_CODES, ruleRange } from '../src/pipeline/catalog.ts';
import { lockPath } from '../src/lock.ts';
import { DISCREPANCY_STATES_DDL, capture, makeDb, tempDir, writeConfig } from './helpers/command-fixture.ts';

const ROWS = `
INSERT INTO discrepancy_states VALUES
 ('R01','critical','101','F1','F1',NULL,NULL,NULL,NULL,125.50,'Gebyr for låner 010190-1234 ikke overført',
  '101/fbs_fees_2026-11-19.csv:14', TIMESTAMP '2026-11-20 05:00:00','new',NULL,
  TIMESTAMP '2026-04-15 09:00:00',157,'open','S-1'),
 ('R04','critical','101','C2','F2','C2',NULL,NULL,NULL,-10.00,'=HYPERLINK("http://x","klik")',
  '101/fbs_fees_2026-11-17.csv:3; 101/debitor_claims_2026-11-18.csv:7', TIMESTAMP '2026-11-18 23:30:00','persisting',NULL,
  TIMESTAMP '2026-11-18 23:30:00',5,'open','S-2'),
 ('R16','critical','561','C3',NULL,'C3',NULL,NULL,NULL,1234567.89,'Overdækning; "dobbelt" betaling
linje 2', '561/debitor_coverages_2026-11-09.csv:2', TIMESTAMP '2026-11-10 05:00:00','resolved',TIMESTAMP '2026-11-25 05:00:00',
  TIMESTAMP '2026-11-09 05:00:00',10,'open','S-3'),
 ('R06','warning','101','C4','-F4','C4',NULL,NULL,NULL,NULL,'+45 12345678 ringede', '@odd',
  TIMESTAMP '2026-11-19 22:59:59','persisting',NULL, TIMESTAMP '2026-11-19 22:59:59',5,'open','S-4'),
 ('R14','info','561','P5',NULL,NULL,'P5',NULL,NULL,0.01,'cpr 0101901234 i tekst','561/debitor_payments_2026-11-25.csv:9',
  TIMESTAMP '2026-11-26 05:00:00','new',NULL, TIMESTAMP '2026-11-25 05:00:00',0,'open','S-5');
`;

let dir: string;
let config: string;
let database: string;

async function run(args: string[]) {
  return capture(() => exportCommand(['--config', config, ...args]));
}

beforeAll(async () => {
  dir = tempDir('export');
  config = writeConfig(dir);
  database = path.join(dir, 'db.duckdb');
  await makeDb(database, `${DISCREPANCY_STATES_DDL}; ${ROWS}`);
});

async function readWithDuckDb<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
  const db = await Db.open(':memory:');
  try {
    return await db.all<T>(sql);
  } finally {
    db.close();
  }
}

describe('csv', () => {
  it('writes RFC 4180 CSV that DuckDB reads back with exact amounts, masked CPR and neutralised formulas', async () => {
    const out = path.join(dir, 'all.csv');
    const r = await run(['--format', 'csv', '--out', out]);
    expect(r.result).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('rule,severity,municipality,fee_id,claim_id,payment_id,psp_txn_id,coverage_id,amount,detail,first_seen,arose_at,age_banking_days,handling_status,case_ref,assignee,note,follow_up,handled_by,handled_at,state,resolved_at,lineage\r\n')).toBe(true);
    expect(text).not.toContain('010190-1234');
    expect(text).not.toContain('0101901234');
    const rows = await readWithDuckDb<Record<string, string>>(
      `SELECT * FROM read_csv('${out}', header=true, all_varchar=true, quote='"', escape='"', delim=',')`,
    );
    expect(rows.map((x) => x.rule)).toEqual(['R01', 'R04', 'R06', 'R14', 'R16']);
    const by = Object.fromEntries(rows.map((x) => [x.rule, x]));
    expect(by.R01.detail).toBe('Gebyr for låner 010190-XXXX ikke overført');
    expect(by.R14.detail).toBe('cpr 010190-XXXX i tekst');
    expect(by.R04.detail).toBe(`'=HYPERLINK("http://x","klik")`);
    expect(by.R04.amount).toBe('-10.00'); // a negative amount stays a number
    expect(by.R06.detail).toBe(`'+45 12345678 ringede`);
    expect(by.R06.fee_id).toBe(`'-F4`);
    expect(by.R06.lineage).toBe(`'@odd`);
    expect(by.R06.amount).toBeNull();
    expect(by.R16.detail).toBe('Overdækning; "dobbelt" betaling\nlinje 2');
    expect(by.R16.amount).toBe('1234567.89');
    expect(by.R16.resolved_at).toBe('2026-11-25T05:00:00Z');
    expect(by.R04.first_seen).toBe('2026-11-18T23:30:00Z');
    expect([by.R01.arose_at, by.R01.age_banking_days, by.R01.handling_status, by.R01.case_ref]).toEqual(['2026-04-15T09:00:00Z', '157', 'open', 'S-1']);
    expect(by.R04.lineage).toBe('101/fbs_fees_2026-11-17.csv:3; 101/debitor_claims_2026-11-18.csv:7');
    const sum = await readWithDuckDb<{ s: string }>(
      `SELECT sum(amount)::DECIMAL(18,2)::VARCHAR s FROM read_csv('${out}', header=true, types={'amount': 'DECIMAL(18,2)'})`,
    );
    expect(sum[0].s).toBe('1234683.40'); // 125.50 − 10.00 + 1234567.89 + 0.01
  });

  it('--excel gives a BOM, semicolons, decimal comma, Danish headers and values and Copenhagen date-times', async () => {
    const out = path.join(dir, 'excel.csv');
    expect((await run(['--format', 'csv', '--excel', '--out', out])).result).toBe(0);
    const buf = fs.readFileSync(out);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8').slice(1);
    // FORMATS.md §8: the Danish headers of discrepancies.xlsx (before this, the codes: rule;severity;…)
    expect(text.split('\r\n')[0]).toBe('Regel;Alvor;Kommune;Gebyr;Fordring;Indbetaling;Transaktion;Dækning;Beløb;Beskrivelse;Først set;Opstået;Alder (bankdage);Status;Sagsnummer;Ansvarlig;Note;Opfølgning;Behandlet af;Behandlet;Tilstand;Løst;Herkomst');
    expect(text).toContain(';-10,00;');
    expect(text).toContain(';"Overdækning; ""dobbelt"" betaling\nlinje 2";');
    const rows = await readWithDuckDb<Record<string, string>>(
      `SELECT "Regel" AS rule, "Alvor" AS sev, "Beløb"::VARCHAR AS amount, "Først set" AS first_seen, "Opstået" AS arose, "Status" AS status,
              "Tilstand" AS state, "Løst" AS resolved
       FROM read_csv('${out}', header=true, delim=';', decimal_separator=',', all_varchar=false,
                     types={'Beløb': 'DECIMAL(18,2)', 'Først set': 'VARCHAR', 'Opstået': 'VARCHAR', 'Løst': 'VARCHAR'}) ORDER BY rule`,
    );
    expect(rows.map((x) => x.amount)).toEqual(['125.50', '-10.00', null, '0.01', '1234567.89']);
    // codes as Danish labels; instants as Copenhagen wall time, day first: 23:30Z on 18 November is 00:30 on the 19th,
    // 09:00Z on 15 April is 11:00 (summer time)
    expect(rows[1]).toMatchObject({ rule: 'R04', sev: 'kritisk', first_seen: '19-11-2026 00:30:00', status: 'Åben', state: 'vedvarende' });
    expect(rows[0]).toMatchObject({ arose: '15-04-2026 11:00:00', state: 'ny' });
    expect(rows[4]).toMatchObject({ sev: 'kritisk', resolved: '25-11-2026 06:00:00', state: 'løst' });
    expect(rows[3].sev).toBe('info');
    expect(rows[2].sev).toBe('advarsel');
  });
});

describe('filters', () => {
  async function rulesOf(args: string[]): Promise<string[]> {
    const out = path.join(dir, `f-${Math.random().toString(16).slice(2)}.csv`);
    const r = await run(['--format', 'csv', '--out', out, ...args]);
    expect(r.result, r.stderr).toBe(0);
    const rows = await readWithDuckDb<{ rule: string }>(`SELECT rule FROM read_csv('${out}', header=true, all_varchar=true)`);
    return rows.map((x) => x.rule);
  }

  it('state open = new or persisting', async () => {
    expect(await rulesOf(['--state', 'open'])).toEqual(['R01', 'R04', 'R06', 'R14']);
    expect(await rulesOf(['--state', 'resolved'])).toEqual(['R16']);
    expect(await rulesOf(['--state', 'new'])).toEqual(['R01', 'R14']);
  });

  it('rule, severity and municipality', async () => {
    expect(await rulesOf(['--rule', 'R16'])).toEqual(['R16']);
    expect(await rulesOf(['--severity', 'critical', '--municipality', '101'])).toEqual(['R01', 'R04']);
    expect(await rulesOf(['--rule', 'r01,R14'])).toEqual(['R01', 'R14']);
  });

  it('from/to compare the Copenhagen date of first_seen', async () => {
    // R04 first seen 23:30Z on the 18th = 00:30 on the 19th in Copenhagen; R06 22:59:59Z = 23:59:59 on the 19th.
    expect(await rulesOf(['--from', '2026-11-19', '--to', '2026-11-19'])).toEqual(['R04', 'R06']);
    expect(await rulesOf(['--to', '2026-11-18'])).toEqual(['R16']);
    expect(await rulesOf(['--from', '2026-11-20'])).toEqual(['R01', 'R14']);
  });

  it('rejects bad filter values with exit code 2', async () => {
    for (const args of [
      ['--state', 'closed'],
      ['--severity', 'high'],
      ['--rule', 'R00'],
      ['--municipality', '1O1'],
      ['--from', '2026-02-30'],
      ['--from', '2026-11-20', '--to', '2026-11-19'],
    ]) {
      const r = await run(['--format', 'csv', '--out', path.join(dir, 'x.csv'), ...args]);
      expect(r.result).toBe(2);
      expect(r.stderr).toContain('usage: afstem export');
    }
    expect((await run(['--format', 'pdf', '--out', path.join(dir, 'x.pdf')])).result).toBe(2);
    expect((await run(['--format', 'csv'])).result).toBe(2);
    expect(fs.existsSync(path.join(dir, 'x.csv'))).toBe(false);
  });

  it('takes --format and --rule from the registry and the rule catalog, and says which are valid', async () => {
    const pdf = await run(['--format', 'pdf', '--out', path.join(dir, 'x.pdf')]);
    expect(pdf.stderr).toContain(`--format must be one of ${FORMAT_NAMES.join(', ')}`);
    expect(FORMAT_NAMES).toEqual(['csv', 'xlsx', 'parquet', 'arrow']);
    const help = await run(['--help']);
    expect(help.stdout).toContain('--format csv|xlsx|parquet|arrow');
    for (const f of EXPORT_FORMATS) expect(help.stdout).toContain(`${f.name.padEnd(7)}  ${f.help}`);
    expect(help.stdout).toContain(`--rule          ${RULE_CODES[0]}-${RULE_CODES.at(-1)};`);
    for (const code of RULE_CODES) expect(parseFilter({ rule: [code.toLowerCase()] })).toEqual({ rules: [code] });
    expect(() => parseFilter({ rule: ['R00'] })).toThrow(`--rule R00: expected a rule code ${ruleRange()}`);
    const excel = await run(['--format', 'parquet', '--excel', '--out', path.join(dir, 'x.parquet')]);
    expect(excel.result).toBe(2);
    expect(excel.stderr).toContain('--excel applies to --format csv only');
  });

  it('writes through a temporary file: a format that fails leaves neither the file nor the temporary behind', async () => {
    const d = tempDir('export-fail');
    const out = path.join(d, 'x.bin');
    fs.writeFileSync(out, 'the previous export');
    const failing = { name: 'bin', help: 'fails half way', write: async (_rows: unknown, file: string) => {
      fs.writeFileSync(file, 'half');
      throw new Error('disk full');
    } };
    await expect(writeExport([], failing, out)).rejects.toThrow('disk full');
    expect(fs.readdirSync(d)).toEqual(['x.bin']);
    expect(fs.readFileSync(out, 'utf8')).toBe('the previous export');
  });

  it('parseFilter keeps only what was given', () => {
    expect(parseFilter({ state: ['open'], municipality: ['561', '101'] })).toEqual({
      states: ['new', 'persisting'],
      municipalities: ['101', '561'],
    });
  });
});

describe('xlsx', () => {
  it('is like discrepancies.xlsx: Danish headers and values, numeric amounts, Copenhagen date-times, neutralised text', async () => {
    const out = path.join(dir, 'all.xlsx');
    expect((await run(['--format', 'xlsx', '--out', out])).result).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('Afvigelser')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    // FORMATS.md §8 (before this: the column codes, codes as values and instants as UTC text)
    expect(header).toEqual(['Regel', 'Alvor', 'Kommune', 'Gebyr', 'Fordring', 'Indbetaling', 'Transaktion', 'Dækning', 'Beløb', 'Beskrivelse', 'Først set', 'Opstået', 'Alder (bankdage)', 'Status', 'Sagsnummer', 'Ansvarlig', 'Note', 'Opfølgning', 'Behandlet af', 'Behandlet', 'Tilstand', 'Løst', 'Herkomst']);
    expect(ws.rowCount).toBe(6);
    const row = (n: number) => ws.getRow(n);
    // rows in order R01, R04, R06, R14, R16
    expect(row(3).getCell(9).type).toBe(ExcelJS.ValueType.Number);
    expect(row(3).getCell(9).value).toBe(-10);
    expect(row(3).getCell(9).numFmt).toBe('#,##0.00');
    expect(row(6).getCell(9).value).toBe(1234567.89);
    expect(row(5).getCell(9).value).toBe(0.01);
    expect(row(4).getCell(9).value).toBeNull();
    expect(row(3).getCell(10).type).toBe(ExcelJS.ValueType.String);
    expect(row(3).getCell(10).value).toBe(`'=HYPERLINK("http://x","klik")`);
    expect(row(4).getCell(4).value).toBe(`'-F4`);
    expect(row(2).getCell(10).value).toBe('Gebyr for låner 010190-XXXX ikke overført');
    expect(row(2).getCell(3).value).toBe('101');
    expect(row(2).getCell(23).value).toBe('101/fbs_fees_2026-11-19.csv:14');
    // age_banking_days is a number cell, case_ref text
    expect(row(2).getCell(13).value).toBe(157);
    expect(row(2).getCell(15).value).toBe('S-1');
    // Danish values: severity, status, state
    expect([row(2).getCell(2).value, row(2).getCell(14).value, row(2).getCell(21).value]).toEqual(['kritisk', 'Åben', 'ny']);
    expect([row(4).getCell(2).value, row(6).getCell(21).value]).toEqual(['advarsel', 'løst']);
    // instants are date cells holding the Copenhagen wall time: 23:30Z on 18 November is 00:30 on the 19th
    const firstSeen = row(3).getCell(11);
    expect(firstSeen.type).toBe(ExcelJS.ValueType.Date);
    expect((firstSeen.value as Date).toISOString()).toBe('2026-11-19T00:30:00.000Z');
    expect(firstSeen.numFmt).toBe('dd-mm-yyyy hh:mm');
    expect((row(6).getCell(22).value as Date).toISOString()).toBe('2026-11-25T06:00:00.000Z');
    // the drop-down holds the Danish statuses
    expect(ws.getCell('N2').dataValidation?.formulae).toEqual(['"Åben,I gang,Afventer,Forklaret"']);
  });

  it('spreadsheetValue is the nearest double of the decimal and prints back the same', () => {
    expect(spreadsheetValue('1234567.89')).toBe(1234567.89);
    expect(spreadsheetValue('-0.10')).toBe(-0.1);
    expect(spreadsheetValue('9999999999999.99').toFixed(2)).toBe('9999999999999.99');
    expect(() => spreadsheetValue('1.5')).toThrow();
  });
});

describe('parquet', () => {
  it('DuckDB reads it back with amount DECIMAL(38,2) (the amount of a rule is a sum: it may pass 16 integer digits) and instants as TIMESTAMP', async () => {
    const out = path.join(dir, 'all.parquet');
    expect((await run(['--format', 'parquet', '--out', out, '--state', 'open'])).result).toBe(0);
    const types = await readWithDuckDb<{ column_name: string; column_type: string }>(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${out}'))`,
    );
    expect(types.map((t) => t.column_name)).toEqual(['rule', 'severity', 'municipality', 'fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id', 'amount', 'detail', 'first_seen', 'arose_at', 'age_banking_days', 'handling_status', 'case_ref', 'assignee', 'note', 'follow_up', 'handled_by', 'handled_at', 'state', 'resolved_at', 'lineage']);
    expect(types.find((t) => t.column_name === 'amount')!.column_type).toBe('DECIMAL(38,2)');
    expect(types.find((t) => t.column_name === 'first_seen')!.column_type).toBe('TIMESTAMP');
    expect(types.find((t) => t.column_name === 'arose_at')!.column_type).toBe('TIMESTAMP');
    expect(types.find((t) => t.column_name === 'age_banking_days')!.column_type).toBe('INTEGER');
    const rows = await readWithDuckDb<Record<string, string>>(
      `SELECT rule, amount, strftime(first_seen, '%Y-%m-%d %H:%M:%S') fs, detail FROM read_parquet('${out}') ORDER BY rule`,
    );
    expect(rows).toEqual([
      { rule: 'R01', amount: '125.50', fs: '2026-11-20 05:00:00', detail: 'Gebyr for låner 010190-XXXX ikke overført' },
      { rule: 'R04', amount: '-10.00', fs: '2026-11-18 23:30:00', detail: `=HYPERLINK("http://x","klik")` },
      { rule: 'R06', amount: null, fs: '2026-11-19 22:59:59', detail: '+45 12345678 ringede' },
      { rule: 'R14', amount: '0.01', fs: '2026-11-26 05:00:00', detail: 'cpr 010190-XXXX i tekst' },
    ]);
  });
});

describe('arrow', () => {
  it('apache-arrow reads the IPC file: amount Decimal128(18,2), instants Timestamp(ms, UTC)', async () => {
    const out = path.join(dir, 'all.arrow');
    expect((await run(['--format', 'arrow', '--out', out])).result).toBe(0);
    const bytes = fs.readFileSync(out);
    expect(bytes.subarray(0, 6).toString('latin1')).toBe('ARROW1'); // the file format, not the stream format
    const t = tableFromIPC(bytes);
    expect(t.numRows).toBe(5);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['rule', 'severity', 'municipality', 'fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id', 'amount', 'detail', 'first_seen', 'arose_at', 'age_banking_days', 'handling_status', 'case_ref', 'assignee', 'note', 'follow_up', 'handled_by', 'handled_at', 'state', 'resolved_at', 'lineage']);
    const amount = t.getChild('amount')!;
    expect(String(amount.type)).toBe('Decimal[18e+2]');
    const ore = Array.from({ length: t.numRows }, (_, i) => {
      const v = amount.get(i);
      return v === null ? null : util.bigNumToString(v);
    });
    expect(ore).toEqual(['12550', '-1000', null, '1', '123456789']);
    expect(t.getChild('first_seen')!.get(1)).toBe(Date.UTC(2026, 10, 18, 23, 30, 0));
    expect(t.getChild('resolved_at')!.get(4)).toBe(Date.UTC(2026, 10, 25, 5, 0, 0));
    expect(t.getChild('arose_at')!.get(0)).toBe(Date.UTC(2026, 3, 15, 9, 0, 0));
    expect(t.getChild('age_banking_days')!.get(0)).toBe(157);
    expect(t.getChild('detail')!.get(0)).toBe('Gebyr for låner 010190-XXXX ikke overført');
    expect(t.getChild('lineage')!.get(1)).toBe('101/fbs_fees_2026-11-17.csv:3; 101/debitor_claims_2026-11-18.csv:7');
  });
});

describe('unmask', () => {
  it('writes whole CPR numbers only with --unmask, and records who, when, the filter and the row count', async () => {
    const out = path.join(dir, 'unmasked.csv');
    const before = new Date(Date.now() - 1000);
    const r = await run(['--format', 'csv', '--out', out, '--unmask', '--municipality', '101', '--state', 'open']);
    expect(r.result, r.stderr).toBe(0);
    expect(r.stderr).toContain('UNMASKED');
    expect(fs.readFileSync(out, 'utf8')).toContain('Gebyr for låner 010190-1234 ikke overført');
    expect(fs.existsSync(lockPath(database))).toBe(false); // the lock taken for the audit write is released
    const db = await Db.open(database, { readOnly: true });
    try {
      const audit = await db.all<Record<string, unknown>>(
        `SELECT who, filter_json, format, out_file, row_count, strftime(unmasked_at, '%Y-%m-%dT%H:%M:%SZ') AS at FROM audit_unmask`,
      );
      expect(audit).toHaveLength(1);
      expect(audit[0].who).toBe(os.userInfo().username);
      expect(JSON.parse(String(audit[0].filter_json))).toEqual({ municipalities: ['101'], states: ['new', 'persisting'] });
      expect(audit[0].format).toBe('csv');
      expect(audit[0].out_file).toBe(path.resolve(out));
      expect(audit[0].row_count).toBe(3);
      expect(Date.parse(String(audit[0].at))).toBeGreaterThanOrEqual(before.getTime() - 1000);
    } finally {
      db.close();
    }
    // a masked export adds no audit row
    expect((await run(['--format', 'csv', '--out', path.join(dir, 'masked-again.csv')])).result).toBe(0);
    const db2 = await Db.open(database, { readOnly: true });
    try {
      expect(await db2.value(`SELECT count(*) FROM audit_unmask`)).toBe(1);
    } finally {
      db2.close();
    }
  });
});

describe('while a run is in progress', () => {
  it('says so (pid, host, start) instead of failing on the database, and refuses --unmask', async () => {
    const holder = { pid: process.pid, host: os.hostname(), startedAt: '2026-11-27T05:00:02Z', runId: 'run-A' };
    fs.writeFileSync(lockPath(database), JSON.stringify(holder));
    try {
      const r = await run(['--format', 'csv', '--out', path.join(dir, 'busy.csv')]);
      expect(r.result).toBe(2);
      expect(r.stderr).toContain(`a run is in progress (pid ${process.pid}, host ${os.hostname()}, started 2026-11-27T05:00:02Z`);
      const u = await run(['--format', 'csv', '--out', path.join(dir, 'busy2.csv'), '--unmask']);
      expect(u.result).toBe(2);
      expect(u.stderr).toContain(`pid ${process.pid}`);
      expect(fs.existsSync(path.join(dir, 'busy.csv'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'busy2.csv'))).toBe(false);
    } finally {
      fs.rmSync(lockPath(database));
    }
  });
});

describe('cells', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+45', '-F4', '@SUM(A1)', '\tx', '\rx', 'ok', ' =x'].map(neutralise)).toEqual([
      "'=1+1",
      "'+45",
      "'-F4",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      'ok',
      ' =x',
    ]);
    expect(toOre('-12.50')).toBe(-1250n);
    expect(toOre('0.07')).toBe(7n);
  });
});

describe('empty results', () => {
  it('every format writes a header-only file that its reader accepts', async () => {
    const none = ['--rule', 'R22'];
    const csv = path.join(dir, 'none.csv');
    expect((await run(['--format', 'csv', '--out', csv, ...none])).result).toBe(0);
    expect(fs.readFileSync(csv, 'utf8')).toBe(
      'rule,severity,municipality,fee_id,claim_id,payment_id,psp_txn_id,coverage_id,amount,detail,first_seen,arose_at,age_banking_days,handling_status,case_ref,assignee,note,follow_up,handled_by,handled_at,state,resolved_at,lineage\r\n',
    );
    const pq = path.join(dir, 'none.parquet');
    expect((await run(['--format', 'parquet', '--out', pq, ...none])).result).toBe(0);
    expect(await readWithDuckDb(`SELECT count(*)::INTEGER n FROM read_parquet('${pq}')`)).toEqual([{ n: 0 }]);
    const arrow = path.join(dir, 'none.arrow');
    expect((await run(['--format', 'arrow', '--out', arrow, ...none])).result).toBe(0);
    expect(tableFromIPC(fs.readFileSync(arrow)).numRows).toBe(0);
    const xlsx = path.join(dir, 'none.xlsx');
    expect((await run(['--format', 'xlsx', '--out', xlsx, ...none])).result).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.getWorksheet('Afvigelser')!.rowCount).toBe(1);
  });

  it('a database without discrepancy_states says to run the batch first', async () => {
    const d = tempDir('export-empty');
    const c = writeConfig(d);
    await makeDb(path.join(d, 'db.duckdb'), 'CREATE TABLE something (x INTEGER)');
    const r = await capture(() => exportCommand(['--config', c, '--format', 'csv', '--out', path.join(d, 'x.csv')]));
    expect(r.result).toBe(2);
    expect(r.stderr).toContain('run the batch first');
    const nodb = tempDir('export-nodb');
    const r2 = await capture(() => exportCommand(['--config', writeConfig(nodb), '--format', 'csv', '--out', path.join(nodb, 'x.csv')]));
    expect(r2.result).toBe(2);
    expect(r2.stderr).toContain('no database at');
  });
});
