// Discrepancies per rule: an overview of every rule of the catalog, then per rule with discrepancies its open ones
// (new first) and those resolved since the last run. SQL: reports/discrepancies/.
import type { Row } from '../../db.ts';
import { clip, danishAmounts, formatCount, formatInstant, formatKroner, html, join, table, type SafeHtml } from '../html.ts';
import { RULE_LABELS, SEVERITY_DA, STATE_DA, ruleLabel } from '../labels.ts';
import { TABLE_CAP, badge, ids, muniLabel, num, str } from '../parts.ts';
import type { ReportContext, Section } from '../section.ts';
import { hintKey, hintTexts } from './deliveries.ts';

/** Rows per rule in the per-rule tables (the catalog's rules × this keeps the file small). */
export const RULE_TABLE_CAP = 25;

/** Open discrepancies up to which the per-rule tables are printed too (above: their counts alone). */
export const PRINT_ROWS_UP_TO = 200;

export interface RuleCounts {
  open: number;
  new: number;
  persisting: number;
  resolved: number;
  /** Exact open amount, '1234.50'. */
  amount: string;
  /** The same as a number, for bar lengths only. */
  kroner: number;
}

export interface DiscrepancyCounts {
  /** Per rule of the catalog, in its order (zeros for a rule without discrepancies). */
  perRule: Map<string, RuleCounts>;
  /** Open and new discrepancies whose severity (as the rule's SQL wrote it) is critical. */
  critical: { open: number; new: number };
  open: number;
}

/** The rows of reports/discrepancies/per-rule.sql (one per rule) for the rules of the catalog. */
export function discrepancyCounts(rows: Row[]): DiscrepancyCounts {
  const perRule = new Map<string, RuleCounts>();
  for (const r of RULE_LABELS) perRule.set(r.code, { open: 0, new: 0, persisting: 0, resolved: 0, amount: '0.00', kroner: 0 });
  const critical = { open: 0, new: 0 };
  let open = 0;
  for (const r of rows) {
    open += num(r.open);
    critical.open += num(r.open_critical);
    critical.new += num(r.new_critical);
    if (!perRule.has(str(r.rule))) continue;
    perRule.set(str(r.rule), { open: num(r.open), new: num(r.new), persisting: num(r.persisting), resolved: num(r.resolved), amount: str(r.amount), kroner: num(r.kroner) });
  }
  return { perRule, critical, open };
}

