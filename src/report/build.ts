// report.html: the nightly report for people (FORMATS.md §7), in Danish, self-contained (no network, no JavaScript:
// charts are rendered to inline SVG), printable. The page is the sections of ./sections/, in order; each names its
// SQL under reports/<section>/ and renders what it returns (aggregated in SQL, so the file stays small for any
// volume). This assembler runs the queries and handles a missing table once: a section whose query reads a missing
// table shows "… er ikke beregnet i denne kørsel.", an optional query's result is null. Every value from the data is
// HTML-escaped and CPR-masked by the html`` template of ./html.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { lit, type Db, type Row } from '../db.ts';
import { ZONE } from '../calendar.ts';
import { REVERSAL_RULE } from '../pipeline/catalog.ts';
import { REPORTS_DIR } from './charts.ts';
import { ChartCache } from './chart-cache.ts';
import { formatCount, formatLongInstant, html, join, raw, type SafeHtml } from './html.ts';
import { TABLE_CAP, muniLabel, num, str } from './parts.ts';
import { NO_STREAMS, type Params, type ReportContext, type ReportSummary, type Section } from './section.ts';
import { action } from './sections/action.ts';
import { discrepancies } from './sections/discrepancies.ts';
import { input } from './sections/input.ts';
import { stages } from './sections/stages.ts';
import { waves } from './sections/waves.ts';
import { warnings } from './sections/warnings.ts';
import { deliveries } from './sections/deliveries.ts';
import { handlingImport } from './sections/handling-import.ts';
import { DETAIL_JS_SOURCE, worklist } from './sections/worklist.ts';
import { handled } from './sections/handled.ts';

export const SECTIONS: readonly Section[] = [deliveries, warnings, worklist, handled, handlingImport, action, discrepancies, stages, waves, input];

export interface ReportInput {
  outDir: string;
  asOf: Date;
  /** What the report reads of the run's summary (FORMATS.md §7); null when there is none. */
  summary: ReportSummary | null;
  /** A municipality's own report (FORMATS.md §7 municipalities/<code>/): every section's SQL keeps to its rows. */
  municipality?: string;
  /**
   * The rendered charts to take from and add to, shared by several reports (a run's municipalities), flushed by the
   * caller; without it the report has its own and flushes it when done.
   */
  charts?: ChartCache;
  /** Rows read before for this report, by the SQL text the report would run (prefetchMunicipalities). */
  prefetched?: Map<string, Row[]>;
}

/**
 * Builds report.html in outDir and returns its path. The page is written piece by piece: the parts made later (the
 * worklist's rows, ReportContext.later) are streamed from DuckDB into the file, never held whole.
 */
