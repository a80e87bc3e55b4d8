// The four stages: an overview table, the distribution per stage, the daily p90 trend, the spread between the
// municipalities, the breach-rate heatmap and the negative durations. SQL and chart specs: reports/stages/.
import { DateTime } from 'luxon';
import type { Row } from '../../db.ts';
import { ZONE } from '../../calendar.ts';
import { TREND_DAYS } from '../../pipeline/context.ts';
import { formatCount, formatHours, formatInstant, html, join, raw, table, type SafeHtml } from '../html.ts';
import { DURATION_BINS, STAGES_DA, STAGE_KEYS } from '../labels.ts';
import { TABLE_CAP, chartFigure, fullListIn, muniLabel, num, percent, slaText, stageWithSla, str } from '../parts.ts';
import type { ReportContext, Section } from '../section.ts';

/** Municipalities in the breach-rate heatmap (ranked). */
export const HEATMAP_CAP = 30;

/** Whose items a figure counts: every municipality's, or (in a municipality's own report) its own alone. */
const where = (ctx: ReportContext) => (ctx.municipality ? `i ${muniLabel(ctx, ctx.municipality)}` : 'i alle kommuner');

const order = (stage: unknown) => STAGES_DA[str(stage)]?.order;
const slaHours = (ctx: ReportContext, stage: unknown) => ctx.sla.get(str(stage))?.hours ?? null;

function overview(ctx: ReportContext, rows: Row[]): SafeHtml {
  const all = [...rows].sort((a, b) => (order(a.stage) ?? 9) - (order(b.stage) ?? 9));
  return table(all, [
    { title: 'Trin', cell: (r) => html`<b>${STAGES_DA[str(r.stage)]?.label ?? str(r.stage)}</b><br><span class="note">${STAGES_DA[str(r.stage)]?.what ?? ''}</span>` },
    { title: 'Frist', cell: (r) => slaText(ctx, str(r.stage)), cls: 'nowrap' },
    { title: 'Afsluttet', cls: 'num', cell: (r) => formatCount(num(r.n)) },
    { title: 'p50 (t)', cls: 'num', cell: (r) => formatHours(str(r.p50) || null) },
    { title: 'p90 (t)', cls: 'num', cell: (r) => formatHours(str(r.p90) || null) },
    { title: 'p99 (t)', cls: 'num', cell: (r) => formatHours(str(r.p99) || null) },
    { title: 'Maks. (t)', cls: 'num', cell: (r) => formatHours(str(r.max) || null) },
    { title: 'Inden for frist', cls: 'num', cell: (r) => formatCount(num(r.within_sla)) },
    { title: 'Overskredet', cls: 'num', cell: (r) => formatCount(num(r.breached)) },
    { title: 'Andel overskredet', cls: 'num', cell: (r) => percent(num(r.breached), num(r.within_sla) + num(r.breached)) },
    { title: 'I gang', cls: 'num', cell: (r) => formatCount(num(r.in_flight)) },
  ]);
}

/** Every stage × bin × outcome, with 0 where the histogram has no row. */
function distribution(ctx: ReportContext, hist: Row[]): Row[] {
  const counts = new Map(hist.map((r) => [`${r.stage}|${r.bin}|${r.within_sla}`, num(r.n)]));
  const values: Row[] = [];
  for (const stage of STAGE_KEYS)
    DURATION_BINS.forEach((label, i) => {
      for (const within of [true, false])
        values.push({
          stage_label: stageWithSla(ctx, stage),
          stage_order: STAGES_DA[stage].order,
          bin_order: i + 1,
          bin_label: label,
          status: within ? 'Inden for frist' : 'Overskredet',
          status_order: within ? 0 : 1,
          n: counts.get(`${stage}|${i + 1}|${within}`) ?? 0,
        });
    });
  return values;
}

async function itemCharts(ctx: ReportContext, hist: Row[] | null, trend: Row[] | null): Promise<SafeHtml[]> {
  const charts: SafeHtml[] = [];
  if (hist?.length) {
    charts.push(
      html`<h3>Fordeling pr. trin</h3>`,
      await chartFigure(
        ctx,
        'stages/stage-distribution',
        distribution(ctx, hist),
        `Afsluttede forløb ${where(ctx)} efter varighed (forløbet tid; t = timer, d = døgn). Grønt blev afsluttet inden fristen, rødt efter; fristen står i overskriften. Negative varigheder er udeladt (se nedenfor).`,
      ),
    );
  }
  if (trend?.length) {
    charts.push(
      html`<h3>Udvikling: daglig p90 pr. trin</h3>`,
      await chartFigure(
        ctx,
        'stages/p90-trend',
        trend.map((r) => ({ ...r, stage_label: stageWithSla(ctx, str(r.stage)), stage_order: order(r.stage), sla_hours: slaHours(ctx, r.stage) })),
        `p90 af varigheden for de forløb, der blev afsluttet den dag (dansk dato), ${where(ctx)}, de seneste ${TREND_DAYS} dage. Den stiplede røde linje er fristen, hvor den er i timer.`,
      ),
    );
  }
  return charts;
}

