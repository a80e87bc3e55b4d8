// FORMATS.md §3: every dialect is read without being told, and a pinned dialect is read that way only.
import { afterEach, describe, expect, it } from 'vitest';
import { cp1252, FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const feeCols = `fee_id, amount::VARCHAR AS amount, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS created_at, status, reason, line`;

describe('dialects', () => {
  it('reads UTF-8 without BOM, semicolons, LF, ISO values', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-26.csv', `${FEES_HEADER}\nF1;adult_cpr;0102031234;overdue_fee;1234.50;2026-11-26T10:15:00+01:00;open;;;;\n`);
    const r = await fx.load();
    expect(r.files[0]).toMatchObject({ status: 'loaded', rowsRead: 1, rowsLoaded: 1, rowsRejected: 0 });
    expect(await fx.rows(`SELECT ${feeCols} FROM cur_fbs_fees`)).toEqual([
      { fee_id: 'F1', amount: '1234.50', created_at: '2026-11-26T09:15:00.000000Z', status: 'open', reason: null, line: 2 },
    ]);
  });

  it('reads UTF-8 with BOM, commas, CRLF, quoted 1,234.50 and day-first timestamps', async () => {
    fx = await fixture();
    const header = FEES_HEADER.replaceAll(';', ',');
    fx.write(
      '101/fbs_fees_2026-11-26.csv',
      `\uFEFF${header}\r\nF1,adult_cpr,0102031234,overdue_fee,"1,234.50",26-11-2026 10:15:00,open,,,,\r\nF2,adult_cpr,0102031234,overdue_fee,7.00,26.11.2026 10:15,open,,,,\r\n`,
    );
    await fx.load();
    expect(await fx.rows(`SELECT fee_id, amount::VARCHAR AS amount, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS t FROM cur_fbs_fees ORDER BY fee_id`)).toEqual([
      { fee_id: 'F1', amount: '1234.50', t: '2026-11-26T09:15:00Z' },
      { fee_id: 'F2', amount: '7.00', t: '2026-11-26T09:15:00Z' },
    ]);
  });

  it('reads Windows-1252 with tabs and 1.234,50, and keeps æøå and € exactly (round trip)', async () => {
    fx = await fixture();
    const text = `${FEES_HEADER.replaceAll(';', '\t')}\r\nF1\tadult_cpr\t0102031234\toverdue_fee\t1.234,50\t26.11.2026 10:15\topen\t\t\t\t"Bogen ""Æblet"" er våd – gebyr 5 €; ØÅ"\r\n`;
    fx.write('101/fbs_fees_2026-11-26.csv', cp1252(text));
    await fx.load();
    expect(await fx.rows(`SELECT amount::VARCHAR AS amount, reason FROM cur_fbs_fees`)).toEqual([
      { amount: '1234.50', reason: 'Bogen "Æblet" er våd – gebyr 5 €; ØÅ' },
    ]);
    expect(await fx.rows(`SELECT encoding, delimiter FROM deliveries`)).toEqual([{ encoding: 'windows-1252', delimiter: '\t' }]);
  });

  it('keeps quoted delimiters, doubled quotes and line breaks, and the physical line of every record', async () => {
    fx = await fixture();
    fx.write(
      '101/fbs_fees_2026-11-26.csv',
      `${FEES_HEADER}\r\nF1;adult_cpr;0102031234;overdue_fee;10.00;2026-11-26 10:00;open;;;;"a; ""b""\r\nc\r\nd"\r\nF2;adult_cpr;0102031234;overdue_fee;11.00;2026-11-26 10:00;open;;;;<b>x</b>\r\n`,
    );
    await fx.load();
    expect(await fx.rows(`SELECT fee_id, reason, line, src FROM cur_fbs_fees ORDER BY fee_id`)).toEqual([
      { fee_id: 'F1', reason: 'a; "b"\r\nc\r\nd', line: 2, src: '1:2' },
      { fee_id: 'F2', reason: '<b>x</b>', line: 5, src: '1:5' },
    ]);
  });

  it('matches Danish aliases case-insensitively in any order and lists extra columns', async () => {
    fx = await fixture();
    fx.write(
      '101/fbs_fees_2026-11-26.csv',
      ` BELOEB ;Mellemvaerende_ID;laanertype;skyldner;kravtype;oprettet;status;Filial\n12.00;F1;Adult_CPR;12345678;OVERDUE_FEE;2026-11-26 10:00;Open;Hovedbiblioteket\n`,
    );
    const r = await fx.load();
    expect(r.files[0].extraColumns).toEqual(['Filial']);
    expect(await fx.rows(`SELECT fee_id, amount::VARCHAR AS amount, patron_type, fee_type, status FROM cur_fbs_fees`)).toEqual([
      { fee_id: 'F1', amount: '12.00', patron_type: 'adult_cpr', fee_type: 'overdue_fee', status: 'open' },
    ]);
  });

  it("accepts seed 004's Danish titles for account and claim types", async () => {
    fx = await fixture();
    fx.write(
      '101/debitor_claims_2026-11-26.csv',
      [
        'fordring_id;kilde_ref;debitorkontotype;fordringskravtype;skyldner;hovedstol;modtaget;forfald',
        'C1;F1;Biblioteksgebyrer  og erstatninger;Biblioteksgebyr, overskredet lånetid;0102031234;10,00;2026-11-26 10:30;26-12-2026',
        'C2;F2;BIBLIOTEKSGEBYRER OG ERSTATNINGER FOR PERSONER UNDER GRÆNSEALDER MED ØKONOMISK ANSVARLIG;Bibliotekserstatningskrav med anerkendelse eller kvittering;0102031234;10,00;2026-11-26 10:30;2026-12-26',
        'C3;F3;Biblioteksgebyrer og erstatninger for personer under grænsealder uden økonomisk ansvarlig;Bibliotekserstatningskrav uden anerkendelse eller kvittering;0102031234;10,00;2026-11-26 10:30;26.12.2026',
        'C4;F4;library_fees;replacement_ack;0102031234;10,00;2026-11-26 10:30;',
      ].join('\n'),
    );
    const r = await fx.load();
    expect(r.files[0].rowsRejected).toBe(0);
    expect(await fx.rows(`SELECT claim_id, account_type, claim_type, strftime(due_date, '%Y-%m-%d') AS due FROM cur_debitor_claims ORDER BY claim_id`)).toEqual([
      { claim_id: 'C1', account_type: 'library_fees', claim_type: 'overdue_fee', due: '2026-12-26' },
      { claim_id: 'C2', account_type: 'library_fees_minor_with_oa', claim_type: 'replacement_ack', due: '2026-12-26' },
      { claim_id: 'C3', account_type: 'library_fees_minor_without_oa', claim_type: 'replacement_no_ack', due: '2026-12-26' },
      { claim_id: 'C4', account_type: 'library_fees', claim_type: 'replacement_ack', due: null },
    ]);
  });

  it('reads every timestamp form, offsets and fractions, naive as Copenhagen time with the DST rules', async () => {
    fx = await fixture();
    const cases: [string, string][] = [
      ['2026-11-26T10:15:00Z', '2026-11-26T10:15:00.000000Z'],
      ['2026-11-26T10:15:00+0100', '2026-11-26T09:15:00.000000Z'],
      ['2026-07-01T10:15:00.123456+02:00', '2026-07-01T08:15:00.123456Z'],
      ['2026-11-26T10:15:00-03:30', '2026-11-26T13:45:00.000000Z'],
      // an offset without its colon that is not Copenhagen's of the day: read by the offset, not as a naive time
      // (a zone test that missed '+0100' read these as 08:15Z and 09:15Z; checked by dropping that test from typing.ts)
      ['2026-07-01T10:15:00+0100', '2026-07-01T09:15:00.000000Z'],
      ['2026-11-26T10:15:00-0330', '2026-11-26T13:45:00.000000Z'],
      ['2026-11-26T10:15', '2026-11-26T09:15:00.000000Z'],
      ['2026-07-01 10:15:00.5', '2026-07-01T08:15:00.500000Z'],
      ['26-11-2026 10:15:00', '2026-11-26T09:15:00.000000Z'],
      ['26.11.2026 10:15', '2026-11-26T09:15:00.000000Z'],
      // the autumn hour 02:00–03:00 happens twice: the earlier instant (+02:00)
      ['2026-10-25 02:30', '2026-10-25T00:30:00.000000Z'],
      ['2026-10-25 01:59', '2026-10-24T23:59:00.000000Z'],
      ['2026-10-25 03:00', '2026-10-25T02:00:00.000000Z'],
      // the spring gap 02:00–03:00 does not exist: moved forward one hour
      ['2026-03-29 02:30', '2026-03-29T01:30:00.000000Z'],
      ['2026-03-29 01:59', '2026-03-29T00:59:00.000000Z'],
      ['2026-03-29 03:00', '2026-03-29T01:00:00.000000Z'],
    ];
    const lines = cases.map(([v], i) => `F${i};adult_cpr;0102031234;overdue_fee;1.00;${v};open;;;;`);
    fx.write('101/fbs_fees_2026-11-26.csv', [FEES_HEADER, ...lines].join('\n'));
    const r = await fx.load();
    expect(r.files[0].rowsRejected).toBe(0);
    const got = await fx.rows(`SELECT line, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS t FROM cur_fbs_fees ORDER BY line`);
    expect(got.map((g) => g.t)).toEqual(cases.map(([, t]) => t));
  });

  it('reads a pinned dialect that way only: a value that does not fit is a rejected row; the municipality entry wins', async () => {
    fx = await fixture({
      dialects: {
        fbs_fees: { decimal: ',', dates: 'dmy' },
        '561/fbs_fees': { decimal: '.' },
      },
    });
    const body = (rows: string[]) => [FEES_HEADER, ...rows].join('\n');
    fx.write(
      '101/fbs_fees_2026-11-26.csv',
      body([
        'A1;adult_cpr;0102031234;overdue_fee;1.234,50;26-11-2026 10:00;open;;;;',
        'A2;adult_cpr;0102031234;overdue_fee;1234.50;26-11-2026 10:00;open;;;;',
        'A3;adult_cpr;0102031234;overdue_fee;12,00;2026-11-26 10:00;open;;;;',
      ]),
    );
    fx.write(
      '561/fbs_fees_2026-11-26.csv',
      body([
        'B1;adult_cpr;0102031234;overdue_fee;1234.50;2026-11-26 10:00;open;;;;',
        'B2;adult_cpr;0102031234;overdue_fee;1234,50;26-11-2026 10:00;open;;;;',
      ]),
    );
    await fx.load();
    expect(await fx.rows(`SELECT fee_id, amount::VARCHAR AS amount FROM cur_fbs_fees ORDER BY fee_id`)).toEqual([
      { fee_id: 'A1', amount: '1234.50' },
      { fee_id: 'B1', amount: '1234.50' },
    ]);
    expect(await fx.rows(`SELECT path, line, reason FROM rejects ORDER BY path, line`)).toEqual([
      {
        path: '101/fbs_fees_2026-11-26.csv',
        line: 3,
        reason: 'linje 3: amount "1234.50" er ikke et beløb; beløb skal have to decimaler efter et komma (1234,50 eller 1.234,50), som konfigurationen fastlægger',
      },
      {
        path: '101/fbs_fees_2026-11-26.csv',
        line: 4,
        reason:
          'linje 4: created_at "2026-11-26 10:00" er ikke et gyldigt tidspunkt; et tidspunkt skal have en gyldig dato skrevet DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ og et klokkeslæt, f.eks. 26-11-2026 10:15 eller 26.11.2026 10:15:00, som konfigurationen fastlægger',
      },
      {
        path: '561/fbs_fees_2026-11-26.csv',
        line: 3,
        reason: 'linje 3: amount "1234,50" er ikke et beløb; beløb skal have to decimaler efter et punktum (1234.50 eller 1,234.50), som konfigurationen fastlægger',
      },
    ]);
  });
});
