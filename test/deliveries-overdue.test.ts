// Deliveries that stopped (RULES.md §7): lastExportDate and overdue per municipality and watched kind, counted in
// banking days after the last export date up to and including asOf's date, against deliveries.maxGapBankingDays;
// the discrepancies whose rule reads the overdue kind marked "muligvis forårsaget af …"; the report opening with
// every overdue delivery in words (a municipality's own report with its own alone); the configuration's keys; and
// "ingen nye filer siden …" when a run loads nothing new. Expected days are worked out by hand from the calendar.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, fee, txn } from './helpers/books.ts';
import { ALL_RULES_AS_OF, allRulesBooks } from './helpers/all-rules-books.ts';
import { readDeliveries } from '../src/pipeline/suggestions.ts';
import { RULES, ruleEntry } from '../src/pipeline/catalog.ts';
import { buildReport } from '../src/report/build.ts';
import { parseConfig } from '../src/config.ts';
import { runBatchDetailed } from '../src/run/batch.ts';
import { updateLifecycle } from '../src/handling/lifecycle.ts';

// Copenhagen is UTC+2 in May. 101 delivered its payments last on Wednesday 13 May 2026; Thursday 14 (Ascension Day)
// and Friday 15 (the Friday after) are closing days, 16-17 a weekend: the banking days after it are Monday 18 (1),
// Tuesday 19 (2), Wednesday 20 (3). With the default gap of 2 it turns overdue on asOf's date Wednesday 20 May.
const REGISTRY = `
  CREATE OR REPLACE TABLE deliveries (delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE, status VARCHAR, active BOOLEAN,
    rows_read INTEGER DEFAULT 1, rows_loaded INTEGER DEFAULT 1, rows_rejected INTEGER DEFAULT 0, extra_columns VARCHAR DEFAULT '[]', message VARCHAR);
  INSERT INTO deliveries (delivery_id, path, municipality, kind, export_date, status, active) VALUES
    (1, '101/debitor_payments_2026-05-12.csv', '101', 'debitor_payments', '2026-05-12', 'loaded', true),
    (2, '101/debitor_payments_2026-05-13.csv', '101', 'debitor_payments', '2026-05-13', 'loaded', true),
    (3, '101/fbs_fees_2026-05-20.csv', '101', 'fbs_fees', '2026-05-20', 'loaded', true),
    -- a file dated after asOf's date does not count yet; a file rejected whole is a delivery all the same
    (4, '101/fbs_fees_2026-05-22.csv', '101', 'fbs_fees', '2026-05-22', 'loaded', true),
    (5, '101/psp_transactions_2026-05-19.csv', '101', 'psp_transactions', '2026-05-19', 'rejected', true),
    -- not a watched kind by default
    (6, '101/fbs_adjustments_2026-04-01.csv', '101', 'fbs_adjustments', '2026-04-01', 'loaded', true),
    -- 561 delivers in time; a replaced delivery is not in effect (its replacement is)
    (7, '561/debitor_payments_2026-05-20.csv', '561', 'debitor_payments', '2026-05-20', 'replaced', false),
    (8, '561/x/debitor_payments_2026-05-20.csv', '561', 'debitor_payments', '2026-05-20', 'replaced', true),
    (9, '561/fbs_fees_2026-05-18.csv', '561', 'fbs_fees', '2026-05-18', 'loaded', true),
    -- a municipality no longer configured
    (10, '999/debitor_payments_2026-01-01.csv', '999', 'debitor_payments', '2026-01-01', 'loaded', true);`;

let b: Books;

async function at(asOf: string, deliveries?: Record<string, unknown>) {
  await b.setAsOf(asOf, deliveries ? { deliveries } : {});
  await b.evaluate();
  return readDeliveries(b.db);
}
const overdue = (rows: Awaited<ReturnType<typeof at>>) => rows.filter((r) => r.overdue).map((r) => `${r.municipality}/${r.kind}`);

