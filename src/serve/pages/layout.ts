// The frame of every served page (FORMATS.md §9): Danish, server-rendered HTML that works without any script, with
// the report's stylesheet and the server's own (files under /static/: the Content-Security-Policy admits nothing
// inline), the signed-in user, the navigation of what the role may see, the sign-out form with its token, and the
// banner while a nightly run holds the database. Every value goes into the page through the html`` template of
// src/report/html.ts, which escapes it (and masks CPR numbers) unless it is markup afstem wrote itself.
import { DateTime } from 'luxon';
import { ZONE } from '../../calendar.ts';
import { formatCount, formatLongInstant, html, raw, type SafeHtml } from '../../report/html.ts';
import { ROLE_DA, MAY, type User } from '../users.ts';

export interface Frame {
  title: string;
  /** The signed-in user and the token of the page's forms; absent on the sign-in page. */
  user?: User;
  token?: string;
  /** The municipalities' names, code → name. */
  names?: Map<string, string>;
  /** The latest recorded run's asOf, when there is one. */
  asOf?: Date | null;
  /** A run holds the database: since when (ISO UTC). */
  runSince?: string | null;
  /** Changes of the user's municipalities that wait for the run to let go of the database. */
  pending?: number;
  /** The path of the page, to mark it in the navigation. */
  path?: string;
  /** A word at the top of the page: ok (a change saved), bad (refused) or plain. */
  message?: { kind: 'ok' | 'bad' | 'plain'; text: SafeHtml | string } | null;
}

/** An instant as Copenhagen wall-clock time, 'HH:MM'. */
export function clock(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE).toFormat('HH:mm');
}

/** '101 København'. */
export function muni(names: Map<string, string> | undefined, code: unknown): string {
  const c = code === null || code === undefined ? '' : String(code);
  const n = names?.get(c);
  return n ? `${c} ${n}` : c;
}

function nav(f: Frame): SafeHtml {
  const u = f.user!;
  const links: [string, string][] = [];
  if (MAY.readCases(u)) links.push(['/', 'Arbejdsliste'], ['/behandlede', 'Behandlede']);
  links.push(['/status', 'Idriftsættelse']);
  if (MAY.operate(u)) links.push(['/drift', 'Drift']);
  return html`<nav class="toc" aria-label="Sider">${links.map(([href, text]) =>
    html`<a href="${href}"${raw(f.path === href ? ' aria-current="page"' : '')}>${text}</a>`)}</nav>`;
}

function banners(f: Frame): SafeHtml {
  const parts: SafeHtml[] = [];
  if (f.runSince) {
    parts.push(html`<div class="banner" role="status">Nattens kørsel er i gang siden ${clock(f.runSince)}; viser data fra seneste afsluttede kørsel. Ændringer, du gemmer nu, gemmes og skrives i databasen, når kørslen er færdig.</div>`);
  }
  if (f.pending) {
    parts.push(html`<div class="banner" role="status">${formatCount(f.pending)} ${f.pending === 1 ? 'ændring venter' : 'ændringer venter'} på at blive skrevet i databasen, når nattens kørsel er færdig; ${f.pending === 1 ? 'den er gemt og vises' : 'de er gemt og vises'} allerede her.</div>`);
  }
  if (f.message) parts.push(html`<div class="banner ${raw(f.message.kind)}" role="status">${f.message.text}</div>`);
  return parts.length ? html`<div class="banner-wrap">${parts}</div>` : raw('');
}

/** A whole page. */
export function page(f: Frame, body: SafeHtml): string {
  const u = f.user;
  const codes = u ? u.municipalities.map((c) => muni(f.names, c)).join(', ') : '';
  const head = u
    ? html`<header class="top"><div class="inner"><div><h1>Afstemning af biblioteksgebyrer</h1>
<p>${f.asOf ? html`Opgjort pr. ${formatLongInstant(f.asOf)} (dansk tid) · ` : ''}${u.name} (${ROLE_DA[u.role]}) · ${u.role === 'operator' ? 'alle kommuner' : codes}</p></div>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${f.token ?? ''}"><button type="submit">Log ud</button></form></div></header>
${nav(f)}`
    : html`<header class="top"><div class="inner"><div><h1>Afstemning af biblioteksgebyrer</h1><p>Arbejdslisten for kommunernes økonomimedarbejdere</p></div></div></header>`;
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${html`${f.title} · afstem`.html}</title>
<link rel="stylesheet" href="/static/report.css">
<link rel="stylesheet" href="/static/serve.css">
</head>
<body>
${head.html}
${banners(f).html}
<main>
${body.html}
</main>
<footer>afstem · alle tider er dansk tid (Europe/Copenhagen) · CPR-numre vises kun med de første seks cifre.</footer>
</body>
</html>
`;
}

/** A page that says something went wrong or does not exist (no detail of why: nothing internal reaches a browser). */
export function problemPage(f: Frame, heading: string, text: string): string {
  return page(f, html`<section class="card"><h2>${heading}</h2><p>${text}</p><p><a href="/">Til arbejdslisten</a></p></section>`);
}
