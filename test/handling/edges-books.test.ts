// Handling edges on hand-made books (FORMATS.md §8): handling that records only an assignee, or only a note, is
// handling like any other: closed when its discrepancy resolves, so the discrepancy found open again starts open and
// marked reopened; and the worklist's groups agree with its detail rows (count, money without the sign, oldest age)
// when awaiting discrepancies whose follow-up date has passed are back on it and others are not yet due.
//
// Checked against broken code (each break made by hand, the test run, the break undone): `OR h.assignee IS NOT NULL`
// dropped from handledSql (handling/lifecycle.ts) fails "an assignee alone" (S-1 reopens with its old assignee, no
// trail row closes it); `OR h.note IS NOT NULL` dropped fails "a note alone"; `OR handling_due` dropped from
// reports/worklist/groups.sql fails "groups against rows" (101's R01 group counts 2 where its rows are 3); the same
// dropped from rows.sql fails it the other way; `sum(abs(amount))` → `sum(amount)` in groups.sql fails it on 561's R04
// group (−25,00 and +50,00 kr. are 75,00 kr. off, not 25,00); `max(age_banking_days)` → `min` fails it too;
// handling_due with `<=` for `<` (the follow-up day itself due) fails "due after its day"; `AND NOT handling_due`
// dropped from reports/worklist/handled.sql (or from elsewhere.sql's place) fails "the section Behandlede".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { applyHandling, type HandlingEdit } from '../../src/handling/store.ts';
import { buildReport } from '../../src/report/build.ts';
import { formatKroner } from '../../src/report/html.ts';

async function night(b: Books, runSeq: number, asOf: string): Promise<void> {
  await b.setAsOf(asOf);
  await b.evaluate();
  await updateLifecycle(b.db, runSeq, new Date(asOf), `run-${runSeq}`);
}

const handle = (b: Books, edits: (Partial<HandlingEdit> & Pick<HandlingEdit, 'caseRef' | 'status'>)[], at: string) =>
  applyHandling(b.db, edits.map((e) => ({ edit: { assignee: null, note: null, followUp: null, ...e }, by: 'anna', source: 'kommandolinje' })), { now: new Date(at), force: true });

const refOf = async (b: Books, key: string, rule = 'R01') =>
  String(await b.db.value(`SELECT 'S-' || case_no FROM case_refs WHERE key_id = '${key}' AND rule = '${rule}'`));

/** The worklist's embedded data of a report. */
function worklistData(html: string): { rows: unknown[][]; handling: Record<string, [number, string | null, number]>; municipalities: Record<string, string> } {
  const m = /<script type="application\/json" id="arbejdsliste-data">([\s\S]*?)<\/script>/.exec(html)!;
  return JSON.parse(m[1]);
}

