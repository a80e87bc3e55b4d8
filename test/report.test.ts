// report.html in a real headless Chromium: built from a small hand-made database with hostile input (markup and
// CPR numbers in ids, free text, rejected rows), it must open without console errors or network, draw every chart
// with data marks, show no whole CPR number and no live markup from the data. Saves screenshots in test-artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Books } from './helpers/books.ts';
import { CPRS, HOSTILE_FEE_ID, REPORT_SUMMARY, reportBooks } from './helpers/report-books.ts';
import { writeReport, buildReport } from '../src/report/build.ts';
import { Db } from '../src/db.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const CHARTS = ['money-by-rule', 'stage-distribution', 'p90-trend', 'municipality-spread', 'breach-rate'];
const CPR_SHAPED = /(?<![\p{L}\p{N}])\d{6}-?\d{4}(?![\p{L}\p{N}])/u;

let b: Books;
let file: string;
let htmlText: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  b = await reportBooks();
  file = await writeReport(b.db, { outDir: ARTIFACTS, asOf: new Date('2026-06-10T10:00:00Z'), summary: REPORT_SUMMARY });
  htmlText = fs.readFileSync(file, 'utf8');
  if (!fs.existsSync('/usr/bin/chromium')) {
    throw new Error('this test needs Chromium at /usr/bin/chromium: apt-get update && apt-get install -y chromium');
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
  b?.close();
});

