// End to end on the generator's ground truth: the committed sample inbox run through the CLI's batch, compared with
// sample-data/expected.json (written by the generator from its own model of events, not by afstem): no false
// positive, no false negative, the reversal proposals and every rejected line. A second run gives byte-identical
// outputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchDetailed, type Summary } from '../src/run/batch.ts';
import { csvRows } from './helpers/csv.ts';
import { ruleEntry } from '../src/pipeline/catalog.ts';

interface Expected {
  asOf: string;
  rules: Record<string, { municipality: string; key: string; amount: string | null }[]>;
  reversals: { municipality: string; claim_id: string; coverage_ids: string[]; reverse_amount: string; reapply_amount: string; excess_amount: string }[];
  suggestions: { municipality: string; kind: string; left_id: string; right_id: string; amount: string; hours_apart: string; rank: number }[];
  rejects: { file: string; line: number }[];
  unknownFiles: string[];
  redelivery: { first: string; second: string };
}

const SAMPLE = path.resolve('sample-data');
const expected = JSON.parse(fs.readFileSync(path.join(SAMPLE, 'expected.json'), 'utf8')) as Expected;
const keyColumn = (rule: string) => ruleEntry(rule).keyColumn;

let dir: string;
let out1: string;
let out2: string;
let summary1: Summary;
let summary2: Summary;
let exit1: number;
let exit2: number;
let lookBack2: boolean;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-e2e-'));
  const config = JSON.parse(fs.readFileSync(path.join(SAMPLE, 'afstem.config.json'), 'utf8'));
  config.inbox = path.join(SAMPLE, 'inbox');
  config.database = path.join(dir, 'afstem.duckdb');
  fs.writeFileSync(path.join(dir, 'afstem.config.json'), JSON.stringify(config));
  out1 = path.join(dir, 'out1');
  out2 = path.join(dir, 'out2');
  const sink = Object.assign(new (await import('node:stream')).Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
  const r1 = await runBatchDetailed({ configPath: path.join(dir, 'afstem.config.json'), outDir: out1, asOf: expected.asOf, stream: sink });
  const r2 = await runBatchDetailed({ configPath: path.join(dir, 'afstem.config.json'), outDir: out2, asOf: expected.asOf, stream: sink });
  expect(r1.error).toBeUndefined();
  summary1 = r1.summary!;
  summary2 = r2.summary!;
  lookBack2 = r2.lookBack === true;
  exit1 = r1.exitCode;
  exit2 = r2.exitCode;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the sample inbox against its ground truth', () => {
  it('finds exactly the injected discrepancies, with their amounts', () => {
    // the rules the generator models, every rule of RULES.md §3 (test/generator.test.ts); a rule added later is
    // checked by its own test
    const rows = csvRows(fs.readFileSync(path.join(out1, 'discrepancies.csv'), 'utf8')).filter((r) => r.rule in expected.rules);
    const got = rows.map((r) => `${r.rule} ${r.municipality} ${r[keyColumn(r.rule)]} ${r.amount}`).sort();
    const want = Object.entries(expected.rules)
      .flatMap(([rule, items]) => items.map((i) => `${rule} ${i.municipality} ${i.key} ${i.amount ?? ''}`))
      .sort();
    expect(got).toEqual(want);
  });

  it('dates each discrepancy from the data (RULES.md §5), worked out by hand from the inbox rows, and gives it a case_ref', () => {
    const text = fs.readFileSync(path.join(out1, 'discrepancies.csv'), 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'rule,severity,municipality,fee_id,claim_id,payment_id,psp_txn_id,coverage_id,amount,detail,first_seen,arose_at,age_banking_days,handling_status,case_ref',
    );
    const rows = csvRows(text);
    const row = (rule: string, muni: string, key: string) => rows.find((r) => r.rule === rule && r.municipality === muni && r[keyColumn(rule)] === key)!;
    // asOf 2026-11-27T05:00:00Z: asOf's date is Friday 27 November
    // R01 101 MV101-X0002: created 2026-04-13T22:30:00Z (101/fbs_fees_2026-06-01.csv), fee_to_claim 1 h → 23:30Z,
    // 14 April local; banking days 15 April … 27 November 2026 less Ascension (14, 15 May), Whit Monday, 5 June: 159
    expect([row('R01', '101', 'MV101-X0002').arose_at, row('R01', '101', 'MV101-X0002').age_banking_days]).toEqual(['2026-04-13T23:30:00Z', '159']);
    // R01 101 MV101-X0001: created "10.11.2026 11:12" local (10:12Z) + 1 h; Wed 11 … Fri 27 Nov: 13 banking days
    expect([row('R01', '101', 'MV101-X0001').arose_at, row('R01', '101', 'MV101-X0001').age_banking_days]).toEqual(['2026-11-10T11:12:00Z', '13']);
    // R08 461 FD461-X0002: sent to collection "2026-11-02T10:00" local (461/debitor_claims_2026-11-20.csv); Tue 3 … Fri 27 Nov: 19
    expect([row('R08', '461', 'FD461-X0002').arose_at, row('R08', '461', 'FD461-X0002').age_banking_days]).toEqual(['2026-11-02T09:00:00Z', '19']);
    // every row: an instant not after asOf, an age, open, and its own S-number
    for (const r of rows) {
      expect(r.arose_at, `${r.rule} ${r.municipality}`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r.arose_at <= expected.asOf, `${r.rule} ${r.municipality}`).toBe(true);
      expect(r.age_banking_days).toMatch(/^\d+$/);
      expect(r.handling_status).toBe('open');
      expect(r.case_ref).toMatch(/^S-\d+$/);
    }
    expect(new Set(rows.map((r) => r.case_ref)).size).toBe(rows.length);
  });

  it('proposes exactly the expected reversals', () => {
    const rows = csvRows(fs.readFileSync(path.join(out1, 'reversals.csv'), 'utf8'));
    expect(rows.map((r) => [r.municipality, r.claim_id, r.coverage_ids, r.excess_amount, r.reverse_amount, r.reapply_amount])).toEqual(
      expected.reversals.map((r) => [r.municipality, r.claim_id, r.coverage_ids.join(' '), r.excess_amount, r.reverse_amount, r.reapply_amount]),
    );
  });

  it('rejects exactly the injected bad lines and reports the unknown files and the re-delivery', () => {
    const rows = csvRows(fs.readFileSync(path.join(out1, 'rejects.csv'), 'utf8'));
    expect(rows.map((r) => `${r.file}:${r.line}`)).toEqual(expected.rejects.map((r) => `${r.file}:${r.line}`));
    expect(summary1.files.filter((f) => f.status === 'unknown').map((f) => f.path)).toEqual(expected.unknownFiles);
    // the deliberate notes file is known not to be an export: the sample configuration ignores it
    expect(summary1.files.filter((f) => f.status === 'ignored').map((f) => f.path)).toEqual(['101/notes.txt']);
    const paths = summary1.files.map((f) => f.path);
    expect(paths).not.toContain(expected.redelivery.first);
    expect(summary1.files.find((f) => f.path === expected.redelivery.second)?.status).toBe('replaced');
    for (const f of summary1.files) expect(f.rowsRead).toBe(f.rowsLoaded + f.rowsRejected);
    expect(exit1).toBe(3);
  });

  it('gives byte-identical outputs on a second run, and only run facts change in the summary', () => {
    for (const f of ['discrepancies.csv', 'reversals.csv', 'latency.csv', 'rejects.csv', 'suggestions.csv', 'waves.csv']) {
      expect(fs.readFileSync(path.join(out2, f), 'utf8'), f).toBe(fs.readFileSync(path.join(out1, f), 'utf8'));
    }
    // the unknown files are still in the inbox, so the second run meets them too (exit code 3)
    expect(exit2).toBe(3);
    expect(summary2.files.every((f) => ['already_loaded', 'unknown', 'ignored'].includes(f.status))).toBe(true);
    expect(summary2.files.map((f) => [f.path, f.rowsRead, f.rowsLoaded, f.rowsRejected])).toEqual(
      summary1.files.map((f) => [f.path, f.rowsRead, f.rowsLoaded, f.rowsRejected]),
    );
    expect(summary2.totals).toEqual(summary1.totals);
    // the second run has the same asOf: a look back, compared with the recorded runs before that asOf (none), so
    // its lifecycle counts are the first run's, and it records nothing (FORMATS.md §7)
    expect(summary2.rules).toEqual(summary1.rules);
    expect(summary2.deliveries).toEqual(summary1.deliveries);
    expect(summary2.suggestions).toEqual(summary1.suggestions);
    // nothing new in the second run's inbox: it says so (a run fact), the first does not
    expect(summary1.warnings.some((w) => w.startsWith('ingen nye filer'))).toBe(false);
    expect(summary2.warnings).toContain('ingen nye filer siden 27. november: kørslen har ikke indlæst nogen ny levering');
    expect(Object.values(summary2.rules).every((r) => r.persisting === 0)).toBe(true);
    expect(lookBack2).toBe(true);
  });

  it('watches the deliveries: Frederiksberg sent its payments, coverages, invoices and transactions last on Friday 20 November, 5 banking days before asOf\'s date', () => {
    expect(summary1.deliveries!.filter((d) => d.overdue)).toEqual(
      ['debitor_coverages', 'debitor_payments', 'psp_invoices', 'psp_transactions'].map((kind) => ({ municipality: '147', kind, lastExportDate: '2026-11-20', overdue: true })),
    );
    expect(summary1.deliveries!.length).toBe(32);
    const report = fs.readFileSync(path.join(out1, 'report.html'), 'utf8');
    expect(report.indexOf('Frederiksberg har ikke leveret indbetalinger (debitor_payments) siden 20. november')).toBeLessThan(report.indexOf('id="arbejdsliste"'));
    const waves = csvRows(fs.readFileSync(path.join(out1, 'waves.csv'), 'utf8'));
    expect(waves.find((w) => w.municipality === '147')!.status).toBe('red');
  });

  // Issue 23, item 7: suggestions.csv of the sample was only its header, so a newcomer never saw "Muligt match".
  // The generator now plants both kinds and near misses; checked against the sample before the regeneration: the
  // file held the header alone and the report no "er sandsynligvis".
  it('suggests exactly the planted matches, and none of the near misses', () => {
    const rows = csvRows(fs.readFileSync(path.join(out1, 'suggestions.csv'), 'utf8'));
    expect(rows.map((r) => [r.municipality, r.kind, r.left_id, r.right_id, r.amount, r.hours_apart, r.rank])).toEqual(
      expected.suggestions.map((x) => [x.municipality, x.kind, x.left_id, x.right_id, x.amount, x.hours_apart, String(x.rank)]),
    );
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['payment_for_transaction', 'claim_for_fee']));
    expect(rows.map((r) => r.rank)).toContain('2');
    expect(rows.find((r) => r.kind === 'payment_for_transaction' && r.rank === '1')!.reason).toBe('samme beløb 1.675,35 kr., bogført 16,50 timer efter betalingen');
    expect(rows.find((r) => r.kind === 'claim_for_fee')!.reason).toBe('samme beløb 527,65 kr., samme skyldner, modtaget 23,25 timer efter gebyret');
    expect(summary1.suggestions).toEqual({ payment_for_transaction: 2, claim_for_fee: 2 });
    // the report shows each beside its discrepancies (the worklist's "Muligt match")
    const report = fs.readFileSync(path.join(out1, 'report.html'), 'utf8');
    const best = expected.suggestions.find((x) => x.kind === 'payment_for_transaction' && x.rank === 1)!;
    expect(report).toContain(`er sandsynligvis indbetalingen ${best.right_id}`);
    expect(report).toContain(`er sandsynligvis transaktionen ${best.left_id}`);
  });

  it('spells out lineage as file:line of the version in effect', () => {
    const report = fs.readFileSync(path.join(out1, 'report.html'), 'utf8');
    // R01 MV101-X0001: the fee's row in the 20 November export of København's November folder
    expect(report).toMatch(/101\/2026-11\/fbs_fees_2026-11-20\.csv:\d+/);
    expect(report).not.toMatch(/<td class="src">\d+:\d+/);
  });

  it('shows every municipality in the go-live section of the report, with its status', () => {
    const report = fs.readFileSync(path.join(out1, 'report.html'), 'utf8');
    const section = report.slice(report.indexOf('id="boelger"'), report.indexOf('id="input"'));
    const waves = csvRows(fs.readFileSync(path.join(out1, 'waves.csv'), 'utf8'));
    expect(waves.length).toBe(6);
    for (const w of waves) {
      expect(section).toContain(`${w.municipality} ${w.name}`);
      expect(section).toContain(w.reason.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    }
  });

  it('writes every output the contract names, and no whole CPR number in any of them', () => {
    for (const f of ['discrepancies.csv', 'reversals.csv', 'latency.csv', 'rejects.csv', 'summary.json', 'report.html', 'waves.csv', 'suggestions.csv']) {
      const text = fs.readFileSync(path.join(out1, f), 'utf8');
      expect(text.match(/(?<![\p{L}\p{N}])\d{6}-?\d{4}(?![\p{L}\p{N}])/u), f).toBeNull();
    }
  });
});
