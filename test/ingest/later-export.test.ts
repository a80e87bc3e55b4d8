// FORMATS.md §1: when a key arrives again in a later export, the later export date wins, whatever the order the
// files were loaded in and wherever the row sits in its file; within one file the later row wins; a re-delivery
// replaces the earlier delivery of its identity in full.
import { afterEach, describe, expect, it } from 'vitest';
import { FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const fee = (id: string, amount: string) => `${id};adult_cpr;0102031234;overdue_fee;${amount};2026-11-20 10:00;open;;;;`;
const file = (...rows: string[]) => [FEES_HEADER, ...rows].join('\n') + '\n';
const amounts = async () =>
  (await fx.rows(`SELECT fee_id, amount::VARCHAR AS amount FROM cur_fbs_fees ORDER BY fee_id`)).map((r) => `${r.fee_id} ${r.amount}`);

describe('the later export date wins', () => {
  it('over a row further down an earlier export', async () => {
    fx = await fixture();
    // F1 on line 4 of the 20 November export, on line 2 of the 25 November export: the 25th wins.
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F2', '20.00'), fee('F3', '30.00'), fee('F1', '10.00')));
    fx.write('101/fbs_fees_2026-11-25.csv', file(fee('F1', '15.00')));
    await fx.load();
    expect(await amounts()).toEqual(['F1 15.00', 'F2 20.00', 'F3 30.00']);
  });

  it('when the earlier export arrives in a later run', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-25.csv', file(fee('F1', '15.00')));
    await fx.load();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00'), fee('F2', '20.00')));
    await fx.load();
    expect(await amounts()).toEqual(['F1 15.00', 'F2 20.00']);
  });

  it('when the earlier export sorts later by path', async () => {
    fx = await fixture();
    fx.write('101/a/fbs_fees_2026-11-25.csv', file(fee('F1', '15.00')));
    fx.write('101/b/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00')));
    await fx.load();
    expect(await amounts()).toEqual(['F1 15.00']);
  });

  it('within one file the later row wins, also for a key repeated three times', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00'), fee('F2', '20.00'), fee('F1', '11.00'), fee('F1', '12.00')));
    await fx.load();
    expect(await amounts()).toEqual(['F1 12.00', 'F2 20.00']);
  });

  it('a re-delivery of the later export replaces it in full: its keys fall back to the earlier export', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', file(fee('F1', '10.00'), fee('F2', '20.00')));
    fx.write('101/fbs_fees_2026-11-25.csv', file(fee('F1', '15.00'), fee('F2', '25.00'), fee('F3', '35.00')));
    await fx.load();
    expect(await amounts()).toEqual(['F1 15.00', 'F2 25.00', 'F3 35.00']);
    fx.write('101/fbs_fees_2026-11-25.csv', file(fee('F2', '26.00')));
    await fx.load();
    // F1 falls back to 20 November, F2 takes the re-delivered value, F3 is gone with the replaced delivery
    expect(await amounts()).toEqual(['F1 10.00', 'F2 26.00']);
  });
});
