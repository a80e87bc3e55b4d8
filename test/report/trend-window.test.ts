// The latency_trend mart keeps the days the report's daily p90 chart shows (and one more), not the whole history:
// what the report reads of it (reports/stages/trend.sql, for all municipalities and for one) is what it reads of the
// trend over every day, on books whose items complete on each day around the window's first day.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';
import { materialiseLayer } from '../../src/pipeline/models.ts';
import { computeLatency } from '../../src/pipeline/latency.ts';
import { TREND_DAYS } from '../../src/pipeline/context.ts';
import { reportSql } from '../../src/report/build.ts';
import { ZONE } from '../../src/calendar.ts';

const AS_OF = '2026-11-26T12:00:00Z';
/** What src/report/sections/stages.ts binds to {{trend_from}}: asOf's Copenhagen date less TREND_DAYS. */
const TREND_FROM = DateTime.fromISO(AS_OF).setZone(ZONE).minus({ days: TREND_DAYS }).toISODate()!;

let b: Books;
beforeAll(async () => {
  b = await Books.open(AS_OF);
  // a fee and its claim an hour later (fee_to_claim completes at the claim), on each day from 3 days before the
  // window's first day to 3 after it, at 00:30 and 23:30 Copenhagen time, in 101 and 561
  const fees = [];
  const claims = [];
  for (let d = -3; d <= 3; d++) {
    for (const [muni, at] of [['101', '00:30'], ['561', '23:30'], ['101', '23:30']] as const) {
      const local = DateTime.fromISO(`${TREND_FROM}T${at}`, { zone: ZONE }).plus({ days: d });
      const id = `F${muni}-${d + 3}-${at.slice(0, 2)}`;
      const utc = (t: DateTime) => t.toUTC().toFormat('yyyy-MM-dd HH:mm:ss');
      fees.push(fee(id, utc(local.minus({ hours: 1 })), '100.00', { municipality: muni }));
      claims.push(claim(`C${id}`, id, utc(local), '100.00', { municipality: muni }));
    }
  }
  await b.add('fbs_fees', ...fees);
  await b.add('debitor_claims', ...claims);
  await materialiseLayer(b.db, 'intermediate');
  await computeLatency(b.db);
});
afterAll(() => b?.close());

describe('latency_trend (the report\'s daily p90)', () => {
  it('gives the report the same rows as the trend over every day, the window\'s first shown day included', async () => {
    const mart = fs.readFileSync(path.join(import.meta.dirname, '../../queries/marts/latency_trend.sql'), 'utf8');
    const whole = mart.replace(/ AND completed_date >= [^\n]*/, '');
    expect(whole).not.toBe(mart);
    await b.db.run(`CREATE OR REPLACE TEMP TABLE latency_trend_whole AS ${whole}`);
    for (const municipality of ['', '101', '561']) {
      const sql = reportSql('stages/trend.sql', { municipality, trend_from: TREND_FROM });
      const shown = await b.db.all(sql);
      const reference = await b.db.all(sql.replace(/\blatency_trend\b/g, 'latency_trend_whole'));
      expect(shown).toEqual(reference);
      // the first day after trend_from is shown; trend_from and the days before it are not
      const first = DateTime.fromISO(TREND_FROM).plus({ days: 1 }).toISODate();
      expect(shown.map((r) => r.date)).toContain(first);
      expect(shown.every((r) => String(r.date) > TREND_FROM)).toBe(true);
    }
  });

  it('keeps those days and one more, not the whole history', async () => {
    const [kept] = await b.db.all<{ first: string }>(`SELECT strftime(min(completed_date), '%Y-%m-%d') AS first FROM latency_trend`);
    const [items] = await b.db.all<{ first: string }>(
      `SELECT strftime(min(completed_date), '%Y-%m-%d') AS first FROM latency_items WHERE completed AND duration_us >= 0`,
    );
    expect(kept.first).toBe(TREND_FROM);
    expect(items.first < TREND_FROM).toBe(true);
  });
});
