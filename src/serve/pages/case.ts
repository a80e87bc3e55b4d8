// A case page (FORMATS.md §9, /sager/S-123): the discrepancy with its Danish detail, age, what may explain it (the
// best suggested match with a link to the other side's case, an overdue delivery), its lineage (each entity's
// version in effect: the delivery's file and line), its handling now, the form that records a change (for a clerk or
// an operator, while the case is open), the changes waiting for the nightly run or refused after it, and the whole
// handling trail. Text is escaped and masked by html``; a note with markup is shown as text.
import type { Row } from '../../db.ts';
import { HANDLING_STATUSES, HANDLING_STATUS_DA, type HandlingStatus } from '../../handling/store.ts';
import { describeChange, type TrailLine } from '../../handling/trail.ts';
import { danishAmounts, formatCount, formatInstant, formatKroner, html, join, raw, type SafeHtml } from '../../report/html.ts';
import { KIND_DA, SEVERITY_DA, STATE_DA, ruleLabel } from '../../report/labels.ts';
import { badge, num, str } from '../../report/parts.ts';
import { muni } from './layout.ts';
import { caseHref, handlingText } from './lists.ts';

/** The four fields of the form, as posted (or as the case stands). */
export interface FormValues {
  status: string;
  assignee: string;
  note: string;
  follow_up: string;
}

export interface CaseView {
  c: Row;
  trail: TrailLine[];
  journal: Row[];
  names: Map<string, string>;
  /** The user may record handling (and the case is open). */
  canHandle: boolean;
  token: string;
  /** What the form shows: the values posted when they were refused, else the case's own. */
  form?: FormValues;
}

/** 'YYYY-MM-DD' → 'DD.MM.YYYY'. */
const danishDate = (d: unknown) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(str(d));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : str(d);
};
const orDash = (v: unknown) => (v === null || v === undefined || v === '' ? '–' : str(v));

/** One entry of a lineage ('101/fbs_fees_2026-11-20.csv:14') in words: the kind, its export date, the file and line. */
export function lineageEntry(entry: string): SafeHtml {
  const m = /^(.*):(\d+)$/.exec(entry.trim());
  if (!m) return html`${entry}`;
  const f = /(?:^|\/)([a-z_]+)_(\d{4}-\d{2}-\d{2})\.[^/]*$/.exec(m[1]);
  const kind = f && KIND_DA[f[1]] ? html`${KIND_DA[f[1]]} (${f[1]}), leveret ${danishDate(f[2])}: ` : '';
  return html`${kind}<span class="mono">${m[1]}</span>, linje ${m[2]}`;
}

function facts(v: CaseView): SafeHtml {
  const c = v.c;
  const rule = ruleLabel(str(c.rule));
  const ids: [string, unknown][] = [['gebyr', c.fee_id], ['fordring', c.claim_id], ['indbetaling', c.payment_id], ['transaktion', c.psp_txn_id], ['dækning', c.coverage_id]];
  const shownIds = join(ids.filter(([, id]) => id !== null && id !== '').map(([k, id]) => html`${k} <span class="mono">${str(id)}</span>`), '<br>');
  const match = c.suggestion
    ? html`${str(c.suggestion)}${c.counterpart_case ? html` — <a href="${caseHref(c.counterpart_case)}">sagen på den anden side: ${str(c.counterpart_case)}</a>` : ''}`
    : '–';
  return html`<dl class="facts">
<dt>Kommune</dt><dd>${muni(v.names, c.municipality)}</dd>
<dt>Regel</dt><dd><b>${str(c.rule)}</b> ${rule?.name ?? ''}</dd>
<dt>Hvad skal der gøres</dt><dd>${rule?.action ?? '–'}</dd>
<dt>Alvor</dt><dd>${badge(str(c.severity), SEVERITY_DA[str(c.severity) as 'critical'] ?? str(c.severity))} ${badge(str(c.state), STATE_DA[str(c.state)] ?? str(c.state))}${c.state === 'resolved' ? html` (løst ${formatInstant(str(c.resolved_at))})` : ''}</dd>
<dt>Beløb</dt><dd>${c.amount === null ? '–' : formatKroner(str(c.amount))}</dd>
<dt>Beskrivelse</dt><dd>${danishAmounts(str(c.detail))}</dd>
<dt>Opstået</dt><dd>${formatInstant(str(c.arose_at)) || '–'}${c.age === null ? '' : html` · ${formatCount(num(c.age))} ${num(c.age) === 1 ? 'bankdag' : 'bankdage'} gammel`}</dd>
<dt>Først set</dt><dd>${formatInstant(str(c.first_seen))}</dd>
<dt>Id'er</dt><dd>${shownIds}</dd>
<dt>Mulig årsag</dt><dd>${orDash(c.overdue_cause)}</dd>
<dt>Muligt match</dt><dd>${match}</dd>
</dl>`;
}

