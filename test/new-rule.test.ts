// A new rule is its SQL file, its catalog entry and its own test, nothing else (queries/README.md, issue 24): a copy
// of queries/ (read through AFSTEM_QUERIES_DIR, as bench/mutate.ts does) gets a rule R23 — the file
// rules/R23_large_fee.sql and its entry in the copy's rules/catalog.json, no other change — and one batch on a small
// inbox carries it everywhere: summary.json and discrepancies.csv (overall and the municipality's), the step label,
// report.html (the rule overview, money at risk, the rule's own block with the hint of the overdue delivery it
// reads), discrepancies.xlsx (its row and Mulig årsag). Nothing under src/ is imported before the copy is in place,
// so the catalog the process loads is the copy's.
// Checked against the code before the catalog was a file beside the SQL: the copy's catalog.json was not read, the
// rule file had no entry (the batch failed: "rule models without a catalog entry"); with the overview's old
// `cap: 22` the overview lacked R23's row, and with the hints' hand-kept list of kinds its row had no Mulig årsag.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BatchResult } from '../src/run/batch.ts';
import { csvRows } from './helpers/csv.ts';

const R23_SQL = `-- R23 large_fee (a rule of this test alone). A fee in scope of 1.000 kr. or more: finance checks its amount.
-- Key fee_id; amount = fee amount.
SELECT
  f.municipality, f.fee_id AS key_id,
  f.fee_id, f.claim_id, NULL::VARCHAR AS payment_id, NULL::VARCHAR AS psp_txn_id, NULL::VARCHAR AS coverage_id,
  f.amount::DECIMAL(38,2) AS amount,
  'Gebyret ' || f.fee_id || ' på ' || da_money(f.amount) || ' kr. er på 1.000 kr. eller mere.' AS detail,
  f.src AS lineage,
  f.created_at AS arose_at
FROM int_fees f
WHERE f.in_scope AND f.amount >= 1000
`;

const R23_ENTRY = {
  code: 'R23',
  slug: 'large_fee',
  severity: 'warning',
  keyColumn: 'fee_id',
  reads: ['fbs_fees'],
  name: 'Stort gebyr',
  action: 'Kontrollér gebyrets beløb.',
  arose: 'Gebyrets oprettelse (created_at).',
};

// Friday 20 November's fees; asOf Friday 27 November: 23–27 November are 5 banking days, more than the 2 allowed,
// so fbs_fees is overdue and every discrepancy of a rule reading it says so
const FEES =
  'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status\r\n' +
  'F1,adult_cpr,12345678,overdue_fee,1500.00,2026-11-20T09:00:00Z,open\r\n' +
  'F2,adult_cpr,12345678,overdue_fee,10.00,2026-11-20T09:00:00Z,open\r\n';
const CAUSE = 'muligvis forårsaget af, at gebyrer (fbs_fees) ikke er leveret siden 20. november';

let dir: string;
let out: string;
let result: BatchResult;
let ruleCodes: readonly string[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-new-rule-'));
  const queries = path.join(dir, 'queries');
  fs.cpSync(path.resolve(import.meta.dirname, '../queries'), queries, { recursive: true });
  fs.writeFileSync(path.join(queries, 'rules', 'R23_large_fee.sql'), R23_SQL);
  const catalogFile = path.join(queries, 'rules', 'catalog.json');
  fs.writeFileSync(catalogFile, JSON.stringify([...JSON.parse(fs.readFileSync(catalogFile, 'utf8')), R23_ENTRY], null, 2));
  vi.stubEnv('AFSTEM_QUERIES_DIR', queries);

  fs.mkdirSync(path.join(dir, 'inbox', '101'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'inbox', '101', 'fbs_fees_2026-11-20.csv'), FEES);
  const config = path.join(dir, 'afstem.config.json');
  fs.writeFileSync(config, JSON.stringify({
    inbox: 'inbox', database: 'db.duckdb',
    municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }],
  }));
  const { runBatchDetailed } = await import('../src/run/batch.ts');
  ({ RULE_CODES: ruleCodes } = await import('../src/pipeline/catalog.ts'));
  const sink = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
  out = path.join(dir, 'out');
  result = await runBatchDetailed({ configPath: config, outDir: out, asOf: '2026-11-27T05:00:00Z', stream: sink });
});

afterAll(() => {
  vi.unstubAllEnvs();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const read = (...p: string[]) => fs.readFileSync(path.join(out, ...p), 'utf8');

describe('a rule added as its SQL file and its catalog entry', () => {
  it('is a rule of the catalog the process loaded, and the batch finishes', () => {
    expect(ruleCodes.at(-1)).toBe('R23');
    expect(result.error).toBeUndefined();
    expect(result.exitCode).toBe(0);
  });

  it('is counted in summary.json and listed in discrepancies.csv, overall and for its municipality', () => {
    const summary = JSON.parse(read('summary.json'));
    expect(Object.keys(summary.rules).at(-1)).toBe('R23');
    expect(summary.rules.R23).toEqual({ open: 1, new: 1, persisting: 0, resolved: 0, amount: '1500.00' });
    expect(summary.totals).toEqual({ open: 3, critical: 2, warning: 1, info: 0 }); // R01 for F1 and F2, R23 for F1
    for (const file of [['discrepancies.csv'], ['municipalities', '101', 'discrepancies.csv']]) {
      const rows = csvRows(read(...file)).filter((r) => r.rule === 'R23');
      expect(rows.map((r) => [r.severity, r.municipality, r.fee_id, r.amount, r.detail]), file.join('/')).toEqual([
        ['warning', '101', 'F1', '1500.00', 'Gebyret F1 på 1500,00 kr. er på 1.000 kr. eller mere.'],
      ]);
    }
  });

  it('is named in the rules step of the log: evaluate rules R01–R23', () => {
    const steps = read('afstem.log.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as { step?: string }).map((l) => l.step);
    expect(steps).toContain('evaluate rules R01–R23');
  });

  it('has its row in the report\'s rule overview and money at risk, and its own block with the overdue delivery it reads', () => {
    const html = read('report.html');
    expect(html).toMatch(/<tr><td><b>R23<\/b><\/td><td>Stort gebyr<\/td><td><span class="badge warning">advarsel<\/span><\/td><td class="num">1<\/td>/);
    expect(html).toContain('<a href="#regel-R23"><b>R23</b></a> Stort gebyr');
    const block = html.slice(html.indexOf('<div class="rule-block" id="regel-R23">'));
    expect(block.length).toBeLessThan(html.length);
    expect(block.slice(0, block.indexOf('</table>'))).toContain(`${CAUSE.charAt(0).toUpperCase()}${CAUSE.slice(1)}.`);
    expect(block).toContain('Kontrollér gebyrets beløb.');
  });

  it('has its row in discrepancies.xlsx, in Danish, with Mulig årsag from the kinds its entry reads', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'discrepancies.xlsx'));
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const rows = (sheet.getSheetValues().slice(2) as unknown[][]).filter((r) => Array.isArray(r) && r[header.indexOf('Regel')] === 'R23');
    expect(rows.map((r) => ['Alvor', 'Gebyr', 'Beløb', 'Mulig årsag'].map((h) => r[header.indexOf(h)]))).toEqual([['advarsel', 'F1', 1500, CAUSE]]);
  });
});
