// Handling in the outputs (FORMATS.md §7, §8): discrepancies.csv's handling_status, the export's handling columns,
// the report's worklist membership (open / in_progress, or awaiting and due, marked overdue), the section of
// explained and awaiting discrepancies with their notes, a reopened discrepancy's earlier trail, a municipality's
// report with its own alone; a CPR number typed into a note masked everywhere; formula-looking text made safe.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';
import { csvRows } from '../helpers/csv.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { applyHandling, type HandlingEdit } from '../../src/handling/store.ts';
import { writeDiscrepancies } from '../../src/outputs/write.ts';
import { maskRows, selectExportRows } from '../../src/export/rows.ts';
import { toCsv } from '../../src/export/csv.ts';
import { buildReport } from '../../src/report/build.ts';
import { formatAudit, readTrail, readUnmaskLog } from '../../src/commands/audit.ts';

let b: Books;
let out: string;
const AS_OF = '2026-12-02T12:00:00Z';
const CPR_NOTE = 'borger 0101801234 betalte kontant ved skranken';
const FORMULA_NOTE = '=HYPERLINK("http://x","klik")';

async function night(runSeq: number, asOf: string) {
  await b.setAsOf(asOf);
  await b.evaluate();
  await updateLifecycle(b.db, runSeq, new Date(asOf), `run-${runSeq}`);
}

const edit = (caseRef: string, status: HandlingEdit['status'], more: Partial<HandlingEdit> = {}) =>
  ({ edit: { caseRef, status, assignee: null, note: null, followUp: null, ...more }, by: 'anna', source: 'kommandolinje' });

