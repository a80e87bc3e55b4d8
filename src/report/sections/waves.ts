// Go-live waves: one row per municipality from the `waves` mart, worst status first within each wave.
// SQL: reports/waves/municipalities.sql.
import type { Row } from '../../db.ts';
import { formatCount, formatHours, html, join, table } from '../html.ts';
import { DEBTOR_SYSTEM_DA, WAVE_STATUS } from '../labels.ts';
import { badge, fullListIn, muniLabel, num, str } from '../parts.ts';
import type { Section } from '../section.ts';

const p90 = (r: Row, stage: string) => {
  const h = r[`${stage}_p90_hours`];
  return h === null || h === undefined || h === '' ? '–' : `${formatHours(str(h))} t`;
};

const STAGES = ['fee_to_claim', 'claim_to_payable', 'psp_to_debitor', 'debitor_to_fbs'];

/** '2026-04-14' → '14.04.2026'. */
const danishDate = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}` : d);

export const waves: Section = {
  id: 'boelger',
  title: 'Idriftsættelse: bølger og kommuner',
  nav: 'Idriftsættelse',
  missing: 'Bølgeoversigten',
  queries: { municipalities: 'waves/municipalities.sql' },
  render(q, _optional, ctx) {
    const rows = q.municipalities;
    const counts: Record<string, number> = { red: 0, amber: 0, green: 0 };
    for (const r of rows) counts[str(r.status)] = (counts[str(r.status)] ?? 0) + 1;
    const body = table(
      rows,
      [
        { title: 'Bølge', cell: (r) => str(r.wave), cls: 'num' },
        { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality) },
        { title: 'Debitorsystem', cell: (r) => DEBTOR_SYSTEM_DA[str(r.debtor_system)] ?? str(r.debtor_system) },
        { title: 'Skæringsdato', cell: (r) => danishDate(str(r.go_live)), cls: 'nowrap' },
        {
          title: 'Status',
          cell: (r) => html`${badge(WAVE_STATUS[str(r.status)]?.kind ?? 'info', WAVE_STATUS[str(r.status)]?.label ?? str(r.status))} ${str(r.reason)}`,
          cls: 'reason',
        },
        { title: 'Nået debitor', cell: (r) => (r.reached_pct === null ? '–' : `${str(r.reached_pct).replace('.', ',')} %`), cls: 'num' },
        { title: 'Gebyrer 7 dage', cell: (r) => formatCount(num(r.fees_last_7_days)), cls: 'num' },
        { title: 'Kritiske / advarsler', cell: (r) => `${formatCount(num(r.open_critical))} / ${formatCount(num(r.open_warning))}`, cls: 'num' },
        { title: 'p90 trin 1 · 2 · 3 · 4', cell: (r) => join(STAGES.map((s) => html`${p90(r, s)}`), '<br>'), cls: 'num' },
        { title: 'KLIK', cell: (r) => `${num(r.klik_done)}/${num(r.klik_total)}`, cls: 'num' },
      ],
      { cap: 120, fullList: fullListIn(ctx, 'waves.csv'), empty: 'Ingen kommuner i konfigurationen.' },
    );
    return html`<section class="card waves" id="boelger"><h2>Idriftsættelse: bølger og kommuner</h2>
<p>${ctx.municipality ? `${muniLabel(ctx, ctx.municipality)} er ${rows.length ? WAVE_STATUS[str(rows[0].status)]?.label.toLowerCase() ?? str(rows[0].status) : 'ikke i konfigurationen'}.` : `${formatCount(counts.red)} røde, ${formatCount(counts.amber)} gule og ${formatCount(counts.green)} grønne kommuner.`} Rød: en åben kritisk afvigelse er ældre end 2 bankdage, under 95 % af gebyrerne er nået til debitorsystemet, eller der er ikke set et gebyr siden skæringsdatoen. Gul: et led overskrider sin frist for mere end 10 % af posterne, eller der er åbne advarsler.</p>
${body}
</section>`;
  },
};
