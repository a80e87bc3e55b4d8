// The typing SQL turns naive Copenhagen wall-clock times into instants: by the EU summer-time rule (a table, no ICU)
// for 1996–2099 and by ICU's zone data for the other years of 1900–2199 (FORMATS.md §3: any year 1900–2199). Both
// are checked against luxon's IANA zone data (Node's own ICU, independent of DuckDB's) at every quarter hour around
// every offset change from 1900 to 2199 (+01:00, +02:00, and +03:00 in 1945 and 1947, as the IANA data has it), with the contract's rules: an ambiguous time is the earlier instant, a time
// in the spring gap moves forward one hour.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../src/db.ts';
import { KIND_BY_NAME } from '../../src/ingest/kinds.ts';
import { TYPING_VARIABLES, typingSql } from '../../src/ingest/typing.ts';

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
});
afterAll(() => db.close());

const ZONE = 'Europe/Copenhagen';

/** The contract's reading of a naive local time, from the IANA data as luxon gives it: of the instants that show this
 * wall clock (tried with every offset Copenhagen has had), the earliest; none (a gap) moves the time forward one hour. */
function expectedInstant(local: string): string {
  const asUtc = DateTime.fromISO(local.replace(' ', 'T'), { zone: 'UTC' });
  for (const shift of [0, 60]) {
    const wall = asUtc.plus({ minutes: shift });
    const shows = wall.toFormat('yyyy-MM-dd HH:mm');
    const readings = [180, 120, 60] // earliest instant first
      .map((offset) => wall.minus({ minutes: offset }))
      .filter((i) => DateTime.fromMillis(i.toMillis(), { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm') === shows);
    if (readings.length > 0) return readings[0].toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
  }
  throw new Error(`no reading of ${local}`);
}

/** The instants the typing SQL gives for naive local times (one fbs_adjustments row each). */
async function typed(locals: string[]): Promise<string[]> {
  const kind = KIND_BY_NAME.get('fbs_adjustments')!;
  const values = locals.map((l, i) => `(${i}, 'A${i}', 'F', '1.00', '${l}')`).join(',');
  const raw = `(SELECT * FROM (VALUES ${values}) t(line, adjustment_id, fee_id, amount, created_at))`;
  await db.run(TYPING_VARIABLES);
  const rows = await db.all<{ line: number; t: string; reason: string | null }>(
    `SELECT line, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS t, reject_reason AS reason
     FROM (${typingSql(kind, raw, new Map(kind.columns.map((c) => [c.name, c.name])), {})}) ORDER BY line`,
  );
  expect(rows.filter((r) => r.reason !== null)).toEqual([]);
  return rows.map((r) => r.t);
}

/** The local days (yyyy-MM-dd) whose UTC noon has another offset than the noon before: an offset change lies between. */
function changeDays(fromYear: number, toYear: number): string[] {
  const days: string[] = [];
  let t = Date.UTC(fromYear, 0, 1, 12);
  let prev = DateTime.fromMillis(t, { zone: ZONE }).offset;
  for (const end = Date.UTC(toYear + 1, 0, 1); t < end; t += 86_400_000) {
    const o = DateTime.fromMillis(t, { zone: ZONE }).offset;
    if (o !== prev) days.push(DateTime.fromMillis(t, { zone: 'UTC' }).toFormat('yyyy-MM-dd'));
    prev = o;
  }
  return days;
}

describe('naive Copenhagen times of any year 1900–2199', () => {
  it('agree with the IANA zone data around every offset change, the ambiguous hour taken as the earlier instant', async () => {
    const days = changeDays(1900, 2199);
    // the EU rule twice a year 1980–2199, and the war and post-war years
    expect(days.length).toBeGreaterThan(2 * (2199 - 1980));
    const locals: string[] = [];
    for (const day of days) {
      const midnight = DateTime.fromISO(day, { zone: 'UTC' });
      for (let minutes = -120; minutes <= 5 * 60; minutes += 15) locals.push(midnight.plus({ minutes }).toFormat('yyyy-MM-dd HH:mm'));
    }
    expect(await typed(locals)).toEqual(locals.map(expectedInstant));
  });

  it('reads the spring gap of 1999 forward, the autumn hour of 2150 as summer time, and the edges of the range', async () => {
    const cases: [string, string][] = [
      ['1999-03-28 02:30', '1999-03-28T01:30:00Z'], // gap: 03:30 summer time
      ['1999-10-31 02:30', '1999-10-31T00:30:00Z'], // the doubled hour: the earlier instant
      ['2150-03-29 02:30', '2150-03-29T01:30:00Z'], // gap, last Sunday of March 2150
      ['2150-10-25 02:30', '2150-10-25T00:30:00Z'], // the doubled hour, last Sunday of October 2150
      ['2150-10-27 02:30', '2150-10-27T01:30:00Z'], // two days later: winter time
      ['1900-01-01 00:00', '1899-12-31T23:00:00Z'],
      ['1960-07-01 12:00', '1960-07-01T11:00:00Z'], // no summer time in the 1960s
      ['1985-09-29 02:30', '1985-09-29T00:30:00Z'], // before 1996 summer time ended in September
      ['2199-12-31 23:59', '2199-12-31T22:59:00Z'],
    ];
    expect(await typed(cases.map(([l]) => l))).toEqual(cases.map(([, t]) => t));
  });
});