describe('handling that records only an assignee or only a note', () => {
  let b: Books;
  beforeAll(async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'), fee('F2', '2026-11-26 09:00:00', '10.50'), fee('F3', '2026-11-26 09:00:00', '7.00'));
    await night(b, 1, '2026-11-26T12:00:00Z');
    const r = await handle(b, [
      { caseRef: await refOf(b, 'F1'), status: 'open', assignee: 'Bo' },
      { caseRef: await refOf(b, 'F2'), status: 'open', note: 'ringet til borgeren' },
    ], '2026-11-26T13:00:00Z');
    expect(r.applied).toBe(2);
    // night 2: both resolve (their claims arrive); night 3: the claims are gone again, both reopen
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-27 08:00:00', '125.00'), claim('C2', 'F2', '2026-11-27 08:00:00', '10.50'));
    await night(b, 2, '2026-11-27T12:00:00Z');
    await b.clear('debitor_claims');
    await night(b, 3, '2026-11-28T12:00:00Z');
  });
  afterAll(() => b?.close());

  const trailOf = (key: string) => b.db.all(`SELECT old_status, new_status, old_assignee, new_assignee, old_note, new_note, who, source
    FROM handling_trail WHERE key_id = '${key}' ORDER BY seq`);
  const stateOf = (key: string) => b.db.one(`SELECT state, handling_status, assignee, note, handled_by FROM discrepancy_states WHERE key_id = '${key}'`);

  it('an assignee alone: closed by the run when it resolves, open and unassigned when it reopens', async () => {
    expect(await trailOf('F1')).toEqual([
      { old_status: 'open', new_status: 'open', old_assignee: null, new_assignee: 'Bo', old_note: null, new_note: null, who: 'anna', source: 'kommandolinje' },
      { old_status: 'open', new_status: 'open', old_assignee: 'Bo', new_assignee: null, old_note: null, new_note: null, who: 'afstem', source: 'run-2' },
    ]);
    expect(await stateOf('F1')).toEqual({ state: 'new', handling_status: 'open', assignee: null, note: null, handled_by: 'afstem' });
  });

  it('a note alone: the same', async () => {
    expect((await trailOf('F2')).at(-1)).toEqual({ old_status: 'open', new_status: 'open', old_assignee: null, new_assignee: null,
      old_note: 'ringet til borgeren', new_note: null, who: 'afstem', source: 'run-2' });
    expect(await stateOf('F2')).toEqual({ state: 'new', handling_status: 'open', assignee: null, note: null, handled_by: 'afstem' });
  });

  it('the report marks both reopened, and the never-handled F3 not', async () => {
    const data = worklistData(await buildReport(b.db, { asOf: new Date('2026-11-28T12:00:00Z'), summary: null }));
    const byKey = new Map(data.rows.map((r, i) => [String(r[4]), data.handling[i] ?? [0, null, 0]]));
    expect([byKey.get('F1'), byKey.get('F2'), byKey.get('F3')]).toEqual([[0, null, 1], [0, null, 1], [0, null, 0]]);
  });
});

