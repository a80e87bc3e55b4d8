// What needs action today: tiles (new and open critical discrepancies, all open ones, reversal proposals), the new
// critical discrepancies, money at risk per rule and the reversal proposals. SQL: reports/action/ and
// reports/discrepancies/per-rule.sql (the counts the tiles and the per-rule section share).
import type { Row } from '../../db.ts';
import { formatCount, formatInstant, formatKroner, html, raw, table, type SafeHtml } from '../html.ts';
import { RULE_LABELS, SEVERITY_DA, ruleLabel } from '../labels.ts';
import { badge, chartFigure, fullListIn, muniLabel, num, str } from '../parts.ts';
import type { ReportContext, Section } from '../section.ts';
import { discrepancyCounts, discrepancyTable, type RuleCounts } from './discrepancies.ts';

type Money = [string, RuleCounts][];

async function moneyChart(ctx: ReportContext, money: Money): Promise<SafeHtml> {
  const withAmount = money.filter(([, c]) => c.kroner !== 0);
  if (!withAmount.length) return raw('');
  return chartFigure(
    ctx,
    'action/money-by-rule',
    withAmount.map(([code, c], i) => ({
      label: `${code} ${ruleLabel(code)!.name}`,
      rank: i,
      kroner: c.kroner,
      label_x: Math.max(c.kroner, 0),
      amount_text: formatKroner(c.amount),
      severity: SEVERITY_DA[ruleLabel(code)!.severity],
    })),
    'Summen af beløbene på de åbne afvigelser pr. regel, uden fortegn (regler uden beløb er udeladt). Det nøjagtige beløb står ved hver søjle og i tabellen nedenfor.',
  );
}

function moneyTable(money: Money): SafeHtml {
  return table(
    money,
    [
      { title: 'Regel', cell: ([code]) => html`<a href="#regel-${code}"><b>${code}</b></a> ${ruleLabel(code)!.name}` },
      { title: 'Alvor', cell: ([code]) => badge(ruleLabel(code)!.severity, SEVERITY_DA[ruleLabel(code)!.severity]) },
      { title: 'Åbne', cls: 'num', cell: ([, c]) => formatCount(c.open) },
      { title: 'Beløb', cls: 'num', cell: ([, c]) => formatKroner(c.amount) },
      { title: 'Hvad skal der gøres', cell: ([code]) => ruleLabel(code)!.action },
    ],
    { cap: RULE_LABELS.length, empty: 'Ingen åbne afvigelser.' },
  );
}

export function reversalTable(ctx: ReportContext, rows: Row[] | null, count: number): SafeHtml {
  if (rows === null) return html`<p class="empty">Forslag til tilbageførsel er ikke beregnet i denne kørsel.</p>`;
  return table(
    rows,
    [
      { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
      { title: 'Fordring', cell: (r) => html`<span class="mono">${str(r.claim_id)}</span>` },
      { title: 'Gebyr', cell: (r) => html`<span class="mono">${str(r.fee_id)}</span>` },
      { title: 'Overdækning', cls: 'num', cell: (r) => formatKroner(str(r.excess_amount)) },
      { title: 'Tilbagefør dækninger', cell: (r) => html`<span class="mono">${str(r.coverage_ids)}</span>` },
      { title: 'og indbetalinger', cell: (r) => html`<span class="mono">${str(r.payment_ids)}</span>` },
      { title: 'Tilbageføres', cls: 'num', cell: (r) => formatKroner(str(r.reverse_amount)) },
      { title: 'Indbetales igen', cls: 'num', cell: (r) => formatKroner(str(r.reapply_amount)) },
      // FORMATS.md §8: a proposal that stays open shows since when it has been proposed, and its case
      { title: 'Foreslået siden', cls: 'nowrap', cell: (r) => (r.proposed_since ? formatInstant(str(r.proposed_since)) : '–') },
      { title: 'Sag', cls: 'nowrap mono', cell: (r) => str(r.case_ref) },
    ],
    { total: count, fullList: fullListIn(ctx, 'reversals.csv'), empty: 'Ingen overdækkede fordringer.' },
  );
}

const tile = (cls: string, value: string, label: string) =>
  html`<div class="tile ${raw(cls)}"><div class="v">${value}</div><div class="k">${label}</div></div>`;

export const action: Section = {
  id: 'overblik',
  title: 'Overblik: åbne afvigelser og penge i risiko',
  nav: 'Overblik',
  missing: 'Afvigelserne',
  queries: { perRule: 'discrepancies/per-rule.sql' },
  optional: { reversalTotals: 'action/reversal-totals.sql' },
  async render(q, optional, ctx) {
    const counts = discrepancyCounts(q.perRule);
    const { critical } = counts;
    const money: Money = [...counts.perRule.entries()]
      .filter(([, c]) => c.open > 0)
      .sort((a, b) => Math.abs(b[1].kroner) - Math.abs(a[1].kroner) || a[0].localeCompare(b[0]));
    const reversalCount = num(optional.reversalTotals?.[0]?.n);
    const reversalExcess = optional.reversalTotals ? str(optional.reversalTotals[0]?.excess) : '0.00';
    return html`<section class="card" id="overblik">
<h2>Overblik: åbne afvigelser og penge i risiko</h2>
<div class="tiles">
${tile(critical.new ? 'critical' : 'ok', formatCount(critical.new), 'nye kritiske afvigelser')}
${tile(critical.open ? 'critical' : 'ok', formatCount(critical.open), 'åbne kritiske afvigelser')}
${tile(counts.open ? 'warning' : 'ok', formatCount(counts.open), 'åbne afvigelser i alt')}
${tile(reversalCount ? 'warning' : 'ok', formatCount(reversalCount), `forslag til tilbageførsel (${formatKroner(reversalExcess)} overdækning)`)}
</div>
<h3>Penge i risiko pr. regel</h3>
<p class="note">Beløbene lægges sammen uden fortegn: en difference på −25 kr. og en på +50 kr. er 75 kr. i alt.</p>
${await moneyChart(ctx, money)}
${moneyTable(money)}
</section>`;
  },
};
