// The worklist's search in real Chromium (issue 23 item 3): a case number finds that case alone wherever it is (on the
// worklist on another page, under Behandlede, only for information, resolved), report.html#S-123 opens with the case
// shown, every word a row shows is found (rule code, municipality name, the rule's Danish name …), the menu's
// Arbejdsliste lands on the search, and the search is near the top at 40,000 open after 200 reversal proposals; in the
// report of all municipalities and in a municipality's own (which knows its own cases alone), on a hand-made handful,
// at 40,000 open and on the batch's report of the sample inbox. Checked against the code
// before the fix by reasoning and by running it: `S-5` listed S-5 and S-50…S-59 (11 rows; 1,111 at 40,000), `S-2`
// (explained) said nothing found, `R16`, `Kolding` and `Overdækning` found nothing, a hash did nothing, the menu went
// to the section's top with the groups and the 200 proposals before the search, and the amount sort put −3.850,00 kr.
// last.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openReport } from './helpers/report-page.ts';
import type { Db } from '../src/db.ts';
import { writeReport } from '../src/report/build.ts';
import { runBatchDetailed } from '../src/run/batch.ts';
import { plant, plantMany, worklistDb, type Planted } from './helpers/worklist-books.ts';
import { csvRows } from './helpers/csv.ts';

const ARTIFACTS = path.resolve('test-artifacts');
const AS_OF = new Date('2026-06-10T10:00:00Z');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const open = (file: string, hash = '') => openReport(browser, file, hash);

const detail = (page: Page) => page.locator('#arbejdsliste-detalje');
const info = (page: Page) => detail(page).locator('.pager-info').innerText();
const refs = (page: Page) => detail(page).locator('tbody tr td:first-child').allTextContents();
async function search(page: Page, text: string): Promise<void> {
  await detail(page).locator('[name=tekst]').fill(text);
}
/** Whether an element lies wholly within the window as scrolled now. */
const inView = (page: Page, selector: string) =>
  page.locator(selector).evaluate((e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });

/** S-1 … S-60: every kind of place a case can be, and S-5 beside S-50 … S-59. */
function handful(): Planted[] {
  const rows: Planted[] = [
    { rule: 'R16', severity: 'critical', municipality: '561', key: 'C1', amount: '30.00', age: 4, detail: 'Fordring C1 er overdækket med 30,00 kr.' },
    { rule: 'R01', severity: 'critical', municipality: '101', key: 'F2', amount: '100.00', age: 6 }, // S-2 explained below
    { rule: 'R14', severity: 'info', municipality: '101', key: 'P3', amount: '10.00', age: 2 },
    { rule: 'R01', severity: 'critical', municipality: '621', key: 'F4', amount: '40.00', age: 6 }, // S-4 awaiting below
    { rule: 'R04', severity: 'critical', municipality: '101', key: 'C5', amount: '-25.00', age: 3 },
    { rule: 'R01', severity: 'critical', municipality: '621', key: 'F6', amount: '60.00', age: 1, state: 'resolved' },
    { rule: 'R12', severity: 'critical', municipality: '561', key: 'P7', amount: '-3850.00', age: 3 },
  ];
  for (let i = 8; i <= 60; i++) {
    rows.push({ rule: 'R02', severity: 'warning', municipality: ['101', '561', '621'][i % 3], key: `K${i}`, amount: `${i}.00`, age: i % 10 });
  }
  return rows;
}

async function handled(db: Db): Promise<void> {
  await db.exec(`UPDATE discrepancy_states SET handling_status = 'explained', note = 'betalt kontant', handled_by = 'anna',
      handled_at = TIMESTAMP '2026-06-09 08:00:00' WHERE case_ref = 'S-2';
    UPDATE discrepancy_states SET handling_status = 'awaiting', follow_up = DATE '2026-06-20', note = 'biblioteket svarer',
      handled_by = 'anna', handled_at = TIMESTAMP '2026-06-09 08:00:00' WHERE case_ref = 'S-4';`);
}

