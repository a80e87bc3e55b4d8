// Input quality: the files of the run (summary.json `files`, or the deliveries in effect when the summary has none),
// per export kind, the files with problems, and the rejected rows by reason. SQL: reports/input/.
import type { Row } from '../../db.ts';
import type { FileSummary } from '../../ingest/ingest.ts';
import { clip, formatCount, html, raw, table, type SafeHtml } from '../html.ts';
import { fileStatusDa, KIND_DA } from '../labels.ts';
import { fullListIn, muniLabel, num, str } from '../parts.ts';
import type { ReportContext, Section } from '../section.ts';

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

function fromDeliveries(rows: Row[]): FileSummary[] {
  return rows.map((r) => ({
    path: str(r.path),
    kind: str(r.kind),
    municipality: str(r.municipality),
    exportDate: str(r.export_date),
    status: str(r.status) as FileSummary['status'],
    rowsRead: num(r.rows_read),
    rowsLoaded: num(r.rows_loaded),
    rowsRejected: num(r.rows_rejected),
    extraColumns: parseList(r.extra_columns),
    message: r.message === null ? null : str(r.message),
  }));
}

function kindTable(files: FileSummary[]): SafeHtml {
  const perKind = new Map<string, { files: number; municipalities: Set<string>; read: number; loaded: number; rejected: number }>();
  for (const f of files) {
    // only the exports read (an unknown, ignored or unreadable file has no kind: the table below lists it)
    if (!f.kind || !['loaded', 'already_loaded', 'replaced', 'rejected'].includes(str(f.status))) continue;
    const k = perKind.get(str(f.kind)) ?? { files: 0, municipalities: new Set<string>(), read: 0, loaded: 0, rejected: 0 };
    k.files++;
    k.municipalities.add(str(f.municipality));
    k.read += num(f.rowsRead);
    k.loaded += num(f.rowsLoaded);
    k.rejected += num(f.rowsRejected);
    perKind.set(str(f.kind), k);
  }
  return table(
    [...perKind.entries()].sort((a, b) => a[0].localeCompare(b[0])),
    [
      { title: 'Eksporttype', cell: ([k]) => KIND_DA[k] ?? k },
      { title: 'Filer', cls: 'num', cell: ([, v]) => formatCount(v.files) },
      { title: 'Kommuner', cls: 'num', cell: ([, v]) => formatCount(v.municipalities.size) },
      { title: 'Læst', cls: 'num', cell: ([, v]) => formatCount(v.read) },
      { title: 'Indlæst', cls: 'num', cell: ([, v]) => formatCount(v.loaded) },
      { title: 'Afvist', cls: 'num', cell: ([, v]) => formatCount(v.rejected) },
    ],
    { empty: 'Ingen filer indlæst.' },
  );
}

function fileTable(ctx: ReportContext, files: FileSummary[]): SafeHtml {
  const problems = files.filter(
    // re-deliveries (replaced) are normal and only counted above
    (f) => num(f.rowsRejected) > 0 || !['loaded', 'already_loaded', 'replaced'].includes(str(f.status)) || (f.extraColumns?.length ?? 0) > 0,
  );
  return table(
    problems,
    [
      { title: 'Fil', cell: (f) => html`<span class="mono">${str(f.path)}</span>` },
      { title: 'Kommune', cell: (f) => (f.municipality ? muniLabel(ctx, f.municipality) : ''), cls: 'nowrap' },
      { title: 'Status', cell: (f) => fileStatusDa(str(f.status)) },
      { title: 'Læst', cls: 'num', cell: (f) => formatCount(num(f.rowsRead)) },
      { title: 'Indlæst', cls: 'num', cell: (f) => formatCount(num(f.rowsLoaded)) },
      { title: 'Afvist', cls: 'num', cell: (f) => formatCount(num(f.rowsRejected)) },
      { title: 'Ekstra kolonner', cell: (f) => (f.extraColumns ?? []).join(', ') },
      { title: 'Besked', cell: (f) => clip(str(f.message), 300), cls: 'detail' },
    ],
    { fullList: fullListIn(ctx, 'summary.json (files)'), empty: 'Alle filer blev indlæst uden afviste rækker.' },
  );
}

function rejectReasonTable(ctx: ReportContext, totals: Row[] | null, reasons: Row[] | null): SafeHtml {
  if (!totals || !reasons) return raw('');
  return table(
    reasons,
    [
      { title: 'Årsag', cell: (r) => clip(str(r.reason), 300) },
      { title: 'Rækker', cls: 'num', cell: (r) => formatCount(num(r.n)) },
    ],
    { total: num(totals[0]?.reasons), fullList: fullListIn(ctx, 'rejects.csv'), empty: 'Ingen afviste rækker.' },
  );
}

function rejectRowTable(ctx: ReportContext, totals: Row[] | null, rows: Row[] | null): SafeHtml {
  const total = num(totals?.[0]?.n);
  if (!total || !rows) return raw('');
  return html`<h4>Afviste rækker</h4>${table(
    rows,
    [
      { title: 'Fil', cell: (r) => html`<span class="mono">${str(r.path)}</span>` },
      { title: 'Linje', cls: 'num', cell: (r) => str(r.line) },
      { title: 'Årsag', cell: (r) => clip(str(r.reason), 300) },
      { title: 'Rå række', cell: (r) => html`<span class="mono">${clip(str(r.raw).replace(/^\r?\n/, ''), 300)}</span>`, cls: 'src' },
    ],
    { total, fullList: fullListIn(ctx, 'rejects.csv') },
  )}`;
}

export const input: Section = {
  id: 'input',
  title: 'Inputkvalitet',
  optional: {
    deliveries: 'input/deliveries.sql',
    rejectTotals: 'input/reject-totals.sql',
    rejectReasons: 'input/reject-reasons.sql',
    rejects: 'input/rejects.sql',
  },
  render(_q, optional, ctx) {
    const fromSummary = ctx.summary?.files ?? [];
    const files = fromSummary.length ? fromSummary : fromDeliveries(optional.deliveries ?? []);
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
    const statusText = [...byStatus.entries()].map(([s, n]) => `${formatCount(n)} ${fileStatusDa(s)}`).join(', ');
    return html`<section class="card" id="input">
<h2>Inputkvalitet</h2>
<p class="lead">${files.length ? html`${formatCount(files.length)} filer (${statusText}); ${formatCount(read)} rækker læst, ${formatCount(loaded)} indlæst, <b>${formatCount(rejected)}</b> afvist.` : 'Ingen filer i denne kørsel.'}</p>
<h3>Indlæste filer pr. eksporttype</h3>
${kindTable(files)}
<h3>Filer med fejl, afviste rækker eller ekstra kolonner</h3>
${fileTable(ctx, files)}
<h3>Afviste rækker efter årsag</h3>
${rejectReasonTable(ctx, optional.rejectTotals, optional.rejectReasons)}
${rejectRowTable(ctx, optional.rejectTotals, optional.rejects)}
</section>`;
  },
};
