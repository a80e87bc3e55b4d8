// Money totals shown to a person add absolute amounts, and "largest first" orders by them (RULES.md §3, issue 23
// item 2): R04, R12 and R22 carry a signed difference. On the sample R04's −25,00 and +50,00 kr. are 75,00 kr. off
// (the report said 25,00), and a group of −3.850,00 kr. must come before groups of smaller differences (it came last,
// below a group whose +10,00 and −10,00 added to 0). The signed amount stays as it is in each row. Checked against the
// code before the fix: every expectation below on totals and order failed (25,00 kr., −3.840,00 kr., the groups in
// the order 101 R04, 621 R12, 561 R12, and the detail rows in the order F2, PA, PB, F1, P1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db.ts';
import { buildReport } from '../../src/report/build.ts';
import { plant, worklistDb } from '../helpers/worklist-books.ts';

const AS_OF = new Date('2026-06-10T10:00:00Z');
let db: Db;
let page: string;

beforeAll(async () => {
  db = await worklistDb();
  // all critical and 5 banking days old, so money alone orders the groups and the rows
  await plant(db, [
    { rule: 'R04', severity: 'critical', municipality: '101', key: 'F1', amount: '-25.00', age: 5 },
    { rule: 'R04', severity: 'critical', municipality: '101', key: 'F2', amount: '50.00', age: 5 },
    { rule: 'R12', severity: 'critical', municipality: '561', key: 'P1', amount: '-3850.00', age: 5 },
    { rule: 'R12', severity: 'critical', municipality: '621', key: 'PA', amount: '10.00', age: 5 },
    { rule: 'R12', severity: 'critical', municipality: '621', key: 'PB', amount: '-10.00', age: 5 },
  ]);
  page = await buildReport(db, { asOf: AS_OF, summary: null });
});
afterAll(() => db?.close());

/** The text of each body row of the first table in an element, cells joined by ' | '. */
function tableRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1];
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => td[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()).join(' | '));
}
const section = (id: string) => new RegExp(`<section class="card[^"]*" id="${id}">[\\s\\S]*?</section>`).exec(page)![0];

describe('money totals add absolute amounts (RULES.md §3)', () => {
  it('money at risk per rule: R04 is 75,00 kr., R12 3.870,00 kr., the largest first', () => {
    const rows = tableRows(section('overblik'));
    expect(rows.map((r) => r.split(' | ').slice(0, 4).join(' | '))).toEqual([
      'R12 Beløb afviger mellem transaktion og indbetaling | kritisk | 3 | 3.870,00 kr.',
      'R04 Beløb afviger mellem gebyr og fordring | kritisk | 2 | 75,00 kr.',
    ]);
  });

  it('the rules\' overview and each rule\'s line say the same totals', () => {
    const rules = section('afvigelser');
    const overview = tableRows(rules).filter((r) => /^R(04|12) /.test(r));
    expect(overview.map((r) => `${r.split(' | ')[0]} ${r.split(' | ').at(-1)}`)).toEqual(['R04 75,00 kr.', 'R12 3.870,00 kr.']);
    expect(rules).toMatch(/id="regel-R04">[\s\S]*?beløb 75,00 kr\./);
    // each row keeps its signed amount
    expect(/id="regel-R04">[\s\S]*?<\/div>/.exec(rules)![0]).toContain('−25,00 kr.');
  });

  it('the worklist\'s groups: the most money first by its size, −3.850,00 kr. before 75,00 and 20,00 kr.', () => {
    // the groups' table: the one with the column of the oldest age
    const table = [...section('arbejdsliste').matchAll(/<table>[\s\S]*?<\/table>/g)].find((t) => t[0].includes('Ældste (bankdage)'))!;
    const groups = tableRows(table[0]);
    expect(groups.map((g) => g.split(' | ').slice(0, 5).join(' | '))).toEqual([
      '561 Esbjerg | R12 Beløb afviger mellem transaktion og indbetaling | kritisk | 1 | 3.850,00 kr.',
      '101 København | R04 Beløb afviger mellem gebyr og fordring | kritisk | 2 | 75,00 kr.',
      '621 Kolding | R12 Beløb afviger mellem transaktion og indbetaling | kritisk | 2 | 20,00 kr.',
    ]);
  });

  it('the worklist\'s rows: the largest difference first by its size, each with its sign', () => {
    const m = /<script type="application\/json" id="arbejdsliste-data">(.*?)<\/script>/s.exec(page)!;
    const { rows, cols } = JSON.parse(m[1]) as { rows: unknown[][]; cols: Record<string, number> };
    expect(rows.map((r) => [r[cols.id], r[cols.amount]])).toEqual([['P1', '-3850.00'], ['F2', '50.00'], ['F1', '-25.00'], ['PA', '10.00'], ['PB', '-10.00']]);
  });
});