beforeAll(async () => {
  b = await Books.open('2026-05-20T10:00:00Z');
  await b.db.exec(REGISTRY);
  // a captured transaction not booked (R10 reads debitor_payments) and a fee not transferred (R01 does not)
  await b.add('psp_transactions', txn('TX1', '2026-05-12 08:00:00', '150.00'));
  await b.add('fbs_fees', fee('F1', '2026-05-12 08:00:00', '75.00'));
  await b.add('psp_transactions', txn('TX5', '2026-05-12 08:00:00', '150.00', { municipality: '561' }));
});

afterAll(() => b.close());

describe('when a delivery is overdue', () => {
  it('lists every municipality and watched kind it has delivered, sorted, with the last export date by asOf\'s date', async () => {
    const rows = await at('2026-05-20T10:00:00Z');
    expect(rows.map(({ sentence: _s, ...r }) => r)).toEqual([
      { municipality: '101', kind: 'debitor_payments', lastExportDate: '2026-05-13', overdue: true },
      { municipality: '101', kind: 'fbs_fees', lastExportDate: '2026-05-20', overdue: false },
      { municipality: '101', kind: 'psp_transactions', lastExportDate: '2026-05-19', overdue: false },
      { municipality: '561', kind: 'debitor_payments', lastExportDate: '2026-05-20', overdue: false },
      { municipality: '561', kind: 'fbs_fees', lastExportDate: '2026-05-18', overdue: false },
    ]);
    expect(rows[0].sentence).toBe('København har ikke leveret indbetalinger (debitor_payments) siden 13. maj');
  });

  it('turns overdue on the third banking day after a weekend and two closing days, not the day before', async () => {
    // Tuesday 19 May 23:59:59 Copenhagen: 2 banking days, not more than 2
    expect(overdue(await at('2026-05-19T21:59:59Z'))).toEqual([]);
    // --as-of 2026-05-19 is 00:00 on the 20th: asOf's date is still the 19th
    expect(overdue(await at('2026-05-19T22:00:00Z'))).toEqual([]);
    // the first instant of Wednesday 20 May
    expect(overdue(await at('2026-05-19T22:00:00.001Z'))).toEqual(['101/debitor_payments']);
    // over the closing days themselves nothing is counted: on Monday 18 May it is 1 banking day
    expect(overdue(await at('2026-05-18T10:00:00Z'))).toEqual([]);
  });

  it('deliveries.maxGapBankingDays and deliveries.kinds decide', async () => {
    expect(overdue(await at('2026-05-20T10:00:00Z', { maxGapBankingDays: 3 }))).toEqual([]);
    expect(overdue(await at('2026-05-20T10:00:00Z', { maxGapBankingDays: 0 }))).toEqual(['101/debitor_payments', '101/psp_transactions', '561/fbs_fees']);
    const rows = await at('2026-05-20T10:00:00Z', { kinds: ['fbs_adjustments'] });
    expect(rows.map(({ municipality, kind, lastExportDate, overdue: o }) => [municipality, kind, lastExportDate, o])).toEqual([['101', 'fbs_adjustments', '2026-04-01', true]]);
    expect(rows[0].sentence).toBe('København har ikke leveret reguleringer (fbs_adjustments) siden 1. april');
  });

  it('marks the discrepancies of that municipality whose rule reads the overdue kind', async () => {
    await at('2026-05-20T10:00:00Z');
    const hints = await b.db.all<{ municipality: string; rule: string; key_id: string; overdue_cause: string | null }>(
      `SELECT municipality, rule, key_id, overdue_cause FROM discrepancy_hints ORDER BY ALL`,
    );
    expect(hints).toEqual([
      { municipality: '101', rule: 'R10', key_id: 'TX1', overdue_cause: 'muligvis forårsaget af, at indbetalinger (debitor_payments) ikke er leveret siden 13. maj' },
    ]);
    const open = await b.db.all<{ rule: string; municipality: string }>(`SELECT rule, municipality FROM discrepancies ORDER BY ALL`);
    expect(open).toEqual([{ rule: 'R01', municipality: '101' }, { rule: 'R10', municipality: '101' }, { rule: 'R10', municipality: '561' }]);
  });

  it('opens the report with every overdue delivery in words; a municipality\'s own report shows its own alone', async () => {
    await at('2026-05-20T10:00:00Z');
    await updateLifecycle(b.db, 1, new Date('2026-05-20T10:00:00Z')); // the worklist and per-rule tables read its states
    const all = await buildReport(b.db, { asOf: new Date('2026-05-20T10:00:00Z'), summary: null });
    const banner = all.indexOf('id="leverancer"');
    expect(banner).toBeGreaterThan(0);
    expect(banner).toBeLessThan(all.indexOf('id="arbejdsliste"'));
    expect(all.indexOf('<section')).toBe(all.indexOf('<section class="card banner critical" id="leverancer"'));
    expect(all).toContain('København har ikke leveret indbetalinger (debitor_payments) siden 13. maj');
    expect(all).toContain('Muligvis forårsaget af, at indbetalinger (debitor_payments) ikke er leveret siden 13. maj.');
    const own = await buildReport(b.db, { asOf: new Date('2026-05-20T10:00:00Z'), summary: null, municipality: '561' });
    expect(own).not.toContain('id="leverancer"');
    expect(own).not.toContain('København');
    await at('2026-05-19T10:00:00Z');
    expect(await buildReport(b.db, { asOf: new Date('2026-05-19T10:00:00Z'), summary: null })).not.toContain('id="leverancer"');
  });
});

