// afstem serve over HTTP (FORMATS.md §9), on a database made by a real run: two municipalities that share ids and
// amounts, so that anything of 147 a clerk of 101 could reach would show. Sign-in (wrong password and unknown user
// alike, repeated failures refused, an expired session), the 404 of another municipality on every route, the forms'
// token and Origin, the headers, the trusted header from a trusted and an untrusted address, bounded bodies, and no
// stack trace or SQL in an error page. Checked against the code before it: each test here fails without the server
// (the routes do not exist); the abs-order test fails with rows.sql's former `d.amount DESC` (C3 +50 came first)
// and groups.sql's former `sum(amount)` (−10,00 kr.).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type RunningServer } from '../../src/serve/server.ts';
import { createLogger } from '../../src/log.ts';
import { Client, makeWorld, query, refsIn, seen, serve, token, type World } from './fixture.ts';

let world: World;
let server: RunningServer;
let clock = Date.now();

beforeAll(async () => {
  world = await makeWorld();
  server = await serve(world, { now: () => clock });
});
afterAll(async () => {
  await server?.close();
  world?.cleanup();
});

const client = async (user: string) => {
  const c = new Client(server.url);
  const r = await c.signIn(user);
  expect(r.status, r.text).toBe(303);
  return c;
};

describe('signing in', () => {
  it('shows the form with user, password and its token; a wrong password and an unknown user get the same answer', async () => {
    const c = new Client(server.url);
    const form = await c.get('/login');
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<input name="user"/);
    expect(form.text).toMatch(/<input name="password" type="password"/);
    expect(token(form.text)).toMatch(/^[\w-]{20,}$/);
    const wrong = await c.post('/login', { user: 'anna', password: 'forkert-men-lang', _csrf: token(form.text) });
    const unknown = await c.post('/login', { user: 'ukendt', password: 'forkert-men-lang', _csrf: token(form.text) });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const said = (t: string) => /<p class="banner bad" role="alert">([^<]*)<\/p>/.exec(t)?.[1];
    expect(said(wrong.text)).toBe('Forkert brugernavn eller adgangskode.');
    expect(said(unknown.text)).toBe(said(wrong.text));
    expect((await c.get('/')).headers.get('location')).toBe('/login');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, and a new id at each sign-in', async () => {
    const c = new Client(server.url);
    const form = await c.get('/login');
    const r = await c.post('/login', { user: 'anna', password: 'en-lang-adgangskode-1', _csrf: token(form.text) });
    expect(r.status).toBe(303);
    const set = r.headers.getSetCookie().find((s) => s.startsWith('afstem_session='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/en-lang-adgangskode/);
    const again = await new Client(server.url).signIn('anna');
    expect(again.headers.getSetCookie().find((s) => s.startsWith('afstem_session='))).not.toBe(set);
  });

  it('refuses a user name for a while after five failures, even with the right password, and lets it in later', async () => {
    const c = new Client(server.url);
    for (let i = 0; i < 5; i++) expect((await c.signIn('revi', 'forkert-forkert-1')).status).toBe(401);
    const blocked = await c.signIn('revi');
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('For mange mislykkede forsøg');
    clock += 5_000; // the clock of the sessions and the sign-in limits: past the 2 s of the sixth failure
    expect((await c.signIn('revi')).status).toBe(303);
  });

  it('ends a session after 8 hours without a request', async () => {
    const c = await client('anna');
    expect((await c.get('/')).status).toBe(200);
    clock += 8 * 3600_000 + 1000;
    const r = await c.get('/');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/login');
  });

  it('signs out with the form and its token; the old cookie no longer works', async () => {
    const c = await client('anna');
    const home = await c.get('/');
    expect((await c.post('/logout', { _csrf: token(home.text) })).status).toBe(303);
    expect((await c.get('/')).headers.get('location')).toBe('/login');
  });
});