function current(c: Row): SafeHtml {
  return html`<dl class="facts">
<dt>Status</dt><dd>${handlingText({ ...c, assignee: null })}</dd>
<dt>Ansvarlig</dt><dd>${orDash(c.assignee)}</dd>
<dt>Note</dt><dd class="note-text">${orDash(c.note)}</dd>
<dt>Opfølgning</dt><dd>${c.follow_up ? danishDate(c.follow_up) : '–'}</dd>
<dt>Behandlet af</dt><dd>${orDash(c.handled_by)}</dd>
<dt>Behandlet</dt><dd>${c.handled_at ? formatInstant(str(c.handled_at)) : '–'}</dd>
</dl>`;
}

function form(v: CaseView): SafeHtml {
  const c = v.c;
  const f: FormValues = v.form ?? { status: str(c.handling_status), assignee: str(c.assignee), note: str(c.note), follow_up: str(c.follow_up) };
  const options = HANDLING_STATUSES.map((s) => html`<option value="${s}"${raw(s === f.status ? ' selected' : '')}>${HANDLING_STATUS_DA[s]}</option>`);
  return html`<form class="handling" method="post" action="${caseHref(c.case_ref)}">
<input type="hidden" name="_csrf" value="${v.token}">
<input type="hidden" name="seen" value="${str(c.handled_at)}">
<label for="status">Status</label><select id="status" name="status">${options}</select>
<label for="assignee">Ansvarlig</label><input id="assignee" name="assignee" maxlength="200" value="${f.assignee}">
<label for="note">Note</label><textarea id="note" name="note" maxlength="4000">${f.note}</textarea>
<label for="follow_up">Opfølgning</label><input id="follow_up" name="follow_up" type="date" value="${f.follow_up}">
<p class="hint">Forklaret kræver en note, der siger hvorfor; Afventer kræver en opfølgningsdato, som kun hører til Afventer. Tomme felter rydder ansvarlig og note.</p>
<div class="actions"><button type="submit">Gem</button></div>
</form>`;
}

function journal(rows: Row[]): SafeHtml {
  if (!rows.length) return raw('');
  const word = (r: Row) => (r.outcome === 'pending' ? 'venter på nattens kørsel; gemt og vist her' : r.outcome === 'conflict' ? 'ikke gemt: konflikt' : 'ikke gemt: afvist');
  return html`<h3>Ændringer fra denne side, der ikke står i historikken</h3><ul>${rows.map((r) =>
    html`<li>${formatInstant(str(r.recorded_at))}, ${str(r.who)}: ${word(r)}${r.reason ? html` — ${str(r.reason)}` : ''}</li>`)}</ul>`;
}

function trail(lines: TrailLine[]): SafeHtml {
  if (!lines.length) return html`<p class="empty">Ingen ændringer registreret.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th>Hvornår</th><th>Hvem</th><th>Ændring (før → efter)</th><th>Kilde</th></tr></thead><tbody>
${lines.map((t) => html`<tr><td class="nowrap">${formatInstant(t.changed_at)}</td><td>${t.who}</td><td class="detail note-text">${describeChange(t)}</td><td>${t.source}</td></tr>`)}
</tbody></table></div>`;
}

export function caseBody(v: CaseView): SafeHtml {
  const c = v.c;
  const lineage = str(c.lineage).split(';').map((s) => s.trim()).filter((s) => s !== '');
  const open = c.state !== 'resolved';
  return html`<section class="card" id="sag"><h2>${str(c.case_ref)} · ${str(c.rule)} ${ruleLabel(str(c.rule))?.name ?? ''}</h2>
${facts(v)}
<h3>Herkomst</h3>
${lineage.length ? html`<ul class="lineage">${lineage.map((e) => html`<li>${lineageEntry(e)}</li>`)}</ul>` : html`<p class="empty">Ingen.</p>`}
</section>
<section class="card" id="behandling"><h2>Behandling</h2>
${current(c)}
${v.canHandle && open ? form(v) : open ? '' : html`<p class="note">Sagen er løst i seneste kørsel; dens behandling er lukket.</p>`}
${journal(v.journal)}
<h3>Historik</h3>
${trail(v.trail)}
</section>`;
}

export function isStatus(s: string): s is HandlingStatus {
  return (HANDLING_STATUSES as readonly string[]).includes(s);
}
