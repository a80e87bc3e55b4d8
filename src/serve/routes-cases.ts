// The served worklist's pages (FORMATS.md §9). Every query runs on a connection that reads through the user's scope
// (./snapshot.ts): a case, id, search, download or trail of another municipality is not there to be found and
// answers 404 like one that does not exist.
//   GET /                    the worklist (filters kommune, regel, alvor, alder, behandling, tekst; side); ?q= searches
//   GET /behandlede          the handled discrepancies (explained, awaiting)
//   GET /sager/S-123         a case page; POST /sager/S-123 records a change (status, assignee, note, follow_up)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Row } from '../db.ts';
import { caseNumber, isCalendarDate, parseStatus } from '../handling/store.ts';
import type { TrailLine } from '../handling/trail.ts';
import { RULE_BY_CODE } from '../pipeline/catalog.ts';
import { html, type SafeHtml } from '../report/html.ts';
import { WORKLIST_GROUP_CAP } from '../report/sections/worklist.ts';
import { field, frameOf, NOT_FOUND, page, problem, sameOrigin, scoped, send, type Ctx, type Served } from './context.ts';
import { caseBody, type FormValues } from './pages/case.ts';
import { HANDLING_FILTERS, handledBody, searchBody, worklistBody, type Filters } from './pages/lists.ts';
import { reportQuery, rows, serveSql, type Values } from './sql.ts';
import { MAY, type User } from './users.ts';

const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
const MAX_TEXT = 200;
const MAX_NOTE = 4000;

type Query = Record<string, string | string[] | undefined>;
const one = (q: Query, k: string): string | undefined => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
const int = (s: string | undefined, min: number, max: number): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isInteger(n) && n >= min && n <= max ? n : NaN;
};

/** The page a user asked for; NaN where a parameter is no page. */
function paging(q: Query): { page: number; size: number } {
  return { page: int(one(q, 'side'), 1, 1_000_000) ?? 1, size: int(one(q, 'antal'), 10, MAX_PAGE_SIZE) ?? PAGE_SIZE };
}

/** The worklist's filters from the query string; null when one is not a value the page offers (a 404, as if absent). */
function filters(q: Query, user: User): Filters | null {
  const f: Filters = {};
  const kommune = one(q, 'kommune');
  if (kommune) {
    if (!user.municipalities.includes(kommune)) return null;
    f.kommune = kommune;
  }
  const regel = one(q, 'regel');
  if (regel) {
    if (!RULE_BY_CODE.has(regel)) return null;
    f.regel = regel;
  }
  const alvor = one(q, 'alvor');
  if (alvor) {
    if (alvor !== 'critical' && alvor !== 'warning') return null;
    f.alvor = alvor;
  }
  const alder = int(one(q, 'alder'), 0, 100_000);
  if (Number.isNaN(alder)) return null;
  if (alder !== undefined) f.alder = alder;
  const behandling = one(q, 'behandling');
  if (behandling) {
    if (!Object.hasOwn(HANDLING_FILTERS, behandling)) return null;
    f.behandling = behandling;
  }
  const tekst = one(q, 'tekst')?.trim();
  if (tekst) f.tekst = tekst.slice(0, MAX_TEXT);
  return f;
}

