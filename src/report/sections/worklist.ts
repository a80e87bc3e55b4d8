// The worklist (FORMATS.md §8), first after the warnings: every open critical and warning discrepancy, new or old, in
// the detail table a clerk searches, filters, sorts and pages in the page itself (reports/worklist/detail.js), at the
// top where the menu's Arbejdsliste lands; then grouped by municipality and rule with count, money and oldest age
// (critical groups first, then the oldest, then the most money), then the reversal proposals as actions. The search
// finds a case by its number wherever it is (on the worklist, under Behandlede, resolved, only for information:
// reports/worklist/elsewhere.sql), and report.html#S-123 opens with that case shown. The detail's rows are embedded
// as JSON in a <script type="application/json"> with '<', '>' and '&' escaped, so no data is ever markup; its text is
// masked. A row is a compact tuple (a small page at 40,000 rows) whose columns are named once, below: the page's data
// carries each tuple's column index by name (`cols`, `elsewhereCols`, `handlingCols`) and the Danish words it shows
// (`words`, from src/vocabulary.ts), so reports/worklist/detail.js names a column (`r[C.amount]`) and no word.
// The case handling (FORMATS.md §8) decides membership: status open or in_progress, or awaiting and due (marked
// "opfølgning overskredet"); explained and not-yet-due awaiting ones are in the section of ./handled.ts.
// SQL: reports/worklist/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Row } from '../../db.ts';
import { maskText } from '../../mask.ts';
import { REPORTS_DIR } from '../charts.ts';
import { clip, danishAmounts, formatCount, formatInstant, formatKroner, html, raw, table, type SafeHtml } from '../html.ts';
import { RULE_LABELS, SEVERITY_DA, ruleLabel } from '../labels.ts';
import { badge, muniLabel, num, str } from '../parts.ts';
import type { ReportContext, Section } from '../section.ts';
import { reversalTable } from './action.ts';
import { HANDLING_DUE_DA, HANDLING_STATUS_DA, SEVERITIES, STATE_DA } from '../../vocabulary.ts';
import { PhraseBook } from '../phrases.ts';
import { hintKey, hintTexts } from './deliveries.ts';

/** Groups shown in the worklist's table (the detail below holds every row). */
export const WORKLIST_GROUP_CAP = 100;
/** Characters of a discrepancy's description in the detail (the full text is in discrepancies.xlsx and .csv). */
export const DETAIL_TEXT_CAP = 100;

export const DETAIL_JS = fs.readFileSync(path.join(REPORTS_DIR, 'worklist/detail.js'), 'utf8');
/** The Content-Security-Policy source that lets the page run DETAIL_JS and nothing else. */
export const DETAIL_JS_SOURCE = `'sha256-${crypto.createHash('sha256').update(DETAIL_JS, 'utf8').digest('base64')}'`;

/** A severity as detail.js's index into `words.severity`: 0 critical, 1 warning, 2 info. */
const SEV_INDEX: Record<string, number> = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** The columns of a row of the detail (`data.rows`), in the order of its tuple. */
export const ROW_COLUMNS = ['ref', 'rule', 'severity', 'municipality', 'id', 'amount', 'age', 'arose', 'detail'] as const;
type RowColumn = (typeof ROW_COLUMNS)[number];
/** The columns of a case off the worklist (`data.elsewhere`), found by the search by case number. */
export const ELSEWHERE_COLUMNS = ['ref', 'rule', 'severity', 'municipality', 'id', 'amount', 'place', 'followUp'] as const;
/** The columns of a row's handling (`data.handling`, by row index). */
export const HANDLING_COLUMNS = ['status', 'assignee', 'reopened'] as const;

/** The tuple of one row: its values in the order of `columns`. */
function tuple<C extends string>(columns: readonly C[], values: Record<C, unknown>): unknown[] {
  return columns.map((c) => values[c]);
}
/** Each column's index in its tuple, for the page: `{ ref: 0, rule: 1, … }`. */
const indexes = (columns: readonly string[]): Record<string, number> => Object.fromEntries(columns.map((c, i) => [c, i]));

