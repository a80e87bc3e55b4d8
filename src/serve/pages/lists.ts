// The served lists (FORMATS.md §9): the worklist of the user's municipalities — grouped by municipality and rule
// as the report groups it, the filters (municipality, rule, severity, age, handling, text) and the pages done by the
// server — the search results, and the handled discrepancies (explained, and awaiting until their follow-up date).
// Every row links to its case page. Text is escaped and masked by html``.
import type { Row } from '../../db.ts';
import { HANDLING_STATUS_DA, type HandlingStatus } from '../../handling/store.ts';
import { clip, danishAmounts, formatCount, formatInstant, formatKroner, html, raw, type SafeHtml } from '../../report/html.ts';
import { RULE_LABELS, SEVERITY_DA, STATE_DA, ruleLabel } from '../../report/labels.ts';
import { badge, num, str } from '../../report/parts.ts';
import { muni } from './layout.ts';

/** The worklist's filters as the page's query string names them (Danish, like the report's filters). */
export interface Filters {
  kommune?: string;
  regel?: string;
  alvor?: string;
  alder?: number;
  behandling?: string;
  tekst?: string;
}

export const HANDLING_FILTERS: Record<string, string> = { open: HANDLING_STATUS_DA.open, in_progress: HANDLING_STATUS_DA.in_progress, due: 'opfølgning overskredet' };

/** A link to the list with these filters and page (empty values left out). */
export function listHref(base: string, f: Filters & { q?: string; side?: number }): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && !(k === 'side' && v === 1)) p.set(k, String(v));
  const s = p.toString();
  return s ? `${base}?${s}` : base;
}

export const caseHref = (ref: unknown): string => `/sager/${encodeURIComponent(str(ref))}`;

/** The handling of a row in words: 'I gang · Bo', 'Afventer – opfølgning overskredet'. */
export function handlingText(r: Row): string {
  const s = str(r.handling_status) as HandlingStatus;
  const label = r.handling_due === true ? 'Afventer – opfølgning overskredet' : HANDLING_STATUS_DA[s] ?? s;
  return r.assignee ? `${label} · ${str(r.assignee)}` : label;
}

function caseTable(rows: Row[], names: Map<string, string>, opts: { state?: boolean } = {}): SafeHtml {
  if (!rows.length) return html`<p class="empty">Ingen afvigelser.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th>Sag</th><th>Regel</th><th>Alvor</th><th>Kommune</th><th>Id</th><th class="num">Beløb</th><th class="num">Alder (bankdage)</th><th>Opstået</th><th>Beskrivelse</th><th>Behandling</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td class="nowrap mono"><a href="${caseHref(r.case_ref)}">${str(r.case_ref)}</a></td><td><b>${str(r.rule)}</b> ${ruleLabel(str(r.rule))?.name ?? ''}</td><td>${badge(str(r.severity), SEVERITY_DA[str(r.severity) as 'critical'] ?? str(r.severity))}${opts.state && r.state === 'resolved' ? html` ${badge('resolved', STATE_DA.resolved)}` : ''}</td><td class="nowrap">${muni(names, r.municipality)}</td><td class="mono">${str(r.key_id)}</td><td class="num">${r.amount === null ? '–' : formatKroner(str(r.amount))}</td><td class="num">${r.age === null ? '–' : formatCount(num(r.age))}</td><td class="nowrap">${formatInstant(str(r.arose_at))}</td><td class="detail">${clip(danishAmounts(str(r.detail)), 200)}</td><td>${handlingText(r)}</td></tr>`)}
</tbody></table></div>`;
}

function pager(total: number, page: number, size: number, href: (side: number) => string): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / size));
  const prev = page > 1 ? html`<a href="${href(page - 1)}" rel="prev">‹ Forrige</a>` : html`<span class="disabled">‹ Forrige</span>`;
  const next = page < pages ? html`<a href="${href(page + 1)}" rel="next">Næste ›</a>` : html`<span class="disabled">Næste ›</span>`;
  return html`<div class="pager">${prev} <span class="pager-info">Side ${formatCount(page)} af ${formatCount(pages)} · ${formatCount(total)} afvigelser</span> ${next}</div>`;
}

function option(value: string, text: string, selected: string | undefined): SafeHtml {
  return html`<option value="${value}"${raw(value === selected ? ' selected' : '')}>${text}</option>`;
}

function filterForm(f: Filters, codes: string[], names: Map<string, string>): SafeHtml {
  const rules = RULE_LABELS.filter((r) => r.severity !== 'info');
  return html`<form class="filters" method="get" action="/" role="search">
${codes.length > 1 ? html`<label>Kommune <select name="kommune">${option('', 'alle', f.kommune)}${codes.map((c) => option(c, muni(names, c), f.kommune))}</select></label>` : ''}
<label>Regel <select name="regel">${option('', 'alle', f.regel)}${rules.map((r) => option(r.code, `${r.code} ${r.name}`, f.regel))}</select></label>
<label>Alvor <select name="alvor">${option('', 'alle', f.alvor)}${option('critical', SEVERITY_DA.critical, f.alvor)}${option('warning', SEVERITY_DA.warning, f.alvor)}</select></label>
<label>Mindst (bankdage) <input name="alder" type="number" min="0" max="100000" step="1" value="${f.alder ?? ''}"></label>
<label>Behandling <select name="behandling">${option('', 'alle', f.behandling)}${Object.entries(HANDLING_FILTERS).map(([k, v]) => option(k, v, f.behandling))}</select></label>
<label>Tekst <input name="tekst" type="search" maxlength="200" value="${f.tekst ?? ''}" placeholder="sag, id eller tekst"></label>
<button type="submit">Filtrér</button> <a class="button plain" href="/">Nulstil</a>
</form>`;
}

export function searchForm(q: string | undefined): SafeHtml {
  return html`<form class="filters" method="get" action="/" role="search"><label>Søg efter sagsnummer, id eller tekst <input name="q" type="search" maxlength="200" value="${q ?? ''}" placeholder="S-123, gebyr-id, tekst"></label><button type="submit">Søg</button></form>`;
}

export interface WorklistView {
  groups: Row[];
  rows: Row[];
  total: number;
  filters: Filters;
  page: number;
  size: number;
  codes: string[];
  names: Map<string, string>;
  /** The user may download discrepancies.xlsx. */
  download: boolean;
}

function groupTable(v: WorklistView): SafeHtml {
  if (!v.groups.length) return html`<p class="empty">Ingen åbne kritiske afvigelser eller advarsler at behandle.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th>Kommune</th><th>Regel</th><th>Alvor</th><th class="num">Antal</th><th class="num">Beløb</th><th class="num">Ældste (bankdage)</th><th>Hvad skal der gøres</th></tr></thead><tbody>