describe('the worklist\'s groups against its detail rows', () => {
  const AS_OF = '2026-12-09T12:00:00Z'; // Wednesday; asOf's date 9 December
  let b: Books;
  let reports: Map<string, string>;
  beforeAll(async () => {
    b = await Books.open('2026-12-01T12:00:00Z');
    // 101: four R01 fees of different ages and amounts; 561: two R04 pairs, one claim below its fee, one above
    await b.add('fbs_fees',
      fee('A1', '2026-11-02 09:00:00', '100.00'), fee('A2', '2026-11-10 09:00:00', '20.00'), fee('A3', '2026-11-20 09:00:00', '3.00'),
      fee('A4', '2026-11-25 09:00:00', '40.00'), fee('A5', '2026-11-25 09:00:00', '5.00'),
      fee('B1', '2026-10-01 09:00:00', '75.00', { municipality: '561' }), fee('B2', '2026-10-05 09:00:00', '50.00', { municipality: '561' }),
      fee('B3', '2026-10-06 09:00:00', '9.00', { municipality: '561' }));
    await b.add('debitor_claims',
      claim('CB1', 'B1', '2026-10-01 09:30:00', '50.00', { municipality: '561' }), claim('CB2', 'B2', '2026-10-05 09:30:00', '100.00', { municipality: '561' }),
      claim('CB3', 'B3', '2026-10-06 09:30:00', '10.00', { municipality: '561' }));
    await night(b, 1, '2026-12-01T12:00:00Z');
    const ref = (k: string, rule = 'R01') => refOf(b, k, rule);
    const r = await handle(b, [
      { caseRef: await ref('A1'), status: 'awaiting', followUp: '2026-12-08' }, // due on 9 December: back on the worklist
      { caseRef: await ref('A2'), status: 'awaiting', followUp: '2026-12-09' }, // not yet: due after its day
      { caseRef: await ref('A3'), status: 'explained', note: 'eftergivet' },
      { caseRef: await ref('A4'), status: 'in_progress', assignee: 'Bo' },
      { caseRef: await ref('CB1', 'R04'), status: 'awaiting', followUp: '2026-12-02' }, // due
      { caseRef: await ref('CB3', 'R04'), status: 'awaiting', followUp: '2026-12-31' }, // not due
    ], '2026-12-01T13:00:00Z');
    expect(r.applied).toBe(6);
    await night(b, 2, AS_OF);
    reports = new Map();
    for (const m of ['', '101', '561']) reports.set(m, await buildReport(b.db, { asOf: new Date(AS_OF), summary: null, ...(m ? { municipality: m } : {}) }));
  });
  afterAll(() => b?.close());

  /** The groups table: municipality label, rule, count, money, oldest. */
  function groups(html: string): { muni: string; rule: string; n: string; amount: string; oldest: string }[] {
    const at = html.indexOf('id="arbejdsliste-grupper"');
    const table = html.slice(at, html.indexOf('</table>', at));
    return [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((m) => {
      const cells = [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => c[1]);
      return { muni: cells[0], rule: /<b>(R\d+)<\/b>/.exec(cells[1])![1], n: cells[3], amount: cells[4], oldest: cells[5] };
    });
  }

  it('due after its day: A1 (8 December) and CB1 are back on the worklist, A2 (9 December) and CB3 are not', () => {
    const keys = worklistData(reports.get('')!).rows.map((r) => String(r[4])).sort();
    expect(keys).toEqual(['A1', 'A4', 'A5', 'CB1', 'CB2']);
    expect(reports.get('')).toContain('Heraf <b>2</b> afventende, hvis opfølgningsdato er overskredet');
  });

  it('the section Behandlede holds the explained and the not-yet-due awaiting ones alone, and the cases elsewhere say so', () => {
    const html = reports.get('')!;
    const section = html.slice(html.indexOf('<section class="card" id="behandlede">'), html.indexOf('</section>', html.indexOf('id="behandlede"')));
    expect(section).toContain('<b>3</b> åbne afvigelser er behandlet og står ikke på arbejdslisten: 1 forklaret (accepteret, som de er) og 2 afventer');
    const table = section.slice(0, section.indexOf('id="genaabnede"') < 0 ? undefined : section.indexOf('id="genaabnede"'));
    const keys = [...table.matchAll(/<td class="mono">([^<]*)<\/td>/g)].map((m) => m[1]).sort();
    expect(keys).toEqual(['A2', 'A3', 'CB3']);
    const data = worklistData(html) as unknown as { elsewhere: unknown[][] };
    expect(data.elsewhere.map((e) => [e[4], e[6]]).sort()).toEqual([['A2', 1], ['A3', 0], ['CB3', 1]]);
  });

  it('groups against rows: every group counts its rows, adds their money without the sign, and names their oldest age', async () => {
    const truth = await b.db.all<{ key_id: string; municipality: string; rule: string; amount: string; age: number }>(`
      SELECT key_id, municipality, rule, amount::VARCHAR AS amount, age_banking_days AS age FROM discrepancy_states
      WHERE state <> 'resolved' AND severity IN ('critical', 'warning') AND (handling_status IN ('open', 'in_progress') OR handling_due)`);
    expect(truth.length).toBe(5);
    for (const [m, html] of reports) {
      const data = worklistData(html);
      const rows = data.rows.map((r) => ({ muni: String(r[3]), rule: String(r[1]), amount: r[5] as string | null, age: r[6] as number }));
      expect(rows.length, m).toBe(truth.filter((t) => !m || t.municipality === m).length);
      expect(html).toContain(`<b>${rows.length}</b> åbne afvigelser at behandle`);
      const expected = new Map<string, { n: number; cents: number; oldest: number }>();
      for (const r of rows) {
        const k = `${r.muni}|${r.rule}`;
        const g = expected.get(k) ?? { n: 0, cents: 0, oldest: 0 };
        g.n++;
        g.cents += Math.abs(Math.round(Number(r.amount) * 100));
        g.oldest = Math.max(g.oldest, r.age);
        expected.set(k, g);
      }
      const shown = groups(html);
      expect(shown.length, m).toBe(expected.size);
      for (const g of shown) {
        const code = g.muni.split(' ')[0];
        const e = expected.get(`${code}|${g.rule}`)!;
        expect(e, `${m}: ${g.muni} ${g.rule}`).toBeDefined();
        expect([g.n, g.amount, g.oldest], `${m}: ${g.muni} ${g.rule}`).toEqual([String(e.n), formatKroner((e.cents / 100).toFixed(2)), String(e.oldest)]);
      }
    }
  });

  it('the money of 561\'s R04 group is 75,00 kr.: −25,00 and +50,00 without their signs', () => {
    const g = groups(reports.get('561')!).find((x) => x.rule === 'R04')!;
    expect([g.n, g.amount]).toEqual(['2', '75,00 kr.']);
  });
});
