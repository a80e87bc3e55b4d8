// The typing SQL turns naive Copenhagen wall-clock times into instants by the summer-time rule (EU, since 1996)
// without ICU; here it is checked against luxon's IANA zone data for every quarter hour around every DST change
// from 1996 to 2040, with the contract's rules: the autumn hour is the earlier instant, the spring gap moves forward.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../src/db.ts';
import { KIND_BY_NAME } from '../../src/ingest/kinds.ts';
import { typingSql } from '../../src/ingest/typing.ts';

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
});
afterAll(() => db.close());

/** The contract's reading of a naive local time, from luxon. */
function expectedInstant(local: string): string {
  const d = DateTime.fromISO(local.replace(' ', 'T'), { zone: 'Europe/Copenhagen' });
  const earlier = d.minus({ hours: 1 });
  // luxon takes the later instant of an ambiguous hour: the contract wants the earlier one
  const ambiguous = earlier.toFormat('yyyy-MM-dd HH:mm') === local && earlier.offset !== d.offset;
  return (ambiguous ? earlier : d).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

describe('naive Copenhagen times around every DST change 1996–2040', () => {
  it('agree with the IANA zone data, the autumn hour taken as the earlier instant', async () => {
    const locals: string[] = [];
    for (let year = 1996; year <= 2040; year++) {
      for (const month of [3, 10]) {
        const lastDay = DateTime.fromObject({ year, month, day: 31 }, { zone: 'UTC' });
        const lastSunday = lastDay.minus({ days: lastDay.weekday % 7 });
        for (let minutes = -60; minutes <= 5 * 60; minutes += 15) {
          locals.push(lastSunday.plus({ minutes }).toFormat('yyyy-MM-dd HH:mm'));
        }
      }
    }
    const kind = KIND_BY_NAME.get('fbs_adjustments')!;
    const values = locals.map((l, i) => `(${i}, 'A${i}', 'F', '1.00', '${l}')`).join(',');
    const raw = `(SELECT * FROM (VALUES ${values}) t(line, adjustment_id, fee_id, amount, created_at))`;
    const rows = await db.all<{ line: number; t: string }>(
      `SELECT line, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS t FROM (${typingSql(kind, raw, new Map(kind.columns.map((c) => [c.name, c.name])), {})}) ORDER BY line`,
    );
    expect(rows.map((r) => r.t)).toEqual(locals.map(expectedInstant));
  });
});
