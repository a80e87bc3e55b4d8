// Signing in and out (FORMATS.md §9), the health check and the stylesheets.
//   GET /login    the form: fields user and password, and its token (bound to a cookie of this browser)
//   POST /login   signs in a built-in account: a new session; a failed try says the same whether the user exists or
//                 not (an unknown user costs a password check all the same), and repeated failures are refused for
//                 a while (./auth.ts)
//   POST /logout  ends the session
//   GET /healthz  200 without signing in, saying nothing about the data
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REPORTS_DIR } from '../report/charts.ts';
import { Auth, PRE_COOKIE, SESSION_COOKIE } from './auth.ts';
import { clientAddress, cookieOptions, field, page, problem, sameOrigin, send, withCtx, type Served } from './context.ts';
import { loginBody } from './pages/status.ts';
import { dummyHash, verifyPassword, MAX_PASSWORD_LENGTH } from './password.ts';
import { MAY, userName } from './users.ts';

const STYLES: Record<string, string> = {
  'report.css': path.join(REPORTS_DIR, 'report.css'),
  'serve.css': path.join(REPORTS_DIR, 'serve', 'serve.css'),
};

const WRONG = 'Forkert brugernavn eller adgangskode.';
const BLOCKED = 'For mange mislykkede forsøg. Vent lidt, og prøv igen.';

export function authRoutes(app: FastifyInstance, s: Served): void {
  const styles = new Map(Object.entries(STYLES).map(([k, f]) => [k, fs.readFileSync(f, 'utf8')]));

  app.get('/healthz', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('ok\n'));
  // browsers ask for it on every site: there is none
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());

  app.get<{ Params: { file: string } }>('/static/:file', async (req, reply) => {
    const css = styles.get(req.params.file);
    if (css === undefined) return problem(reply, 404, null, 'Siden findes ikke', 'Der er ingen fil med den adresse.');
    return reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css);
  });

  /** The sign-in page with a token bound to this browser's sign-in cookie (made here when it has none). */
  const loginPage = (req: FastifyRequest, reply: FastifyReply, message: string | null, user: string, status: number) => {
    let pre = req.cookies[PRE_COOKIE];
    if (!pre || pre.length > 100) {
      pre = Auth.newId();
      reply.setCookie(PRE_COOKIE, pre, cookieOptions(s, req));
    }
    return send(reply, page({ title: 'Log ind', runSince: s.shared.runHold?.since ?? null }, loginBody(s.auth.token(`login:${pre}`), message, user)), status);
  };

  app.get('/login', async (req, reply) =>
    withCtx(s, req, async (c) => {
      if (c.who) return reply.code(303).header('location', MAY.readCases(c.who.user) ? '/' : '/status').send();
      return loginPage(req, reply, null, '', 200);
    }));

  app.post('/login', async (req, reply) =>
    withCtx(s, req, async (c) => {
      const pre = req.cookies[PRE_COOKIE];
      if (!sameOrigin(s, req) || !pre || !s.auth.tokenOk(`login:${pre}`, field(req.body, '_csrf'))) {
        return loginPage(req, reply, 'Formularen var udløbet eller kom ikke fra denne side. Prøv igen.', '', 403);
      }
      if (!c.snapshot) return problem(reply, 503, null, 'Prøv igen om lidt', 'Serveren er ved at indlæse databasen.');
      const given = field(req.body, 'user') ?? '';
      const name = userName(given) ?? '';
      const password = field(req.body, 'password') ?? '';
      const from = clientAddress(s, req);
      if (s.auth.blockedFor(name, from) > 0) return loginPage(req, reply, BLOCKED, name, 429);
      const stored = name ? c.snapshot.users.get(name) : undefined;
      const ok = password.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(password, stored?.passwordHash ?? (await dummyHash())));
      if (!stored || !ok) {
        s.auth.failed(name, from);
        return loginPage(req, reply, WRONG, name, 401);
      }
      s.auth.succeeded(name);
      const old = req.cookies[SESSION_COOKIE];
      if (old) s.auth.endSession(old);
      reply.setCookie(SESSION_COOKIE, s.auth.startSession(stored.name), cookieOptions(s, req));
      reply.clearCookie(PRE_COOKIE, { path: '/' });
      return reply.code(303).header('location', stored.role === 'lead' ? '/status' : '/').send();
    }));

  app.post('/logout', async (req, reply) =>
    withCtx(s, req, async (c) => {
      if (!c.who) return reply.code(303).header('location', '/login').send();
      if (!sameOrigin(s, req) || !s.auth.tokenOk(c.who.session ? `session:${c.who.session}` : `header:${c.who.user.name}`, field(req.body, '_csrf'))) {
        return problem(reply, 403, null, 'Formularen blev afvist', 'Formularen kom ikke fra denne side eller var udløbet. Gå tilbage, genindlæs siden, og prøv igen.');
      }
      s.auth.endSession(c.who.session);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(303).header('location', '/login').send();
    }));
}
