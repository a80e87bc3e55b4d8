// The go-live page (FORMATS.md §9, /status): the status of the user's municipalities with its reasons, drawn by the
// report's own section (src/report/sections/waves.ts) from the same SQL, and each municipality's discrepancies.xlsx
// with the current handling; and the operator's page (/drift): every municipality's status and worklist, and the
// last recorded runs with the duration of each step (afstem history).
import type { Row } from '../../db.ts';
import type { StepTime } from '../../run/runs.ts';
import { formatCount, formatInstant, html, type SafeHtml } from '../../report/html.ts';
import { WAVE_STATUS } from '../../report/labels.ts';
import { badge, num, str } from '../../report/parts.ts';
import { waves } from '../../report/sections/waves.ts';
import { NO_STREAMS } from '../../report/section.ts';
import { muni } from './layout.ts';
import { listHref } from './lists.ts';

export async function statusBody(rows: Row[], asOf: Date, names: Map<string, string>, codes: string[], download: boolean): Promise<SafeHtml> {
  const ctx = { asOf, summary: null, municipalities: names, sla: new Map(), municipality: codes.length === 1 ? codes[0] : '', ...NO_STREAMS };
  const section = await waves.render({ municipalities: rows }, {}, ctx);
  const files = download
    ? html`<section class="card" id="filer"><h2>Til Excel</h2><p class="lead">De åbne afvigelser med behandlingen, som den står nu (Status, Ansvarlig, Note, Opfølgning), og hvad der kan forklare dem.</p><ul>${codes.map((c) =>
      html`<li><a href="/kommuner/${c}/discrepancies.xlsx">discrepancies.xlsx for ${muni(names, c)}</a></li>`)}</ul></section>`
    : '';
  return html`${section}${files}`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1).replace('.', ',')} s`;

function steps(json: unknown): string {
  try {
    const list = JSON.parse(str(json) || '[]') as StepTime[];
    return list.map((s) => `${s.step} ${seconds(s.ms)}`).join(', ');
  } catch {
    return '';
  }
}

export function operatorBody(overview: Row[], runs: Row[], names: Map<string, string>): SafeHtml {
  const municipalities = overview.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Kommune</th><th class="num">Bølge</th><th>Status</th><th class="num">På arbejdslisten</th><th class="num">Ældste (bankdage)</th><th class="num">Kritiske</th><th class="num">Behandlede</th><th class="num">Åbne i alt</th></tr></thead><tbody>
${overview.map((r) => html`<tr><td class="nowrap"><a href="${listHref('/', { kommune: str(r.municipality) })}">${muni(names, r.municipality)}</a></td><td class="num">${str(r.wave)}</td><td class="reason">${badge(WAVE_STATUS[str(r.status)]?.kind ?? 'info', WAVE_STATUS[str(r.status)]?.label ?? str(r.status))} ${str(r.reason)}</td><td class="num">${formatCount(num(r.worklist))}</td><td class="num">${r.oldest === null ? '–' : formatCount(num(r.oldest))}</td><td class="num">${formatCount(num(r.critical))}</td><td class="num">${formatCount(num(r.handled))}</td><td class="num">${formatCount(num(r.open))}</td></tr>`)}
</tbody></table></div>`
    : html`<p class="empty">Ingen kommuner.</p>`;
  const history = runs.length
    ? html`<div class="table-wrap"><table><thead><tr><th>Opgjort pr.</th><th>Startet</th><th class="num">Varighed</th><th class="num">Filer</th><th class="num">Afviste rækker</th><th class="num">Kritiske / advarsler / info</th><th class="num">Nye / løste</th><th class="num">Afslutningskode</th><th>Trin</th><th>Kørsel</th></tr></thead><tbody>
${runs.map((r) => html`<tr><td class="nowrap">${formatInstant(str(r.as_of))}</td><td class="nowrap">${formatInstant(str(r.started_at))}</td><td class="num">${r.duration_ms === null ? '–' : seconds(num(r.duration_ms))}</td><td class="num">${formatCount(num(r.files_read))}</td><td class="num">${formatCount(num(r.rows_rejected))}</td><td class="num">${formatCount(num(r.critical))} / ${formatCount(num(r.warning))} / ${formatCount(num(r.info))}</td><td class="num">${formatCount(num(r.new_count))} / ${formatCount(num(r.resolved_count))}</td><td class="num">${str(r.exit_code)}</td><td class="detail">${steps(r.steps_json)}</td><td class="mono">${str(r.run_id)}</td></tr>`)}
</tbody></table></div>`
    : html`<p class="empty">Ingen registrerede kørsler.</p>`;
  return html`<section class="card" id="kommuner"><h2>Alle kommuner</h2>
<p class="lead">Idriftsættelsesstatus og arbejdsliste pr. kommune fra seneste registrerede kørsel, de røde først.</p>
${municipalities}</section>
<section class="card" id="koersler"><h2>Seneste kørsler</h2>
<p class="lead">De registrerede natlige kørsler, den nyeste først (som afstem history).</p>
${history}</section>`;
}

export function loginBody(token: string, message: string | null, user: string): SafeHtml {
  return html`<section class="card login"><h2>Log ind</h2>
${message ? html`<p class="banner bad" role="alert">${message}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${token}">
<label>Brugernavn <input name="user" autocomplete="username" maxlength="200" required value="${user}"></label>
<label>Adgangskode <input name="password" type="password" autocomplete="current-password" maxlength="1024" required></label>
<button type="submit">Log ind</button>
</form></section>`;
}

