// The worklist (FORMATS.md §8) in real Chromium: its groups and order on a hand-made handful, and at 40,000 open
// discrepancies the first screen (1280×800) shows its heading and first groups while the detail filters, sorts and
// pages in the page. Screenshots in test-artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openReport } from './helpers/report-page.ts';
import { writeReport } from '../src/report/build.ts';
import { plant, plantMany, worklistDb } from './helpers/worklist-books.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const AS_OF = new Date('2026-06-10T10:00:00Z');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const open = (file: string) => openReport(browser, file);

/** The groups' table: under its heading, after the search and the detail (issue 23: the search comes first). */
const groupTable = (page: Page) => page.locator('#arbejdsliste-grupper + .table-wrap table');
const groupRows = (page: Page) =>
  groupTable(page).locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => (td.textContent ?? '').trim()).join(' | ')),
  );
const info = (page: Page) => page.locator('#arbejdsliste-detalje .pager-info').innerText();

describe('the worklist on a hand-made handful', () => {
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    const db = await worklistDb();
    await plant(db, [
      { rule: 'R01', severity: 'critical', municipality: '101', key: 'F1', amount: '100.00', age: 3 },
      { rule: 'R01', severity: 'critical', municipality: '101', key: 'F2', amount: '50.50', age: 7, state: 'new' },
      { rule: 'R04', severity: 'critical', municipality: '561', key: 'F3', amount: '1675.00', age: 7, detail: 'Gebyr F3: fordringen er 1675,00 kr., gebyret 0,50 kr.; forskel 1674,50 kr.' },
      { rule: 'R02', severity: 'warning', municipality: '621', key: 'C4', amount: '20000.00', age: 30 },
      { rule: 'R14', severity: 'info', municipality: '101', key: 'P5', amount: '10.00', age: 50 },
      { rule: 'R01', severity: 'critical', municipality: '621', key: 'F6', amount: '10.00', age: 1, state: 'resolved' },
      { rule: 'R03', severity: 'critical', municipality: '561', key: 'F7', amount: null, age: 7 },
    ]);
    // a go-live view with the longest reasons: every condition named
    const reason = 'en kritisk afvigelse er 7 bankdage gammel (over 2 bankdage); 61,5 % af gebyrerne er nået til debitorsystemet (under 95 %); intet gebyr set siden skæringsdatoen; 1. Gebyr → fordring overskrider fristen for 42,0 % af posterne; 3 åbne advarsler';
    await db.exec(`CREATE TABLE waves AS SELECT * FROM (VALUES
      (1, '101', 'kmd_opus', DATE '2026-04-14', 'red', '${reason}', 61.5, 12345, 2, 1, 1.25, 25.50, 48.00, 102.33, 3, 7),
      (2, '561', 'prisme_2009', DATE '2026-06-01', 'amber', '${reason}', 99.0, 5, 0, 3, 0.5, 20.00, NULL, 1.00, 7, 7),
      (2, '621', 'eg_os_indsigt', DATE '2026-06-01', 'green', 'ingen', 100.0, 0, 0, 0, NULL, NULL, NULL, NULL, 0, 7))
      t(wave, municipality, debtor_system, go_live, status, reason, reached_pct, fees_last_7_days, open_critical,
        open_warning, fee_to_claim_p90_hours, claim_to_payable_p90_hours, psp_to_debitor_p90_hours, debitor_to_fbs_p90_hours,
        klik_done, klik_total)`);
    // rejected rows whose reasons differ only in their line number
    await db.exec(`
      CREATE TABLE deliveries (delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE,
        status VARCHAR, rows_read INTEGER, rows_loaded INTEGER, rows_rejected INTEGER, extra_columns VARCHAR, message VARCHAR, active BOOLEAN);
      INSERT INTO deliveries VALUES (1, '101/fbs_fees_2026-06-10.csv', '101', 'fbs_fees', DATE '2026-06-10', 'loaded', 5, 2, 3, '[]', NULL, true);
      CREATE TABLE rejects (delivery_id INTEGER, path VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR);
      INSERT INTO rejects VALUES (1, '101/fbs_fees_2026-06-10.csv', 7, 'linje 7: ugyldigt beløb ''12,3'' i kolonnen beloeb', 'x'),
        (1, '101/fbs_fees_2026-06-10.csv', 9, 'linje 9: ugyldigt beløb ''12,3'' i kolonnen beloeb', 'y'),
        (1, '101/fbs_fees_2026-06-10.csv', 12, 'linje 12: mangler værdi i kolonnen oprettet', 'z');`);
    const file = await writeReport(db, { outDir: path.join(ARTIFACTS, 'worklist-small'), asOf: AS_OF, summary: null });
    db.close();
    ({ page, errors } = await open(file));
  });
  afterAll(async () => page?.close());

  it('groups every open critical and warning discrepancy, new or old, by municipality and rule, critical and oldest first, then the most money', async () => {
    expect(errors).toEqual([]);
    // the info R14 and the resolved F6 are not on it; the warning (30 days, 20.000 kr.) comes after every critical
    expect(await groupRows(page)).toEqual([
      '561 Esbjerg | R04 Beløb afviger mellem gebyr og fordring | kritisk | 1 | 1.675,00 kr. | 7',
      '101 København | R01 Gebyr ikke overført til debitorsystemet | kritisk | 2 | 150,50 kr. | 7',
      '561 Esbjerg | R03 Dobbelt overførsel | kritisk | 1 | – | 7', // a group with no amount shows none, not 0,00 kr.
      '621 Kolding | R02 Fordring uden gebyr i FBS | advarsel | 1 | 20.000,00 kr. | 30',
    ]);
    expect(await info(page)).toBe('Række 1–5 af 5 · side 1 af 1');
    const detailIds = await page.locator('#arbejdsliste-detalje tbody tr td:nth-child(5)').allTextContents();
    expect(detailIds).toEqual(['F3', 'F2', 'F7', 'F1', 'C4']);
    // arose 1 June 08:00 UTC is 10:00 in Copenhagen (summer time)
    expect(await page.locator('#arbejdsliste-detalje tbody tr').first().locator('td').nth(7).innerText()).toBe('01.06.2026 10:00');
    // one number format: the rule's '1675,00 kr.' reads '1.675,00 kr.'
    expect(await page.locator('#arbejdsliste-detalje tbody tr').first().locator('td.detail').innerText()).toBe(
      'Gebyr F3: fordringen er 1.675,00 kr., gebyret 0,50 kr.; forskel 1.674,50 kr.',
    );
    expect(await page.locator('#regel-R04').innerText()).toContain('fordringen er 1.675,00 kr.');
  });

  it('groups the rejected rows by their reason without the line number, and names export kinds in Danish', async () => {
    const rows = await page.locator('#input table').nth(2).locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
      "ugyldigt beløb '12,3' i kolonnen beloeb 2",
      'mangler værdi i kolonnen oprettet 1',
    ]);
    expect(await page.locator('#input table').first().innerText()).toContain('gebyrer');
  });

  it('shows the go-live table within its box, in Danish system names and dates', async () => {
    const wrap = page.locator('#boelger .table-wrap');
    const { scroll, client } = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
    const text = await page.locator('#boelger table').innerText();
    expect(text).toContain('KMD Opus Debitor');
    expect(text).toContain('Fujitsu Prisme 2009');
    expect(text).toContain('EG ØS Indsigt');
    expect(text).toContain('14.04.2026');
    expect(text).not.toMatch(/kmd_opus|prisme_2009|eg_os_indsigt/);
  });

  it('prints on A4 with the worklist on page 1 and no near-empty page', async () => {
    await page.emulateMedia({ media: 'print' });
    // the printable width of A4 landscape with 12 mm margins: 273 mm ≈ 1032 px
    await page.setViewportSize({ width: 1032, height: 700 });
    const firstGroup = await page.locator('#arbejdsliste table').first().locator('tbody tr').first().boundingBox();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    // no section is forced onto a new page (a short section would leave the rest of its page empty)
    const breaks = await page.locator('main > section.card').evaluateAll((els) => els.map((e) => getComputedStyle(e).breakBefore));
    expect(breaks.length).toBeGreaterThan(3);
    expect(breaks.filter((b) => b === 'page')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ media: 'screen' });
    // one page holds 186 mm ≈ 703 px: page 1 ends there
    expect(firstGroup!.y + firstGroup!.height).toBeLessThan(703);
    const pdf = await page.pdf({ path: path.join(ARTIFACTS, 'worklist-small.pdf'), format: 'A4', landscape: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(0);
    // (rows and charts are not split across pages, which may push one page's worth along)
    expect(pages).toBeLessThanOrEqual(Math.ceil(height / 703) + 1);
  });
});