/** A table of discrepancies (per rule, or of several rules with withRule). */
export function discrepancyTable(ctx: ReportContext, rows: Row[], total: number, withRule = false, hints?: Map<string, string>): SafeHtml {
  // what may explain a row (a suggested match, an overdue delivery), as a column when any row of the table has one
  const withHints = hints !== undefined && rows.some((r) => hints.has(hintKey(r)));
  return table(
    rows,
    [
      ...(withRule ? [{ title: 'Regel', cell: (r: Row) => html`<b>${str(r.rule)}</b> ${ruleLabel(str(r.rule))?.name ?? ''}` }] : []),
      ...(withRule ? [] : [{ title: 'Status', cell: (r: Row) => badge(str(r.state), STATE_DA[str(r.state)] ?? str(r.state)) }]),
      { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
      { title: 'Id', cell: (r) => ids(r), cls: 'nowrap' },
      { title: 'Beløb', cls: 'num', cell: (r) => formatKroner(str(r.amount)) },
      { title: 'Beskrivelse', cell: (r) => clip(danishAmounts(str(r.detail)), 400), cls: 'detail' },
      ...(withHints ? [{ title: 'Mulig forklaring', cell: (r: Row) => hints!.get(hintKey(r)) ?? '', cls: 'hint' }] : []),
      ...(withRule ? [] : [{ title: 'Først set', cell: (r: Row) => formatInstant(str(r.first_seen)), cls: 'nowrap' }]),
      { title: 'Kilde', cell: (r) => clip(str(r.lineage), 200), cls: 'src' },
    ],
    { cap: withRule ? TABLE_CAP : RULE_TABLE_CAP, total },
  );
}

function overview(counts: DiscrepancyCounts): SafeHtml {
  const c = (code: string) => counts.perRule.get(code)!;
  return table(
    [...RULE_LABELS],
    [
      { title: 'Regel', cell: (r) => html`<b>${r.code}</b>` },
      { title: 'Beskrivelse', cell: (r) => r.name },
      { title: 'Alvor', cell: (r) => badge(r.severity, SEVERITY_DA[r.severity]) },
      { title: 'Åbne', cls: 'num', cell: (r) => formatCount(c(r.code).open) },
      { title: 'Nye', cls: 'num', cell: (r) => formatCount(c(r.code).new) },
      { title: 'Vedvarende', cls: 'num', cell: (r) => formatCount(c(r.code).persisting) },
      { title: 'Løst siden sidst', cls: 'num', cell: (r) => formatCount(c(r.code).resolved) },
      { title: 'Beløb (åbne)', cls: 'num', cell: (r) => formatKroner(c(r.code).amount) },
    ],
    { cap: RULE_LABELS.length },
  );
}

function ruleBlock(ctx: ReportContext, code: string, c: RuleCounts, list: Row[], hints?: Map<string, string>): SafeHtml {
  const meta = ruleLabel(code)!;
  const open = list.filter((r) => r.state !== 'resolved');
  const resolved = list.filter((r) => r.state === 'resolved');
  return html`<div class="rule-block" id="regel-${code}">
<h3><span class="code">${code}</span>${meta.name} ${badge(meta.severity, SEVERITY_DA[meta.severity])}</h3>
<p class="counts"><b>${formatCount(c.open)}</b> åbne (<b>${formatCount(c.new)}</b> nye, ${formatCount(c.persisting)} vedvarende), <b>${formatCount(c.resolved)}</b> løst siden sidste kørsel · beløb ${formatKroner(c.amount)} · ${meta.action}</p>
${open.length ? discrepancyTable(ctx, open, c.open, false, hints) : ''}
${resolved.length ? html`<h4>Løst siden sidste kørsel</h4>${table(resolved, [
      { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
      { title: 'Nøgle', cell: (r) => html`<span class="mono">${str(r.key_id)}</span>` },
      { title: 'Beløb', cls: 'num', cell: (r) => formatKroner(str(r.amount)) },
      { title: 'Sidst set', cell: (r) => clip(str(r.detail), 300), cls: 'detail' },
      { title: 'Først set', cell: (r) => formatInstant(str(r.first_seen)), cls: 'nowrap' },
    ], { cap: 25, total: c.resolved, fullList: 'discrepancy-historikken (afstem history)' })}` : ''}
</div>`;
}

export const discrepancies: Section = {
  id: 'afvigelser',
  title: 'Afvigelser pr. regel',
  missing: 'Afvigelserne',
  queries: { perRule: 'discrepancies/per-rule.sql', rows: 'discrepancies/rows.sql' },
  optional: { hints: 'explain/hints.sql' },
  params: () => ({ rule_table_cap: RULE_TABLE_CAP }),
  render(q, optional, ctx) {
    const hints = hintTexts(optional.hints);
    const counts = discrepancyCounts(q.perRule);
    const byRule = new Map<string, Row[]>();
    for (const r of q.rows) {
      const list = byRule.get(str(r.rule)) ?? [];
      list.push(r);
      byRule.set(str(r.rule), list);
    }
    const blocks: SafeHtml[] = [];
    for (const [code, c] of counts.perRule) {
      if (c.open === 0 && c.resolved === 0) continue;
      blocks.push(ruleBlock(ctx, code, c, byRule.get(code) ?? [], hints));
    }
    // at volume the print keeps the counts per rule and leaves the rows to the worklist and discrepancies.xlsx
    const summaryInPrint = counts.open > PRINT_ROWS_UP_TO;
    return html`<section class="card${summaryInPrint ? ' print-summary' : ''}" id="afvigelser">
<h2>Afvigelser pr. regel</h2>
${summaryInPrint ? html`<p class="print-only">Udskriften viser kun antal og beløb pr. regel (${formatCount(counts.open)} åbne afvigelser); rækkerne står i arbejdslisten og i discrepancies.xlsx.</p>` : ''}
<p class="lead">Alle åbne afvigelser efter regel, med hvad der er nyt, vedvarende og løst siden sidste kørsel. Tabellerne viser højst ${RULE_TABLE_CAP} rækker pr. regel; den fulde liste står i discrepancies.xlsx (til Excel) og discrepancies.csv.</p>
${overview(counts)}
${blocks.length ? join(blocks) : html`<p class="empty">Ingen afvigelser.</p>`}
</section>`;
  },
};
