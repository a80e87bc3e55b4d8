// The handled discrepancies (FORMATS.md §8), shown apart from the worklist: every open discrepancy that is explained
// (with the note saying why) or awaiting someone else until a follow-up date that has not passed, with its assignee
// and who handled it when; then the reopened discrepancies with their earlier trail (what was done before they
// resolved and came back). SQL: reports/worklist/handled.sql, reopened.sql. Text is masked and escaped by html``.
import type { Row } from '../../db.ts';
import { HANDLING_STATUS_DA, type HandlingStatus } from '../../vocabulary.ts';
import { clip, formatCount, formatInstant, formatKroner, html, raw, table, type SafeHtml } from '../html.ts';
import { ruleLabel } from '../labels.ts';
import { TABLE_CAP, muniLabel, num, str } from '../parts.ts';
import type { ReportContext, Section } from '../section.ts';

/** Characters of a note shown (the whole note is in discrepancies.xlsx and `afstem audit`). */
export const NOTE_CAP = 300;

const statusDa = (s: unknown) => HANDLING_STATUS_DA[str(s) as HandlingStatus] ?? str(s);
const danishDate = (d: unknown) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(str(d));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : str(d);
};
const orDash = (v: unknown) => (v === null || v === undefined || v === '' ? '–' : str(v));

function handledTable(ctx: ReportContext, rows: Row[]): SafeHtml {
  return table(
    rows,
    [
      { title: 'Sag', cls: 'nowrap mono', cell: (r) => str(r.case_ref) },
      { title: 'Regel', cell: (r) => html`<b>${str(r.rule)}</b> ${ruleLabel(str(r.rule))?.name ?? ''}` },
      { title: 'Kommune', cls: 'nowrap', cell: (r) => muniLabel(ctx, r.municipality) },
      { title: 'Id', cls: 'mono', cell: (r) => str(r.key_id) },
      { title: 'Beløb', cls: 'num', cell: (r) => (r.amount === null ? '–' : formatKroner(str(r.amount))) },
      { title: 'Status', cls: 'nowrap', cell: (r) => statusDa(r.handling_status) },
      { title: 'Opfølgning', cls: 'nowrap', cell: (r) => (r.follow_up === null ? '–' : danishDate(r.follow_up)) },
      { title: 'Ansvarlig', cell: (r) => orDash(r.assignee) },
      { title: 'Note', cls: 'detail', cell: (r) => (r.note === null ? '–' : clip(str(r.note), NOTE_CAP)) },
      { title: 'Behandlet af', cell: (r) => orDash(r.handled_by) },
      { title: 'Behandlet', cls: 'nowrap', cell: (r) => (r.handled_at === null ? '–' : formatInstant(str(r.handled_at))) },
    ],
    { cap: TABLE_CAP, total: num(rows[0]?.total), fullList: 'discrepancies.xlsx (kolonnerne Status, Note og Ansvarlig)', empty: 'Ingen forklarede eller afventende afvigelser.' },
  );
}

/** One trail row as a change: "I gang → Forklaret; note «…»". */
export function trailChange(r: Row): string {
  const parts = [str(r.old_status) === str(r.new_status) ? statusDa(r.new_status) : `${statusDa(r.old_status)} → ${statusDa(r.new_status)}`];
  if (r.old_assignee !== r.new_assignee) parts.push(`ansvarlig ${orDash(r.new_assignee)}`);
  if (r.old_note !== r.new_note && r.new_note !== null) parts.push(`note «${clip(str(r.new_note), NOTE_CAP)}»`);
  if (r.old_follow_up !== r.new_follow_up && r.new_follow_up !== null) parts.push(`opfølgning ${danishDate(r.new_follow_up)}`);
  return parts.join('; ');
}

function reopenedTable(ctx: ReportContext, rows: Row[] | null): SafeHtml {
  if (rows === null || rows.length === 0) return raw('');
  const cases = num(rows[0].cases);
  return html`<h3 id="genaabnede">Genåbnede afvigelser og deres tidligere behandling (${formatCount(cases)})</h3>
<p class="lead">Afvigelser, der blev løst (og deres behandling lukket) og nu er åbne igen: de starter som Åben, og her står, hvad der blev gjort sidst.</p>
${table(
    rows,
    [
      { title: 'Sag', cls: 'nowrap mono', cell: (r) => str(r.case_ref) },
      { title: 'Regel', cell: (r) => html`<b>${str(r.rule)}</b>` },
      { title: 'Kommune', cls: 'nowrap', cell: (r) => muniLabel(ctx, r.municipality) },
      { title: 'Id', cls: 'mono', cell: (r) => str(r.key_id) },
      { title: 'Åben igen siden', cls: 'nowrap', cell: (r) => formatInstant(str(r.first_seen)) },
      { title: 'Hvornår', cls: 'nowrap', cell: (r) => formatInstant(str(r.changed_at)) },
      { title: 'Hvem', cell: (r) => str(r.who) },
      { title: 'Ændring', cls: 'detail', cell: (r) => trailChange(r) },
      { title: 'Kilde', cell: (r) => str(r.source) },
    ],
    { cap: TABLE_CAP, fullList: 'afstem audit' },
  )}`;
}

export const handled: Section = {
  id: 'behandlede',
  title: 'Forklarede og afventende afvigelser',
  nav: 'Behandlede',
  missing: 'Behandlingen',
  queries: { handled: 'worklist/handled.sql' },
  optional: { reopened: 'worklist/reopened.sql' },
  render(q, optional, ctx) {
    const total = num(q.handled[0]?.total);
    const explained = num(q.handled[0]?.explained);
    return html`<section class="card" id="behandlede">
<h2>Forklarede og afventende afvigelser</h2>
<p class="lead"><b>${formatCount(total)}</b> ${total === 1 ? 'åben afvigelse er behandlet og står' : 'åbne afvigelser er behandlet og står'} ikke på arbejdslisten: ${formatCount(explained)} forklaret (accepteret, som de er) og ${formatCount(total - explained)} afventer en anden til opfølgningsdatoen. En afventende afvigelse kommer tilbage på arbejdslisten, når opfølgningsdatoen er passeret. De står stadig i discrepancies.csv.</p>
${handledTable(ctx, q.handled)}
${reopenedTable(ctx, optional.reopened)}
</section>`;
  },
};
