// municipalities/<code>/ (FORMATS.md §7): each municipality's report.html, discrepancies.csv and discrepancies.xlsx
// hold its rows alone — no id, name or amount of another municipality, no count of all of them. And
// discrepancies.xlsx (FORMATS.md §8): Danish headers and values, amounts as numbers, Copenhagen date-times, the
// handling columns and a drop-down of the Danish statuses, text never a formula.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Books } from './helpers/books.ts';
import { REPORT_SUMMARY, reportBooks } from './helpers/report-books.ts';
import { LATENCY_MUNICIPALITIES } from './helpers/latency-books.ts';
import { writeMunicipalityOutputs } from '../src/run/municipalities.ts';
import { buildReport } from '../src/report/build.ts';
import { buildWaves } from '../src/pipeline/waves.ts';
import { amountCell } from '../src/outputs/discrepancies-xlsx.ts';
import { escapeHtml, formatKroner } from '../src/report/html.ts';
import { maskText } from '../src/mask.ts';

let b: Books;
let out: string;
let REPORT_ALL: string;
type Own = { ids: Set<string>; amounts: Set<string> };
const own = new Map<string, Own>();

beforeAll(async () => {
  b = await reportBooks();
  await buildWaves(b.db); // the go-live view, as the batch builds it before the outputs
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-munis-'));
  await writeMunicipalityOutputs(b.db, out, new Date('2026-06-10T10:00:00Z'), REPORT_SUMMARY);
  REPORT_ALL = await buildReport(b.db, { asOf: new Date('2026-06-10T10:00:00Z'), summary: REPORT_SUMMARY });
  const rows = await b.db.all<Record<string, string | null>>(`
    SELECT municipality, key_id, fee_id, claim_id, payment_id, psp_txn_id, coverage_id, CAST(amount AS VARCHAR) AS amount
    FROM discrepancy_states
    UNION ALL SELECT municipality, claim_id, fee_id, NULL, NULL, NULL, NULL, CAST(excess_amount AS VARCHAR) FROM reversals`);
  for (const m of LATENCY_MUNICIPALITIES) own.set(m.code, { ids: new Set(), amounts: new Set() });
  for (const r of rows) {
    const o = own.get(String(r.municipality))!;
    for (const k of ['key_id', 'fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id']) if (r[k]) o.ids.add(maskText(r[k])!);
    if (r.amount) o.amounts.add(formatKroner(r.amount));
  }
});
afterAll(() => {
  b?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

async function xlsxText(file: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const cells: string[] = [];
  wb.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
  return cells.join('\n');
}

const word = (s: string) => new RegExp(`(?<![\\p{L}\\p{N}_-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_-])`, 'u');

describe('municipalities/<code>/', () => {
  it('has a folder with report.html, discrepancies.csv and discrepancies.xlsx for every configured municipality', () => {
    for (const m of LATENCY_MUNICIPALITIES) {
      expect(fs.readdirSync(path.join(out, 'municipalities', m.code)).sort()).toEqual(['discrepancies.csv', 'discrepancies.xlsx', 'report.html']);
    }
    expect(fs.existsSync(path.join(out, 'discrepancies.xlsx'))).toBe(true);
  });

  it('holds no id, name or amount of another municipality, nor the count of all of them', async () => {
    let checked = 0;
    for (const m of LATENCY_MUNICIPALITIES) {
      const dir = path.join(out, 'municipalities', m.code);
      const files = {
        report: fs.readFileSync(path.join(dir, 'report.html'), 'utf8'),
        csv: fs.readFileSync(path.join(dir, 'discrepancies.csv'), 'utf8'),
        xlsx: await xlsxText(path.join(dir, 'discrepancies.xlsx')),
      };
      const mine = own.get(m.code)!;
      for (const other of LATENCY_MUNICIPALITIES.filter((o) => o.code !== m.code)) {
        const theirs = own.get(other.code)!;
        for (const [name, text] of Object.entries(files)) {
          expect(text, `${other.name} in ${m.code}/${name}`).not.toContain(other.name);
          expect(text, `${other.code}/ paths in ${m.code}/${name}`).not.toContain(`${other.code}/`);
          for (const id of theirs.ids) {
            if (mine.ids.has(id)) continue; // the same id in both municipalities' books
            expect(text, `${other.code}'s ${id} in ${m.code}/${name}`).not.toMatch(word(id));
            if (name === 'report') expect(text).not.toMatch(word(escapeHtml(id)));
            checked++;
          }
          if (name !== 'report') continue;
          for (const a of theirs.amounts) {
            if (!mine.amounts.has(a)) expect(text, `${other.code}'s ${a} in ${m.code}/report.html`).not.toContain(a);
          }
        }
      }
      expect(files.report).not.toContain('Alle kommuner');
      expect(files.report).not.toContain(`${LATENCY_MUNICIPALITIES.length} kommuner`);
      expect(files.report).toContain(`${m.code} ${m.name}`);
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('lists the municipality\'s own open discrepancies, all of them, in its discrepancies.csv', async () => {
    const whole = fs.readFileSync(path.join(out, 'municipalities', '101', 'discrepancies.csv'), 'utf8').trim().split('\n');
    const n = await b.db.value(`SELECT count(*) FROM discrepancy_states WHERE state <> 'resolved' AND municipality = '101'`);
    expect(whole.length - 1).toBe(Number(n));
    expect(Number(n)).toBeGreaterThan(0);
    expect(whole.slice(1).every((l) => l.split(',')[2] === '101')).toBe(true);
  });
});

describe('a municipality\'s report, section by section', () => {
  const report = (code: string) => fs.readFileSync(path.join(out, 'municipalities', code, 'report.html'), 'utf8');

  it('speaks of its own municipality alone: no "alle kommuner", no chart comparing the municipalities', () => {
    for (const m of LATENCY_MUNICIPALITIES) {
      const text = report(m.code);
      expect(text, m.code).not.toMatch(/alle kommuner/i);
      expect(text, m.code).not.toMatch(/mellem kommunerne|kommunerne er rangeret/);
      expect(text, m.code).not.toContain('data-chart="municipality-spread"');
      expect(text, m.code).not.toContain('data-chart="breach-rate"');
      const stages = text.slice(text.indexOf('id="forsinkelser"'), text.indexOf('</section>', text.indexOf('id="forsinkelser"')));
      expect(stages, m.code).toContain(`Hvor lang tid pengene er om hvert af de fire skridt, i ${m.code} ${m.name}.`);
    }
    // the report of all of them still compares them
    expect(REPORT_ALL).toContain('i alle kommuner');
    expect(REPORT_ALL).toContain('data-chart="municipality-spread"');
  });

  it('names no file its folder does not hold as if it lay beside it', () => {
    for (const m of LATENCY_MUNICIPALITIES) {
      const text = report(m.code);
      for (const file of ['latency.csv', 'rejects.csv', 'reversals.csv', 'waves.csv', 'summary.json']) {
        for (const at of text.matchAll(new RegExp(file.replace('.', '\\.'), 'g'))) {
          expect(text.slice(at.index, at.index + 60), `${m.code}: ${file}`).toContain('i den samlede kørsel');
        }
      }
      expect(text).toContain('står i fuld længde i discrepancies.xlsx (til Excel) og discrepancies.csv ved siden af denne rapport');
    }
  });

  it('counts its own open discrepancies and go-live status, not the run\'s', async () => {
    const counts = await b.db.all<{ municipality: string; n: number }>(`
      SELECT municipality, count(*) AS n FROM discrepancy_states
      WHERE state <> 'resolved' AND severity IN ('critical', 'warning') AND handling_status IN ('open', 'in_progress') GROUP BY ALL`);
    const all = counts.reduce((s, r) => s + Number(r.n), 0);
    expect(counts.length).toBeGreaterThan(1);
    for (const m of LATENCY_MUNICIPALITIES) {
      const own = Number(counts.find((r) => r.municipality === m.code)?.n ?? 0);
      const text = report(m.code);
      expect(text, m.code).toContain(`<b>${own}</b> åbne afvigelser at behandle`);
      expect(text, m.code).not.toContain(`<b>${all}</b> åbne afvigelser`);
      expect(text, m.code).not.toMatch(/\d+ røde, \d+ gule og \d+ grønne kommuner/);
      expect(text, m.code).toMatch(new RegExp(`${m.code} ${m.name} er (rød|gul|grøn|planlagt)\\.`));
    }
  });
});

describe('a municipality\'s stage overview', () => {
  it('counts its own items, not those of all municipalities (the ALL rows of latency)', async () => {
    const n = await b.db.all<{ municipality: string; n: number }>(`SELECT municipality, n FROM latency WHERE stage = 'fee_to_claim'`);
    const byMuni = new Map(n.map((r) => [r.municipality, Number(r.n)]));
    for (const code of ['101', '561']) {
      expect(byMuni.get(code)).not.toBe(byMuni.get('ALL'));
      const report = fs.readFileSync(path.join(out, 'municipalities', code, 'report.html'), 'utf8');
      const section = report.slice(report.indexOf('id="forsinkelser"'));
      const row = /<tr><td><b>1\. Gebyr → fordring<\/b>.*?<\/tr>/.exec(section)![0];
      const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
      expect(cells[2], code).toBe(String(byMuni.get(code)));
    }
  });
});

describe('discrepancies.xlsx', () => {
  it('writes an amount a spreadsheet number cannot hold exactly as its exact text, the others as numbers', () => {
    expect(amountCell('1675.00')).toBe(1675);
    expect(amountCell('-0.01')).toBe(-0.01);
    expect(amountCell('9999999999999999.99')).toBe('9999999999999999.99');
  });

  it('has Danish headers and values, amounts as numbers, Copenhagen date-times, handling columns and a status drop-down', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'discrepancies.xlsx'));
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      'Regel', 'Alvor', 'Kommune', 'Gebyr', 'Fordring', 'Indbetaling', 'Transaktion', 'Dækning', 'Beløb', 'Beskrivelse',
      'Først set', 'Opstået', 'Alder (bankdage)', 'Status', 'Sagsnummer', 'Ansvarlig', 'Note', 'Opfølgning', 'Behandlet af', 'Behandlet',
      'Tilstand', 'Løst', 'Herkomst', 'Muligt match', 'Mulig årsag',
    ]);
    const n = await b.db.value(`SELECT count(*) FROM discrepancy_states WHERE state <> 'resolved'`);
    expect(ws.rowCount - 1).toBe(Number(n));
    // F-OVER's claim C-OVER is over-covered by 30 kr. (R16, critical), first seen on the first run, 5 June 12:00 Copenhagen
    let r16 = 0;
    ws.eachRow((row, i) => {
      if (i === 1) return;
      const v = (k: number) => row.getCell(k).value;
      expect(['kritisk', 'advarsel', 'info']).toContain(v(2));
      expect(v(14)).toBe('Åben');
      expect([v(16), v(17), v(18), v(19), v(20)]).toEqual([null, null, null, null, null]);
      expect(['ny', 'vedvarende']).toContain(v(21));
      expect(v(22)).toBeNull();
      expect(typeof v(23)).toBe('string');
      expect(row.getCell(14).dataValidation).toMatchObject({ type: 'list', formulae: ['"Åben,I gang,Afventer,Forklaret"'] });
      row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula));
      if (v(1) === 'R16') {
        r16++;
        expect(v(5)).toBe('C-OVER');
        expect(v(9)).toBe(30);
        expect(row.getCell(9).numFmt).toBe('#,##0.00');
        expect((v(11) as Date).toISOString()).toBe('2026-06-05T12:00:00.000Z');
      }
    });
    expect(r16).toBe(1);
  });
});
