// Hostile files for the reader (FORMATS.md §3–4), built as real bytes: each case is one file in an inbox beside a good
// file, and each asserts that the load finishes, the good file loads, the case's file has the status and the Danish
// reason the contract gives, and rows read = rows loaded + rows rejected. Expected outcomes are written by hand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runBatchDetailed } from '../../src/run/batch.ts';
import { csvRows } from '../helpers/csv.ts';
import { FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';
import type { IngestResult } from '../../src/ingest/ingest.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const FILE = '101/fbs_fees_2026-11-26.csv';
const GOOD = '561/fbs_adjustments_2026-11-26.csv';
const fee = (id: string, amount = '10.00', reason = '') => `${id};adult_cpr;12345678;overdue_fee;${amount};2026-11-26 10:00;open;;;;${reason}`;

/** An inbox with the hostile file and a good file of another municipality; loads it and checks what every case shares. */
async function loadWith(content: string | Buffer, extra: Record<string, unknown> = {}): Promise<IngestResult> {
  fx = await fixture(extra);
  fx.write(FILE, content);
  fx.write(GOOD, 'adjustment_id,fee_id,amount,created_at\nA1,F1,1.00,2026-11-26 10:00\n');
  const r = await fx.load();
  expect(r.files.find((f) => f.path === GOOD)).toMatchObject({ status: 'loaded', rowsRead: 1, rowsLoaded: 1, rowsRejected: 0 });
  for (const f of r.files) expect(f.rowsRead, f.path).toBe(f.rowsLoaded + f.rowsRejected);
  return r;
}
const fileOf = (r: IngestResult) => r.files.find((f) => f.path === FILE)!;
const rejects = () => fx.rows(`SELECT line, reason, raw FROM rejects WHERE path = '${FILE}' ORDER BY line`);
const fees = () => fx.rows(`SELECT fee_id, line, amount::VARCHAR AS amount, reason FROM cur_fbs_fees ORDER BY line`);

describe('line ends: LF, CRLF and a lone CR, mixed within one file', () => {
  it('reads a CRLF header with LF and CRLF rows and a stray CR, counting each line end once', async () => {
    const text =
      `${FEES_HEADER}\r\n` +
      `${fee('F1')}\n` + // line 2
      `${fee('F2')}\r\n` + // line 3
      `${fee('F3')}\r` + // line 4: a CR not followed by LF ends the line
      `${fee('F4', '10.00', '"to\r\nlinjer"')}\n` + // lines 5–6: a CRLF inside quotes
      `${fee('F5', '10.00', '"a\rb\nc"')}\r\n` + // lines 7–9: a lone CR and an LF inside quotes
      `${fee('F6')}`; // line 10, no final line break
    const r = await loadWith(Buffer.from(text, 'utf8'));
    expect(fileOf(r)).toMatchObject({ status: 'loaded', rowsRead: 6, rowsLoaded: 6, rowsRejected: 0 });
    expect(await fees()).toEqual([
      { fee_id: 'F1', line: 2, amount: '10.00', reason: null },
      { fee_id: 'F2', line: 3, amount: '10.00', reason: null },
      { fee_id: 'F3', line: 4, amount: '10.00', reason: null },
      { fee_id: 'F4', line: 5, amount: '10.00', reason: 'to\r\nlinjer' },
      { fee_id: 'F5', line: 7, amount: '10.00', reason: 'a\rb\nc' },
      { fee_id: 'F6', line: 10, amount: '10.00', reason: null },
    ]);
  });

  it('reads a file whose lines end in a lone CR only, and places a bad row on its line', async () => {
    const text = [FEES_HEADER, fee('F1'), fee('F2', '1,5'), '', fee('F3')].join('\r') + '\r';
    const r = await loadWith(text);
    expect(fileOf(r)).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    expect((await fees()).map((f) => [f.fee_id, f.line])).toEqual([['F1', 2], ['F3', 5]]);
    expect(await rejects()).toEqual([
      { line: 3, reason: 'linje 3: amount "1,5" har én decimal; beløb skal have to decimaler', raw: fee('F2', '1,5') },
    ]);
  });

  it('reads a CRLF file whose last row ends in LF (the style changes once, at the end)', async () => {
    const r = await loadWith(`${FEES_HEADER}\r\n${fee('F1')}\r\n${fee('F2')}\n`);
    expect(fileOf(r)).toMatchObject({ status: 'loaded', rowsRead: 2, rowsLoaded: 2 });
    expect((await fees()).map((f) => [f.fee_id, f.line])).toEqual([['F1', 2], ['F2', 3]]);
  });
});

describe('amounts at the edge of DECIMAL(18,2)', () => {
  it('rejects an amount with 17 or more digits before the decimals ("beløbet er for stort") and loads 16 digits exactly', async () => {
    const r = await loadWith(
      [
        FEES_HEADER,
        fee('MAX', '9999999999999999.99'),
        fee('BIG', '10000000000000000.00'),
        fee('BIGGER', '1.000.000.000.000.000.000,00'),
        fee('HUGE', '123456789012345678901234567890.00'),
        fee('ZEROS', '000000000000000000000012.50'),
        fee('THOUSANDS', '9,999,999,999,999,999.99'),
      ].join('\n'),
    );
    expect(fileOf(r)).toMatchObject({ status: 'loaded', rowsRead: 6, rowsLoaded: 3, rowsRejected: 3 });
    expect((await fees()).map((f) => [f.fee_id, f.amount])).toEqual([
      ['MAX', '9999999999999999.99'],
      ['ZEROS', '12.50'],
      ['THOUSANDS', '9999999999999999.99'],
    ]);
    const tooLarge = (n: number) => `har ${n} cifre før decimalerne: beløbet er for stort (højst 16 cifre, 9999999999999999.99)`;
    expect((await rejects()).map((x) => [x.line, x.reason])).toEqual([
      [3, `linje 3: amount "10000000000000000.00" ${tooLarge(17)}`],
      [4, `linje 4: amount "1.000.000.000.000.000.000,00" ${tooLarge(19)}`],
      [5, `linje 5: amount "123456789012345678901234567890.00" ${tooLarge(30)}`],
    ]);
  });
});

describe('ambiguous headers', () => {
  it('rejects a file naming a column by its canonical name and by its alias, naming both; nothing of it loads', async () => {
    const header = 'fee_id;patron_type;debtor_party;fee_type;beloeb;created_at;status;amount';
    const r = await loadWith([header, 'F1;adult_cpr;12345678;overdue_fee;999.00;2026-11-26 10:00;open;20.00', 'F2;adult_cpr;12345678;overdue_fee;5.00;2026-11-26 10:00;open;5.00'].join('\n'));
    const message = 'overskriften er tvetydig: "beloeb" og "amount" er begge kolonnen amount; hvilken kolonne der gælder, kan ikke afgøres';
    expect(fileOf(r)).toMatchObject({ status: 'rejected', rowsRead: 2, rowsLoaded: 0, rowsRejected: 2, message });
    expect(await rejects()).toEqual([{ line: 1, reason: `linje 1: ${message}; hele filen afvises (skilletegn læst som semikolon)`, raw: header }]);
    expect(await fees()).toEqual([]);
  });

  it('rejects a file naming one column twice (case and white space aside), also when another column is missing', async () => {
    const header = 'fee_id,patron_type,debtor_party,fee_type,Amount,status, amount ';
    const r = await loadWith(`${header}\r\nF1,adult_cpr,12345678,overdue_fee,1.00,open,2.00\r\n`);
    const message = 'overskriften er tvetydig: kolonnen "Amount" står 2 gange; hvilken kolonne der gælder, kan ikke afgøres; mangler kolonnen: oprettet (created_at)';
    expect(fileOf(r)).toMatchObject({ status: 'rejected', rowsRead: 1, rowsLoaded: 0, rowsRejected: 1, message });
    expect((await rejects()).map((x) => x.reason)).toEqual([`linje 1: ${message}; hele filen afvises (skilletegn læst som komma)`]);
  });
});

/** UTF-16 bytes with a BOM. */
function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return order === 'le' ? le : le.swap16();
}

