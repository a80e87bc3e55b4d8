// report.html: the nightly report for people (FORMATS.md §7), in Danish, self-contained (no network, no JavaScript:
// charts are rendered to inline SVG here), printable. Every value from the data is HTML-escaped and CPR-masked by
// the html`` template of ./html.ts. Reads what exists of: discrepancy_states (or discrepancies), reversals,
// latency / latency_items / latency_negative, cfg_municipalities, cfg_sla, deliveries, rejects; a missing table gives
// an empty section. Everything is aggregated in SQL before it is charted, so the file stays small for any volume.
import fs from 'node:fs';
import { readWavesTable, type WaveRow } from '../commands/waves.ts';
import path from 'node:path';
import { DateTime } from 'luxon';
import { lit, type Db } from '../db.ts';
import { ZONE } from '../calendar.ts';
import { REPORTS_DIR, renderChart } from './charts.ts';
import {
  clip,
  formatCount,
  formatHours,
  formatInstant,
  formatKroner,
  formatLongInstant,
  html,
  join,
  raw,
  table,
  type SafeHtml,
} from './html.ts';

export interface ReportInput {
  outDir: string;
  asOf: Date;
  /** summary.json of FORMATS.md §7 (or as much of it as is known). */
  summary: unknown;
}

/** Rows per table; the full lists are in the CSV files. */
export const TABLE_CAP = 200;
/** Rows per rule in the per-rule tables (22 rules × this keeps the file small). */
export const RULE_TABLE_CAP = 100;
/** Municipalities in the breach-rate heatmap (ranked). */
export const HEATMAP_CAP = 30;
/** Days in the p90 trend. */
export const TREND_DAYS = 60;

export const RULES: Record<string, { name: string; severity: 'critical' | 'warning' | 'info'; action: string }> = {
  R01: { name: 'Gebyr ikke overført til debitorsystemet', severity: 'critical', action: 'Få gebyret overført (eller annulleret).' },
  R02: { name: 'Fordring uden gebyr i FBS', severity: 'warning', action: 'Find gebyret eller ret kildereferencen.' },
  R03: { name: 'Dobbelt overførsel', severity: 'critical', action: 'Annullér den overskydende fordring.' },
  R04: { name: 'Beløb afviger mellem gebyr og fordring', severity: 'critical', action: 'Ret beløbet i debitorsystemet.' },
  R05: { name: 'Regulering ikke spejlet', severity: 'warning', action: 'Registrér reguleringen på den anden side.' },
  R06: { name: 'Forkert debitorkontotype eller kravtype', severity: 'warning', action: 'Flyt fordringen til den rigtige kontotype.' },
  R07: { name: 'Erstatnings-CPR på Prisme', severity: 'warning', action: 'Overfør manuelt efter den aftalte proces.' },
  R08: { name: 'Mindreårig sendt til inddrivelse', severity: 'critical', action: 'Træk fordringen tilbage fra inddrivelse.' },
  R09: { name: 'Fordring ikke gjort betalbar', severity: 'warning', action: 'Gør fordringen betalbar i betalingsløsningen.' },
  R10: { name: 'Betaling i betalingsløsningen ikke bogført', severity: 'critical', action: 'Bogfør indbetalingen i debitorsystemet.' },
  R11: { name: 'Indbetaling uden transaktion i betalingsløsningen', severity: 'warning', action: 'Find transaktionen.' },
  R12: { name: 'Beløb afviger mellem transaktion og indbetaling', severity: 'critical', action: 'Ret indbetalingens beløb.' },
  R13: { name: 'Dobbelt bogføring', severity: 'critical', action: 'Tilbagefør den dobbelte indbetaling.' },
  R14: { name: 'Uanvendt indbetaling', severity: 'info', action: 'Anvend restbeløbet eller udbetal det.' },
  R15: { name: 'Overanvendt indbetaling', severity: 'critical', action: 'Ret dækningerne.' },
  R16: { name: 'Overdækning', severity: 'critical', action: 'Se forslaget til tilbageførsel.' },
  R17: { name: 'Dækning på tilbageført indbetaling', severity: 'critical', action: 'Tilbagefør dækningen.' },
  R18: { name: 'Betaling ikke synlig i FBS', severity: 'warning', action: 'Få betalingen meldt tilbage til FBS.' },
  R19: { name: 'Betalt i FBS, ikke i debitorsystemet', severity: 'critical', action: 'Undersøg betalingen og ret status.' },
  R20: { name: 'Betalt uden om debitorsystemet', severity: 'warning', action: 'Afstem betalingen manuelt.' },
  R21: { name: 'Ikke vist i Mit Overblik', severity: 'warning', action: 'Få fordringen vist for borgeren.' },
  R22: { name: 'Forkert restance i Mit Overblik', severity: 'warning', action: 'Ret visningen i Mit Overblik.' },
};

const SEVERITY_DA: Record<string, string> = { critical: 'kritisk', warning: 'advarsel', info: 'info' };
const STATE_DA: Record<string, string> = { new: 'ny', persisting: 'vedvarende', resolved: 'løst', open: 'åben' };
const FILE_STATUS_DA: Record<string, string> = {
  loaded: 'indlæst',
  already_loaded: 'allerede indlæst',
  replaced: 'erstattet',
  rejected: 'afvist',
  unknown: 'ukendt fil',
};

export const STAGES_DA: Record<string, { order: number; label: string; what: string }> = {
  fee_to_claim: { order: 1, label: '1. Gebyr → fordring', what: 'fra gebyret oprettes i FBS, til fordringen er modtaget i debitorsystemet' },
  claim_to_payable: { order: 2, label: '2. Fordring → betalbar', what: 'fra fordringen er modtaget, til den kan betales i betalingsløsningen' },
  psp_to_debitor: { order: 3, label: '3. Betaling → bogført', what: 'fra borgeren betaler i betalingsløsningen, til indbetalingen er bogført i debitorsystemet' },
  debitor_to_fbs: { order: 4, label: '4. Dækket → betalt i FBS', what: 'fra fordringen er fuldt dækket, til gebyret står som betalt i FBS' },
};
const STAGE_KEYS = Object.keys(STAGES_DA);

