// The municipalities' reports take the rows of their small queries from one query per file for all municipalities
// (prefetchMunicipalities, reports/**/<name>.by-municipality.sql): for every municipality, each query's prefetched rows
// must be exactly what the report's own query gives (the same rows, columns, types and order), on two books with what
// every section reads (the report's books with latency, waves, deliveries, rejects and two lifecycle runs; the
// streamed books with thousands of rows, handling, reopened cases, reversals and rejects), also for a municipality with
// no rows at all (the counts' 0), and the query is then not run again.
// Checked to fail, one change at a time: the PARTITION BY municipality left out of the row_number of
// discrepancies/rows, worklist/handled, worklist/reopened, input/rejects, input/reject-reasons, stages/negatives and
// action/reversals (.by-municipality.sql), and reject-totals' LEFT JOIN made a JOIN (no row for a municipality
// without rejects): each failed here. worklist/groups' cap (100 groups) cannot be reached by one municipality (a group
// is a rule and severity), so its partition is not told apart by any books.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Db, type Row } from '../../src/db.ts';
import { buildReport, prefetchMunicipalities } from '../../src/report/build.ts';
import { REPORTS_DIR } from '../../src/report/charts.ts';
import { buildWaves } from '../../src/pipeline/waves.ts';
import { REPORT_SUMMARY, reportBooks } from '../helpers/report-books.ts';
import { STREAMED_AS_OF, streamedDb } from '../helpers/streamed-books.ts';
import type { Books } from '../helpers/books.ts';

const GROUPED = fs.readdirSync(REPORTS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.by-municipality.sql')).sort();

/** Each prefetched query's rows beside the rows of the query run on its own, and the files that were prefetched. */
async function compare(db: Db, asOf: Date, codes: string[]): Promise<{ differ: string[]; files: Set<string>; queries: number }> {
  const prefetched = await prefetchMunicipalities(db, asOf, codes);
  const differ: string[] = [];
  const files = new Set<string>();
  let queries = 0;
  for (const [code, bySql] of prefetched) {
    for (const [sql, rows] of bySql) {
      queries++;
      const own = await db.all(sql);
      files.add(sql.split('\n')[0]);
      if (JSON.stringify(own) !== JSON.stringify(rows)) differ.push(`${code}: ${sql.split('\n')[0]}: ${JSON.stringify(own).slice(0, 200)} ≠ ${JSON.stringify(rows).slice(0, 200)}`);
      else expect(rows).toEqual(own);
    }
  }
  return { differ, files, queries };
}

describe('the queries of the municipalities\' reports run once for all of them', () => {
  let books: Books;
  let streamed: Db;
  beforeAll(async () => {
    books = await reportBooks();
    await buildWaves(books.db);
    streamed = await streamedDb();
  }, 120_000);
  afterAll(() => {
    books?.close();
    streamed?.close();
  });

  it('has a grouped file beside each file it names', () => {
    expect(GROUPED.length).toBeGreaterThanOrEqual(20);
    for (const f of GROUPED) expect(fs.existsSync(path.join(REPORTS_DIR, f.replace('.by-municipality.sql', '.sql')))).toBe(true);
  });

  it('gives each municipality exactly the rows of its own queries (the report\'s books, and a municipality without rows)', async () => {
    const { differ, files } = await compare(books.db, new Date('2026-06-10T10:00:00Z'), ['101', '561', '621', '999']);
    expect(differ).toEqual([]);
    // every grouped file's table exists in these books: each was compared (and context/sla.sql, shared)
    expect(files.size).toBe(GROUPED.length + 1);
  });

  it('gives each municipality exactly the rows of its own queries (the streamed books: thousands of rows)', async () => {
    const { differ, queries } = await compare(streamed, STREAMED_AS_OF, ['101', '561', '621', '999']);
    expect(differ).toEqual([]);
    expect(queries).toBeGreaterThan(40);
  });

  it('gives each municipality exactly its own rows where a query takes as many as a table shows (every cap reached in two municipalities)', async () => {
    const db = await streamedDb();
    try {
      await db.exec(`
        INSERT INTO deliveries VALUES (3, '561/fbs_fees_2026-06-10.csv', '561', 'fbs_fees', DATE '2026-06-10', 'loaded', 300, 0, 300, '[]', NULL, true),
          (4, '621/fbs_fees_2026-06-10.csv', '621', 'fbs_fees', DATE '2026-06-10', 'loaded', 300, 0, 300, '[]', NULL, true);
        INSERT INTO rejects SELECT d, CASE d WHEN 3 THEN '561' ELSE '621' END || '/fbs_fees_2026-06-10.csv', i + 2,
          'linje ' || (i + 2) || ': grund ' || (i % 40), 'raw ' || i FROM range(300) t(i), (VALUES (3), (4)) v(d);
        INSERT INTO reversals SELECT m, 'CX' || i, 'FX' || i, CAST(i AS DECIMAL(18,2)), 'D', 'P', CAST(i AS DECIMAL(18,2)), CAST(0 AS DECIMAL(18,2))
          FROM range(250) t(i), (VALUES ('561'), ('621')) v(m);
        CREATE TABLE latency_negative AS SELECT m AS municipality, ['fee_to_claim', 'claim_to_payable'][i % 2 + 1] AS stage, 'N' || i AS id,
          CAST(-i - 1 AS DECIMAL(18,2)) AS hours, TIMESTAMP '2026-06-01 10:00:00' AS start_at, TIMESTAMP '2026-06-01 09:00:00' AS end_at
          FROM range(250) t(i), (VALUES ('561'), ('621')) v(m);`);
      const { differ, queries } = await compare(db, STREAMED_AS_OF, ['101', '561', '621']);
      expect(differ).toEqual([]);
      expect(queries).toBeGreaterThan(40);
    } finally {
      db.close();
    }
  });

  it('is what the report reads: the page is the same, and its prefetched queries are not run again', async () => {
    const asOf = new Date('2026-06-10T10:00:00Z');
    const alone = await buildReport(books.db, { asOf, summary: REPORT_SUMMARY, municipality: '561' });
    const prefetched = (await prefetchMunicipalities(books.db, asOf, ['101', '561'])).get('561')!;
    const ran: string[] = [];
    const all = Db.prototype.all;
    const spy = vi.spyOn(Db.prototype, 'all').mockImplementation(async function (this: Db, sql: string, values?: Parameters<Db['all']>[1]) {
      ran.push(sql);
      return all.call(this, sql, values) as Promise<Row[]>;
    });
    try {
      expect(await buildReport(books.db, { asOf, summary: REPORT_SUMMARY, municipality: '561', prefetched })).toBe(alone);
    } finally {
      spy.mockRestore();
    }
    expect(ran.filter((sql) => prefetched.has(sql))).toEqual([]);
    expect(prefetched.size).toBeGreaterThanOrEqual(GROUPED.length);
  });
});
