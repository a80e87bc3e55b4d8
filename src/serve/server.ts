// `afstem serve` (FORMATS.md §9): the worklist, the cases and their handling, live in a browser, for the staff of
// each municipality. Fastify serves server-rendered Danish pages that need no script; every answer carries a
// Content-Security-Policy without inline script (nothing but the server's own stylesheets may load), and headers
// that keep the pages out of frames, caches and other origins. Form bodies are bounded (64 KiB), only
// application/x-www-form-urlencoded is read, and no stack trace or SQL text reaches a browser: an error is logged
// (CPR-masked) and answered with a Danish page. The database side: ./shared.ts.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { createLogger, newRunId, type Logger } from '../log.ts';
import { maskText } from '../mask.ts';
import { Auth } from './auth.ts';
import { NOT_FOUND, problem, type Served } from './context.ts';
import { authRoutes } from './routes-auth.ts';
import { caseRoutes } from './routes-cases.ts';
import { statusRoutes } from './routes-status.ts';
import { SharedDatabase } from './shared.ts';

export const BODY_LIMIT = 64 * 1024;

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export interface ServeOptions {
  host?: string;
  /** 0 takes any free port (the tests). */
  port?: number;
  /** How often the database file and its lock are looked at (ms). */
  pollMs?: number;
  /** The sessions' clock (the tests move it). */
  now?: () => number;
  log?: Logger;
}

export interface RunningServer extends Served {
  app: FastifyInstance;
  /** http://host:port */
  url: string;
  close(): Promise<void>;
}

/** Builds the Fastify app on a shared database (not listening yet). */
export async function buildApp(served: Served, log: Logger): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, routerOptions: { maxParamLength: 64 }, return503OnClosing: true });
  app.removeAllContentTypeParsers();
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setNotFoundHandler((_req, reply) => problem(reply, 404, null, ...NOT_FOUND));
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log.error(`afstem serve: ${req.method} ${req.url.split('?')[0]} failed: ${maskText(err.message)}`, { stack: err.stack });
    const [heading, text] = status === 413 ? ['For stor', 'Det sendte er for stort.']
      : status === 415 ? ['Ukendt format', 'Formularen kan ikke læses.']
      : status < 500 ? ['Forkert forespørgsel', 'Forespørgslen kan ikke læses.']
      : ['Der gik noget galt', 'Serveren kunne ikke svare på forespørgslen. Prøv igen; sker det igen, så sig det til driften.'];
    return problem(reply, status, null, heading, text);
  });
  authRoutes(app, served);
  caseRoutes(app, served);
  statusRoutes(app, served);
  return app;
}

/** Starts the server: the first snapshot of the database, then listening. */
export async function startServer(config: Config, opts: ServeOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger({ runId: `serve-${newRunId()}` });
  const shared = new SharedDatabase(config, log, { pollMs: opts.pollMs });
  const auth = new Auth(config, { now: opts.now });
  const served: Served = { config, shared, auth };
  await shared.start();
  const app = await buildApp(served, log);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port ?? 8080 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    ...served,
    app,
    url,
    async close() {
      await app.close();
      await shared.close();
    },
  };
}