interface SummaryFile {
  path?: string;
  kind?: string;
  municipality?: string;
  exportDate?: string;
  status?: string;
  rowsRead?: number;
  rowsLoaded?: number;
  rowsRejected?: number;
  extraColumns?: string[];
  message?: string | null;
}
interface SummaryShape {
  runId?: string;
  files?: SummaryFile[];
  warnings?: string[];
}

type R = Record<string, unknown>;
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v));

async function tableExists(db: Db, name: string): Promise<boolean> {
  const n = await db.value<number>(
    `SELECT count(*) FROM information_schema.tables WHERE table_name = ${lit(name)}`,
  );
  return Number(n) > 0;
}

async function columnsOf(db: Db, name: string): Promise<Set<string>> {
  const rows = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = ${lit(name)}`,
  );
  return new Set(rows.map((r) => r.column_name));
}

/** Builds report.html in outDir and returns its path. */
export async function writeReport(db: Db, input: ReportInput): Promise<string> {
  const text = await buildReport(db, input);
  fs.mkdirSync(input.outDir, { recursive: true });
  const file = path.join(input.outDir, 'report.html');
  fs.writeFileSync(file, text, 'utf8');
  return file;
}

export async function buildReport(db: Db, input: { asOf: Date; summary: unknown }): Promise<string> {
  const summary = (input.summary && typeof input.summary === 'object' ? input.summary : {}) as SummaryShape;
  const ctx = await loadContext(db);
  const disc = await discrepancySection(db, ctx);
  const action = await actionSection(db, ctx, disc);
  const stages = await stagesSection(db, ctx, input.asOf);
  const quality = await qualitySection(db, ctx, summary);
  const waves = await wavesSection(db, ctx);

  const asOfText = formatLongInstant(input.asOf);
  const title = `Afstemning af biblioteksgebyrer pr. ${DateTime.fromJSDate(input.asOf).setZone(ZONE).toFormat('dd.MM.yyyy HH:mm')}`;
  const warnings = Array.isArray(summary.warnings) ? summary.warnings : [];
  const body = html`
<header class="top"><div class="inner">
  <h1>Afstemning af biblioteksgebyrer</h1>
  <p>FBS → debitorsystem → betalingsløsning · opgjort pr. ${asOfText} (dansk tid) · ${formatCount(ctx.municipalities.size)} kommuner${summary.runId ? html` · kørsel ${summary.runId}` : ''}</p>
</div></header>
<nav class="toc" aria-label="Indhold">
  <a href="#handling">Kræver handling i dag</a><a href="#afvigelser">Afvigelser pr. regel</a><a href="#forsinkelser">De fire forsinkelser</a><a href="#boelger">Idriftsættelse</a><a href="#input">Inputkvalitet</a>
</nav>
<main>
${warnings.length ? html`<section class="card" id="advarsler"><h2>Advarsler fra kørslen</h2><ul class="warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul></section>` : ''}
${action}
${disc.html}
${stages}
${waves}
${quality}
</main>
<footer>Lavet af afstem. Alle tider er dansk tid (Europe/Copenhagen); varigheder er forløbet tid i timer. CPR-numre vises kun med de første seks cifre. De fulde lister står i discrepancies.csv, reversals.csv, latency.csv, rejects.csv og summary.json.</footer>`;

  const template = fs.readFileSync(path.join(REPORTS_DIR, 'report.html'), 'utf8');
  const css = fs.readFileSync(path.join(REPORTS_DIR, 'report.css'), 'utf8');
  return template
    .replace('{{title}}', () => html`${title}`.html)
    .replace('{{css}}', () => css)
    .replace('{{body}}', () => body.html);
}

interface Ctx {
  municipalities: Map<string, string>;
  sla: Map<string, { hours: number | null; businessDays: number | null }>;
}

async function loadContext(db: Db): Promise<Ctx> {
  const municipalities = new Map<string, string>();
  if (await tableExists(db, 'cfg_municipalities')) {
    for (const r of await db.all(`SELECT code, name FROM cfg_municipalities ORDER BY code`)) municipalities.set(str(r.code), str(r.name));
  }
  const sla = new Map<string, { hours: number | null; businessDays: number | null }>();
  if (await tableExists(db, 'cfg_sla')) {
    for (const r of await db.all(`SELECT stage, hours, business_days FROM cfg_sla`)) {
      sla.set(str(r.stage), { hours: r.hours === null ? null : num(r.hours), businessDays: r.business_days === null ? null : num(r.business_days) });
    }
  }
  return { municipalities, sla };
}

function muniLabel(ctx: Ctx, code: unknown): string {
  const c = str(code);
  if (c === 'ALL') return 'Alle kommuner';
  const name = ctx.municipalities.get(c);
  return name ? `${c} ${name}` : c;
}

function slaText(ctx: Ctx, stage: string): string {
  const s = ctx.sla.get(stage);
  if (!s) return '';
  if (s.hours !== null) return `${formatHours(String(s.hours))} ${s.hours === 1 ? 'time' : 'timer'}`.replace(',00 ', ' ');
  if (s.businessDays !== null) return `${s.businessDays} ${s.businessDays === 1 ? 'bankdag' : 'bankdage'}`;
  return '';
}

function badge(kind: string, text: string): SafeHtml {
  return html`<span class="badge ${raw(/^[a-z_]+$/.test(kind) ? kind : 'info')}">${text}</span>`;
}

function ids(r: R): SafeHtml {
  const parts: [string, unknown][] = [
    ['gebyr', r.fee_id],
    ['fordring', r.claim_id],
    ['indbetaling', r.payment_id],
    ['transaktion', r.psp_txn_id],
    ['dækning', r.coverage_id],
  ];
  return join(parts.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => html`${k}&nbsp;<span class="mono">${str(v)}</span>`), '<br>');
}

// ---------------------------------------------------------------------------------------------------------------
// Discrepancies

interface DiscSection {
  html: SafeHtml;
  /** SQL of the discrepancy rows with a state column, or null when neither table exists. */
  source: string | null;
  hasStates: boolean;
  perRule: Map<string, { open: number; new: number; persisting: number; resolved: number; amount: string; kroner: number }>;
}

async function discrepancySection(db: Db, ctx: Ctx): Promise<DiscSection> {
  const hasStates = await tableExists(db, 'discrepancy_states');
  const hasDisc = await tableExists(db, 'discrepancies');
  const source = hasStates
    ? `SELECT rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id, amount, detail, lineage,
              first_seen, state, resolved_at FROM discrepancy_states`
    : hasDisc
      ? `SELECT rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id, amount, detail, lineage,
                NULL::TIMESTAMP AS first_seen, 'open' AS state, NULL::TIMESTAMP AS resolved_at FROM discrepancies`
      : null;
  const perRule = new Map<string, { open: number; new: number; persisting: number; resolved: number; amount: string; kroner: number }>();
  for (const code of Object.keys(RULES)) perRule.set(code, { open: 0, new: 0, persisting: 0, resolved: 0, amount: '0.00', kroner: 0 });
  if (!source) {
    return {
      html: html`<section class="card" id="afvigelser"><h2>Afvigelser pr. regel</h2><p class="empty">Afvigelserne er ikke beregnet i denne kørsel.</p></section>`,
      source,
      hasStates,
      perRule,
    };
  }
  const counts = await db.all(`
    WITH d AS (${source})
    SELECT rule,
           count(*) FILTER (WHERE state <> 'resolved') AS open,
           count(*) FILTER (WHERE state = 'new') AS new,
           count(*) FILTER (WHERE state = 'persisting') AS persisting,
           count(*) FILTER (WHERE state = 'resolved') AS resolved,
           coalesce(sum(amount) FILTER (WHERE state <> 'resolved'), 0)::DECIMAL(18,2)::VARCHAR AS amount,
           coalesce(sum(amount) FILTER (WHERE state <> 'resolved'), 0)::DOUBLE AS kroner
    FROM d GROUP BY rule`);
  for (const c of counts) {
    perRule.set(str(c.rule), { open: num(c.open), new: num(c.new), persisting: num(c.persisting), resolved: num(c.resolved), amount: str(c.amount), kroner: num(c.kroner) });
  }
  const rows = await db.all(`
    WITH d AS (${source}),
    ranked AS (
      SELECT d.*, row_number() OVER (PARTITION BY rule, state = 'resolved'
                                     ORDER BY CASE state WHEN 'new' THEN 0 ELSE 1 END, municipality, key_id) AS rn
      FROM d)
    SELECT rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
           amount::VARCHAR AS amount, detail, lineage, strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, state,
           strftime(resolved_at, '%Y-%m-%dT%H:%M:%SZ') AS resolved_at
    FROM ranked
    WHERE rn <= CASE WHEN state = 'resolved' THEN 25 ELSE ${RULE_TABLE_CAP} END
    ORDER BY rule, state = 'resolved', rn`);
  const byRule = new Map<string, R[]>();
  for (const r of rows) {
    const list = byRule.get(str(r.rule)) ?? [];
    list.push(r);
    byRule.set(str(r.rule), list);
  }

  const overview = table(
    Object.entries(RULES),
    [
      { title: 'Regel', cell: ([code]) => html`<b>${code}</b>` },
      { title: 'Beskrivelse', cell: ([, m]) => m.name },
      { title: 'Alvor', cell: ([, m]) => badge(m.severity, SEVERITY_DA[m.severity]) },
      { title: 'Åbne', cls: 'num', cell: ([code]) => formatCount(perRule.get(code)!.open) },
      ...(hasStates
        ? [
            { title: 'Nye', cls: 'num', cell: ([code]: [string, unknown]) => formatCount(perRule.get(code)!.new) },
            { title: 'Vedvarende', cls: 'num', cell: ([code]: [string, unknown]) => formatCount(perRule.get(code)!.persisting) },
            { title: 'Løst siden sidst', cls: 'num', cell: ([code]: [string, unknown]) => formatCount(perRule.get(code)!.resolved) },
          ]
        : []),
      { title: 'Beløb (åbne)', cls: 'num', cell: ([code]) => formatKroner(perRule.get(code)!.amount) },
    ],
    { cap: 22 },
  );

  const blocks: SafeHtml[] = [];
  for (const [code, meta] of Object.entries(RULES)) {
    const c = perRule.get(code)!;
    if (c.open === 0 && c.resolved === 0) continue;
    const list = byRule.get(code) ?? [];
    const open = list.filter((r) => r.state !== 'resolved');
    const resolved = list.filter((r) => r.state === 'resolved');
    blocks.push(html`<div class="rule-block" id="regel-${code}">
<h3><span class="code">${code}</span>${meta.name} ${badge(meta.severity, SEVERITY_DA[meta.severity])}</h3>
<p class="counts"><b>${formatCount(c.open)}</b> åbne${hasStates ? html` (<b>${formatCount(c.new)}</b> nye, ${formatCount(c.persisting)} vedvarende), <b>${formatCount(c.resolved)}</b> løst siden sidste kørsel` : ''} · beløb ${formatKroner(c.amount)} · ${meta.action}</p>
${open.length ? discrepancyTable(ctx, open, c.open, hasStates) : ''}
${resolved.length ? html`<h4>Løst siden sidste kørsel</h4>${table(resolved, [
      { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
      { title: 'Nøgle', cell: (r) => html`<span class="mono">${str(r.key_id)}</span>` },
      { title: 'Beløb', cls: 'num', cell: (r) => formatKroner(str(r.amount)) },
      { title: 'Sidst set', cell: (r) => clip(str(r.detail), 300), cls: 'detail' },
      { title: 'Først set', cell: (r) => formatInstant(str(r.first_seen)), cls: 'nowrap' },
    ], { cap: 25, total: c.resolved, fullList: 'discrepancy-historikken (afstem history)' })}` : ''}
</div>`);
  }
  const body = html`<section class="card" id="afvigelser">
<h2>Afvigelser pr. regel</h2>
<p class="lead">Alle åbne afvigelser efter regel${hasStates ? ', med hvad der er nyt, vedvarende og løst siden sidste kørsel' : ''}. Tabellerne viser højst ${RULE_TABLE_CAP} rækker pr. regel; den fulde liste står i discrepancies.csv.</p>
${overview}
${blocks.length ? join(blocks) : html`<p class="empty">Ingen afvigelser.</p>`}
</section>`;
  return { html: body, source, hasStates, perRule };
}

function discrepancyTable(ctx: Ctx, rows: R[], total: number, hasStates: boolean, withRule = false): SafeHtml {
  return table(
    rows,
    [
      ...(withRule ? [{ title: 'Regel', cell: (r: R) => html`<b>${str(r.rule)}</b> ${RULES[str(r.rule)]?.name ?? ''}` }] : []),
      ...(hasStates ? [{ title: 'Status', cell: (r: R) => badge(str(r.state), STATE_DA[str(r.state)] ?? str(r.state)) }] : []),
      { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
      { title: 'Id', cell: (r) => ids(r), cls: 'nowrap' },
      { title: 'Beløb', cls: 'num', cell: (r) => formatKroner(str(r.amount)) },
      { title: 'Beskrivelse', cell: (r) => clip(str(r.detail), 400), cls: 'detail' },
      ...(hasStates ? [{ title: 'Først set', cell: (r: R) => formatInstant(str(r.first_seen)), cls: 'nowrap' }] : []),
      { title: 'Kilde', cell: (r) => clip(str(r.lineage), 200), cls: 'src' },
    ],
    { cap: withRule ? TABLE_CAP : RULE_TABLE_CAP, total },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// What needs action today

async function actionSection(db: Db, ctx: Ctx, disc: DiscSection): Promise<SafeHtml> {
  const parts: SafeHtml[] = [];
  let newCritical = 0;
  let openCritical = 0;
  let openTotal = 0;
  for (const [code, c] of disc.perRule) {
    openTotal += c.open;
    if (RULES[code].severity === 'critical') {
      openCritical += c.open;
      newCritical += c.new;
    }
  }
  let critTable: SafeHtml = html`<p class="empty">Afvigelserne er ikke beregnet i denne kørsel.</p>`;
  if (disc.source) {
    const where = disc.hasStates ? `state = 'new' AND severity = 'critical'` : `severity = 'critical'`;
    const rows = await db.all(`
      WITH d AS (${disc.source})
      SELECT rule, severity, municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id,
             amount::VARCHAR AS amount, detail, lineage, strftime(first_seen, '%Y-%m-%dT%H:%M:%SZ') AS first_seen, state
      FROM d WHERE ${where} ORDER BY rule, municipality, key_id LIMIT ${TABLE_CAP}`);
    const total = disc.hasStates ? newCritical : openCritical;
    critTable = total
      ? discrepancyTable(ctx, rows, total, false, true)
      : html`<p class="empty">${disc.hasStates ? 'Ingen nye kritiske afvigelser siden sidste kørsel.' : 'Ingen kritiske afvigelser.'}</p>`;
  }

  // Money at risk by rule
  const money = [...disc.perRule.entries()]
    .filter(([, c]) => c.open > 0)
    .sort((a, b) => Math.abs(b[1].kroner) - Math.abs(a[1].kroner) || a[0].localeCompare(b[0]));
  const moneyChart = money.some(([, c]) => c.kroner !== 0)
    ? await chartFigure(
        'money-by-rule',
        money.filter(([, c]) => c.kroner !== 0).map(([code, c], i) => ({
          label: `${code} ${RULES[code].name}`,
          rank: i,
          kroner: c.kroner,
          label_x: Math.max(c.kroner, 0),
          amount_text: formatKroner(c.amount),
          severity: SEVERITY_DA[RULES[code].severity],
        })),
        'Summen af beløbene på de åbne afvigelser pr. regel (regler uden beløb er udeladt). Det nøjagtige beløb står ved hver søjle og i tabellen nedenfor.',
      )
    : raw('');
  const moneyTable = table(
    money,
    [
      { title: 'Regel', cell: ([code]) => html`<a href="#regel-${code}"><b>${code}</b></a> ${RULES[code].name}` },
      { title: 'Alvor', cell: ([code]) => badge(RULES[code].severity, SEVERITY_DA[RULES[code].severity]) },
      { title: 'Åbne', cls: 'num', cell: ([, c]) => formatCount(c.open) },
      { title: 'Beløb', cls: 'num', cell: ([, c]) => formatKroner(c.amount) },
      { title: 'Hvad skal der gøres', cell: ([code]) => RULES[code].action },
    ],
    { cap: 22, empty: 'Ingen åbne afvigelser.' },
  );

  // Reversal proposals
  let reversals: SafeHtml = html`<p class="empty">Forslag til tilbageførsel er ikke beregnet i denne kørsel.</p>`;
  let reversalCount = 0;
  let reversalExcess = '0.00';
  if (await tableExists(db, 'reversals')) {
    const agg = await db.one(`SELECT count(*) AS n, coalesce(sum(excess_amount), 0)::DECIMAL(18,2)::VARCHAR AS excess FROM reversals`);
    reversalCount = num(agg?.n);
    reversalExcess = str(agg?.excess);
    const rows = await db.all(`
      SELECT municipality, claim_id, fee_id, excess_amount::VARCHAR AS excess_amount, coverage_ids, payment_ids,
             reverse_amount::VARCHAR AS reverse_amount, reapply_amount::VARCHAR AS reapply_amount
      FROM reversals ORDER BY municipality, claim_id LIMIT ${TABLE_CAP}`);
    reversals = table(
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
      ],
      { total: reversalCount, fullList: 'reversals.csv', empty: 'Ingen overdækkede fordringer.' },
    );
  }

  const tile = (cls: string, value: string, label: string) => html`<div class="tile ${raw(cls)}"><div class="v">${value}</div><div class="k">${label}</div></div>`;
  parts.push(html`<section class="card" id="handling">
<h2>Kræver handling i dag</h2>
<div class="tiles">
${disc.hasStates ? tile(newCritical ? 'critical' : 'ok', formatCount(newCritical), 'nye kritiske afvigelser') : ''}
${tile(openCritical ? 'critical' : 'ok', formatCount(openCritical), 'åbne kritiske afvigelser')}
${tile(openTotal ? 'warning' : 'ok', formatCount(openTotal), 'åbne afvigelser i alt')}
${tile(reversalCount ? 'warning' : 'ok', formatCount(reversalCount), `forslag til tilbageførsel (${formatKroner(reversalExcess)} overdækning)`)}
</div>
<h3>${disc.hasStates ? 'Nye kritiske afvigelser' : 'Kritiske afvigelser'}</h3>
${critTable}
<h3>Penge i risiko pr. regel</h3>
${moneyChart}
${moneyTable}
<h3>Forslag til tilbageførsel</h3>
<p class="lead">En indbetaling kan kun tilbageføres helt (SF1590_B_03 §1.2.1): de nyeste dækninger tilbageføres, til overdækningen er nået; forskellen indbetales igen på samme fordring, og overdækningen går tilbage til betaleren.</p>
${reversals}
</section>`);
  return join(parts);
}

async function chartFigure(name: string, values: R[], caption: string): Promise<SafeHtml> {
  if (!values.length) return html`<p class="empty">Ingen data til diagrammet.</p>`;
  const svg = await renderChart(name, values);
  // The SVG comes from vega's renderer, which escapes all text it draws.
  return html`<figure class="chart" data-chart="${name}">${raw(svg)}<figcaption>${caption}</figcaption></figure>`;
}

// ---------------------------------------------------------------------------------------------------------------
// The four stages

async function stagesSection(db: Db, ctx: Ctx, asOf: Date): Promise<SafeHtml> {
  const hasMart = await tableExists(db, 'latency');
  const hasItems = await tableExists(db, 'latency_items');
  if (!hasMart) {
    return html`<section class="card" id="forsinkelser"><h2>De fire forsinkelser</h2><p class="empty">Forsinkelserne er ikke beregnet i denne kørsel.</p></section>`;
  }
  const slaHours = (stage: string) => ctx.sla.get(stage)?.hours ?? null;
  const stageLabel = (stage: string) => `${STAGES_DA[stage]?.label ?? stage} (frist ${slaText(ctx, stage)})`;

  const all = await db.all(`
    SELECT stage, n, p50_hours::VARCHAR AS p50, p90_hours::VARCHAR AS p90, p99_hours::VARCHAR AS p99, max_hours::VARCHAR AS max,
           within_sla, breached, in_flight
    FROM latency WHERE municipality = 'ALL'`);
  all.sort((a, b) => (STAGES_DA[str(a.stage)]?.order ?? 9) - (STAGES_DA[str(b.stage)]?.order ?? 9));
  const overview = table(all, [
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

  const charts: SafeHtml[] = [];
  if (hasItems) {
    // Distribution of durations per stage, all municipalities together, split by SLA outcome.
    const bins = ['< 1 t', '1–4 t', '4–8 t', '8–24 t', '1–2 d', '2–3 d', '3–5 d', '5–10 d', '≥ 10 d'];
    const hist = await db.all(`
      SELECT stage,
             CASE WHEN h < 1 THEN 1 WHEN h < 4 THEN 2 WHEN h < 8 THEN 3 WHEN h < 24 THEN 4 WHEN h < 48 THEN 5
                  WHEN h < 72 THEN 6 WHEN h < 120 THEN 7 WHEN h < 240 THEN 8 ELSE 9 END AS bin,
             within_sla, count(*) AS n
      FROM (SELECT stage, within_sla, duration_us / 3600000000.0 AS h FROM latency_items WHERE completed AND duration_us >= 0)
      GROUP BY ALL`);
    const counts = new Map(hist.map((r) => [`${r.stage}|${r.bin}|${r.within_sla}`, num(r.n)]));
    const values: R[] = [];
    for (const stage of STAGE_KEYS)
      bins.forEach((label, i) => {
        for (const within of [true, false])
          values.push({
            stage_label: stageLabel(stage),
            stage_order: STAGES_DA[stage].order,
            bin_order: i + 1,
            bin_label: label,
            status: within ? 'Inden for frist' : 'Overskredet',
            status_order: within ? 0 : 1,
            n: counts.get(`${stage}|${i + 1}|${within}`) ?? 0,
          });
      });
    if (hist.length) {
      charts.push(
        html`<h3>Fordeling pr. trin</h3>`,
        await chartFigure(
          'stage-distribution',
          values,
          'Afsluttede forløb i alle kommuner efter varighed (forløbet tid; t = timer, d = døgn). Grønt blev afsluttet inden fristen, rødt efter; fristen står i overskriften. Negative varigheder er udeladt (se nedenfor).',
        ),
      );
    }

    // Daily p90 per stage by the local date of completion.
    const from = DateTime.fromJSDate(asOf).setZone(ZONE).minus({ days: TREND_DAYS }).toISODate();
    const trend = await db.all(`
      SELECT stage, strftime(completed_date, '%Y-%m-%d') AS date, count(*) AS n,
             (quantile_cont(duration_us::DECIMAL(18,0), 0.9) / 3600000000)::DOUBLE AS p90
      FROM latency_items
      WHERE completed AND duration_us >= 0 AND completed_date > DATE '${from}'
      GROUP BY ALL ORDER BY stage, date`);
    if (trend.length) {
      charts.push(
        html`<h3>Udvikling: daglig p90 pr. trin</h3>`,
        await chartFigure(
          'p90-trend',
          trend.map((r) => ({ ...r, stage_label: stageLabel(str(r.stage)), stage_order: STAGES_DA[str(r.stage)]?.order, sla_hours: slaHours(str(r.stage)) })),
          `p90 af varigheden for de forløb, der blev afsluttet den dag (dansk dato), alle kommuner, de seneste ${TREND_DAYS} dage. Den stiplede røde linje er fristen, hvor den er i timer.`,
        ),
      );
    }
  }

  // Spread across municipalities: each municipality's p90 per stage.
  const spread = await db.all(`
    SELECT stage, municipality, p90_hours::DOUBLE AS p90,
           breached / nullif(within_sla + breached, 0) AS breach_rate,
           0.1 + 0.8 * ((hash(municipality) % 1000) / 1000.0) AS jitter
    FROM latency WHERE municipality <> 'ALL' AND p90_hours IS NOT NULL`);
  if (spread.length) {
    charts.push(
      html`<h3>Spredning mellem kommunerne</h3>`,
      await chartFigure(
        'municipality-spread',
        spread.map((r) => ({ ...r, municipality: muniLabel(ctx, r.municipality), stage_label: stageLabel(str(r.stage)), stage_order: STAGES_DA[str(r.stage)]?.order, sla_hours: slaHours(str(r.stage)) })),
        'Hver prik er én kommunes p90 for trinnet (logaritmisk akse), farvet efter kommunens andel overskredne forløb. Den stiplede linje er fristen, hvor den er i timer; frister i bankdage afhænger af startdagen og ses i farven.',
      ),
    );
  }

  // Breach rate per municipality and stage, the worst municipalities first.
  const heat = await db.all(`
    WITH m AS (
      SELECT municipality, sum(breached) AS b, sum(within_sla) AS w FROM latency WHERE municipality <> 'ALL' GROUP BY municipality
    ), ranked AS (
      SELECT municipality, b, w, row_number() OVER (ORDER BY b / (b + w) DESC, b DESC, municipality) AS rank
      FROM m WHERE b + w > 0
    )
    SELECT l.municipality, r.rank, r.b AS total_breached, r.w + r.b AS total, l.stage, l.breached, l.within_sla,
           l.breached / nullif(l.within_sla + l.breached, 0) AS breach_rate,
           (SELECT count(*) FROM ranked) AS ranked_count
    FROM latency l JOIN ranked r ON r.municipality = l.municipality
    WHERE r.rank <= ${HEATMAP_CAP}
    ORDER BY r.rank, l.stage`);
  if (heat.length) {
    const ranked = num(heat[0].ranked_count);
    charts.push(
      html`<h3>Andel overskredne forløb pr. kommune</h3>`,
      await chartFigure(
        'breach-rate',
        heat.map((r) => ({
          municipality_label: `${muniLabel(ctx, r.municipality)} (${formatCount(num(r.total_breached))} af ${formatCount(num(r.total))})`,
          rank: num(r.rank),
          stage_label: STAGES_DA[str(r.stage)]?.label ?? str(r.stage),
          stage_order: STAGES_DA[str(r.stage)]?.order,
          breach_rate: r.breach_rate,
          cell_text: r.breach_rate === null ? '–' : `${percent(num(r.breached), num(r.breached) + num(r.within_sla))}`,
        })),
        `Overskredet ÷ (inden for frist + overskredet) pr. trin; kommunerne er rangeret efter den samlede andel (i parentes: overskredne af alle). ${ranked > HEATMAP_CAP ? `Viser de ${HEATMAP_CAP} dårligste af ${ranked} kommuner med forløb; alle står i latency.csv.` : ''} – betyder ingen forløb.`,
      ),
    );
  }

  // Negative durations
  let negatives: SafeHtml = raw('');
  if (await tableExists(db, 'latency_negative')) {
    const total = num(await db.value(`SELECT count(*) FROM latency_negative`));
    if (total) {
      const rows = await db.all(`SELECT municipality, stage, id, hours, strftime(start_at, '%Y-%m-%dT%H:%M:%SZ') AS start_at,
                                        strftime(end_at, '%Y-%m-%dT%H:%M:%SZ') AS end_at FROM latency_negative
                                 ORDER BY municipality, stage, id LIMIT ${TABLE_CAP}`);
      negatives = html`<h3>Negative varigheder</h3>
<p class="lead">Forløb, der slutter før de begynder: et problem med tidsstemplerne i et af systemerne. De tæller med i antal og inden for frist, men ikke i p50/p90/p99/maks.</p>
${table(rows, [
  { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
  { title: 'Trin', cell: (r) => STAGES_DA[str(r.stage)]?.label ?? str(r.stage) },
  { title: 'Id', cell: (r) => html`<span class="mono">${str(r.id)}</span>` },
  { title: 'Start', cell: (r) => formatInstant(str(r.start_at)), cls: 'nowrap' },
  { title: 'Slut', cell: (r) => formatInstant(str(r.end_at)), cls: 'nowrap' },
  { title: 'Timer', cls: 'num', cell: (r) => formatHours(str(r.hours)) },
], { total, fullList: 'summary.json (negativeDurations)' })}`;
    }
  }

  return html`<section class="card" id="forsinkelser">
<h2>De fire forsinkelser</h2>
<p class="lead">Hvor lang tid pengene er om hvert af de fire skridt, alle kommuner samlet. Et forløb, der ikke er afsluttet, og hvis frist er overskredet, tæller som overskredet (det er afvigelserne R01, R09, R10 og R18); før fristen er det "i gang". Pr. kommune står tallene i latency.csv.</p>
${overview}
${join(charts)}
${negatives}
</section>`;
}

function percent(part: number, whole: number): string {
  if (!whole) return '–';
  const p = Math.round((part / whole) * 1000) / 10;
  return `${String(p).replace('.', ',')} %`;
}

// ---------------------------------------------------------------------------------------------------------------
// Go-live waves (issue 5): one row per municipality from the `waves` mart, worst status first within each wave

const WAVE_STATUS: Record<string, { label: string; kind: string; order: number }> = {
  red: { label: 'rød', kind: 'critical', order: 0 },
  amber: { label: 'gul', kind: 'warning', order: 1 },
  green: { label: 'grøn', kind: 'resolved', order: 2 },
  planned: { label: 'planlagt', kind: 'info', order: 3 },
};

async function wavesSection(db: Db, ctx: Ctx): Promise<SafeHtml> {
  const title = html`<h2>Idriftsættelse: bølger og kommuner</h2>`;
  if (!(await tableExists(db, 'waves'))) {
    return html`<section class="card" id="boelger">${title}<p class="empty">Bølgeoversigten er ikke beregnet i denne kørsel.</p></section>`;
  }
  const rows = (await readWavesTable(db)).sort(
    (a, b) =>
      num(a.wave) - num(b.wave) ||
      (WAVE_STATUS[str(a.status)]?.order ?? 9) - (WAVE_STATUS[str(b.status)]?.order ?? 9) ||
      str(a.municipality).localeCompare(str(b.municipality)),
  );
  const counts = { red: 0, amber: 0, green: 0 } as Record<string, number>;
  for (const r of rows) counts[str(r.status)] = (counts[str(r.status)] ?? 0) + 1;
  const stage = (r: WaveRow, s: string) => {
    const p90 = r[`${s}_p90_hours` as keyof WaveRow];
    return p90 === null || p90 === '' ? '–' : `${formatHours(str(p90))} t`;
  };
  const body = table(
    rows,
    [
      { title: 'Bølge', cell: (r) => str(r.wave), cls: 'num' },
      { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality) },
      { title: 'Debitorsystem', cell: (r) => str(r.debtor_system) },
      { title: 'Skæringsdato', cell: (r) => str(r.go_live) },
      {
        title: 'Status',
        cell: (r) => html`${badge(WAVE_STATUS[str(r.status)]?.kind ?? 'info', WAVE_STATUS[str(r.status)]?.label ?? str(r.status))} ${str(r.reason)}`,
      },
      { title: 'Nået debitor', cell: (r) => (r.reached_pct === null ? '–' : `${str(r.reached_pct).replace('.', ',')} %`), cls: 'num' },
      { title: 'Gebyrer 7 dage', cell: (r) => formatCount(num(r.fees_last_7_days)), cls: 'num' },
      { title: 'Kritiske / advarsler', cell: (r) => `${num(r.open_critical)} / ${num(r.open_warning)}`, cls: 'num' },
      { title: 'p90 gebyr→fordring', cell: (r) => stage(r, 'fee_to_claim'), cls: 'num' },
      { title: 'p90 fordring→betalbar', cell: (r) => stage(r, 'claim_to_payable'), cls: 'num' },
      { title: 'p90 betaling→debitor', cell: (r) => stage(r, 'psp_to_debitor'), cls: 'num' },
      { title: 'p90 debitor→FBS', cell: (r) => stage(r, 'debitor_to_fbs'), cls: 'num' },
      { title: 'KLIK', cell: (r) => `${num(r.klik_done)}/${num(r.klik_total)}`, cls: 'num' },
    ],
    { cap: 120, fullList: 'waves.csv', empty: 'Ingen kommuner i konfigurationen.' },
  );
  return html`<section class="card" id="boelger">${title}
<p>${formatCount(counts.red)} røde, ${formatCount(counts.amber)} gule og ${formatCount(counts.green)} grønne kommuner. Rød: en åben kritisk afvigelse er ældre end 2 bankdage, under 95 % af gebyrerne er nået til debitorsystemet, eller der er ikke set et gebyr siden skæringsdatoen. Gul: et led overskrider sin frist for mere end 10 % af posterne, eller der er åbne advarsler.</p>
${body}
</section>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Input quality

async function qualitySection(db: Db, ctx: Ctx, summary: SummaryShape): Promise<SafeHtml> {
  let files: SummaryFile[] = Array.isArray(summary.files) ? summary.files : [];
  if (!files.length && (await tableExists(db, 'deliveries'))) {
    const cols = await columnsOf(db, 'deliveries');
    const rows = await db.all(`
      SELECT path, kind, municipality, strftime(export_date, '%Y-%m-%d') AS export_date, status, rows_read, rows_loaded,
             rows_rejected, extra_columns, message
      FROM deliveries ${cols.has('active') ? 'WHERE active' : ''} ORDER BY path`);
    files = rows.map((r) => ({
      path: str(r.path),
      kind: str(r.kind),
      municipality: str(r.municipality),
      exportDate: str(r.export_date),
      status: str(r.status),
      rowsRead: num(r.rows_read),
      rowsLoaded: num(r.rows_loaded),
      rowsRejected: num(r.rows_rejected),
      extraColumns: parseList(r.extra_columns),
      message: r.message === null ? null : str(r.message),
    }));
  }
  const byStatus = new Map<string, number>();
  let read = 0;
  let loaded = 0;
  let rejected = 0;
  for (const f of files) {
    byStatus.set(str(f.status), (byStatus.get(str(f.status)) ?? 0) + 1);
    read += num(f.rowsRead);
    loaded += num(f.rowsLoaded);
    rejected += num(f.rowsRejected);
  }
  const perKind = new Map<string, { files: number; municipalities: Set<string>; read: number; loaded: number; rejected: number }>();
  for (const f of files) {
    if (str(f.status) === 'unknown') continue;
    const k = perKind.get(str(f.kind)) ?? { files: 0, municipalities: new Set<string>(), read: 0, loaded: 0, rejected: 0 };
    k.files++;
    k.municipalities.add(str(f.municipality));
    k.read += num(f.rowsRead);
    k.loaded += num(f.rowsLoaded);
    k.rejected += num(f.rowsRejected);
    perKind.set(str(f.kind), k);
  }
  const kindTable = table(
    [...perKind.entries()].sort((a, b) => a[0].localeCompare(b[0])),
    [
      { title: 'Eksporttype', cell: ([k]) => html`<span class="mono">${k}</span>` },
      { title: 'Filer', cls: 'num', cell: ([, v]) => formatCount(v.files) },
      { title: 'Kommuner', cls: 'num', cell: ([, v]) => formatCount(v.municipalities.size) },
      { title: 'Læst', cls: 'num', cell: ([, v]) => formatCount(v.read) },
      { title: 'Indlæst', cls: 'num', cell: ([, v]) => formatCount(v.loaded) },
      { title: 'Afvist', cls: 'num', cell: ([, v]) => formatCount(v.rejected) },
    ],
    { empty: 'Ingen filer indlæst.' },
  );
  const problems = files.filter(
    // re-deliveries (replaced) are normal and only counted above
    (f) => num(f.rowsRejected) > 0 || !['loaded', 'already_loaded', 'replaced'].includes(str(f.status)) || (f.extraColumns?.length ?? 0) > 0,
  );
  const fileTable = table(
    problems,
    [
      { title: 'Fil', cell: (f) => html`<span class="mono">${str(f.path)}</span>` },
      { title: 'Kommune', cell: (f) => (f.municipality ? muniLabel(ctx, f.municipality) : ''), cls: 'nowrap' },
      { title: 'Status', cell: (f) => FILE_STATUS_DA[str(f.status)] ?? str(f.status) },
      { title: 'Læst', cls: 'num', cell: (f) => formatCount(num(f.rowsRead)) },
      { title: 'Indlæst', cls: 'num', cell: (f) => formatCount(num(f.rowsLoaded)) },
      { title: 'Afvist', cls: 'num', cell: (f) => formatCount(num(f.rowsRejected)) },
      { title: 'Ekstra kolonner', cell: (f) => (f.extraColumns ?? []).join(', ') },
      { title: 'Besked', cell: (f) => clip(str(f.message), 300), cls: 'detail' },
    ],
    { fullList: 'summary.json (files)', empty: 'Alle filer blev indlæst uden afviste rækker.' },
  );

  let rejectReasons: SafeHtml = raw('');
  let rejectRows: SafeHtml = raw('');
  if (await tableExists(db, 'rejects')) {
    const hasDeliveries = await tableExists(db, 'deliveries');
    const active = hasDeliveries && (await columnsOf(db, 'deliveries')).has('active');
    const from = active
      ? `rejects r WHERE r.delivery_id IN (SELECT delivery_id FROM deliveries WHERE active)`
      : `rejects r`;
    const total = num(await db.value(`SELECT count(*) FROM ${from}`));
    const reasons = await db.all(`SELECT r.reason, count(*) AS n FROM ${from} GROUP BY r.reason ORDER BY n DESC, r.reason LIMIT 30`);
    const nReasons = num(await db.value(`SELECT count(DISTINCT r.reason) FROM ${from}`));
    rejectReasons = table(
      reasons,
      [
        { title: 'Årsag', cell: (r) => clip(str(r.reason), 300) },
        { title: 'Rækker', cls: 'num', cell: (r) => formatCount(num(r.n)) },
      ],
      { total: nReasons, fullList: 'rejects.csv', empty: 'Ingen afviste rækker.' },
    );
    const rows = await db.all(`SELECT r.path, r.line, r.reason, r.raw FROM ${from} ORDER BY r.path, r.line LIMIT ${TABLE_CAP}`);
    rejectRows = total
      ? html`<h4>Afviste rækker</h4>${table(
          rows,
          [
            { title: 'Fil', cell: (r) => html`<span class="mono">${str(r.path)}</span>` },
            { title: 'Linje', cls: 'num', cell: (r) => str(r.line) },
            { title: 'Årsag', cell: (r) => clip(str(r.reason), 300) },
            { title: 'Rå række', cell: (r) => html`<span class="mono">${clip(str(r.raw).replace(/^\r?\n/, ''), 300)}</span>`, cls: 'src' },
          ],
          { total, fullList: 'rejects.csv' },
        )}`
      : raw('');
  }

  const statusText = [...byStatus.entries()].map(([s, n]) => `${formatCount(n)} ${FILE_STATUS_DA[s] ?? s}`).join(', ');
  return html`<section class="card" id="input">
<h2>Inputkvalitet</h2>
<p class="lead">${files.length ? html`${formatCount(files.length)} filer (${statusText}); ${formatCount(read)} rækker læst, ${formatCount(loaded)} indlæst, <b>${formatCount(rejected)}</b> afvist.` : 'Ingen filer i denne kørsel.'}</p>
<h3>Indlæste filer pr. eksporttype</h3>
${kindTable}
<h3>Filer med fejl, afviste rækker eller ekstra kolonner</h3>
${fileTable}
<h3>Afviste rækker efter årsag</h3>
${rejectReasons}
${rejectRows}
</section>`;
}

function parseList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str);
  if (typeof v !== 'string' || !v) return [];
  try {
    const parsed = JSON.parse(v) as unknown;
    return Array.isArray(parsed) ? parsed.map(str) : [v];
  } catch {
    return [v];
  }
}