describe('the worklist at 40,000 open discrepancies', () => {
  let page: Page;
  let errors: string[];
  let file: string;
  beforeAll(async () => {
    const db = await worklistDb();
    await plantMany(db, 40_000);
    const started = process.hrtime.bigint();
    file = await writeReport(db, { outDir: path.join(ARTIFACTS, 'worklist-large'), asOf: AS_OF, summary: null });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    db.close();
    console.log(`report.html at 40,000 open discrepancies: ${fs.statSync(file).size} bytes, written in ${Math.round(ms)} ms`);
    ({ page, errors } = await open(file));
  });
  afterAll(async () => page?.close());

  it('opens and its first screen (1280×800) shows the worklist heading, the search and the first rows', async () => {
    expect(errors).toEqual([]);
    const h2 = await page.locator('#arbejdsliste h2').boundingBox();
    expect(h2!.y + h2!.height).toBeLessThan(800);
    const search = await page.locator('#arbejdsliste-detalje [name=tekst]').boundingBox();
    expect(search!.y + search!.height).toBeLessThan(800);
    const third = await page.locator('#arbejdsliste-detalje tbody tr').nth(2).boundingBox();
    expect(third!.y + third!.height).toBeLessThan(800);
    expect(await groupTable(page).locator('tbody tr').count()).toBe(9);
    await page.screenshot({ path: path.join(ARTIFACTS, 'worklist-40000-first-screen.png') });
    // 9 groups (i mod 9), 4.445 rows where i mod 9 < 4 else 4.444, every group holding age 39; the six critical first
    const groups = await groupRows(page);
    expect(groups.slice(0, 6).every((g) => g.includes('| kritisk |'))).toBe(true);
    expect(groups.slice(6).every((g) => g.includes('| advarsel |'))).toBe(true);
    expect(groups.every((g) => g.endsWith('| 39'))).toBe(true);
    const counts = groups.map((g) => Number(g.split(' | ')[3].replace(/\./g, '')));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40_000);
    expect(new Set(counts)).toEqual(new Set([4444, 4445]));
    // the detail draws one page of 50 rows, not 40,000
    expect(await page.locator('#arbejdsliste-detalje tbody tr').count()).toBe(50);
    expect(await page.locator('main tr').count()).toBeLessThan(400);
    expect(await info(page)).toBe('Række 1–50 af 40.000 · side 1 af 800');
  });

  it('filters by municipality, rule, severity, age and text, sorts and pages', async () => {
    const d = page.locator('#arbejdsliste-detalje');
    await d.locator('[data-page=next]').click();
    expect(await info(page)).toBe('Række 51–100 af 40.000 · side 2 af 800');
    // municipality 561 is (i div 3) mod 3 = 1: i mod 9 in 3, 4, 5 → 4.445 + 4.444 + 4.444
    await d.locator('[name=kommune]').selectOption('561');
    expect(await info(page)).toBe('Række 1–50 af 13.333 · side 1 af 267');
    // and rule R02 (i mod 3 = 2): i mod 9 = 5 → 4.444
    await d.locator('[name=regel]').selectOption('R02');
    expect(await info(page)).toBe('Række 1–50 af 4.444 · side 1 af 89');
    expect(new Set(await d.locator('tbody td:nth-child(4)').allTextContents())).toEqual(new Set(['561 Esbjerg']));
    await d.locator('[name=regel]').selectOption('');
    await d.locator('[name=kommune]').selectOption('');
    // severity warning: i mod 3 = 2 → 13.333
    await d.locator('[name=alvor]').selectOption('1');
    expect(await info(page)).toBe('Række 1–50 af 13.333 · side 1 af 267');
    await d.locator('[name=alvor]').selectOption('');
    // at least 39 banking days old: i mod 40 = 39 → 1.000
    await d.locator('[name=alder]').fill('39');
    expect(await info(page)).toBe('Række 1–50 af 1.000 · side 1 af 20');
    await d.locator('[name=alder]').fill('');
    // text: F12345 alone (ids run to F39999), in its id and its description
    await d.locator('[name=tekst]').fill('f12345');
    expect(await info(page)).toBe('Række 1–1 af 1 · side 1 af 1');
    expect(await d.locator('tbody tr').innerText()).toContain('S-12346');
    await d.locator('[name=tekst]').fill('');
    // sorted by amount, largest first: 106,00 kr. (i mod 7 = 6)
    await d.locator('th[data-sort="amount"]').click();
    expect(await d.locator('tbody tr').first().locator('td').nth(5).innerText()).toBe('106,00 kr.');
    await d.locator('th[data-sort="amount"]').click();
    expect(await d.locator('tbody tr').first().locator('td').nth(5).innerText()).toBe('100,00 kr.');
    expect(await info(page)).toBe('Række 1–50 af 40.000 · side 1 af 800');
    await page.screenshot({ path: path.join(ARTIFACTS, 'worklist-40000-detail.png'), fullPage: false });
    expect(errors).toEqual([]);
  });

  it('shows each description whole as written (sent as phrases), and finds a row by a word of its description', async () => {
    const d = page.locator('#arbejdsliste-detalje');
    await d.locator('[name=tekst]').fill('f12345 ');
    expect(await d.locator('tbody td.detail').allTextContents()).toEqual(['Gebyr F12345 på 104,00 kr. er ikke overført til debitorsystemet inden for fristen']);
    await d.locator('[name=tekst]').fill('inden for fristen');
    expect(await info(page)).toBe('Række 1–50 af 40.000 · side 1 af 800');
    await d.locator('[name=tekst]').fill('');
  });

  it('prints the rules\' section as counts alone (the rows are in the worklist and discrepancies.xlsx), and says so', async () => {
    await page.emulateMedia({ media: 'print' });
    const section = page.locator('#afvigelser');
    expect(await section.locator('table').first().isVisible()).toBe(true); // the overview of the catalog's rules
    expect(await section.locator('.rule-block table').first().isVisible()).toBe(false);
    expect(await section.locator('.print-only').innerText()).toContain('Udskriften viser kun antal og beløb pr. regel (40.000 åbne afvigelser)');
    await page.emulateMedia({ media: 'screen' });
    expect(await section.locator('.rule-block table').first().isVisible()).toBe(true);
    expect(await section.locator('.print-only').isVisible()).toBe(false);
  });
});