describe('the configuration', () => {
  const parse = (deliveries: unknown) =>
    parseConfig({ inbox: 'i', municipalities: [{ code: '101', name: 'K', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }], deliveries }, '/tmp/c.json');

  it('defaults to a gap of 2 banking days and the six kinds of FORMATS.md §6', () => {
    expect(parse(undefined).deliveries).toEqual({
      maxGapBankingDays: 2,
      kinds: ['fbs_fees', 'debitor_claims', 'debitor_payments', 'debitor_coverages', 'psp_invoices', 'psp_transactions'],
    });
    expect(parse({ maxGapBankingDays: 4 }).deliveries.kinds).toHaveLength(6);
  });

  it('names the key and what is wrong', () => {
    expect(() => parse({ maxGapBankingDays: -1 })).toThrow(/deliveries\.maxGapBankingDays: expected a whole number of banking days/);
    expect(() => parse({ maxGapBankingDays: 1.5 })).toThrow(/deliveries\.maxGapBankingDays/);
    expect(() => parse({ kinds: ['debitor_payments', 'payments'] })).toThrow(/deliveries\.kinds\[?\.?1\]?: unknown kind "payments"/);
    expect(() => parse({ maxGap: 2 })).toThrow(/deliveries/);
  });
});

describe('a run that loads no new delivery', () => {
  let dir: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says "ingen nye filer siden …" in the summary and the report; the run that loaded files does not', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-nonew-'));
    fs.mkdirSync(path.join(dir, 'inbox', '101'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'inbox', '101', 'fbs_fees_2026-11-26.csv'),
      'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status\r\nF1,adult_cpr,12345678,overdue_fee,10.00,2026-11-26T09:00:00Z,open\r\n',
    );
    const config = path.join(dir, 'afstem.config.json');
    fs.writeFileSync(config, JSON.stringify({ inbox: 'inbox', database: 'db.duckdb', municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }] }));
    const sink = Object.assign(new (await import('node:stream')).Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
    const first = await runBatchDetailed({ configPath: config, outDir: path.join(dir, 'out1'), asOf: '2026-11-27T05:00:00Z', stream: sink });
    expect(first.summary!.warnings.filter((w) => w.startsWith('ingen nye filer'))).toEqual([]);
    expect(first.summary!.deliveries).toEqual([{ municipality: '101', kind: 'fbs_fees', lastExportDate: '2026-11-26', overdue: false }]);
    expect(first.summary!.suggestions).toEqual({ payment_for_transaction: 0, claim_for_fee: 0 });
    const second = await runBatchDetailed({ configPath: config, outDir: path.join(dir, 'out2'), asOf: '2026-12-02T05:00:00Z', stream: sink });
    const note = 'ingen nye filer siden 26. november: kørslen har ikke indlæst nogen ny levering';
    expect(second.summary!.warnings).toContain(note);
    // Wednesday 2 December: 27, 30 November, 1, 2 December are 4 banking days after the 26th
    expect(second.summary!.deliveries).toEqual([{ municipality: '101', kind: 'fbs_fees', lastExportDate: '2026-11-26', overdue: true }]);
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'out2', 'summary.json'), 'utf8'));
    expect(written.deliveries).toEqual(second.summary!.deliveries);
    expect(written.warnings).toContain(note);
    const report = fs.readFileSync(path.join(dir, 'out2', 'report.html'), 'utf8');
    expect(report).toContain(note);
    expect(report).toContain('København har ikke leveret gebyrer (fbs_fees) siden 26. november');
    expect(fs.readFileSync(path.join(dir, 'out2', 'waves.csv'), 'utf8')).toContain('leverancer mangler: gebyrer (fbs_fees) siden 26. november');
  });
});