describe('one municipality cannot see another', () => {
  it('a clerk of 101 gets 404 for a case, trail, download, filter and form post of 147, and finds none of it by search', async () => {
    const c = await client('anna');
    const theirs = world.ref('147', 'R01', 'F1');
    const mine = world.ref('101', 'R01', 'F1');
    expect((await c.get(`/sager/${mine}`)).status).toBe(200);
    const page = await c.get(`/sager/${theirs}`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Siden findes ikke');
    expect(page.text).not.toContain('Frederiksberg');
    expect((await c.get('/kommuner/147/discrepancies.xlsx')).status).toBe(404);
    expect((await c.get('/?kommune=147')).status).toBe(404);
    const home = await c.get('/');
    const post = await c.post(`/sager/${theirs}`, { _csrf: token(home.text), status: 'explained', note: 'x', assignee: '', follow_up: '' });
    expect(post.status).toBe(404);
    // by search: the case number of 147 finds nothing; a shared id finds 101's cases alone
    const byRef = await c.get(`/?q=${theirs}`);
    expect(refsIn(byRef.text)).toEqual([]);
    const byId = await c.get('/?q=C2');
    expect(refsIn(byId.text).sort()).toEqual(world.refsOfKey('101', 'C2'));
    expect(world.refsOfKey('147', 'C2').length).toBeGreaterThan(0);
    const byText = await c.get('/?q=Gebyret F4');
    expect(refsIn(byText.text)).toEqual([world.ref('101', 'R01', 'F4')]);
    for (const p of ['/', '/behandlede', '/status', `/?q=${theirs}`, '/?q=F1']) {
      const r = await c.get(p);
      expect(r.text, p).not.toMatch(/Frederiksberg|\b147\b/);
    }
    expect(await query(world.database, `SELECT count(*)::INTEGER AS n FROM handling_trail WHERE municipality = '147'`)).toEqual([{ n: 0 }]);
  });

  it('an exact case number finds that case alone (S-1 is not S-10 or S-11)', async () => {
    const c = await client('ole');
    const r = await c.get('/?q=S-1');
    expect(refsIn(r.text)).toEqual(['S-1']);
    expect(refsIn((await c.get('/?q=s-10')).text)).toEqual(['S-10']);
  });

  it('an operator sees both municipalities and the runs; a lead only the go-live status; an auditor reads and downloads but cannot record', async () => {
    const op = await client('ole');
    expect((await op.get(`/sager/${world.ref('147', 'R01', 'F1')}`)).status).toBe(200);
    const drift = await op.get('/drift');
    expect(drift.status).toBe(200);
    expect(drift.text).toContain('147 Frederiksberg');
    expect(drift.text).toContain('Seneste kørsler');
    const lead = await client('lise');
    expect((await lead.get('/')).status).toBe(403);
    expect((await lead.get('/status')).status).toBe(200);
    const auditor = await client('revi');
    const xlsx = await auditor.get('/kommuner/101/discrepancies.xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const ref = world.ref('101', 'R01', 'F4');
    const page = await auditor.get(`/sager/${ref}`);
    expect(page.text).not.toContain('<form class="handling"');
    const post = await auditor.post(`/sager/${ref}`, { _csrf: token(page.text), status: 'in_progress', assignee: '', note: '', follow_up: '' });
    expect(post.status).toBe(403);
    expect((await op.get('/drift')).status).toBe(200);
    expect((await auditor.get('/drift')).status).toBe(403);
  });
});

describe('forms and pages are safe', () => {
  it('refuses a change posted without the token, with another session\'s token, from another origin or with none, and a sign-in from another origin', async () => {
    const c = await client('anna');
    const other = await client('anna');
    const ref = world.ref('101', 'R01', 'F4');
    const page = await c.get(`/sager/${ref}`);
    const fields = { status: 'in_progress', assignee: 'Mallory', note: '', follow_up: '', seen: seen(page.text) };
    expect((await c.post(`/sager/${ref}`, fields)).status).toBe(403);
    expect((await c.post(`/sager/${ref}`, { ...fields, _csrf: token((await other.get('/')).text) })).status).toBe(403);
    expect((await c.post(`/sager/${ref}`, { ...fields, _csrf: token(page.text) }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await c.post(`/sager/${ref}`, { ...fields, _csrf: token(page.text) }, { origin: '' })).status).toBe(403);
    const viaLogin = new Client(server.url);
    const form = await viaLogin.get('/login');
    expect((await viaLogin.post('/login', { user: 'anna', password: 'en-lang-adgangskode-1', _csrf: token(form.text) }, { origin: 'http://evil.example' })).status).toBe(403);
    const trail = await query<{ n: number }>(world.database, `SELECT count(*)::INTEGER AS n FROM handling_trail WHERE new_assignee = 'Mallory'`);
    expect(trail).toEqual([{ n: 0 }]);
  });

  it('sends a Content-Security-Policy without inline script and the headers that keep pages out of frames and caches', async () => {
    const c = await client('anna');
    const r = await c.get('/');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.text.match(/.{30}(<script|style="|\son\w+=").{30}/gi)).toBeNull();
  });

  it('orders the worklist as the report, then by the absolute amount: R04 C2 (−60,00) before C3 (+50,00)', async () => {
    const c = await client('anna');
    const r = await c.get('/?regel=R04');
    expect(refsIn(r.text).slice(-2)).toEqual([world.ref('101', 'R04', 'C2'), world.ref('101', 'R04', 'C3')]);
    expect(r.text).toContain('−60,00 kr.');
    // the group's money adds absolute amounts: 60,00 + 50,00, not −10,00
    expect(r.text).toMatch(/<b>R04<\/b>[^<]*<\/a><\/td><td><span class="badge critical">kritisk<\/span><\/td><td class="num">2<\/td><td class="num">110,00 kr\.<\/td>/);
  });

  it('masks CPR numbers: a key and a note that hold one', async () => {
    const c = await client('anna');
    const ref = world.ref('101', 'R01', '0101801234');
    const page = await c.get(`/sager/${ref}`);
    expect(page.text).toContain('010180-XXXX');
    const r = await c.post(`/sager/${ref}`, { _csrf: token(page.text), seen: seen(page.text), status: 'in_progress', assignee: '', note: 'ringede til 010180-1234', follow_up: '' });
    expect(r.status).toBe(303);
    const after = await c.get(`/sager/${ref}`);
    expect(after.text).toContain('ringede til 010180-XXXX');
    for (const p of [`/sager/${ref}`, '/', '/?q=0101801234']) expect((await c.get(p)).text, p).not.toContain('0101801234');
  });

  it('bounds a request body, and answers an error with a Danish page without stack trace or SQL', async () => {
    const c = await client('anna');
    const ref = world.ref('101', 'R01', 'F4');
    const page = await c.get(`/sager/${ref}`);
    const big = await c.post(`/sager/${ref}`, { _csrf: token(page.text), status: 'explained', note: 'x'.repeat(100_000), assignee: '', follow_up: '' });
    expect(big.status).toBe(413);
    expect(big.text).toContain('For stor');
    // an unexpected error inside a page: logged, never shown
    const lines: string[] = [];
    const app = await buildApp(server, createLogger({ runId: 't', stream: { write: (l: string) => lines.push(l) } }));
    app.get('/boom', async () => {
      throw new Error('Binder Error: SELECT secret FROM handling WHERE key_id = 0101801234');
    });
    const r = await app.inject({ method: 'GET', url: '/boom' });
    expect(r.statusCode).toBe(500);
    expect(r.body).toContain('Der gik noget galt');
    expect(r.body).not.toMatch(/SELECT|Binder|at .*\.ts|0101801234/);
    expect(lines.join('')).toContain('010180-XXXX');
    expect(lines.join('')).not.toContain('0101801234');
    await app.close();
  });
});

describe('conflicts (FORMATS.md §8: a change made since the page was opened is not overwritten)', () => {
  it('refuses a change when another clerk saved the case after the page was opened, and shows the case as it is', async () => {
    const a = await client('anna');
    const b = await client('anna');
    const ref = world.ref('101', 'R04', 'C2');
    const pageA = await a.get(`/sager/${ref}`);
    const pageB = await b.get(`/sager/${ref}`);
    expect((await a.post(`/sager/${ref}`, { _csrf: token(pageA.text), seen: seen(pageA.text), status: 'in_progress', assignee: 'Anna', note: '', follow_up: '' })).status).toBe(303);
    const late = await b.post(`/sager/${ref}`, { _csrf: token(pageB.text), seen: seen(pageB.text), status: 'explained', assignee: '', note: 'dobbelt', follow_up: '' });
    expect(late.status).toBe(409);
    expect(late.text).toContain('Ikke gemt: sagen er ændret, efter du åbnede den');
    expect(late.text).toContain('dobbelt'); // the form keeps what was typed
    expect(await query(world.database, `SELECT new_status FROM handling_trail WHERE case_ref = '${ref}' ORDER BY seq`)).toEqual([{ new_status: 'in_progress' }]);
  });

  it('refuses a change when afstem note changed the case in the database after the snapshot, and shows the new state', async () => {
    const c = await client('anna');
    const ref = world.ref('101', 'R01', 'F1');
    const page = await c.get(`/sager/${ref}`);
    const { noteCommand } = await import('../../src/commands/note.ts');
    const { capture } = await import('../helpers/command-fixture.ts');
    const noted = await capture(() => noteCommand(['--config', world.configPath, '--ref', ref, '--status', 'in_progress', '--assignee', 'Kim', '--by', 'kim']));
    expect(noted.result, noted.stderr).toBe(0);
    const r = await c.post(`/sager/${ref}`, { _csrf: token(page.text), seen: seen(page.text), status: 'explained', assignee: '', note: 'min forklaring', follow_up: '' });
    expect(r.status).toBe(409);
    expect(r.text).toContain('af kim');
    expect(r.text).toMatch(/<dt>Ansvarlig<\/dt><dd>Kim<\/dd>/);
    expect(await query(world.database, `SELECT who, new_status FROM handling_trail WHERE case_ref = '${ref}' ORDER BY seq`)).toEqual([{ who: 'kim', new_status: 'in_progress' }]);
    expect(await query(world.database, `SELECT outcome FROM serve_journal_applied WHERE case_ref = '${ref}'`)).toEqual([{ outcome: 'conflict' }]);
  });
});

describe('the single sign-on header', () => {
  it('is ignored from an address not in trustedProxies, and believed from one that is, for configured users alone', async () => {
    const untrusted = await new Client(server.url).get('/', { 'x-remote-user': 'anna@kommune.dk' });
    expect(untrusted.status).toBe(303);
    expect(untrusted.headers.get('location')).toBe('/login');
    const config = { ...server.config, serve: { auth: { ...server.config.serve!.auth!, trustedProxies: ['127.0.0.1'] } } };
    const { startServer } = await import('../../src/serve/server.ts');
    const proxied = await startServer(config, { port: 0, pollMs: 100_000 });
    try {
      const c = new Client(proxied.url);
      const h = { 'x-remote-user': 'anna@kommune.dk' };
      const home = await c.get('/', h);
      expect(home.status).toBe(200);
      expect(home.text).toContain('anna@kommune.dk');
      expect(home.text).not.toMatch(/Frederiksberg/);
      expect((await c.get(`/sager/${world.ref('147', 'R01', 'F1')}`, h)).status).toBe(404);
      expect((await c.get('/', { 'x-remote-user': 'ukendt@kommune.dk' })).status).toBe(303);
      const ref = world.ref('101', 'R04', 'C3');
      const page = await c.get(`/sager/${ref}`, h);
      const r = await c.post(`/sager/${ref}`, { _csrf: token(page.text), seen: seen(page.text), status: 'in_progress', assignee: 'Anna', note: '', follow_up: '' }, h);
      expect(r.status).toBe(303);
      expect(await query(world.database, `SELECT who, source FROM handling_trail WHERE case_ref = '${ref}'`)).toEqual([{ who: 'anna@kommune.dk', source: 'web' }]);
    } finally {
      await proxied.close();
    }
  });
});