async function municipalityCharts(ctx: ReportContext, spread: Row[], heat: Row[]): Promise<SafeHtml[]> {
  const charts: SafeHtml[] = [];
  if (spread.length) {
    charts.push(
      html`<h3>Spredning mellem kommunerne</h3>`,
      await chartFigure(
        ctx,
        'stages/municipality-spread',
        spread.map((r) => ({ ...r, municipality: muniLabel(ctx, r.municipality), stage_label: stageWithSla(ctx, str(r.stage)), stage_order: order(r.stage), sla_hours: slaHours(ctx, r.stage) })),
        'Hver prik er én kommunes p90 for trinnet (logaritmisk akse), farvet efter kommunens andel overskredne forløb. Den stiplede linje er fristen, hvor den er i timer; frister i bankdage afhænger af startdagen og ses i farven.',
      ),
    );
  }
  if (heat.length) {
    const ranked = num(heat[0].ranked_count);
    charts.push(
      html`<h3>Andel overskredne forløb pr. kommune</h3>`,
      await chartFigure(
        ctx,
        'stages/breach-rate',
        heat.map((r) => ({
          municipality_label: `${muniLabel(ctx, r.municipality)} (${formatCount(num(r.total_breached))} af ${formatCount(num(r.total))})`,
          rank: num(r.rank),
          stage_label: STAGES_DA[str(r.stage)]?.label ?? str(r.stage),
          stage_order: order(r.stage),
          breach_rate: r.breach_rate,
          cell_text: r.breach_rate === null ? '–' : `${percent(num(r.breached), num(r.breached) + num(r.within_sla))}`,
        })),
        `Overskredet ÷ (inden for frist + overskredet) pr. trin; kommunerne er rangeret efter den samlede andel (i parentes: overskredne af alle). ${ranked > HEATMAP_CAP ? `Viser de ${HEATMAP_CAP} dårligste af ${ranked} kommuner med forløb; alle står i latency.csv.` : ''} – betyder ingen forløb.`,
      ),
    );
  }
  return charts;
}

function negatives(ctx: ReportContext, countRows: Row[] | null, rows: Row[] | null): SafeHtml {
  const total = num(countRows?.[0]?.n);
  if (!total || !rows) return raw('');
  return html`<h3>Negative varigheder</h3>
<p class="lead">Forløb, der slutter før de begynder: et problem med tidsstemplerne i et af systemerne. De tæller med i antal og inden for frist, men ikke i p50/p90/p99/maks.</p>
${table(rows, [
  { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
  { title: 'Trin', cell: (r) => STAGES_DA[str(r.stage)]?.label ?? str(r.stage) },
  { title: 'Id', cell: (r) => html`<span class="mono">${str(r.id)}</span>` },
  { title: 'Start', cell: (r) => formatInstant(str(r.start_at)), cls: 'nowrap' },
  { title: 'Slut', cell: (r) => formatInstant(str(r.end_at)), cls: 'nowrap' },
  { title: 'Timer', cls: 'num', cell: (r) => formatHours(str(r.hours)) },
], { total, fullList: fullListIn(ctx, 'summary.json (negativeDurations)') })}`;
}

export const stages: Section = {
  id: 'forsinkelser',
  title: 'De fire forsinkelser',
  missing: 'Forsinkelserne',
  queries: { overview: 'stages/overview.sql' },
  // comparing the municipalities means nothing in a municipality's own report (and would name the others)
  overall: { spread: 'stages/spread.sql', heat: 'stages/breach-rate.sql' },
  optional: {
    histogram: 'stages/histogram.sql',
    trend: 'stages/trend.sql',
    negativeCount: 'stages/negative-count.sql',
    negatives: 'stages/negatives.sql',
  },
  params: (ctx) => ({
    heatmap_cap: HEATMAP_CAP,
    trend_from: DateTime.fromJSDate(ctx.asOf).setZone(ZONE).minus({ days: TREND_DAYS }).toISODate()!,
  }),
  async render(q, optional, ctx) {
    const charts = [
      ...(await itemCharts(ctx, optional.histogram, optional.trend)),
      ...(ctx.municipality ? [] : await municipalityCharts(ctx, q.spread, q.heat)),
    ];
    return html`<section class="card" id="forsinkelser">
<h2>De fire forsinkelser</h2>
<p class="lead">Hvor lang tid pengene er om hvert af de fire skridt, ${ctx.municipality ? `i ${muniLabel(ctx, ctx.municipality)}` : 'alle kommuner samlet'}. Et forløb, der ikke er afsluttet, og hvis frist er overskredet, tæller som overskredet (det er afvigelserne R01, R09, R10 og R18); før fristen er det "i gang".${ctx.municipality ? '' : ' Pr. kommune står tallene i latency.csv.'}</p>
${overview(ctx, q.overview)}
${join(charts)}
${negatives(ctx, optional.negativeCount, optional.negatives)}
</section>`;
  },
};