/** The sortable columns of the detail, in the table's order: header, the row column, numbers (largest first) or not. */
const SORTABLE: readonly [string, RowColumn, boolean][] = [
  ['Sag', 'ref', false], ['Regel', 'rule', false], ['Alvor', 'severity', false], ['Kommune', 'municipality', false],
  ['Id', 'id', false], ['Beløb', 'amount', true], ['Alder (bankdage)', 'age', true], ['Opstået', 'arose', false],
];

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The Danish words the page shows, by index (src/vocabulary.ts). */
const WORDS = {
  /** By severity index: [CSS class (the code), word]. */
  severity: SEVERITIES.map((s) => [s, SEVERITY_DA[s]]),
  /** By handling index (handlingIndex): Åben, I gang, Afventer with its follow-up date passed. */
  handling: [HANDLING_STATUS_DA.open, HANDLING_STATUS_DA.in_progress, `${HANDLING_STATUS_DA.awaiting} – ${HANDLING_DUE_DA}`],
  /** By place (PLACE_INDEX): the handling cell of a case off the worklist. */
  place: [HANDLING_STATUS_DA.explained, HANDLING_STATUS_DA.awaiting, '–', capital(STATE_DA.resolved)],
};

/** JSON that is safe inside a <script> element: no '<', '>' or '&' (so never '</script>'), no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const m = (v: unknown): string => maskText(str(v)) ?? '';

/** The handling index of an awaiting row whose follow-up date has passed (detail.js marks it overdue). */
const HANDLING_DUE = 2;

/** The handling of a detail row, for detail.js: 0 Åben, 1 I gang, 2 Afventer with its follow-up date passed. */
export function handlingIndex(r: Row): number {
  if (r.handling_due === true) return HANDLING_DUE;
  return str(r.handling_status) === 'in_progress' ? 1 : 0;
}

/** Where a case off the worklist is (elsewhere.sql's place), as detail.js's index into its PLACES. */
const PLACE_INDEX: Record<string, number> = { explained: 0, awaiting: 1, info: 2, resolved: 3 };

/** The cases off the worklist, for the search by case number (ELSEWHERE_COLUMNS). */
function elsewhereData(rows: Row[] | null): unknown[][] {
  return (rows ?? []).map((r) => tuple(ELSEWHERE_COLUMNS, {
    ref: m(r.case_ref), rule: str(r.rule), severity: SEV_INDEX[str(r.severity)] ?? 2, municipality: m(r.municipality),
    id: m(r.key_id), amount: r.amount === null ? null : str(r.amount), place: PLACE_INDEX[str(r.place)] ?? 2,
    followUp: r.follow_up === null ? null : str(r.follow_up),
  }));
}

/** A row's description as the detail shows it: masked, amounts in Danish notation, clipped. */
const detailText = (r: Row): string => clip(danishAmounts(m(r.detail)), DETAIL_TEXT_CAP);

/** The worklist as read by the first pass over its rows: its counts, and the page's data but for the rows' tuples. */
interface Gathered {
  n: number;
  critical: number;
  overdue: number;
  phrases: PhraseBook;
  /** arose_at → its index in `data.arose` (time order). */
  arose: Map<string, number>;
  /** The page's data, its rows left out: its JSON before and after them. */
  before: string;
  after: string;
}

/**
 * The first pass over the worklist's rows (reports/worklist/rows.sql, read in chunks, never held): the counts, the
 * municipalities and rules named, the instants, the phrases of the descriptions, and the handling and hints by row
 * index. The second (rowTuples) writes the rows' tuples into the page. Together the same data as one list gave.
 */
