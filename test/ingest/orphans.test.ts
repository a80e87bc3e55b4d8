// A load cut off before its deliveries were registered leaves staged rows (and rejects) under delivery ids that no
// registered delivery has; the next load removes exactly those, whether their ids lie above the highest registered
// id or in a gap below it (a cut-off run registers some of its deliveries and not others), and nothing else.
// (Checked by mutation: with only the ids above the highest removed, the gap's rows stay and the test fails.)
import { afterEach, describe, expect, it } from 'vitest';
import { FEES_HEADER, fixture, type Fixture } from '../helpers/ingest-fixture.ts';

let fx: Fixture;
afterEach(() => fx?.close());

const fee = (id: string) => `${id};adult_cpr;0102031234;overdue_fee;10.00;2026-11-20 10:00;open;;;;`;

describe('rows of a cut-off load', () => {
  it('are removed by the next load when no registered delivery has their id, above the highest or in a gap', async () => {
    fx = await fixture();
    fx.write('101/fbs_fees_2026-11-20.csv', [FEES_HEADER, fee('F1'), fee('F2')].join('\n') + '\n');
    fx.write('561/fbs_fees_2026-11-20.csv', [FEES_HEADER, fee('F3')].join('\n') + '\n');
    await fx.load();
    const hi = Number((await fx.rows(`SELECT max(delivery_id) AS m FROM deliveries`))[0].m);
    const staged = await fx.rows(`SELECT delivery_id, fee_id FROM stg_fbs_fees ORDER BY fee_id`);
    expect(staged).toHaveLength(3);
    // a cut-off run staged hi+1, hi+2 and hi+3 and registered hi+2 only (a copy of a delivery, not in effect)
    await fx.db.run(`INSERT INTO deliveries SELECT * REPLACE (${hi + 2} AS delivery_id, false AS active, 'cut/off.csv' AS path)
      FROM deliveries WHERE delivery_id = ${hi}`);
    for (const id of [hi + 1, hi + 2, hi + 3]) {
      await fx.db.run(`INSERT INTO stg_fbs_fees SELECT * REPLACE (${id} AS delivery_id, 'X${id}' AS fee_id) FROM stg_fbs_fees WHERE delivery_id = ${hi}`);
      await fx.db.run(`INSERT INTO rejects VALUES (${id}, 'cut/off.csv', 2, 'grund', 'raw')`);
    }
    await fx.load();
    const left = await fx.rows(`SELECT fee_id FROM stg_fbs_fees ORDER BY fee_id`);
    expect(left.map((r) => r.fee_id)).toEqual(['F1', 'F2', 'F3', `X${hi + 2}`]);
    const rejects = await fx.rows(`SELECT delivery_id FROM rejects WHERE path = 'cut/off.csv'`);
    expect(rejects.map((r) => Number(r.delivery_id))).toEqual([hi + 2]);
  });
});
