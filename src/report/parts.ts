// Small pieces several sections draw: municipality and SLA labels, badges, the ids of a discrepancy, charts.
import type { Row } from '../db.ts';
import { renderChart } from './charts.ts';
import { formatHours, html, join, raw, type SafeHtml } from './html.ts';
import { STAGES_DA } from './labels.ts';
import type { ReportContext } from './section.ts';

/** Rows per table; the full lists are in the CSV files. */
export const TABLE_CAP = 200;

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const num = (v: unknown): number => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));

export function muniLabel(ctx: ReportContext, code: unknown): string {
  const c = str(code);
  if (c === 'ALL') return 'Alle kommuner';
  const name = ctx.municipalities.get(c);
  return name ? `${c} ${name}` : c;
}

/**
 * Where a full list lies: a file of the run's folder. A municipality's folder holds only its report.html,
 * discrepancies.csv and discrepancies.xlsx, so its report names the other files as the operator's.
 */
export function fullListIn(ctx: ReportContext, file: string): string {
  return ctx.municipality ? `${file} i den samlede kørsel (hos driften)` : file;
}

export function slaText(ctx: ReportContext, stage: string): string {
  const s = ctx.sla.get(stage);
  if (!s) return '';
  if (s.hours !== null) return `${formatHours(String(s.hours))} ${s.hours === 1 ? 'time' : 'timer'}`.replace(',00 ', ' ');
  if (s.businessDays !== null) return `${s.businessDays} ${s.businessDays === 1 ? 'bankdag' : 'bankdage'}`;
  return '';
}

/** "1. Gebyr → fordring (frist 1 time)": a stage with its SLA, for chart facets. */
export function stageWithSla(ctx: ReportContext, stage: string): string {
  return `${STAGES_DA[stage]?.label ?? stage} (frist ${slaText(ctx, stage)})`;
}

export function badge(kind: string, text: string): SafeHtml {
  return html`<span class="badge ${raw(/^[a-z_]+$/.test(kind) ? kind : 'info')}">${text}</span>`;
}

/** The ids a discrepancy names, one per line. */
export function ids(r: Row): SafeHtml {
  const parts: [string, unknown][] = [
    ['gebyr', r.fee_id],
    ['fordring', r.claim_id],
    ['indbetaling', r.payment_id],
    ['transaktion', r.psp_txn_id],
    ['dækning', r.coverage_id],
  ];
  return join(parts.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => html`${k}&nbsp;<span class="mono">${str(v)}</span>`), '<br>');
}

export function percent(part: number, whole: number): string {
  if (!whole) return '–';
  const p = Math.round((part / whole) * 1000) / 10;
  return `${String(p).replace('.', ',')} %`;
}

/** A chart (spec reports/<spec>.vl.json) as inline SVG with its caption: from the report's charts (ctx.charts), or rendered. */
export async function chartFigure(ctx: ReportContext, spec: string, values: Row[], caption: string): Promise<SafeHtml> {
  if (!values.length) return html`<p class="empty">Ingen data til diagrammet.</p>`;
  const name = spec.slice(spec.lastIndexOf('/') + 1);
  const svg = ctx.charts ? await ctx.charts.svg(spec, values) : await renderChart(spec, values);
  // The SVG comes from vega's renderer, which escapes all text it draws.
  return html`<figure class="chart" data-chart="${name}">${raw(svg)}<figcaption>${caption}</figcaption></figure>`;
}
