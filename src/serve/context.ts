// What every served request shares: the snapshot it reads (held until the answer is sent), who is signed in, the
// frame of its page, the check that a POST comes from this server's own page (its Origin, else its Referer, names
// this host) with the form's token, the cookies' attributes, and the Danish problem pages.
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';
import { Auth, SESSION_COOKIE, type Who } from './auth.ts';
import { page, problemPage, type Frame } from './pages/layout.ts';
import type { SharedDatabase } from './shared.ts';
import type { Snapshot } from './snapshot.ts';
import type { User } from './users.ts';

export interface Served {
  config: Config;
  shared: SharedDatabase;
  auth: Auth;
}

export interface Ctx {
  snapshot: Snapshot | null;
  who: Who | undefined;
}

/** The request's remote address as the socket says (never a forwarded header). */
export const address = (req: FastifyRequest): string => (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/** The client's address: the socket's, or the one a trusted proxy appended to X-Forwarded-For. */
export function clientAddress(s: Served, req: FastifyRequest): string {
  const socket = address(req);
  const fwd = req.headers['x-forwarded-for'];
  if (typeof fwd !== 'string' || !s.auth.fromTrustedProxy(socket)) return socket;
  return fwd.split(',').map((a) => a.trim()).filter((a) => a !== '').at(-1) ?? socket;
}

/** Runs a handler with the current snapshot held and the signed-in user looked up. */
export async function withCtx<T>(s: Served, req: FastifyRequest, fn: (c: Ctx) => Promise<T>): Promise<T> {
  const snapshot = s.shared.acquire();
  try {
    const cookie = req.cookies[SESSION_COOKIE];
    const who = s.auth.who(snapshot, { headers: req.headers, address: address(req), cookie });
    return await fn({ snapshot, who });
  } finally {
    snapshot?.release();
  }
}

/** The configured municipalities' names a user may see, code → name. */
export function namesOf(config: Config, user: User | undefined): Map<string, string> {
  const mine = new Set(user?.municipalities ?? []);
  return new Map(config.municipalities.filter((m) => mine.has(m.code)).map((m) => [m.code, m.name]));
}

/** The page frame of a signed-in user: the run in progress, the changes of the user's municipalities still pending. */
export async function frameOf(s: Served, c: Ctx, title: string, path: string, conn?: Db): Promise<Frame> {
  const who = c.who!;
  let pending = 0;
  if (conn && c.snapshot?.asOf) pending = Number(await conn.value(`SELECT count(*) FROM journal_pending`));
  return {
    title,
    user: who.user,
    token: who.token,
    names: namesOf(s.config, who.user),
    asOf: c.snapshot?.asOf ?? null,
    runSince: s.shared.runHold?.since ?? null,
    pending,
    path,
  };
}

/** Whether the request's scheme is https (said by a trusted proxy): the cookies are then Secure. */
export function isHttps(s: Served, req: FastifyRequest): boolean {
  return s.auth.fromTrustedProxy(address(req)) && req.headers['x-forwarded-proto'] === 'https';
}

export function cookieOptions(s: Served, req: FastifyRequest) {
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure: isHttps(s, req) };
}

/**
 * A POST from this server's own page: its Origin (or, without one, its Referer) names the host the request was sent
 * to (the Host header, or X-Forwarded-Host from a trusted proxy).
 */
export function sameOrigin(s: Served, req: FastifyRequest): boolean {
  const forwarded = s.auth.fromTrustedProxy(address(req)) ? req.headers['x-forwarded-host'] : undefined;
  const host = typeof forwarded === 'string' ? forwarded.split(',')[0].trim() : req.headers.host;
  const from = req.headers.origin ?? req.headers.referer;
  if (!host || typeof from !== 'string' || from === 'null') return false;
  try {
    return new URL(from).host === host;
  } catch {
    return false;
  }
}

/** The posted form's field as text (absent, repeated or not text: undefined). */
export function field(body: unknown, name: string): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Sends a whole page. */
export function send(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** A Danish problem page with a status code (404 reads as not existing, whatever the reason). */
export function problem(reply: FastifyReply, status: number, frame: Frame | null, heading: string, text: string): FastifyReply {
  return send(reply, problemPage(frame ?? { title: heading }, heading, text), status);
}

export const NOT_FOUND = ['Siden findes ikke', 'Der er ingen sag, side eller fil med den adresse, som du har adgang til.'] as const;

/** The answer to a signed-out visitor: to the sign-in page (a GET), or refused (anything else). */
export function signIn(reply: FastifyReply, method: string): FastifyReply {
  if (method === 'GET') return reply.code(303).header('location', '/login').send();
  return problem(reply, 401, null, 'Ikke logget ind', 'Log ind, og prøv igen.');
}

/**
 * Runs fn for a signed-in user the role admits, on a connection that reads through the user's scope (the snapshot's
 * views of the user's municipalities alone). Signed out: to the sign-in page; another role: 403; no run yet: 503.
 */
export async function scoped(
  s: Served, req: FastifyRequest, reply: FastifyReply, may: (u: User) => boolean,
  fn: (c: Ctx, conn: Db, user: User) => Promise<FastifyReply>,
): Promise<FastifyReply> {
  return withCtx(s, req, async (c) => {
    if (!c.who) return signIn(reply, req.method);
    const user = c.who.user;
    if (!may(user)) return problem(reply, 403, await frameOf(s, c, 'Ingen adgang', req.url), 'Ingen adgang', 'Din rolle giver ikke adgang til denne side.');
    if (!c.snapshot?.asOf) {
      const frame = await frameOf(s, c, 'Ingen kørsel endnu', req.url);
      return problem(reply, 503, frame, 'Ingen afsluttet kørsel endnu', frame.runSince ? 'Nattens kørsel er i gang; siden vises, når den er færdig.' : 'Der er endnu ingen registreret kørsel at vise.');
    }
    const conn = await c.snapshot.scoped(user.municipalities, user.role === 'operator');
    try {
      return await fn(c, conn, user);
    } finally {
      conn.close();
    }
  });
}

export { page };