describe('UTF-16 with a BOM', () => {
  for (const order of ['le', 'be'] as const) {
    it(`reads UTF-16${order.toUpperCase()}: values, æøå, line breaks in quotes and the lines of bad rows`, async () => {
      const text = [FEES_HEADER, fee('F1', '1.234,50', '"Bogen er våd – Ærø\r\nØster"'), fee('F2', '12,5'), fee('F3', '7.00', 'ok')].join('\r\n') + '\r\n';
      const r = await loadWith(utf16(text, order));
      expect(fileOf(r)).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1, extraColumns: [] });
      expect(await fees()).toEqual([
        { fee_id: 'F1', line: 2, amount: '1234.50', reason: 'Bogen er våd – Ærø\r\nØster' },
        { fee_id: 'F3', line: 5, amount: '7.00', reason: 'ok' },
      ]);
      expect(await rejects()).toEqual([{ line: 4, reason: 'linje 4: amount "12,5" har én decimal; beløb skal have to decimaler', raw: fee('F2', '12,5') }]);
      expect(await fx.rows(`SELECT encoding FROM deliveries WHERE path = '${FILE}'`)).toEqual([{ encoding: `utf-16${order}` }]);
    });
  }
});

describe('empty files', () => {
  const cases: [string, Buffer, string][] = [
    ['no bytes', Buffer.alloc(0), 'filen er tom: den har ingen bytes, ingen overskriftslinje'],
    ['a UTF-8 BOM alone', Buffer.from([0xef, 0xbb, 0xbf]), 'filen er tom: den indeholder kun en BOM, ingen overskriftslinje'],
    ['a UTF-16 BOM alone', Buffer.from([0xff, 0xfe]), 'filen er tom: den indeholder kun en BOM, ingen overskriftslinje'],
    ['blank lines only', Buffer.from('\r\n\n  \t \r\r\n'), 'filen er tom: den indeholder kun tomme linjer, ingen overskriftslinje'],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects a file of ${what} whole, with a reject at line 1`, async () => {
      const r = await loadWith(bytes);
      expect(fileOf(r)).toMatchObject({ status: 'rejected', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, message });
      expect(await rejects()).toEqual([{ line: 1, reason: `linje 1: ${message}; hele filen afvises`, raw: '' }]);
      expect(r.unclean).toBe(true);
    });
  }
});

describe('records longer than the reader takes', () => {
  it('loads a record of 2 MiB (under the 8 MiB limit) exactly', async () => {
    const long = 'æ'.repeat(1024 * 1024); // 2 MiB of UTF-8
    const r = await loadWith([FEES_HEADER, fee('F1'), fee('LONG', '10.00', long), fee('F3')].join('\n'));
    expect(fileOf(r)).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 3, rowsRejected: 0 });
    expect(await fx.rows(`SELECT fee_id, line, length(reason) AS n, reason = '${long}' AS same FROM cur_fbs_fees WHERE fee_id = 'LONG'`)).toEqual([
      { fee_id: 'LONG', line: 3, n: 1024 * 1024, same: true },
    ]);
  });

  it('rejects a 50 MB record with a reason stating the limit, cuts its raw at 64 KiB, and loads the rest', async () => {
    const field = `"${'x'.repeat(50_000_000)}"`;
    const big = fee('BIG', '10.00', field);
    const r = await loadWith(Buffer.from([FEES_HEADER, fee('F1'), big, fee('F3')].join('\r\n') + '\r\n'));
    expect(fileOf(r)).toMatchObject({ status: 'loaded', rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
    expect((await fees()).map((f) => [f.fee_id, f.line])).toEqual([['F1', 2], ['F3', 4]]);
    const bytes = Buffer.byteLength(big).toLocaleString('da-DK');
    const got = await fx.rows(`SELECT line, reason, length(raw) AS n, right(raw, 11) AS tail, left(raw, 20) AS head FROM rejects WHERE path = '${FILE}'`);
    expect(got).toEqual([
      {
        line: 3,
        reason: `linje 3: posten fylder ${bytes} bytes; en post må højst fylde 8.388.608 bytes (8 MiB)`,
        n: 64 * 1024 + '…[afkortet]'.length,
        tail: '…[afkortet]',
        head: 'BIG;adult_cpr;123456',
      },
    ]);
  });
});

describe('reasons a clerk can act on', () => {
  it('names the line, the column as the header names it and the value, in Danish', async () => {
    fx = await fixture();
    fx.write(
      '101/debitor_claims_2026-11-26.csv',
      [
        'fordring_id;kilde_ref;debitorkontotype;fordringskravtype;skyldner;hovedstol;modtaget;forfald',
        'C1;F1;library_fees;overdue_fee;12345678;10,00;2026-11-26 10:30;2026-12-26',
        'C2;F2;library_fees;overdue_fee;12345678;10,00;2026-11-26 10:30;2026-13-01',
        'C3;F3;library_fees;overdue_fee;12345678;12,5;26-11-2026;',
        'C4;F4;voksne;overdue_fee;12345678;;2026-11-26 10:30;',
      ].join('\n'),
    );
    const r = await fx.load();
    expect(r.files[0]).toMatchObject({ status: 'loaded', rowsRead: 4, rowsLoaded: 1, rowsRejected: 3 });
    expect((await fx.rows(`SELECT line, reason FROM rejects ORDER BY line`)).map((x) => x.reason)).toEqual([
      'linje 3: forfald "2026-13-01" er ikke en gyldig dato; datoer skal skrives ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ',
      'linje 4: hovedstol "12,5" har én decimal; beløb skal have to decimaler; modtaget "26-11-2026" er en dato uden klokkeslæt; et tidspunkt skal have et klokkeslæt',
      'linje 5: debitorkontotype "voksne" er ikke en tilladt værdi; tilladte værdier: library_fees, library_fees_minor_with_oa, library_fees_minor_without_oa; hovedstol er tom; en værdi er påkrævet',
    ]);
  });

  it('names the missing columns by their Danish alias and canonical name', async () => {
    const r = await loadWith('mellemvaerende_id;laanertype;skyldner;kravtype;oprettet;status\nF1;adult_cpr;12345678;overdue_fee;2026-11-26 10:00;open\n');
    expect(fileOf(r)).toMatchObject({ status: 'rejected', rowsRead: 1, rowsRejected: 1, message: 'mangler kolonnen: beloeb (amount)' });
    fx.close();
    const r2 = await loadWith('fee_id;status\nF1;open\n');
    expect(fileOf(r2).message).toBe('mangler kolonnerne: laanertype (patron_type), skyldner (debtor_party), kravtype (fee_type), beloeb (amount), oprettet (created_at)');
  });
});

describe('a whole batch with the largest amounts DECIMAL(18,2) holds', () => {
  it('finishes, sums them exactly beyond 18 digits, and rejects the one amount too large as a row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-hostile-'));
    try {
      const M = '9999999999999999.99';
      const write = (rel: string, lines: string[], eol = '\n') => {
        const p = path.join(dir, 'inbox', rel);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, lines.join(eol) + eol);
      };
      // fees: a header in CRLF, rows in LF and CRLF (the mixed line ends that once stopped the batch)
      fs.mkdirSync(path.join(dir, 'inbox', '101'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'inbox', '101', 'fbs_fees_2026-11-26.csv'),
        'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status\r\n' +
          `F1,adult_cpr,12345678,overdue_fee,${M},2026-11-20 10:00,open\n` +
          `F2,adult_cpr,12345678,overdue_fee,${M},2026-11-20 10:00,open\r\n` +
          `F9,adult_cpr,12345678,overdue_fee,10000000000000000.00,2026-11-20 10:00,open\n`,
      );
      write('101/fbs_adjustments_2026-11-26.csv', ['adjustment_id,fee_id,amount,created_at', `A1,F1,${M},2026-11-21 10:00`, `A2,F1,${M},2026-11-21 11:00`]);
      write('101/debitor_claims_2026-11-26.csv', [
        'claim_id,source_ref,account_type,claim_type,debtor_party,principal,received_at',
        `C1,F1,library_fees,overdue_fee,12345678,${M},2026-11-20 10:30`,
        `C2,F2,library_fees,overdue_fee,12345678,${M},2026-11-20 10:30`,
      ]);
      write('101/debitor_adjustments_2026-11-26.csv', ['adjustment_id,claim_id,amount,registered_at', `D1,C1,${M},2026-11-21 10:00`, `D2,C1,${M},2026-11-21 10:00`]);
      write('101/debitor_payments_2026-11-26.csv', ['payment_id,channel,amount,booked_at', `P1,bank,${M},2026-11-21 10:00`, `P2,bank,${M},2026-11-21 10:00`]);
      write('101/debitor_coverages_2026-11-26.csv', [
        'coverage_id,payment_id,claim_id,amount,covered_at',
        `V1,P1,C1,${M},2026-11-21 11:00`,
        `V2,P2,C1,${M},2026-11-21 11:00`,
        `V3,P1,C2,${M},2026-11-21 11:00`,
        `V4,P2,C2,${M},2026-11-21 12:00`,
      ]);
      fs.writeFileSync(
        path.join(dir, 'c.json'),
        JSON.stringify({ inbox: 'inbox', database: 'db/a.duckdb', municipalities: [{ code: '101', name: 'København', debtorSystem: 'prisme_2009', wave: 1, goLive: '2026-04-14' }] }),
      );
      const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
      const out = path.join(dir, 'out');
      const r = await runBatchDetailed({ configPath: path.join(dir, 'c.json'), outDir: out, asOf: '2026-12-01T00:00:00Z', stream: sink });
      expect(r.error).toBeUndefined();
      expect(r.exitCode).toBe(3); // the rejected row, not a failed batch
      const files = r.summary!.files;
      expect(files.every((f) => f.status === 'loaded' && f.rowsRead === f.rowsLoaded + f.rowsRejected)).toBe(true);
      expect(files.find((f) => f.path === '101/fbs_fees_2026-11-26.csv')).toMatchObject({ rowsRead: 3, rowsLoaded: 2, rowsRejected: 1 });
      expect(csvRows(fs.readFileSync(path.join(out, 'rejects.csv'), 'utf8')).map((x) => [x.line, x.reason])).toEqual([
        ['4', 'linje 4: amount "10000000000000000.00" har 17 cifre før decimalerne: beløbet er for stort (højst 16 cifre, 9999999999999999.99)'],
      ]);
      // C1: net max(M − 2M, 0) = 0, covered V1 + V2 = 2M; C2: net M, covered V3 + V4 = 2M. P1 and P2 each cover 2M of M.
      expect(r.summary!.rules.R16.amount).toBe('29999999999999999.97');
      expect(r.summary!.rules.R15.amount).toBe('19999999999999999.98');
      const reversals = csvRows(fs.readFileSync(path.join(out, 'reversals.csv'), 'utf8'));
      expect(reversals.map((x) => [x.claim_id, x.excess_amount])).toEqual([
        ['C1', '19999999999999999.98'],
        ['C2', '9999999999999999.99'],
      ]);
      const discrepancies = csvRows(fs.readFileSync(path.join(out, 'discrepancies.csv'), 'utf8'));
      expect(discrepancies.filter((d) => d.rule === 'R16').map((d) => [d.claim_id, d.amount])).toEqual([
        ['C1', '19999999999999999.98'],
        ['C2', '9999999999999999.99'],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