async function worklist(s: Served, c: Ctx, conn: Db, user: User, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const q = req.query as Query;
  const { page: side, size } = paging(q);
  const frame = await frameOf(s, c, 'Arbejdsliste', '/', conn);
  const search = one(q, 'q')?.trim();
  if (search !== undefined && search !== '') {
    const n = caseNumber(search);
    const values: Values = { case_ref: n === null ? null : `S-${n}`, text: n === null ? search.slice(0, MAX_TEXT) : null };
    const found = await rows(conn, serveSql('search.sql', { limit: size, offset: (side - 1) * size }), values);
    return send(reply, page({ ...frame, title: `Søgning: ${search}` }, searchBody(search.slice(0, MAX_TEXT), found, Number(found[0]?.total ?? 0), side, size, frame.names!)));
  }
  const f = filters(q, user);
  if (!f || Number.isNaN(side) || Number.isNaN(size)) return problem(reply, 404, frame, ...NOT_FOUND);
  const values: Values = {
    municipality: f.kommune ?? null, rule: f.regel ?? null, severity: f.alvor ?? null, min_age: f.alder ?? null,
    handling: f.behandling ?? null, text: f.tekst ?? null,
  };
  const list = await rows(conn, serveSql('worklist.sql', { rows: reportQuery('worklist/rows.sql', { municipality: '' }), limit: size, offset: (side - 1) * size }), values);
  const groups = await rows(conn, reportQuery('worklist/groups.sql', { municipality: '', worklist_group_cap: WORKLIST_GROUP_CAP }));
  return send(reply, page(frame, worklistBody({
    groups, rows: list, total: Number(list[0]?.total ?? 0), filters: f, page: side, size, codes: user.municipalities, names: frame.names!, download: MAY.download(user),
  })));
}

/**
 * The case row of a reference in the user's scope, or undefined (unknown, malformed, another municipality's);
 * `brief`: only its reference and municipality (reports/serve/case-key.sql), for recording a change.
 */
async function caseRow(conn: Db, ref: string, brief = false): Promise<Row | undefined> {
  const n = caseNumber(ref);
  if (n === null) return undefined;
  return (await rows(conn, serveSql(brief ? 'case-key.sql' : 'case.sql'), { case_ref: `S-${n}` }))[0];
}

async function casePage(s: Served, c: Ctx, conn: Db, user: User, req: FastifyRequest, reply: FastifyReply, c0: Row, extra: { form?: FormValues; message?: { kind: 'ok' | 'bad' | 'plain'; text: SafeHtml | string }; status?: number } = {}) {
  const trail = await rows<TrailLine>(conn, serveSql('trail.sql'), { case_ref: String(c0.case_ref) });
  const journal = await rows(conn, serveSql('journal.sql'), { case_ref: String(c0.case_ref) });
  const frame = await frameOf(s, c, String(c0.case_ref), req.url, conn);
  const body = caseBody({ c: c0, trail, journal, names: frame.names!, canHandle: MAY.handle(user), token: c.who!.token, ...(extra.form ? { form: extra.form } : {}) });
  return send(reply, page({ ...frame, message: extra.message ?? null }, body), extra.status ?? 200);
}

const SAVED: Record<string, [kind: 'ok' | 'plain', text: string]> = {
  ja: ['ok', 'Ændringen er gemt.'],
  venter: ['plain', 'Ændringen er gemt og vises her; den skrives i databasen, når nattens kørsel er færdig.'],
  uaendret: ['plain', 'Ingen ændring: sagen stod allerede sådan.'],
};