beforeAll(async () => {
  b = await Books.open('2026-11-26T12:00:00Z');
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-handling-out-'));
  // R01 (critical): S-1…S-5 are F1…F5 in 101, S-6 is F6 in 561
  await b.add('fbs_fees', ...[1, 2, 3, 4, 5].map((i) => fee(`F${i}`, '2026-11-26 09:00:00', `${i}00.00`)),
    fee('F6', '2026-11-26 09:00:00', '600.00', { municipality: '561' }));
  await night(1, '2026-11-26T12:00:00Z');
  await applyHandling(b.db, [
    edit('S-1', 'in_progress', { assignee: '@Bo 010203-1234' }),
    edit('S-2', 'explained', { note: CPR_NOTE }),
    edit('S-3', 'awaiting', { followUp: '2026-11-30', note: 'biblioteket sender igen' }),
    edit('S-4', 'awaiting', { followUp: '2026-12-05', note: FORMULA_NOTE }),
    edit('S-5', 'in_progress', { note: 'ringet til biblioteket' }),
    edit('S-6', 'explained', { note: 'Esbjerg fritager gebyret' }),
  ], { now: new Date('2026-11-26T13:00:00Z') });
  // F5 resolves on night 2 (its handling closed) and reopens on night 3
  await b.add('debitor_claims', claim('C5', 'F5', '2026-11-27 08:00:00', '500.00'));
  await night(2, '2026-11-27T12:00:00Z');
  await b.clear('debitor_claims');
  await night(3, AS_OF);
});
afterAll(() => {
  b?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

function worklistData(html: string): { rows: unknown[][]; handling: Record<string, unknown[]>; cols: Record<string, number>; handlingCols: Record<string, number> } {
  const m = /<script type="application\/json" id="arbejdsliste-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]);
}
const section = (html: string, id: string) => [...html.matchAll(/<section class="card" id="([^"]+)">[\s\S]*?<\/section>/g)]
  .find((m) => m[1] === id)![0];

describe('handling in the outputs', () => {
  it('fills discrepancies.csv\'s handling_status, open where nothing is recorded, and lists every open discrepancy', async () => {
    await writeDiscrepancies(b.db, out);
    const rows = csvRows(fs.readFileSync(path.join(out, 'discrepancies.csv'), 'utf8'));
    expect(rows.map((r) => [r.case_ref, r.fee_id, r.handling_status])).toEqual([
      ['S-1', 'F1', 'in_progress'], ['S-2', 'F2', 'explained'], ['S-3', 'F3', 'awaiting'], ['S-4', 'F4', 'awaiting'],
      ['S-5', 'F5', 'open'], ['S-6', 'F6', 'explained'],
    ]);
  });

  it('carries the handling columns in the export, the CPR masked and formula-looking text behind a leading \'', async () => {
    const rows = maskRows(await selectExportRows(b.db, { states: ['new', 'persisting'] }), false);
    const by = Object.fromEntries(rows.map((r) => [r.case_ref, r]));
    expect([by['S-2'].note, by['S-2'].handled_by, by['S-2'].handled_at]).toEqual(['borger 010180-XXXX betalte kontant ved skranken', 'anna', '2026-11-26T13:00:00Z']);
    expect([by['S-3'].follow_up, by['S-5'].handled_by, by['S-5'].handled_at, by['S-5'].state]).toEqual(['2026-11-30', 'afstem', '2026-11-27T12:00:00Z', 'new']);
    const text = toCsv(rows);
    expect(text).not.toMatch(/0101801234|010203-1234/);
    const parsed = csvRows(text);
    const s4 = parsed.find((r) => r.case_ref === 'S-4')!;
    expect(s4.note).toBe(`'${FORMULA_NOTE}`);
    expect(parsed.find((r) => r.case_ref === 'S-1')!.assignee).toBe("'@Bo 010203-XXXX");
    // unmasked export: the note was masked when it was stored, so it stays masked
    expect(toCsv(await selectExportRows(b.db, {}))).not.toContain('0101801234');
  });

  it('puts open, in_progress and due awaiting discrepancies on the worklist, the due one marked overdue', async () => {
    const html = await buildReport(b.db, { asOf: new Date(AS_OF), summary: null });
    const data = worklistData(html);
    const refs = data.rows.map((r) => r[data.cols.ref]);
    expect(refs.sort()).toEqual(['S-1', 'S-3', 'S-5']);
    const H = data.handlingCols;
    const handlingOf = (ref: string) => {
      const h = data.handling[String(data.rows.findIndex((r) => r[data.cols.ref] === ref))];
      return { status: h[H.status], assignee: h[H.assignee], reopened: h[H.reopened] };
    };
    expect(handlingOf('S-1')).toEqual({ status: 1, assignee: '@Bo 010203-XXXX', reopened: 0 });
    expect(handlingOf('S-3')).toEqual({ status: 2, assignee: null, reopened: 0 });
    expect(handlingOf('S-5')).toEqual({ status: 0, assignee: null, reopened: 1 }); // reopened: starts open
    expect(section(html, 'arbejdsliste')).toContain('Heraf <b>1</b> afventende, hvis opfølgningsdato er overskredet');
    expect(html).not.toMatch(/0101801234|010203-1234/);
  });

  it('shows explained and not-yet-due awaiting discrepancies apart, with notes, assignee and who handled them', async () => {
    const html = await buildReport(b.db, { asOf: new Date(AS_OF), summary: null });
    const handled = section(html, 'behandlede');
    const rows = [...handled.matchAll(/<tr><td class="nowrap mono">(S-\d+)<\/td>/g)].map((m) => m[1]);
    // awaiting by follow-up first, then explained; then the reopened S-5's earlier trail (two rows)
    expect(rows).toEqual(['S-4', 'S-2', 'S-6', 'S-5', 'S-5']);
    expect(handled).toContain('<b>3</b> åbne afvigelser er behandlet');
    expect(handled).toContain('borger 010180-XXXX betalte kontant ved skranken');
    expect(handled).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;klik&quot;)');
    expect(handled).toContain('05.12.2026');
    expect(handled).toContain('Genåbnede afvigelser og deres tidligere behandling (1)');
    expect(handled).toMatch(/Åben → I gang; note «ringet til biblioteket»/);
    expect(handled).toMatch(/I gang → Åben<\/td><td>run-2<\/td>/);
  });

  it('shows a municipality only its own handling', async () => {
    const html = await buildReport(b.db, { asOf: new Date(AS_OF), summary: null, municipality: '561' });
    const handled = section(html, 'behandlede');
    expect(handled).toContain('Esbjerg fritager gebyret');
    expect(handled).not.toContain('skranken');
    expect(handled).not.toContain('Genåbnede');
    expect(worklistData(html).rows).toEqual([]);
  });

  it('masks the CPR of a note in the audit listing', async () => {
    const text = formatAudit(await readTrail(b.db), await readUnmaskLog(b.db), { wide: true });
    expect(text).toContain('010180-XXXX');
    expect(text).not.toMatch(/0101801234|010203-1234/);
  });
});