async function gather(ctx: ReportContext, hintRows: Row[] | null, reopened: Set<string>, elsewhere: Row[] | null): Promise<Gathered> {
  const municipalities: Record<string, string> = {};
  const rules: Record<string, string> = {};
  const name = (r: Row) => {
    municipalities[str(r.municipality)] ??= muniLabel(ctx, r.municipality);
    rules[str(r.rule)] ??= ruleLabel(str(r.rule))?.name ?? '';
  };
  const instants = new Set<string>();
  const phrases = new PhraseBook();
  // the handling of the rows that have any, by row index (HANDLING_COLUMNS: status index, assignee, reopened 0/1):
  // the rows of discrepancies nobody has handled, most of them, cost nothing
  const handling: Record<number, unknown[]> = {};
  // what may explain a row (suggested match, overdue delivery): [row index, text], only for the rows that have one
  const texts = hintTexts(hintRows);
  const hints: [number, string][] = [];
  let n = 0;
  let critical = 0;
  let overdue = 0;
  for await (const chunk of ctx.stream('worklist/rows.sql')) {
    for (const r of chunk) {
      const i = n++;
      name(r);
      instants.add(str(r.arose_at));
      phrases.add(detailText(r));
      const h = { status: handlingIndex(r), assignee: r.assignee === null || r.assignee === undefined ? null : m(r.assignee), reopened: reopened.has(str(r.case_ref)) ? 1 : 0 };
      if (h.status || h.assignee !== null || h.reopened) handling[i] = tuple(HANDLING_COLUMNS, h);
      const t = texts.get(hintKey(r));
      if (t) hints.push([i, m(t)]);
      if (r.severity === 'critical') critical++;
      if (r.handling_due === true) overdue++;
    }
  }
  for (const r of elsewhere ?? []) name(r);
  // the instants once each, in time order: a row names its own by index (a smaller page; sorting by index is by time)
  const sorted = [...instants].sort();
  const hole = `afstem-rows-${crypto.randomUUID()}`;
  const json = scriptJson({
    handling,
    municipalities: Object.fromEntries(Object.entries(municipalities).map(([k, v]) => [m(k), m(v)])),
    rules,
    arose: sorted.map((t) => formatInstant(t)),
    phrases: phrases.phrases(),
    rows: hole,
    hints,
    elsewhere: elsewhereData(elsewhere),
    cols: indexes(ROW_COLUMNS),
    elsewhereCols: indexes(ELSEWHERE_COLUMNS),
    handlingCols: indexes(HANDLING_COLUMNS),
    handlingDue: HANDLING_DUE,
    words: WORDS,
  });
  const [before, after] = json.split(JSON.stringify(hole));
  return { n, critical, overdue, phrases, arose: new Map(sorted.map((t, i) => [t, i])), before, after };
}

/** The second pass: the rows' tuples (ROW_COLUMNS) into the page's data, chunk by chunk, as one JSON array. */
async function rowTuples(ctx: ReportContext, g: Gathered, emit: (text: string) => void): Promise<void> {
  emit(`${g.before}[`);
  let n = 0;
  for await (const chunk of ctx.stream('worklist/rows.sql')) {
    const part = chunk.map((r) => scriptJson(tuple(ROW_COLUMNS, {
      ref: m(r.case_ref),
      rule: str(r.rule),
      severity: SEV_INDEX[str(r.severity)] ?? 1,
      municipality: m(r.municipality),
      id: m(r.key_id),
      amount: r.amount === null ? null : str(r.amount),
      age: r.age === null ? null : num(r.age),
      arose: g.arose.get(str(r.arose_at))!,
      detail: g.phrases.encode(detailText(r)),
    })));
    emit((n ? ',' : '') + part.join(','));
    n += chunk.length;
  }
  if (n !== g.n) throw new Error(`the worklist's rows changed while the report was written (${g.n}, then ${n})`);
  emit(`]${g.after}`);
}

function groupTable(ctx: ReportContext, groups: Row[], total: number): SafeHtml {
  return table(
    groups,
    [
      { title: 'Kommune', cell: (r) => muniLabel(ctx, r.municipality), cls: 'nowrap' },
      { title: 'Regel', cell: (r) => html`<b>${str(r.rule)}</b> ${ruleLabel(str(r.rule))?.name ?? ''}` },
      { title: 'Alvor', cell: (r) => badge(str(r.severity), (SEVERITY_DA as Record<string, string>)[str(r.severity)] ?? str(r.severity)) },
      { title: 'Antal', cls: 'num', cell: (r) => formatCount(num(r.n)) },
      { title: 'Beløb', cls: 'num', cell: (r) => (r.amount === null ? '–' : formatKroner(str(r.amount))) },
      { title: 'Ældste (bankdage)', cls: 'num', cell: (r) => (r.oldest === null ? '–' : formatCount(num(r.oldest))) },
      { title: 'Hvad skal der gøres', cell: (r) => ruleLabel(str(r.rule))?.action ?? '' },
    ],
    { cap: WORKLIST_GROUP_CAP, total, fullList: 'tabellen ovenfor og discrepancies.xlsx', empty: 'Ingen åbne kritiske afvigelser eller advarsler.' },
  );
}

/**
 * The detail: the search first (a case number finds that case alone, wherever it is), then the filters, the table
 * and its pages. Shown also when the worklist is empty: the search still finds the cases under Behandlede.
 */
