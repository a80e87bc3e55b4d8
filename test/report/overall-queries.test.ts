// A municipality's own report runs no query only the report of all municipalities shows (Section.overall: the
// stages section's spread between the municipalities and their breach-rate heatmap), and the report of all still runs
// them. Checked on the code before (spread and heat among the stages section's queries): the first test failed,
// listing both queries once for the municipality's report.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Db } from '../../src/db.ts';
import { buildReport } from '../../src/report/build.ts';
import { STREAMED_AS_OF, streamedDb } from '../helpers/streamed-books.ts';

const OVERALL_ONLY = [/^-- Each municipality's p90 per stage/, /^-- Breach rate per municipality and stage/];

let db: Db;
beforeAll(async () => {
  db = await streamedDb();
}, 120_000);
afterAll(() => db?.close());

async function statements(municipality?: string): Promise<{ sql: string[]; page: string }> {
  const sql: string[] = [];
  const all = Db.prototype.all;
  const spy = vi.spyOn(Db.prototype, 'all').mockImplementation(async function (this: Db, text: string, values?: Parameters<Db['all']>[1]) {
    sql.push(text.trim());
    return all.call(this, text, values);
  });
  try {
    const page = await buildReport(db, { asOf: STREAMED_AS_OF, summary: null, ...(municipality ? { municipality } : {}) });
    return { sql, page };
  } finally {
    spy.mockRestore();
  }
}

describe('the queries of the report of all municipalities alone', () => {
  it('are not run for a municipality\'s own report', async () => {
    const { sql, page } = await statements('561');
    expect(sql.filter((s) => OVERALL_ONLY.some((re) => re.test(s)))).toEqual([]);
    expect(page).toContain('id="forsinkelser"');
    expect(page).not.toContain('data-chart="breach-rate"');
  });

  it('are run for the report of all, which shows their charts', async () => {
    const { sql, page } = await statements();
    for (const re of OVERALL_ONLY) expect(sql.filter((s) => re.test(s))).toHaveLength(1);
    expect(page).toContain('data-chart="breach-rate"');
    expect(page).toContain('data-chart="municipality-spread"');
  });
});