export async function writeReport(db: Db, input: ReportInput): Promise<string> {
  fs.mkdirSync(input.outDir, { recursive: true });
  const file = path.join(input.outDir, 'report.html');
  const fd = fs.openSync(file, 'w');
  try {
    await emitReport(db, input, (text) => fs.writeSync(fd, text, null, 'utf8'));
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** report.html as one string (for the tests and small books): what writeReport writes. */
export async function buildReport(db: Db, input: Omit<ReportInput, 'outDir'>): Promise<string> {
  const parts: string[] = [];
  await emitReport(db, input, (text) => parts.push(text));
  return parts.join('');
}

/** The page's text, in order, to `emit`: the page around the later parts, and each later part where it belongs. */
async function emitReport(db: Db, input: Omit<ReportInput, 'outDir'>, emit: (text: string) => void): Promise<void> {
  const later: ((emit: (text: string) => void) => Promise<void>)[] = [];
  const marker = `\u0000afstem-later-${crypto.randomUUID()}-`;
  const charts = input.charts ?? new ChartCache(db);
  const page = await pageText(db, input, marker, later, charts);
  if (!input.charts) await charts.flush();
  const pieces = page.split(new RegExp(`${marker}(\\d+)\u0000`));
  // split with a group alternates: page text, a later part's number, page text, …
  for (let i = 0; i < pieces.length; i++) {
    if (i % 2 === 0) emit(pieces[i]);
    else await later[Number(pieces[i])](emit);
  }
}

async function pageText(
  db: Db, input: Omit<ReportInput, 'outDir'>, marker: string,
  later: ((emit: (text: string) => void) => Promise<void>)[], charts: ChartCache,
): Promise<string> {
  const queries = new Queries(db, input.prefetched);
  const municipality = input.municipality ?? '';
  const streams = {
    stream: (file: string) => db.chunks(reportSql(file, { municipality })),
    later: (write: (emit: (text: string) => void) => Promise<void>) => raw(`${marker}${later.push(write) - 1}\u0000`),
    charts,
  };
  const ctx = await loadContext(queries, input.asOf, ownSummary(input.summary, municipality), municipality, streams);
  const sections: SafeHtml[] = [];
  for (const s of SECTIONS) sections.push(await renderSection(queries, s, ctx, municipality));
  // A link for each section that is on the page: one that renders nothing (the handling folder's, when the
  // configuration names none) has no entry, so no link goes nowhere. An entry lands on the section's navHref where
  // the section rendered it (not when its table was missing).
  const href = (s: Section, i: number) => (s.navHref && sections[i].html.includes(`id="${s.navHref}"`) ? s.navHref : s.id);
  const nav = SECTIONS.map((s, i) => ({ s, i }))
    .filter(({ s, i }) => s.nav !== null && sections[i].html.trim() !== '')
    .map(({ s, i }) => html`<a href="#${href(s, i)}">${s.nav ?? s.title}</a>`);
  const runId = input.summary?.runId;
  const body = html`
<header class="top"><div class="inner">
  <h1>Afstemning af biblioteksgebyrer</h1>
  <p>FBS → debitorsystem → betalingsløsning · opgjort pr. ${formatLongInstant(input.asOf)} (dansk tid) · ${municipality ? muniLabel(ctx, municipality) : `${formatCount(ctx.municipalities.size)} kommuner`}${runId ? html` · kørsel ${runId}` : ''}</p>
</div></header>
<nav class="toc" aria-label="Indhold">
  ${nav}
</nav>
<main>
${join(sections, '\n')}
</main>
<footer>Lavet af afstem. Alle tider er dansk tid (Europe/Copenhagen); varigheder er forløbet tid i timer. CPR-numre vises kun med de første seks cifre. ${municipality ? 'Kommunens åbne afvigelser står i fuld længde i discrepancies.xlsx (til Excel) og discrepancies.csv ved siden af denne rapport.' : 'De fulde lister står i discrepancies.xlsx (til Excel), discrepancies.csv, reversals.csv, latency.csv, rejects.csv og summary.json.'}</footer>`;
  const title = `Afstemning af biblioteksgebyrer pr. ${DateTime.fromJSDate(input.asOf).setZone(ZONE).toFormat('dd.MM.yyyy HH:mm')}${municipality ? ` · ${muniLabel(ctx, municipality)}` : ''}`;
  const template = reportFile('report.html');
  const css = reportFile('report.css');
  return template
    .replace('{{script_src}}', () => DETAIL_JS_SOURCE)
    .replace('{{title}}', () => html`${title}`.html)
    .replace('{{css}}', () => css)
    .replace('{{body}}', () => body.html);
}

/** The values of a section's placeholders: every section's SQL may read table_cap, municipality and reversal_rule (the rule of the reversal proposals, RULES.md §4, the catalog). */
function sectionParams(s: Section, ctx: ReportContext): Params {
  return { table_cap: TABLE_CAP, municipality: ctx.municipality, reversal_rule: REVERSAL_RULE.code, ...s.params?.(ctx) };
}

async function renderSection(queries: Queries, s: Section, ctx: ReportContext, municipality: string): Promise<SafeHtml> {
  const params = sectionParams(s, ctx);
  const rows: Record<string, Row[]> = {};
  for (const [name, file] of Object.entries({ ...s.queries, ...(municipality ? {} : s.overall) })) {
    const result = await queries.run(file, params);
    if (result === MISSING) {
      return html`<section class="card" id="${s.id}"><h2>${s.title}</h2><p class="empty">${s.missing ?? s.title} er ikke beregnet i denne kørsel.</p></section>`;
    }
    rows[name] = result;
  }
  const optional: Record<string, Row[] | null> = {};
  for (const [name, file] of Object.entries(s.optional ?? {})) {
    const result = await queries.run(file, params);
    optional[name] = result === MISSING ? null : result;
  }
  return s.render(rows, optional, ctx);
}

async function loadContext(
  queries: Queries, asOf: Date, summary: ReportSummary | null, municipality: string, streams: Pick<ReportContext, 'stream' | 'later' | 'charts'>,
): Promise<ReportContext> {
  const ctx: ReportContext = { asOf, summary, municipalities: new Map(), sla: new Map(), municipality, ...streams };
  const municipalities = await queries.run('context/municipalities.sql', { municipality });
  if (municipalities !== MISSING) for (const r of municipalities) ctx.municipalities.set(str(r.code), str(r.name));
  const sla = await queries.run('context/sla.sql', {});
  if (sla !== MISSING) {
    for (const r of sla) {
      ctx.sla.set(str(r.stage), { hours: r.hours === null ? null : num(r.hours), businessDays: r.business_days === null ? null : num(r.business_days) });
    }
  }
  return ctx;
}

/** In a municipality's report, the summary's files and warnings of that municipality alone. */
function ownSummary(summary: ReportSummary | null, municipality: string): ReportSummary | null {
  if (!summary || !municipality) return summary;
  const own = new RegExp(`(?<![0-9])${municipality.replace(/[^0-9A-Za-z]/g, '')}(?![0-9])`);
  return {
    ...summary,
    files: summary.files.filter((f) => f.municipality === municipality),
    warnings: summary.warnings.filter((w) => own.test(w)),
    ...(summary.handling ? { handling: ownHandling(summary.handling, municipality) } : {}),
  };
}

/** A municipality's own files of the handling folder (FORMATS.md §7: nothing of another municipality). */
function ownHandling(h: NonNullable<ReportSummary['handling']>, municipality: string): NonNullable<ReportSummary['handling']> {
  const files = h.files.filter((f) => f.municipality === municipality);
  const paths = new Set(files.map((f) => f.path));
  return { ...h, files, applied: files.reduce((s, f) => s + f.applied, 0), unchanged: files.reduce((s, f) => s + f.unchanged, 0), refused: h.refused.filter((r) => paths.has(r.file)) };
}

/** The files of reports/ a report reads, each read once per process (a run writes eleven reports). */
const reportFiles = new Map<string, string>();
function reportFile(file: string): string {
  let text = reportFiles.get(file);
  if (text === undefined) {
    text = fs.readFileSync(path.join(REPORTS_DIR, file), 'utf8');
    reportFiles.set(file, text);
  }
  return text;
}

/** A SQL file of reports/ with its {{placeholders}} bound: numbers as they are, strings as SQL literals. */
export function reportSql(file: string, params: Params): string {
  return reportFile(file).replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`reports/${file}: no value for {{${name}}}`);
    return typeof v === 'number' ? String(v) : lit(v);
  });
}