export function caseRoutes(app: FastifyInstance, s: Served): void {
  app.get('/', async (req, reply) => scoped(s, req, reply, MAY.readCases, (c, conn, user) => worklist(s, c, conn, user, req, reply)));

  app.get('/behandlede', async (req, reply) => scoped(s, req, reply, MAY.readCases, async (c, conn) => {
    const { page: side, size } = paging(req.query as Query);
    const frame = await frameOf(s, c, 'Behandlede', '/behandlede', conn);
    if (Number.isNaN(side) || Number.isNaN(size)) return problem(reply, 404, frame, ...NOT_FOUND);
    const query = reportQuery('worklist/handled.sql', { municipality: '', table_cap: 1_000_000_000 });
    const list = await rows(conn, serveSql('page.sql', { query, limit: size, offset: (side - 1) * size }));
    return send(reply, page(frame, handledBody(list, side, size, frame.names!)));
  }));

  app.get<{ Params: { ref: string } }>('/sager/:ref', async (req, reply) => scoped(s, req, reply, MAY.readCases, async (c, conn, user) => {
    const row = await caseRow(conn, req.params.ref);
    if (!row) return problem(reply, 404, await frameOf(s, c, 'Siden findes ikke', req.url, conn), ...NOT_FOUND);
    const said = SAVED[one(req.query as Query, 'gemt') ?? ''];
    return casePage(s, c, conn, user, req, reply, row, said ? { message: { kind: said[0], text: said[1] } } : {});
  }));

  app.post<{ Params: { ref: string } }>('/sager/:ref', async (req, reply) => scoped(s, req, reply, MAY.readCases, async (c, conn, user) => {
    const who = c.who!;
    if (!c.snapshot) throw new Error('no snapshot');
    if (!sameOrigin(s, req) || !s.auth.tokenOk(who.session ? `session:${who.session}` : `header:${user.name}`, field(req.body, '_csrf'))) {
      return problem(reply, 403, await frameOf(s, c, 'Formularen blev afvist', req.url, conn), 'Formularen blev afvist',
        'Formularen kom ikke fra denne side eller var udløbet, så intet er gemt. Gå tilbage, genindlæs siden, og prøv igen.');
    }
    const row = await caseRow(conn, req.params.ref, true);
    if (!row) return problem(reply, 404, await frameOf(s, c, 'Siden findes ikke', req.url, conn), ...NOT_FOUND);
    if (!MAY.handle(user)) return problem(reply, 403, await frameOf(s, c, 'Ingen adgang', req.url, conn), 'Ingen adgang', 'Din rolle kan ikke registrere behandling.');
    const form: FormValues = {
      status: field(req.body, 'status') ?? '', assignee: field(req.body, 'assignee') ?? '', note: field(req.body, 'note') ?? '', follow_up: (field(req.body, 'follow_up') ?? '').trim(),
    };
    const refuse = async (text: string) => casePage(s, c, conn, user, req, reply, (await caseRow(conn, String(row.case_ref)))!, { form, message: { kind: 'bad', text: html`Ikke gemt: ${text}` }, status: 422 });
    const status = parseStatus(form.status);
    if (!status) return refuse(`ukendt status «${form.status}» (Åben, I gang, Afventer eller Forklaret)`);
    if (form.assignee.length > MAX_TEXT) return refuse(`ansvarlig må højst have ${MAX_TEXT} tegn`);
    if (form.note.length > MAX_NOTE) return refuse(`noten må højst have ${MAX_NOTE} tegn`);
    if (form.follow_up && !isCalendarDate(form.follow_up)) return refuse(`opfølgningsdatoen «${form.follow_up}» er ikke en dato (ÅÅÅÅ-MM-DD)`);
    const seen = (field(req.body, 'seen') ?? '').trim();
    const done = await s.shared.record({
      who: user.name, caseRef: String(row.case_ref), municipality: String(row.municipality), status,
      assignee: form.assignee, note: form.note, followUp: form.follow_up || null, seen: seen && !Number.isNaN(Date.parse(seen)) ? seen : null,
    });
    if (done.status === 'refused' || done.status === 'conflict') {
      const text = done.status === 'conflict' ? html`Ikke gemt: sagen er ændret, efter du åbnede den — ${done.reason ?? ''}. Se historikken nedenfor, og prøv igen.` : html`Ikke gemt: ${done.reason ?? ''}`;
      // the case as it stands now (a conflict found in the file has just been copied into a new snapshot)
      const latest = s.shared.acquire() ?? c.snapshot.acquire();
      const now = await latest.scoped(user.municipalities, user.role === 'operator');
      try {
        const fresh = (await caseRow(now, String(row.case_ref))) ?? row;
        return await casePage(s, { ...c, snapshot: latest }, now, user, req, reply, fresh, { form, message: { kind: 'bad', text }, status: 409 });
      } finally {
        now.close();
        latest.release();
      }
    }
    const word = done.status === 'saved' ? 'ja' : done.status === 'pending' ? 'venter' : 'uaendret';
    return reply.code(303).header('location', `/sager/${encodeURIComponent(String(row.case_ref))}?gemt=${word}`).send();
  }));
}