describe('the search on a hand-made handful (all municipalities)', () => {
  let page: Page;
  let errors: string[];
  let file: string;
  beforeAll(async () => {
    const db = await worklistDb();
    await plant(db, handful());
    await handled(db);
    file = await writeReport(db, { outDir: path.join(ARTIFACTS, 'worklist-search'), asOf: AS_OF, summary: null });
    const own = await writeReport(db, { outDir: path.join(ARTIFACTS, 'worklist-search', '101'), asOf: AS_OF, summary: null, municipality: '101' });
    expect(fs.existsSync(own)).toBe(true);
    db.close();
    ({ page, errors } = await open(file));
  });
  afterAll(async () => page?.close());

  it('S-5 is S-5 alone, not S-50 … S-59; S-60, on the second page, is found too, whatever the other filters', async () => {
    expect(errors).toEqual([]);
    expect(await info(page)).toBe('Række 1–50 af 56 · side 1 af 2');
    await search(page, 'S-5');
    expect(await refs(page)).toEqual(['S-5']);
    expect(await info(page)).toBe('Række 1–1 af 1 · side 1 af 1');
    await detail(page).locator('[name=kommune]').selectOption('561');
    await search(page, 's-60');
    expect(await refs(page)).toEqual(['S-60']); // in 101, beside the filter on 561
    await search(page, '');
    await detail(page).locator('[name=kommune]').selectOption('');
  });

  it('a case off the worklist is found and said where it is: Behandlede (explained, awaiting), info, resolved, none', async () => {
    await search(page, 'S-2');
    expect(await refs(page)).toEqual(['S-2']);
    const note = detail(page).locator('.case-note');
    expect(await note.innerText()).toBe('Sag S-2 står ikke på arbejdslisten: den er forklaret og står under Behandlede. Vis den under Behandlede');
    expect(await detail(page).locator('tbody tr').last().innerText()).toContain('Forklaret');
    await note.locator('a').click();
    const row = page.locator('#behandlede tr.found');
    expect(await row.locator('td').first().innerText()).toBe('S-2');
    expect(await inView(page, '#behandlede tr.found')).toBe(true);
    await search(page, 'S-4');
    expect(await note.innerText()).toContain('den afventer til 20.06.2026 og står under Behandlede');
    await search(page, 'S-3');
    expect(await note.innerText()).toContain('den er kun til orientering (info). Se R14 under Afvigelser pr. regel');
    expect(await note.locator('a').getAttribute('href')).toBe('#regel-R14');
    await search(page, 'S-6');
    expect(await note.innerText()).toContain('er løst siden sidste kørsel');
    await search(page, 'S-999');
    expect(await note.innerText()).toBe('Der er ingen sag S-999 blandt afvigelserne i denne rapport.');
    expect(await refs(page)).toEqual([]);
    expect(await info(page)).toBe('Ingen afvigelser passer til filteret.');
    await search(page, 'S-1');
    expect(await note.isVisible()).toBe(false);
    expect(await refs(page)).toEqual(['S-1']);
  });

  it('finds every word a row shows: the rule code, the rule\'s Danish name, the municipality\'s name, severity, amount', async () => {
    await search(page, 'R16');
    expect(await refs(page)).toEqual(['S-1']);
    await search(page, 'overdækning');
    expect(await refs(page)).toEqual(['S-1']); // the rule's name (and its description)
    await search(page, 'Kolding');
    expect(await info(page)).toBe('Række 1–18 af 18 · side 1 af 1'); // K9 … K60 with i mod 3 = 2, F4 is awaiting
    await search(page, 'esbjerg kritisk');
    expect(new Set(await refs(page))).toEqual(new Set(['S-1', 'S-7']));
    await search(page, '3.850,00');
    expect(await refs(page)).toEqual(['S-7']);
    await search(page, '');
  });

  it('sorts the amounts by their size, the largest difference first (RULES.md §3)', async () => {
    await detail(page).locator('th[data-sort="amount"]').click();
    expect(await detail(page).locator('tbody tr').first().locator('td').nth(5).innerText()).toBe('−3.850,00 kr.');
    await detail(page).locator('th[data-sort="amount"]').click();
  });

  it('report.html#S-57 opens with that case shown, the search in view; another case in the address shows that one', async () => {
    const other = await open(file, '#S-57');
    try {
      expect(other.errors).toEqual([]);
      expect(await detail(other.page).locator('[name=tekst]').inputValue()).toBe('S-57');
      expect(await refs(other.page)).toEqual(['S-57']);
      expect(await inView(other.page, '#arbejdsliste-detalje [name=tekst]')).toBe(true);
      await other.page.evaluate(() => { location.hash = '#S-2'; });
      await other.page.waitForFunction(() => (document.querySelector('#arbejdsliste-detalje [name=tekst]') as HTMLInputElement).value === 'S-2');
      expect(await detail(other.page).locator('.case-note').innerText()).toContain('står under Behandlede');
    } finally {
      await other.page.close();
    }
  });

  it('the menu\'s Arbejdsliste lands on the search', async () => {
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.locator('nav.toc a', { hasText: 'Arbejdsliste' }).click();
    expect(await page.locator('nav.toc a', { hasText: 'Arbejdsliste' }).getAttribute('href')).toBe('#arbejdsliste-alle');
    expect(await inView(page, '#arbejdsliste-detalje [name=tekst]')).toBe(true);
  });

  it('a municipality\'s own report finds its own cases and knows no other municipality\'s', async () => {
    const own = await open(path.join(ARTIFACTS, 'worklist-search', '101', 'report.html'), '#S-2');
    try {
      expect(own.errors).toEqual([]);
      expect(await detail(own.page).locator('.case-note').innerText()).toContain('står under Behandlede');
      await search(own.page, 'S-1'); // R16 in 561
      expect(await detail(own.page).locator('.case-note').innerText()).toBe('Der er ingen sag S-1 blandt afvigelserne i denne rapport.');
      expect(await own.page.content()).not.toContain('Esbjerg');
      await search(own.page, 'S-5');
      expect(await refs(own.page)).toEqual(['S-5']);
    } finally {
      await own.page.close();
    }
  });
});

