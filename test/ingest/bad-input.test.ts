// FORMATS.md §4: a row that breaks the contract is rejected on its own with file, line, reason and raw record;
// a file without a required column is rejected whole; unknown files are reported; nothing is lost.
import { afterEach, describe, expect, it } from 'vitest';
import { FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const FEE = (id: string, over: Partial<Record<'amount' | 'created' | 'status' | 'patron' | 'paid' | 'source', string>> = {}) =>
  [
    id,
    over.patron ?? 'adult_cpr',
    '0102031234',
    'overdue_fee',
    over.amount ?? '10.00',
    over.created ?? '2026-11-26 10:00',
    over.status ?? 'open',
    over.paid ?? '',
    over.source ?? '',
    '',
    '',
  ].join(';');

describe('bad input', () => {
  it('rejects each bad row on its own with a reason a clerk understands, and loads the rest', async () => {
    fx = await fixture();
    fx.write(
      '101/fbs_fees_2026-11-26.csv',
      [
        FEES_HEADER,
        FEE('OK1'),
        FEE('B1', { amount: '12,5' }),
        FEE('B2', { created: '2026-02-30 10:00' }),
        FEE('B3', { patron: 'grown_up' }),
        FEE('B4', { amount: '' }),
        FEE('B5', { status: 'paid' }),
        'B6;adult_cpr;0102031234;overdue_fee;10.00',
        FEE('B7', { created: '2026-11-26' }),
        FEE('B8', { amount: '0.00' }),
        FEE('B9', { amount: '-5.00' }),
        FEE('B10', { amount: '5.5.00' }),
        '',
        FEE('OK2', { status: 'paid', paid: '2026-11-26 11:00', source: 'debitor' }),
      ].join('\r\n') + '\r\n',
    );
    const r = await fx.load();
    expect(r.unclean).toBe(true);
    expect(r.files[0]).toMatchObject({ status: 'loaded', rowsRead: 12, rowsLoaded: 2, rowsRejected: 10 });
    expect(await fx.rows(`SELECT fee_id FROM cur_fbs_fees ORDER BY fee_id`)).toEqual([{ fee_id: 'OK1' }, { fee_id: 'OK2' }]);
    const rejects = await fx.rows(`SELECT line, reason, raw FROM rejects ORDER BY line`);
    expect(rejects.map((x) => [x.line, x.reason])).toEqual([
      [3, 'linje 3: amount "12,5" har én decimal; beløb skal have to decimaler'],
      [4, 'linje 4: created_at "2026-02-30 10:00" er ikke et gyldigt tidspunkt; et tidspunkt skal have en gyldig dato og et klokkeslæt, f.eks. 2026-11-26 10:15:00, 26-11-2026 10:15 eller 2026-11-26T10:15:00+01:00'],
      [5, 'linje 5: patron_type "grown_up" er ikke en tilladt værdi; tilladte værdier: adult_cpr, adult_replacement_cpr, company_cvr, child_oa_cpr, child_oa_replacement_cpr, child_cpr, child_replacement_cpr'],
      [6, 'linje 6: amount er tom; en værdi er påkrævet'],
      [7, 'linje 7: paid_at er tom; en værdi er påkrævet, når status er paid; payment_source er tom; en værdi er påkrævet, når status er paid'],
      [8, 'linje 8: posten har 5 felter; overskriften har 11 (skilletegn semikolon)'],
      [9, 'linje 9: created_at "2026-11-26" er en dato uden klokkeslæt; et tidspunkt skal have et klokkeslæt'],
      [10, 'linje 10: amount er 0,00; beløb skal være større end 0'],
      [11, 'linje 11: amount "-5.00" er negativt; beløb skal være større end 0'],
      [12, 'linje 12: amount "5.5.00" er ikke et beløb; beløb skal have to decimaler (1234.50, 1234,50, 1.234,50 eller 1,234.50)'],
    ]);
    // the raw record is decoded, without its line break, CPR masked
    expect(rejects[0].raw).toBe('B1;adult_cpr;010203-XXXX;overdue_fee;12,5;2026-11-26 10:00;open;;;;');
  });

  it('rejects a row that needs a column the header lacks', async () => {
    fx = await fixture();
    fx.write(
      '101/fbs_fees_2026-11-26.csv',
      'fee_id;patron_type;debtor_party;fee_type;amount;created_at;status\nP1;adult_cpr;12345678;overdue_fee;1.00;2026-11-26 10:00;paid\nP2;adult_cpr;12345678;overdue_fee;1.00;2026-11-26 10:00;open\n',
    );
    const r = await fx.load();
    expect(r.files[0]).toMatchObject({ rowsRead: 2, rowsLoaded: 1, rowsRejected: 1 });
    expect(await fx.rows(`SELECT line, reason FROM rejects`)).toEqual([
      {
        line: 2,
        reason:
          'linje 2: paid_at er tom; en værdi er påkrævet, når status er paid (filen har ingen kolonne paid_at); payment_source er tom; en værdi er påkrævet, når status er paid (filen har ingen kolonne payment_source)',
      },
    ]);
  });

  it('rejects a file whose header lacks a required column whole, with one reject at line 1', async () => {
    fx = await fixture();
    fx.write('101/debitor_payments_2026-11-26.csv', 'payment_id,channel,amount\nP1,psp,1.00\n\nP2,bank,2.00\nP3,bank,3.00\n');
    fx.write('101/fbs_adjustments_2026-11-26.csv', 'adjustment_id,fee_id,amount,created_at\nA1,F1,1.00,2026-11-26 10:00\n');
    const r = await fx.load();
    expect(r.files.map((f) => [f.path, f.status, f.rowsRead, f.rowsLoaded, f.rowsRejected, f.message])).toEqual([
      ['101/debitor_payments_2026-11-26.csv', 'rejected', 3, 0, 3, 'mangler kolonnen: bogfoert (booked_at)'],
      ['101/fbs_adjustments_2026-11-26.csv', 'loaded', 1, 1, 0, null],
    ]);
    expect(await fx.rows(`SELECT path, line, reason, raw FROM rejects`)).toEqual([
      {
        path: '101/debitor_payments_2026-11-26.csv',
        line: 1,
        reason: 'linje 1: mangler kolonnen: bogfoert (booked_at); hele filen afvises (skilletegn læst som komma)',
        raw: 'payment_id,channel,amount',
      },
    ]);
  });

  it('reports unknown files without loading them', async () => {
    fx = await fixture();
    fx.write('101/notes.txt', 'hello');
    fx.write('999/fbs_fees_2026-11-26.csv', FEES_HEADER);
    fx.write('101/fbs_fees_2026-13-01.csv', FEES_HEADER);
    fx.write('loose.csv', FEES_HEADER);
    const r = await fx.load();
    expect(r.unclean).toBe(true);
    expect(r.files.map((f) => [f.path, f.status, f.rowsRead, f.message])).toEqual([
      ['101/fbs_fees_2026-13-01.csv', 'unknown', 0, 'ukendt fil: "101/fbs_fees_2026-13-01.csv" har ingen rigtig eksportdato (2026-13-01)'],
      ['101/notes.txt', 'unknown', 0, 'ukendt fil: "101/notes.txt" hedder ikke <art>_<ÅÅÅÅ-MM-DD>.csv med en kendt art'],
      ['999/fbs_fees_2026-11-26.csv', 'unknown', 0, 'ukendt fil: "999/fbs_fees_2026-11-26.csv" ligger i mappen 999, men kommune 999 er ikke i konfigurationen'],
      ['loose.csv', 'unknown', 0, 'ukendt fil: "loose.csv" ligger direkte i indbakken, uden for en kommunemappe'],
    ]);
  });

  it('rejects broken quoting and an unterminated quote, and skips blank lines without counting them', async () => {
    fx = await fixture();
    fx.write(
      '101/fbs_fees_2026-11-26.csv',
      [FEES_HEADER, '', FEE('OK1'), '   ', 'Q1;adult_cpr;0102031234;overdue_fee;1.00;2026-11-26 10:00;open;;;;"a"b', FEE('OK2'), 'Q2;adult_cpr;0102031234;overdue_fee;1.00;2026-11-26 10:00;open;;;;"never closed\nstill'].join('\n'),
    );
    const r = await fx.load();
    expect(r.files[0]).toMatchObject({ rowsRead: 4, rowsLoaded: 2, rowsRejected: 2 });
    expect(await fx.rows(`SELECT fee_id, line FROM cur_fbs_fees ORDER BY fee_id`)).toEqual([
      { fee_id: 'OK1', line: 3 },
      { fee_id: 'OK2', line: 6 },
    ]);
    expect(await fx.rows(`SELECT line, reason FROM rejects ORDER BY line`)).toEqual([
      { line: 5, reason: 'linje 5: forkert brug af anførselstegn: tekst lige efter et afsluttende anførselstegn' },
      { line: 7, reason: 'linje 7: et felt i anførselstegn lukkes aldrig: posten løber til filens slutning' },
    ]);
  });

  it('takes values as given: white space around a value is not trimmed away (only headers are trimmed)', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-26.csv', [FEES_HEADER, FEE('T1', { amount: ' 12.00' }), FEE('T2', { amount: '1.234.567,89' })].join('\n'));
    const r = await fx.load();
    expect(r.files[0]).toMatchObject({ rowsRead: 2, rowsLoaded: 1, rowsRejected: 1 });
    expect(await fx.rows(`SELECT fee_id, amount::VARCHAR AS amount FROM cur_fbs_fees`)).toEqual([{ fee_id: 'T2', amount: '1234567.89' }]);
    expect(await fx.rows(`SELECT line, reason FROM rejects`)).toEqual([
      { line: 2, reason: 'linje 2: amount " 12.00" er ikke et beløb; beløb skal have to decimaler (1234.50, 1234,50, 1.234,50 eller 1,234.50)' },
    ]);
  });

  it('rejects an empty file whole, with a reject at line 1 that says so', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-26.csv', '');
    const r = await fx.load();
    expect(r.files[0]).toMatchObject({ status: 'rejected', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, message: 'filen er tom: den har ingen bytes, ingen overskriftslinje' });
    expect(await fx.rows(`SELECT line, reason, raw FROM rejects`)).toEqual([
      { line: 1, reason: 'linje 1: filen er tom: den har ingen bytes, ingen overskriftslinje; hele filen afvises', raw: '' },
    ]);
  });
});