const MISSING = Symbol('a table the query reads does not exist');
const MISSING_TABLE = /^Catalog Error: Table with name \S+ does not exist/;

/**
 * Runs the SQL files of reports/ with their {{placeholders}} bound; a query two sections share runs once, and one
 * read before (prefetched, by its SQL text) not at all.
 */
class Queries {
  private readonly done = new Map<string, Promise<Row[] | typeof MISSING>>();
  constructor(private readonly db: Db, private readonly prefetched?: Map<string, Row[]>) {}

  run(file: string, params: Params): Promise<Row[] | typeof MISSING> {
    const sql = reportSql(file, params);
    const before = this.prefetched?.get(sql);
    if (before) return Promise.resolve(before);
    if (!this.done.has(sql)) {
      this.done.set(sql, this.db.all(sql).catch((e: Error) => {
        if (MISSING_TABLE.test(e.message)) return MISSING;
        throw new Error(`reports/${file}: ${e.message}`);
      }));
    }
    return this.done.get(sql)!;
  }
}

/**
 * The rows of several municipalities' reports read at once (a run writes one per municipality, each running the same
 * two dozen small queries: a statement costs about 1.5 ms whatever it reads). A file of reports/ with a sibling
 * `<name>.by-municipality.sql` (the same rows for every municipality of {{municipalities}}, each led by its
 * __municipality, in the file's order within each) is run once and split; a file without {{municipality}} is run once
 * and shared. Returns, per municipality, each such query's rows under the SQL text its report would run. A query whose
 * table is missing is left to the reports (each shows its note as before).
 */
export async function prefetchMunicipalities(db: Db, asOf: Date, codes: readonly string[]): Promise<Map<string, Map<string, Row[]>>> {
  const out = new Map(codes.map((code) => [code, new Map<string, Row[]>()]));
  const ctx = (municipality: string): ReportContext =>
    ({ asOf, summary: null, municipalities: new Map(), sla: new Map(), municipality, ...NO_STREAMS });
  const files: { file: string; params: (municipality: string) => Params }[] = [
    { file: 'context/municipalities.sql', params: (municipality) => ({ municipality }) },
    { file: 'context/sla.sql', params: () => ({}) },
    ...SECTIONS.flatMap((s) => Object.values({ ...s.queries, ...s.optional }).map((file) => ({ file, params: (m: string) => sectionParams(s, ctx(m)) }))),
  ];
  const seen = new Set<string>();
  for (const { file, params } of files) {
    const shared = !reportFile(file).includes('{{municipality}}');
    const grouped = file.replace(/\.sql$/, '.by-municipality.sql');
    if (!shared && !reportFileExists(grouped)) continue;
    const sql = shared ? reportSql(file, params('')) : reportSql(grouped, { ...params(''), municipalities: codes.join(',') });
    if (seen.has(sql)) continue;
    seen.add(sql);
    let rows: Row[];
    try {
      rows = await db.all(sql);
    } catch (e) {
      if (MISSING_TABLE.test((e as Error).message)) continue;
      throw new Error(`reports/${shared ? file : grouped}: ${(e as Error).message}`);
    }
    const own = new Map(codes.map((code) => [code, [] as Row[]]));
    for (const row of rows) {
      if (shared) continue;
      const { __municipality: m, ...rest } = row;
      own.get(String(m))?.push(rest);
    }
    for (const code of codes) out.get(code)!.set(reportSql(file, params(code)), shared ? rows : own.get(code)!);
  }
  return out;
}

function reportFileExists(file: string): boolean {
  return reportFiles.has(file) || fs.existsSync(path.join(REPORTS_DIR, file));
}