${v.groups.map((g) => html`<tr><td class="nowrap">${muni(v.names, g.municipality)}</td><td><a href="${listHref('/', { kommune: str(g.municipality), regel: str(g.rule) })}"><b>${str(g.rule)}</b> ${ruleLabel(str(g.rule))?.name ?? ''}</a></td><td>${badge(str(g.severity), SEVERITY_DA[str(g.severity) as 'critical'] ?? str(g.severity))}</td><td class="num">${formatCount(num(g.n))}</td><td class="num">${g.amount === null ? '–' : formatKroner(str(g.amount))}</td><td class="num">${g.oldest === null ? '–' : formatCount(num(g.oldest))}</td><td>${ruleLabel(str(g.rule))?.action ?? ''}</td></tr>`)}
</tbody></table></div>`;
}

export function worklistBody(v: WorklistView): SafeHtml {
  const filtered = Object.values(v.filters).some((x) => x !== undefined && x !== '');
  const downloads = v.download
    ? html` Til Excel: ${v.codes.map((c, i) => html`${i ? ', ' : ''}<a href="/kommuner/${c}/discrepancies.xlsx">discrepancies.xlsx (${muni(v.names, c)})</a>`)}.`
    : '';
  return html`<section class="card" id="arbejdsliste"><h2>Arbejdsliste: kræver handling i dag</h2>
<p class="lead">Åbne kritiske afvigelser og advarsler med status Åben eller I gang, og afventende, hvis opfølgningsdato er overskredet: de ældste kritiske og største beløb først, grupperet efter kommune og regel. Alder i bankdage siden afvigelsen opstod. Forklarede og afventende står under <a href="/behandlede">Behandlede</a>.${downloads}</p>
${searchForm(undefined)}
${groupTable(v)}
<h3 id="alle">${filtered ? 'Afvigelser, der passer til filtrene' : 'Alle afvigelser på arbejdslisten'}</h3>
${filterForm(v.filters, v.codes, v.names)}
${caseTable(v.rows, v.names)}
${pager(v.total, v.page, v.size, (side) => listHref('/', { ...v.filters, side }))}
</section>`;
}

export function searchBody(q: string, rows: Row[], total: number, page: number, size: number, names: Map<string, string>): SafeHtml {
  return html`<section class="card" id="soegning"><h2>Søgning: «${q}»</h2>
<p class="lead">Et sagsnummer (S-123) finder den ene sag; ellers søges i id'er (hele id'er først), beskrivelse, ansvarlig og note. Sager fra seneste registrerede kørsel, de åbne først.</p>
${searchForm(q)}
${caseTable(rows, names, { state: true })}
${pager(total, page, size, (side) => listHref('/', { q, side }))}
</section>`;
}

export function handledBody(rows: Row[], page: number, size: number, names: Map<string, string>): SafeHtml {
  const total = num(rows[0]?.total);
  const table = rows.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Sag</th><th>Regel</th><th>Kommune</th><th>Id</th><th class="num">Beløb</th><th>Status</th><th>Opfølgning</th><th>Ansvarlig</th><th>Note</th><th>Behandlet af</th><th>Behandlet</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td class="nowrap mono"><a href="${caseHref(r.case_ref)}">${str(r.case_ref)}</a></td><td><b>${str(r.rule)}</b> ${ruleLabel(str(r.rule))?.name ?? ''}</td><td class="nowrap">${muni(names, r.municipality)}</td><td class="mono">${str(r.key_id)}</td><td class="num">${r.amount === null ? '–' : formatKroner(str(r.amount))}</td><td>${HANDLING_STATUS_DA[str(r.handling_status) as HandlingStatus] ?? str(r.handling_status)}</td><td class="nowrap">${str(r.follow_up) || '–'}</td><td>${str(r.assignee) || '–'}</td><td class="detail note-text">${clip(str(r.note), 300) || '–'}</td><td>${str(r.handled_by) || '–'}</td><td class="nowrap">${formatInstant(str(r.handled_at)) || '–'}</td></tr>`)}
</tbody></table></div>`
    : html`<p class="empty">Ingen forklarede eller afventende afvigelser.</p>`;
  return html`<section class="card" id="behandlede"><h2>Behandlede afvigelser</h2>
<p class="lead">Åbne afvigelser, der er forklaret (med noten, der siger hvorfor), eller som afventer nogen andre til en opfølgningsdato, der ikke er overskredet. De bliver ved med at stå i discrepancies.csv, indtil bøgerne ændrer sig.</p>
${table}
${pager(total, page, size, (side) => listHref('/behandlede', { side }))}
</section>`;
}
