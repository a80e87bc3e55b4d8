// Who is signed in (FORMATS.md §9). Two ways: a built-in account (`afstem user`) with a session in server memory —
// a random id in an HttpOnly, SameSite=Strict cookie on Path=/ that expires after 8 hours without a request (12 at
// most) — or the single sign-on proxy's trusted header (`serve.auth.header`), believed only from the addresses in
// `serve.auth.trustedProxies` and only for the users the configuration maps to municipalities and a role. Every form
// carries a token bound to the session (an HMAC with a secret of this process) and every POST's Origin (or Referer)
// must be this server. Failed sign-ins are counted per user name (after 5, each further try is refused for 2, 4,
// 8 … seconds, at most 15 minutes) and per address (after 20: many names tried from one place), whether the name
// exists or not.
import crypto from 'node:crypto';
import type { Config } from '../config.ts';
import { headerUser, visibleMunicipalities, type User } from './users.ts';
import type { Snapshot } from './snapshot.ts';

export const SESSION_COOKIE = 'afstem_session';
/** The cookie of a browser that has not signed in yet: it binds the sign-in form's token. */
export const PRE_COOKIE = 'afstem_login';
export const IDLE_MS = 8 * 3600_000;
export const MAX_SESSION_MS = 12 * 3600_000;
/** Failures of one user name before tries are refused for a while; of one address (many names: spraying). */
const FREE_FAILURES = 5;
const FREE_FAILURES_ADDRESS = 20;
const MAX_BLOCK_MS = 15 * 60_000;

interface Session {
  id: string;
  user: string;
  started: number;
  seen: number;
}

interface Failures {
  n: number;
  /** Tries are refused until then (ms). */
  until: number;
  last: number;
}

/** The signed-in user of a request, and the token its forms carry. */
export interface Who {
  user: User;
  token: string;
  /** The session's id (null for the trusted header: no session). */
  session: string | null;
}

export interface AuthOptions {
  /** The clock (tests move it to expire a session). */
  now?: () => number;
}

export class Auth {
  private readonly sessions = new Map<string, Session>();
  private readonly failures = new Map<string, Failures>();
  private readonly secret = crypto.randomBytes(32);
  readonly now: () => number;

  constructor(
    private readonly config: Config,
    opts: AuthOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The form token of a session (or of a sign-in form's cookie, or of a trusted-header user). */
  token(binding: string): string {
    return crypto.createHmac('sha256', this.secret).update(binding).digest('base64url');
  }

  /** Whether a posted token is the one of this binding (compared in constant time). */
  tokenOk(binding: string, given: unknown): boolean {
    if (typeof given !== 'string' || given.length > 200) return false;
    const want = Buffer.from(this.token(binding));
    const got = Buffer.from(given);
    return want.length === got.length && crypto.timingSafeEqual(want, got);
  }

  /** A new random id (a session's, or a sign-in form's cookie). */
  static newId(): string {
    return crypto.randomBytes(32).toString('base64url');
  }

  /** Whether the request comes from a trusted proxy (its socket address, IPv4-mapped IPv6 read as IPv4). */
  fromTrustedProxy(address: string | undefined): boolean {
    const a = (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    return (this.config.serve?.auth?.trustedProxies ?? []).includes(a);
  }

  /**
   * The user of a request: by the trusted header when the configuration names one and the request comes from a
   * trusted proxy (a header from anywhere else is ignored), else by the session cookie. Undefined when not signed
   * in, the session expired, or its user was removed.
   */
  who(snapshot: Snapshot | null, req: { headers: Record<string, string | string[] | undefined>; address?: string; cookie?: string }): Who | undefined {
    const header = this.config.serve?.auth?.header;
    if (header && this.fromTrustedProxy(req.address)) {
      const v = req.headers[header.toLowerCase()];
      const name = typeof v === 'string' ? v.trim() : undefined;
      if (name) {
        const user = headerUser(this.config, name);
        return user ? { user, token: this.token(`header:${name}`), session: null } : undefined;
      }
    }
    const s = req.cookie ? this.sessions.get(req.cookie) : undefined;
    if (!s) return undefined;
    const now = this.now();
    if (now - s.seen > IDLE_MS || now - s.started > MAX_SESSION_MS) {
      this.sessions.delete(s.id);
      return undefined;
    }
    const stored = snapshot?.users.get(s.user);
    if (!stored) return undefined;
    s.seen = now;
    const user: User = { name: stored.name, role: stored.role, municipalities: visibleMunicipalities(this.config, stored.role, stored.municipalities) };
    return { user, token: this.token(`session:${s.id}`), session: s.id };
  }

  /** Starts a session for a user who signed in; returns its id (a new one: never the id the browser had). */
  startSession(user: string): string {
    const id = Auth.newId();
    const now = this.now();
    this.sessions.set(id, { id, user, started: now, seen: now });
    this.sweep(now);
    return id;
  }

  endSession(id: string | null): void {
    if (id) this.sessions.delete(id);
  }

  /** Milliseconds until this user name and address may try again (0: now). */
  blockedFor(name: string, address: string): number {
    const now = this.now();
    return Math.max(0, ...[`u:${name.toLowerCase()}`, `a:${address}`].map((k) => (this.failures.get(k)?.until ?? 0) - now));
  }

  /** Counts a failed sign-in against the user name and the address. */
  failed(name: string, address: string): void {
    const now = this.now();
    for (const k of [`u:${name.toLowerCase()}`, `a:${address}`]) {
      const f = this.failures.get(k);
      // failures an hour old are forgotten
      const n = f && now - f.last < 3600_000 ? f.n + 1 : 1;
      const free = k.startsWith('u:') ? FREE_FAILURES : FREE_FAILURES_ADDRESS;
      const until = n >= free ? now + Math.min(MAX_BLOCK_MS, 1000 * 2 ** (n - free + 1)) : 0;
      this.failures.set(k, { n, until, last: now });
    }
  }

  /** A successful sign-in forgets the user name's failures (the address's stay). */
  succeeded(name: string): void {
    this.failures.delete(`u:${name.toLowerCase()}`);
  }

  /** Forgets sessions and failures that are over, so memory stays bounded. */
  private sweep(now: number): void {
    if (this.sessions.size % 64 !== 0) return;
    for (const [id, s] of this.sessions) if (now - s.seen > IDLE_MS || now - s.started > MAX_SESSION_MS) this.sessions.delete(id);
    for (const [k, f] of this.failures) if (now - f.last > 3600_000) this.failures.delete(k);
  }
}