function detail(n: number): SafeHtml {
  const ruleCodes = RULE_LABELS.filter((r) => r.severity !== 'info').length;
  return html`<h3 id="arbejdsliste-alle">Alle afvigelser på arbejdslisten: søg, eller find en sag på dens nummer</h3>
<div id="arbejdsliste-detalje" class="detail-table" data-rules="${ruleCodes}">
<div class="filters">
<label class="search">Søg <input name="tekst" type="search" placeholder="sagsnummer (S-123), id, kommune, regel eller tekst"></label>
<label>Kommune <select name="kommune"><option value="">alle</option></select></label>
<label>Regel <select name="regel"><option value="">alle</option></select></label>
<label>Alvor <select name="alvor"><option value="">alle</option>${(['critical', 'warning'] as const).map((s) => html`<option value="${SEV_INDEX[s]}">${SEVERITY_DA[s]}</option>`)}</select></label>
<label>Mindst <input name="alder" type="number" min="0" step="1" inputmode="numeric"> bankdage gammel</label>
<label>Behandling <select name="behandling"><option value="">alle</option>${[HANDLING_STATUS_DA.open, HANDLING_STATUS_DA.in_progress, HANDLING_DUE_DA].map((w, i) => html`<option value="${i}">${w}</option>`)}</select></label>
</div>
<p class="case-note" hidden></p>
<div class="table-wrap"><table><thead><tr>${SORTABLE.map(([t, col, number]) => html`<th data-sort="${col}"${raw(number ? ' class="num"' : '')}>${t}</th>`)}<th>Beskrivelse</th><th>Behandling</th></tr></thead><tbody></tbody></table></div>
<div class="pager"><button type="button" data-page="prev">‹ Forrige</button> <span class="pager-info">${formatCount(n)} afvigelser</span> <button type="button" data-page="next">Næste ›</button></div>
<noscript><p class="note">Filtre og sider kræver JavaScript; den fulde liste står i discrepancies.xlsx og discrepancies.csv.</p></noscript>
</div>`;
}

export const worklist: Section = {
  id: 'arbejdsliste',
  title: 'Arbejdsliste: kræver handling i dag',
  nav: 'Arbejdsliste',
  missing: 'Arbejdslisten',
  // the rows (worklist/rows.sql) are streamed, twice: gather, then rowTuples while the page is written
  queries: { groups: 'worklist/groups.sql' },
  navHref: 'arbejdsliste-alle', // the menu lands on the search
  optional: {
    reversalTotals: 'action/reversal-totals.sql', reversals: 'action/reversals.sql', hints: 'explain/hints.sql',
    reopened: 'worklist/reopened.sql', elsewhere: 'worklist/elsewhere.sql',
  },
  params: () => ({ worklist_group_cap: WORKLIST_GROUP_CAP }),
  async render(q, optional, ctx) {
    const total = num(q.groups[0]?.group_count);
    const reversalCount = num(optional.reversalTotals?.[0]?.n);
    const reopened = new Set((optional.reopened ?? []).map((r) => str(r.case_ref)));
    const g = await gather(ctx, optional.hints, reopened, optional.elsewhere);
    const { critical, overdue } = g;
    return html`<section class="card" id="arbejdsliste">
<h2>Arbejdsliste: kræver handling i dag</h2>
<p class="lead"><b>${formatCount(g.n)}</b> åbne afvigelser at behandle (${formatCount(critical)} kritiske, ${formatCount(g.n - critical)} advarsler) i ${formatCount(total)} grupper efter ${ctx.municipality ? 'regel' : 'kommune og regel'}, de ældste kritiske og største beløb først. Alder i bankdage siden afvigelsen opstod.${overdue ? html` Heraf <b>${formatCount(overdue)}</b> afventende, hvis opfølgningsdato er overskredet (opfølgning overskredet).` : ''} Forklarede og afventende afvigelser står for sig under <a href="#behandlede">Behandlede</a>. Til Excel: <a href="discrepancies.xlsx">discrepancies.xlsx</a>.</p>
${detail(g.n)}
<script type="application/json" id="arbejdsliste-data">${ctx.later((emit) => rowTuples(ctx, g, emit))}</script>
<script>${raw(DETAIL_JS)}</script>
<h3 id="arbejdsliste-grupper">Grupper efter ${ctx.municipality ? 'regel' : 'kommune og regel'}</h3>
${groupTable(ctx, q.groups, total)}
${reversalCount || optional.reversals === null ? html`<h3>Handling: forslag til tilbageførsel (${formatCount(reversalCount)})</h3>
<p class="lead">En indbetaling kan kun tilbageføres helt (SF1590_B_03 §1.2.1): de nyeste dækninger tilbageføres, til overdækningen er nået; forskellen indbetales igen på samme fordring, og overdækningen går tilbage til betaleren.</p>
${reversalTable(ctx, optional.reversals, reversalCount)}` : ''}
</section>`;
  },
};