describe('the rules that read each kind (RULES.md §7)', () => {
  // the contract's list for its rules R01–R22, written out by hand; the marks come from the catalog's `reads`
  const READS: Record<string, string[]> = {
    fbs_fees: ['R01', 'R04', 'R05', 'R06', 'R07', 'R18', 'R19', 'R20'],
    fbs_adjustments: ['R05'],
    debitor_claims: ['R01', 'R02', 'R03', 'R04', 'R05', 'R06', 'R08', 'R09', 'R16', 'R18', 'R19', 'R21', 'R22'],
    debitor_adjustments: ['R05', 'R16', 'R18', 'R19'],
    debitor_payments: ['R10', 'R11', 'R12', 'R13', 'R14', 'R15', 'R17'],
    debitor_coverages: ['R14', 'R15', 'R16', 'R17', 'R18', 'R19'],
    psp_invoices: ['R09'],
    psp_transactions: ['R10', 'R11', 'R12', 'R13'],
    borgerblikket_claims: ['R21', 'R22'],
  };
  const DA: Record<string, string> = {
    fbs_fees: 'gebyrer', fbs_adjustments: 'reguleringer', debitor_claims: 'fordringer', debitor_adjustments: 'nedreguleringer',
    debitor_payments: 'indbetalinger', debitor_coverages: 'dækninger', psp_invoices: 'fakturabilag',
    psp_transactions: 'betalinger i betalingsløsningen', borgerblikket_claims: 'Mit Overblik-udtræk',
  };

  it('the catalog says of each rule of the contract the kinds RULES.md §7 lists', () => {
    const contract = new Set(Object.values(READS).flat());
    expect(contract.size).toBe(22);
    for (const [kind, rules] of Object.entries(READS)) {
      expect(RULES.filter((r) => contract.has(r.code) && r.reads.includes(kind)).map((r) => r.code), kind).toEqual(rules);
    }
  });

  it('marks every open discrepancy of every rule with exactly the overdue kinds its rule reads, in kind order', async () => {
    const books = await allRulesBooks();
    try {
      const kinds = Object.keys(READS);
      // every kind of 101 and 561 last delivered on Sunday 1 November: all overdue on asOf's date 26 November
      await books.db.exec(`CREATE OR REPLACE TABLE deliveries (delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE, active BOOLEAN);
        INSERT INTO deliveries VALUES ${['101', '561'].flatMap((m, j) => kinds.map((k, i) => `(${j * 100 + i}, 'p', '${m}', '${k}', DATE '2026-11-01', true)`)).join(', ')}`);
      await books.setAsOf(ALL_RULES_AS_OF, { deliveries: { kinds } });
      await books.evaluate();
      const rows = await books.db.all<{ rule: string; municipality: string; key_id: string; overdue_cause: string | null }>(`
        SELECT d.rule, d.municipality, d.key_id, h.overdue_cause
        FROM discrepancies d LEFT JOIN discrepancy_hints h USING (municipality, rule, key_id) ORDER BY ALL`);
      expect(new Set(rows.map((r) => r.rule)).size).toBe(RULES.length);
      for (const r of rows) {
        const read = kinds.filter((k) => ruleEntry(r.rule).reads.includes(k)).sort();
        const want = read.length ? `muligvis forårsaget af, at ${read.map((k) => `${DA[k]} (${k}) ikke er leveret siden 1. november`).join(', og at ')}` : null;
        expect(r.overdue_cause, `${r.rule} ${r.key_id}`).toBe(want);
      }
    } finally {
      books.close();
    }
  });
});