describe('report.html in Chromium', () => {
  it('opens without console errors and without any request beyond the file itself', async () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toContain('Afstemning af biblioteksgebyrer');
    // the worklist's data (JSON, never run) and its filter script (allowed by its hash in the CSP) and nothing else
    expect(await page.locator('script').count()).toBe(2);
    expect(await page.locator('script[type="application/json"]').count()).toBe(1);
  });

  it('has every section, in order, with the action section first', async () => {
    const ids = await page.locator('main > section.card').evaluateAll((els) => els.map((e) => e.id));
    expect(ids).toEqual(['advarsler', 'arbejdsliste', 'behandlede', 'overblik', 'afvigelser', 'forsinkelser', 'boelger', 'input']);
    const h2 = await page.locator('main h2').allTextContents();
    expect(h2).toEqual(['Advarsler fra kørslen', 'Arbejdsliste: kræver handling i dag', 'Forklarede og afventende afvigelser', 'Overblik: åbne afvigelser og penge i risiko', 'Afvigelser pr. regel', 'De fire forsinkelser', 'Idriftsættelse: bølger og kommuner', 'Inputkvalitet']);
  });

  it('draws every chart with data marks', async () => {
    for (const name of CHARTS) {
      const fig = page.locator(`figure[data-chart="${name}"]`);
      expect(await fig.count(), name).toBe(1);
      const marks = await fig
        .locator('svg g[class~="role-mark"] > :is(path, line, rect, text)')
        .evaluateAll((els) =>
          els.filter((e) => {
            const r = (e as SVGGraphicsElement).getBBox();
            return r.width > 0 || r.height > 0;
          }).length,
        );
      expect(marks, `${name} data marks`).toBeGreaterThan(0);
      const box = await fig.locator('svg').boundingBox();
      expect(box!.width, name).toBeGreaterThan(300);
    }
  });

  it('shows no whole CPR number, in the page text or in the HTML', async () => {
    const text = await page.locator('body').innerText();
    for (const cpr of CPRS) {
      expect(text).not.toContain(cpr);
      expect(htmlText).not.toContain(cpr);
    }
    expect(text.match(CPR_SHAPED)).toBeNull();
    expect(htmlText.match(CPR_SHAPED)).toBeNull();
    // nor in the charts' coordinates or aria-labels ('21,0666666667' would match): at most 3 decimals there
    const svgs = htmlText.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBe(CHARTS.length);
    for (const svg of svgs) expect(svg.match(/\d[.,]\d{4,}/)).toBeNull();
    // masked forms are shown instead
    expect(text).toContain('120385-XXXX');
    expect(text).toContain('010180-XXXX');
    expect(text).toContain('311299-XXXX');
  });

  it('shows markup from the data as text, never as live markup', async () => {
    const text = await page.locator('body').innerText();
    expect(text).toContain('F<script>alert(1)</script><b>fed</b>');
    expect(text).toContain('<script>alert(2)</script>');
    expect(text).toContain('<img src=x>');
    expect(text).toContain('<i>note</i>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main i').count()).toBe(0);
    const bold = await page.locator('b').allTextContents();
    expect(bold).not.toContain('fed');
    expect(bold).not.toContain('bold');
    expect(htmlText).not.toContain('<script>alert');
    expect(htmlText).not.toContain('<b>fed');
    expect(htmlText).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;fed&lt;/b&gt;');
    // the hostile fee id is one text node of its own, whole: not split or eaten by markup
    expect(await page.getByText(HOSTILE_FEE_ID, { exact: true }).count()).toBeGreaterThan(0);
  });

  it('shows the figures of the hand-made books', async () => {
    const text = await page.locator('body').innerText();
    // the stage overview (all municipalities): the latency books' fee_to_claim (n 15) plus F-OVER (1/3 h), F-LATE
    // (120 h, breached) and two fees without a claim (breached) → n 17 over [1/3, 1/3, 0.5 ×10, 0.75, 1.25, 2.18, 120]:
    // p90 at 13.5 → 1.25 + 0.5·0.93 = 1.715 → 1.72; p99 at 14.85 → 2.18 + 0.85·117.82 = 102.327 → 102.33;
    // within 14, breached 4 + 3 = 7 → 7 / 21 = 33,3 %
    const feeRow = await page.locator('#forsinkelser table tbody tr').first().innerText();
    expect(feeRow).toContain('1. Gebyr → fordring');
    expect(feeRow.replace(/\s+/g, ' ')).toContain('1 time 17 0,50 1,72 102,33 120,00 14 7 33,3 % 1');
    // the reversal proposal of C-OVER: excess 30, reverse VO2 (70), pay 40 in again
    const rev = await page.locator('#arbejdsliste table').nth(2).innerText(); // after the detail and the groups
    expect(rev).toContain('C-OVER');
    expect(rev.replace(/\s+/g, ' ')).toContain('30,00 kr. VO2 PO2 70,00 kr. 40,00 kr.');
    // new / persisting / resolved
    expect(await page.locator('.badge.new').count()).toBeGreaterThan(0);
    expect(await page.locator('.badge.persisting').count()).toBeGreaterThan(0);
    expect(await page.locator('#regel-R01 .badge.resolved, #regel-R01 h4').count()).toBeGreaterThan(0);
    expect(await page.locator('#regel-R01').innerText()).toContain('F-LATE');
    // input quality: rejected rows of active deliveries only
    expect(text).toContain('bad amount');
    expect(text).not.toContain('replaced delivery: not in effect');
  });

  it('shows the worklist heading, its search and its first rows on the first screen (1280×800), after the warnings', async () => {
    const small = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await small.goto(`file://${file}`, { waitUntil: 'load' });
      const warning = await small.locator('#advarsler').boundingBox();
      const h2 = await small.locator('#arbejdsliste h2').boundingBox();
      expect(warning!.y).toBeLessThan(h2!.y);
      const search = await small.locator('#arbejdsliste-detalje [name=tekst]').boundingBox();
      expect(search!.y + search!.height).toBeLessThan(800);
      const rows = small.locator('#arbejdsliste-detalje tbody tr');
      expect(await rows.count()).toBeGreaterThan(2);
      const third = await rows.nth(2).boundingBox();
      expect(third!.y + third!.height).toBeLessThan(800);
      await small.screenshot({ path: path.join(ARTIFACTS, 'report-first-screen.png') });
    } finally {
      await small.close();
    }
  });

  it('saves screenshots (screen and print) in test-artifacts/: the whole page at the viewport width, the heading on the first screen', async () => {
    /** A PNG's pixel size from its IHDR chunk (bytes 16–23, big-endian). */
    const pngSize = (p: string) => {
      const png = fs.readFileSync(p);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
    };
    const shot = path.join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const full = await page.evaluate(() => ({ width: document.documentElement.clientWidth, height: document.documentElement.scrollHeight }));
    expect(pngSize(shot)).toEqual(full);
    expect(full.height).toBeGreaterThan(900); // every section below the first screen is in the picture too
    // the first screen (1366 × 900) opens with the heading and the action section's title
    const h1 = page.locator('h1');
    expect(await h1.innerText()).toBe('Afstemning af biblioteksgebyrer');
    const box = (await h1.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    const firstScreen = path.join(ARTIFACTS, 'report-first-screen.png');
    await page.screenshot({ path: firstScreen });
    expect(pngSize(firstScreen)).toEqual({ width: 1366, height: 900 });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    const pdf = await page.pdf({ path: path.join(ARTIFACTS, 'report.pdf'), format: 'A4', landscape: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 landscape: every page 842 × 595 points (Skia writes 842.88 × 595.92), and the report takes more than one
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.floor(Number(m[1])), Math.floor(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThan(1);
    for (const box of boxes) expect(box).toEqual([842, 595]);
  });
});

describe('report.html without the pipeline tables', () => {
  it('renders every section gracefully on an empty database', async () => {
    const db = await Db.open(':memory:');
    try {
      const text = await buildReport(db, { asOf: new Date('2026-06-10T10:00:00Z'), summary: null });
      expect(text).toContain('Afvigelserne er ikke beregnet i denne kørsel.');
      expect(text).toContain('Forsinkelserne er ikke beregnet i denne kørsel.');
      expect(text).toContain('Ingen filer i denne kørsel.');
      expect(text).not.toContain('{{');
    } finally {
      db.close();
    }
  });
});

describe('report.html and the process time zone', () => {
  it('is the same byte for byte whatever TZ the process runs in (utc scales, explicit Copenhagen formatting)', async () => {
    const before = process.env.TZ;
    try {
      const texts: string[] = [];
      for (const tz of ['Europe/Copenhagen', 'America/Los_Angeles', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        texts.push(await buildReport(b.db, { asOf: new Date('2026-06-10T10:00:00Z'), summary: REPORT_SUMMARY }));
      }
      expect(texts[1]).toBe(texts[0]);
      expect(texts[2]).toBe(texts[0]);
      expect(texts[0]).toContain('onsdag 10. juni 2026 kl. 12:00');
    } finally {
      process.env.TZ = before;
    }
  });
});

describe('report.html action tiles', () => {
  const tiles = (text: string) =>
    Object.fromEntries([...text.matchAll(/<div class="v">([^<]*)<\/div><div class="k">([^<]*)<\/div>/g)].map((m) => [m[2], m[1]]));

  it('count critical discrepancies by the severity in discrepancy_states, as the tables do', async () => {
    const books = await reportBooks();
    try {
      const asOf = new Date('2026-06-10T10:00:00Z');
      const before = tiles(await buildReport(books.db, { asOf, summary: REPORT_SUMMARY }));
      // one open warning, marked critical in the table: both critical tiles count it, the total does not change
      await books.db.exec(`UPDATE discrepancy_states SET severity = 'critical'
        WHERE rowid = (SELECT min(rowid) FROM discrepancy_states WHERE state = 'new' AND severity = 'warning')`);
      const after = tiles(await buildReport(books.db, { asOf, summary: REPORT_SUMMARY }));
      expect(Number(after['nye kritiske afvigelser'])).toBe(Number(before['nye kritiske afvigelser']) + 1);
      expect(Number(after['åbne kritiske afvigelser'])).toBe(Number(before['åbne kritiske afvigelser']) + 1);
      expect(after['åbne afvigelser i alt']).toBe(before['åbne afvigelser i alt']);
    } finally {
      books.close();
    }
  });
});