describe('the search at 40,000 open, after 200 reversal proposals', () => {
  let page: Page;
  let errors: string[];
  let file: string;
  beforeAll(async () => {
    const db = await worklistDb();
    await plantMany(db, 40_000);
    await handled(db);
    // 200 reversal proposals, which the worklist shows as actions (they came before the search)
    await db.exec(`CREATE TABLE reversals AS SELECT '101' AS municipality, 'C' || i AS claim_id, 'F' || i AS fee_id,
        10.00::DECIMAL(18,2) AS excess_amount, 'V' || i AS coverage_ids, 'P' || i AS payment_ids,
        20.00::DECIMAL(18,2) AS reverse_amount, 10.00::DECIMAL(18,2) AS reapply_amount FROM range(200) t(i)`);
    file = await writeReport(db, { outDir: path.join(ARTIFACTS, 'worklist-search-large'), asOf: AS_OF, summary: null });
    db.close();
    ({ page, errors } = await open(file));
  });
  afterAll(async () => page?.close());

  it('shows the search on the first screen (1280×800), above the groups and the 200 proposals', async () => {
    expect(errors).toEqual([]);
    expect(await inView(page, '#arbejdsliste-detalje [name=tekst]')).toBe(true);
    expect(await page.locator('#arbejdsliste h3', { hasText: 'forslag til tilbageførsel (200)' }).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'worklist-search-40000-first-screen.png') });
  });

  it('S-5 is one row of 39,998, S-2 is under Behandlede, #S-12346 opens with F12345', async () => {
    expect(await info(page)).toBe('Række 1–50 af 39.998 · side 1 af 800');
    await search(page, 'S-5');
    expect(await info(page)).toBe('Række 1–1 af 1 · side 1 af 1');
    await search(page, 'S-2');
    expect(await detail(page).locator('.case-note').innerText()).toContain('den er forklaret og står under Behandlede');
    const other = await open(file, '#S-12346');
    try {
      expect(await refs(other.page)).toEqual(['S-12346']);
      expect(await detail(other.page).locator('tbody tr td').nth(4).innerText()).toBe('F12345');
      expect(await inView(other.page, '#arbejdsliste-detalje [name=tekst]')).toBe(true);
    } finally {
      await other.page.close();
    }
  });
});

