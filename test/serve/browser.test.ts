// afstem serve in real Chromium (FORMATS.md §9) against a real server on 127.0.0.1, on a database made by a real run
// of two municipalities that share ids and amounts: a clerk of 101 signs in, finds a case by its number, records
// `explained` with a note, and sees it at once in the case's trail, off the worklist and among the handled ones, in
// `afstem audit` and in the next run's discrepancies.csv; another municipality's case, search and download read as
// not existing; a note holding markup shows as text and runs nothing; the page makes no request anywhere else. Checked
// against the code before it: without src/serve/ there is no server to answer (every test fails at sign-in).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { auditCommand } from '../../src/commands/audit.ts';
import { capture } from '../helpers/command-fixture.ts';
import { csvRows } from '../helpers/csv.ts';
import { PASSWORD, makeWorld, serve, type World } from './fixture.ts';
import type { RunningServer } from '../../src/serve/server.ts';

let world: World;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  world = await makeWorld();
  server = await serve(world);
  // playwright gives the browser a new empty profile of its own (it refuses a --user-data-dir argument)
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  world?.cleanup();
});

interface Tab {
  page: Page;
  context: BrowserContext;
  /** Requests to anywhere but the server, and console errors (a CSP violation is one). */
  elsewhere: string[];
  errors: string[];
}

async function signedIn(user: string): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const elsewhere: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url)) elsewhere.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${server.url}/`);
  return { page, context, elsewhere, errors };
}

describe('a clerk of 101 in the browser', () => {
  let tab: Tab;
  beforeAll(async () => {
    tab = await signedIn('anna');
  });
  afterAll(async () => tab?.context.close());

  it('finds a case by its number, records explained with a note, and sees it everywhere at once', async () => {
    const { page } = tab;
    const ref = world.ref('101', 'R01', 'F4');
    expect(await page.locator('#arbejdsliste').innerText()).toContain(ref);
    await page.fill('input[name=q]', ref);
    await page.click('form[role=search] button[type=submit] >> nth=0');
    await page.waitForURL(/\?q=/);
    expect(await page.locator('main a[href^="/sager/"]').allInnerTexts()).toEqual([ref]);
    await page.click(`a[href="/sager/${ref}"]`);
    await page.waitForURL(`${server.url}/sager/${ref}`);
    expect(await page.locator('h2').first().innerText()).toContain(`${ref} · R01`);
    const facts = await page.locator('#sag').innerText();
    expect(facts).toContain('gebyrer (fbs_fees), leveret 20.11.2026: 101/fbs_fees_2026-11-20.csv, linje 5');
    expect(facts).toMatch(/Alder|bankdage gammel/);
    // the best suggested match, with the other side's case one click away
    const other = world.ref('101', 'R02', 'C9');
    expect(facts).toContain('Gebyret F4 på 40,00 kr. er sandsynligvis fordringen C9');
    await page.click(`#sag a[href="/sager/${other}"]`);
    await page.waitForURL(`${server.url}/sager/${other}`);
    expect(await page.locator('#sag').innerText()).toContain('Fordringen C9');
    await page.goBack();
    await page.waitForURL(`${server.url}/sager/${ref}`);
    await page.selectOption('select[name=status]', 'explained');
    await page.fill('textarea[name=note]', 'betalt kontant på biblioteket');
    await page.click('form.handling button[type=submit]');
    await page.waitForURL(`${server.url}/sager/${ref}?gemt=ja`);
    expect(await page.locator('.banner.ok').innerText()).toContain('Ændringen er gemt.');
    const trail = page.locator('#behandling table tbody tr');
    expect(await trail.count()).toBe(1);
    expect(await trail.first().innerText()).toContain('status Åben → Forklaret');
    expect(await trail.first().innerText()).toContain('«betalt kontant på biblioteket»');
    expect(await trail.first().innerText()).toContain('anna');
    expect(await trail.first().innerText()).toContain('web');
    // off the worklist, among the handled ones with its note
    await page.click('nav a[href="/"]');
    expect(await page.locator('#arbejdsliste a[href^="/sager/"]').allInnerTexts()).not.toContain(ref);
    await page.click('nav a[href="/behandlede"]');
    expect(await page.locator('#behandlede').innerText()).toContain(ref);
    expect(await page.locator('#behandlede').innerText()).toContain('betalt kontant på biblioteket');
    // afstem audit and the next run
    const audit = await capture(() => auditCommand(['--config', world.configPath]));
    expect(audit.result, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(new RegExp(`${ref}\\s+R01\\s+101\\s+F4\\s+anna\\s+status Åben → Forklaret`));
    expect(audit.stdout).toMatch(/\bweb\s*$/m);
    const next = await world.night();
    expect(next.error).toBeUndefined();
    const row = csvRows(fs.readFileSync(path.join(next.outDir!, 'discrepancies.csv'), 'utf8')).find((r) => r.case_ref === ref)!;
    expect(row.handling_status).toBe('explained');
    expect(tab.elsewhere).toEqual([]);
    expect(tab.errors).toEqual([]);
  });

  it('shows a note with markup as text and runs nothing of it', async () => {
    const { page } = tab;
    const ref = world.ref('101', 'R04', 'C3');
    await page.goto(`${server.url}/sager/${ref}`);
    const note = '<script>window.__ran = 1</script><img src=x onerror="window.__ran = 2">';
    await page.selectOption('select[name=status]', 'in_progress');
    await page.fill('textarea[name=note]', note);
    await page.click('form.handling button[type=submit]');
    await page.waitForURL(/gemt=ja/);
    expect(await page.locator('#behandling dd.note-text').innerText()).toBe(note);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran)).toBeUndefined();
    await page.goto(`${server.url}/?q=${encodeURIComponent('window.__ran')}`);
    expect(await page.locator('#soegning').innerText()).toContain(ref);
    expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran)).toBeUndefined();
    expect(tab.errors).toEqual([]);
    expect(tab.elsewhere).toEqual([]);
  });

  it('finds nothing of 147: its case by link, by search and its download read as not existing', async () => {
    const { page } = tab;
    const theirs = world.ref('147', 'R01', 'F1');
    const r = await page.goto(`${server.url}/sager/${theirs}`);
    expect(r!.status()).toBe(404);
    expect(await page.locator('main').innerText()).toContain('Siden findes ikke');
    await page.goto(`${server.url}/`);
    await page.fill('input[name=q]', theirs);
    await page.click('form[role=search] button[type=submit] >> nth=0');
    await page.waitForURL(/\?q=/);
    expect(await page.locator('main a[href^="/sager/"]').count()).toBe(0);
    const dl = await page.goto(`${server.url}/kommuner/147/discrepancies.xlsx`);
    expect(dl!.status()).toBe(404);
    expect(await page.content()).not.toContain('Frederiksberg');
  });
});
