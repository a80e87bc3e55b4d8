// What the night's run imported from the handling folder (FORMATS.md §8, summary.json `handling`): the files read,
// what was applied, and every refused row or conflict with its file, sheet row and reason. A municipality's own
// report shows its own files alone (build.ts's ownSummary). Nothing when the configuration names no handling folder.
// A file imported by a run that did not finish says so beside its status: its refusals are reported here.
import { formatCount, html, raw } from '../html.ts';
import type { Section } from '../section.ts';
import { HANDLING_FILE_STATUS_DA } from '../../vocabulary.ts';


export const handlingImport: Section = {
  id: 'behandling-indlaest',
  title: 'Sagsbehandling indlæst fra mappen',
  nav: 'Indlæst behandling',
  render(_q, _optional, ctx) {
    const h = ctx.summary?.handling;
    if (!h) return raw('');
    const head = html`<h2>Sagsbehandling indlæst fra mappen ${h.folder}</h2>`;
    if (h.lookBack) {
      return html`<section class="card" id="behandling-indlaest">${head}<p class="empty">Kørslen er et tilbageblik: mappen er ikke læst.</p></section>`;
    }
    const read = h.files.filter((f) => f.status !== 'already_imported');
    if (!read.length) {
      return html`<section class="card" id="behandling-indlaest">${head}<p class="empty">Ingen nye filer i mappen.</p></section>`;
    }
    const files = read.map(
      (f) => html`<tr><td>${f.path}</td><td>${HANDLING_FILE_STATUS_DA[f.status] ?? f.status}${f.status === 'imported' && f.message ? ` (${f.message})` : ''}</td><td>${f.by ?? ''}</td><td class="num">${formatCount(f.applied)}</td><td class="num">${formatCount(f.unchanged)}</td><td class="num">${formatCount(f.refused + f.conflicts)}</td></tr>`,
    );
    const refused = h.refused.slice(0, 200).map(
      (r) => html`<tr><td>${r.file}</td><td class="num">${r.row === null ? '' : String(r.row)}</td><td>${r.caseRef}</td><td>${r.reason}</td></tr>`,
    );
    return html`<section class="card" id="behandling-indlaest">${head}
<p>${formatCount(h.applied)} ændringer anvendt, ${formatCount(h.refused.length)} afvist.</p>
<div class="table-wrap"><table><thead><tr><th>Fil</th><th>Status</th><th>Gemt af</th><th class="num">Anvendt</th><th class="num">Uændret</th><th class="num">Afvist</th></tr></thead><tbody>${files}</tbody></table></div>
${h.refused.length ? html`<h3>Afviste rækker</h3><div class="table-wrap"><table><thead><tr><th>Fil</th><th class="num">Række</th><th>Sag</th><th>Årsag</th></tr></thead><tbody>${refused}</tbody></table></div>${h.refused.length > 200 ? html`<p class="note">Viser 200 af ${formatCount(h.refused.length)}; alle står i summary.json.</p>` : raw('')}` : raw('')}
</section>`;
  },
};