describe('the search on the sample inbox (the batch\'s own report.html, all municipalities and Odense\'s)', () => {
  let dir: string;
  let out: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-search-sample-'));
    const config = JSON.parse(fs.readFileSync(path.resolve('sample-data/afstem.config.json'), 'utf8'));
    config.inbox = path.resolve('sample-data/inbox');
    config.database = path.join(dir, 'afstem.duckdb');
    fs.writeFileSync(path.join(dir, 'afstem.config.json'), JSON.stringify(config));
    out = path.join(dir, 'out');
    const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
    const r = await runBatchDetailed({ configPath: path.join(dir, 'afstem.config.json'), outDir: out, asOf: '2026-11-27T05:00:00Z', stream: sink });
    expect(r.error).toBeUndefined();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The case numbers come from the run's own discrepancies.csv (the sample may gain cases when it is regenerated).
  const cases = (where: (r: Record<string, string>) => boolean) =>
    csvRows(fs.readFileSync(path.join(out, 'discrepancies.csv'), 'utf8')).filter(where).map((r) => r.case_ref).sort();
  const onWorklist = (r: Record<string, string>) => r.severity !== 'info';

  it('finds R16, Odense and Overdækning, a case number alone (S-2, not S-20 … S-29), and says where an info case is', async () => {
    const r16 = cases((r) => r.rule === 'R16');
    const odense = cases((r) => r.municipality === '461' && onWorklist(r));
    const info = cases((r) => r.severity === 'info')[0];
    expect(r16.length).toBeGreaterThan(1);
    expect(odense.length).toBeGreaterThan(1);
    expect(cases(() => true)).toEqual(expect.arrayContaining(['S-2', 'S-20', 'S-21']));
    const { page, errors } = await open(path.join(out, 'report.html'));
    try {
      expect(errors).toEqual([]);
      await search(page, 'R16');
      expect((await refs(page)).sort()).toEqual(r16);
      await search(page, 'Overdækning'); // R16's Danish name
      expect((await refs(page)).sort()).toEqual(r16);
      await search(page, 'Odense'); // 461's cases on the worklist (its info cases are not)
      expect((await refs(page)).sort()).toEqual(odense);
      await search(page, 'S-2');
      expect(await refs(page)).toEqual(['S-2']);
      await search(page, info);
      expect(await detail(page).locator('.case-note').innerText()).toContain(`Sag ${info} står ikke på arbejdslisten: den er kun til orientering (info)`);
      // money at risk adds absolute amounts: R04's +50,00 (101) and −25,00 kr. (751) are 75,00 kr.
      const r04 = page.locator('#overblik tbody tr', { hasText: 'R04' });
      expect(await r04.locator('td').nth(3).innerText()).toBe('75,00 kr.');
    } finally {
      await page.close();
    }
  });

  it('Odense\'s own report opens on its case from the address and knows no case of another municipality', async () => {
    const own = cases((r) => r.municipality === '461' && onWorklist(r))[0];
    const other = cases((r) => r.municipality === '101' && r.rule === 'R16')[0];
    const { page, errors } = await open(path.join(out, 'municipalities', '461', 'report.html'), `#${own}`);
    try {
      expect(errors).toEqual([]);
      expect(await refs(page)).toEqual([own]);
      expect(await inView(page, '#arbejdsliste-detalje [name=tekst]')).toBe(true);
      await search(page, other); // R16 in 101
      expect(await detail(page).locator('.case-note').innerText()).toBe(`Der er ingen sag ${other} blandt afvigelserne i denne rapport.`);
    } finally {
      await page.close();
    }
  });
});
