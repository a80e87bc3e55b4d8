// The worklist's detail is addressed by column name (src/report/sections/worklist.ts names a row's columns once; the
// page's data carries their indexes, reports/worklist/detail.js reads `r[C.amount]`): no position is written in two
// places, and the page's words come in its data. Checked against the code before: detail.js read r[0] … r[8] and
// e[0] … e[7], sorted columns 5 and 6 as numbers, and the data had no `cols`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.ts';
import { ELSEWHERE_COLUMNS, HANDLING_COLUMNS, ROW_COLUMNS } from '../../src/report/sections/worklist.ts';
import { HANDLING_STATUS_DA, SEVERITY_DA } from '../../src/vocabulary.ts';
import { plant, worklistDb } from '../helpers/worklist-books.ts';
import type { Db } from '../../src/db.ts';

const DETAIL_JS = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'reports', 'worklist', 'detail.js'), 'utf8');

let db: Db;
let data: Record<string, unknown> & { rows: unknown[][]; cols: Record<string, number> };
beforeAll(async () => {
  db = await worklistDb();
  await plant(db, [
    { rule: 'R01', severity: 'critical', municipality: '101', key: 'F1', amount: '-25.00', age: 3 },
    { rule: 'R02', severity: 'warning', municipality: '561', key: 'C2', amount: null, age: 0 },
  ]);
  const page = await buildReport(db, { asOf: new Date('2026-06-10T10:00:00Z'), summary: null });
  data = JSON.parse(/<script type="application\/json" id="arbejdsliste-data">(.*?)<\/script>/s.exec(page)![1]);
});
afterAll(() => db.close());

describe("the worklist detail's columns", () => {
  it('are named once: the data holds each tuple column index by name', () => {
    expect(data.cols).toEqual(Object.fromEntries(ROW_COLUMNS.map((c, i) => [c, i])));
    expect(data.elsewhereCols).toEqual(Object.fromEntries(ELSEWHERE_COLUMNS.map((c, i) => [c, i])));
    expect(data.handlingCols).toEqual(Object.fromEntries(HANDLING_COLUMNS.map((c, i) => [c, i])));
    const first = data.rows.find((r) => r[data.cols.id] === 'F1')!;
    expect([first[data.cols.ref], first[data.cols.rule], first[data.cols.amount], first[data.cols.age]]).toEqual(['S-1', 'R01', '-25.00', 3]);
  });

  it("are read by name in the page's script, which spells no Danish word of the data", () => {
    expect(DETAIL_JS.match(/\b[reh]\[\d+\]/g) ?? []).toEqual([]);
    expect(DETAIL_JS).not.toMatch(/k === \d|data-sort'\)\)/);
    const words = data.words as { severity: string[][]; handling: string[] };
    expect(words.severity.map((w) => w[1])).toEqual([SEVERITY_DA.critical, SEVERITY_DA.warning, SEVERITY_DA.info]);
    expect(words.handling[1]).toBe(HANDLING_STATUS_DA.in_progress);
    for (const w of [SEVERITY_DA.critical, SEVERITY_DA.warning, HANDLING_STATUS_DA.open, HANDLING_STATUS_DA.explained]) {
      expect(DETAIL_JS.includes(`'${w}'`), w).toBe(false);
    }
  });
});
