// FORMATS.md §1: deltas with whole rows (later export date wins, later row wins), idempotent re-loads by content
// hash, and re-deliveries that replace the earlier delivery of their identity in full.
import { afterEach, describe, expect, it } from 'vitest';
import { FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const fee = (id: string, amount: string, status = 'open') =>
  `${id};adult_cpr;0102031234;overdue_fee;${amount};2026-11-20 10:00;${status};${status === 'paid' ? '2026-11-25 10:00;debitor' : ';'};;`;
const file = (...rows: string[]) => [FEES_HEADER, ...rows].join('\n') + '\n';
// src is "<delivery_id>:<line>"; the delivery names the file
const current = () =>
  fx.rows(`SELECT fee_id, c.amount::VARCHAR AS amount, c.status, src, d.path AS file
           FROM cur_fbs_fees c JOIN deliveries d USING (delivery_id) ORDER BY fee_id`);

describe('deliveries', () => {
  it('loads the same content only once', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00')));
    const first = await fx.load();
    expect(first.files[0].status).toBe('loaded');
    const second = await fx.load();
    expect(second.files[0]).toMatchObject({ status: 'already_loaded', rowsRead: 1, rowsLoaded: 1, rowsRejected: 0 });
    expect(second.unclean).toBe(false);
    expect(await fx.rows(`SELECT count(*) AS n FROM stg_fbs_fees`)).toEqual([{ n: 1 }]);
  });

  it('takes the later export date per key, and the later row within one file', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00'), fee('F2', '20.00'), fee('F2', '21.00')));
    fx.write('101/fbs_fees_2026-11-25.csv', file(fee('F1', '10.00', 'paid')));
    await fx.load();
    expect(await current()).toEqual([
      { fee_id: 'F1', amount: '10.00', status: 'paid', src: '2:2', file: '101/fbs_fees_2026-11-25.csv' },
      { fee_id: 'F2', amount: '21.00', status: 'open', src: '1:4', file: '101/fbs_fees_2026-11-20.csv' },
    ]);
  });

  it('keeps keys apart per municipality', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00')));
    fx.write('561/fbs_fees_2026-11-21.csv', file(fee('F1', '99.00')));
    await fx.load();
    expect(await fx.rows(`SELECT municipality, amount::VARCHAR AS amount FROM cur_fbs_fees ORDER BY municipality`)).toEqual([
      { municipality: '101', amount: '10.00' },
      { municipality: '561', amount: '99.00' },
    ]);
  });

  it('replaces a re-delivered identity in full: keys only in the old delivery fall back or vanish', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00'), fee('F3', '30.00')));
    fx.write('101/fbs_fees_2026-11-21.csv', file(fee('F1', '11.00'), fee('F2', '20.00')));
    await fx.load();
    expect((await current()).map((r) => [r.fee_id, r.amount])).toEqual([['F1', '11.00'], ['F2', '20.00'], ['F3', '30.00']]);

    fx.write('101/fbs_fees_2026-11-21.csv', file(fee('F3', '31.00')));
    const r = await fx.load();
    const redelivered = r.files.find((f) => f.path === '101/fbs_fees_2026-11-21.csv')!;
    expect(redelivered.status).toBe('replaced');
    expect(redelivered.message).toBe(
      'genlevering: erstatter hele den tidligere levering 101/fbs_fees_2026-11-21.csv af 101/fbs_fees 2026-11-21',
    );
    // F1 falls back to the 20 November export, F2 vanishes, F3 takes the new value
    expect((await current()).map((r) => [r.fee_id, r.amount])).toEqual([['F1', '10.00'], ['F3', '31.00']]);
    expect(await fx.rows(`SELECT count(*) AS n FROM deliveries WHERE active`)).toEqual([{ n: 2 }]);
  });

  it('takes two deliveries of one identity in path order and stays put on the next run', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00')));
    fx.write('101/sub/fbs_fees_2026-11-20.csv', file(fee('F1', '12.00')));
    const first = await fx.load();
    expect(first.files.map((f) => [f.path, f.status])).toEqual([['101/sub/fbs_fees_2026-11-20.csv', 'replaced']]);
    expect((await current()).map((r) => r.amount)).toEqual(['12.00']);
    const second = await fx.load();
    expect(second.files.map((f) => [f.path, f.status])).toEqual([['101/sub/fbs_fees_2026-11-20.csv', 'already_loaded']]);
    expect((await current()).map((r) => r.amount)).toEqual(['12.00']);
  });

  it('lists an identical re-delivery under another path as already loaded, naming the path it repeats', async () => {
    fx = await fixture();
    const content = file(fee('F1', '10.00'), fee('F2', '1,0'));
    fx.write('101/fbs_fees_2026-11-20.csv', content);
    fx.write('101/resend/fbs_fees_2026-11-20.csv', content);
    const first = await fx.load();
    expect(first.files.map((f) => [f.path, f.status, f.rowsRead, f.rowsLoaded, f.rowsRejected, f.message])).toEqual([
      ['101/fbs_fees_2026-11-20.csv', 'loaded', 2, 1, 1, null],
      [
        '101/resend/fbs_fees_2026-11-20.csv',
        'already_loaded',
        2,
        1,
        1,
        'allerede indlæst: "101/resend/fbs_fees_2026-11-20.csv" har samme indhold som 101/fbs_fees_2026-11-20.csv, der er indlæst før; intet ændres',
      ],
    ]);
    // loaded once: one staged row, one reject
    expect(await fx.rows(`SELECT count(*) AS n FROM stg_fbs_fees`)).toEqual([{ n: 1 }]);
    expect(await fx.rows(`SELECT path, line FROM rejects`)).toEqual([{ path: '101/fbs_fees_2026-11-20.csv', line: 3 }]);
    // the next night (same files) lists both again, the original now already loaded itself
    const second = await fx.load();
    expect(second.files.map((f) => [f.path, f.status])).toEqual([
      ['101/fbs_fees_2026-11-20.csv', 'already_loaded'],
      ['101/resend/fbs_fees_2026-11-20.csv', 'already_loaded'],
    ]);
    expect(second.files[1].message).toContain('samme indhold som 101/fbs_fees_2026-11-20.csv');
  });

  it('drops the rejects of a replaced delivery with it', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '1,0')));
    await fx.load();
    expect(await fx.rows(`SELECT count(*) AS n FROM rejects`)).toEqual([{ n: 1 }]);
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '1.00')));
    const r = await fx.load();
    expect(r.unclean).toBe(false);
    expect(await fx.rows(`SELECT count(*) AS n FROM rejects`)).toEqual([{ n: 0 }]);
  });
});
