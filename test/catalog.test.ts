// The rule catalog (queries/rules/catalog.json, loaded by src/pipeline/catalog.ts) and the rule SQL agree: one model
// file per catalog entry and none without, the discrepancies mart carries each rule's code and severity from its
// entry, and on books where every rule fires (test/helpers/all-rules-books.ts) every row has its key column filled
// and equal to key_id. A broken catalog is refused with the file, the entry and the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_FILE, REVERSAL_RULE, RULES, RULE_CODES, loadCatalog, ruleEntry, ruleRange } from '../src/pipeline/catalog.ts';
import { RULE_CODES as RULE_CODES_OF_RULES } from '../src/pipeline/rules.ts';
import { QUERIES_DIR, materialise, materialiseLayer } from '../src/pipeline/models.ts';
import { codeOnly, ruleReadsSql, ruleSuggestionSidesSql, ruleUnionSql } from '../src/pipeline/graph.ts';
import type { Books } from './helpers/books.ts';
import { allRulesBooks } from './helpers/all-rules-books.ts';

describe('the rule catalog and the rule files', () => {
  it('has one entry per rule R01, R02, … in order, each with a Danish name and an action', () => {
    // at least the 22 rules of RULES.md §3; the count itself is the catalog's
    expect(RULES.length).toBeGreaterThanOrEqual(22);
    expect(RULE_CODES).toEqual(Array.from({ length: RULES.length }, (_, i) => `R${String(i + 1).padStart(2, '0')}`));
    expect(ruleRange()).toBe(`R01–${RULE_CODES.at(-1)}`);
    expect(RULE_CODES_OF_RULES).toEqual(RULE_CODES);
    for (const r of RULES) {
      expect(r.file.startsWith(`${r.code}_`), r.code).toBe(true);
      expect(r.name.length, r.code).toBeGreaterThan(5);
      expect(r.action.length, r.code).toBeGreaterThan(5);
    }
    expect(() => ruleEntry('R00')).toThrow(/unknown rule R00/);
    expect(CATALOG_FILE).toBe(path.join(QUERIES_DIR, 'rules', 'catalog.json'));
    expect(REVERSAL_RULE.code).toBe('R16'); // RULES.md §4: the over-covered claims of R16
  });

  it('every file in queries/rules has a catalog entry and every entry its file', () => {
    const files = fs.readdirSync(path.join(QUERIES_DIR, 'rules')).filter((f) => f.endsWith('.sql')).sort();
    expect(files).toEqual(RULES.map((r) => `${r.file}.sql`).sort());
  });

  it('no rule file repeats the code or severity its catalog entry holds', () => {
    for (const r of RULES) {
      const code = codeOnly(fs.readFileSync(path.join(QUERIES_DIR, 'rules', `${r.file}.sql`), 'utf8'));
      expect(code, r.code).not.toMatch(/\bAS\s+(rule|severity)\b/i);
      expect(code, r.code).not.toMatch(/'(critical|warning|info)'/);
    }
  });

  it('the union names every rule table once, by name, with the severity of its entry', () => {
    const sql = ruleUnionSql();
    for (const r of RULES) {
      expect(sql.match(new RegExp(`\\bFROM rule_${r.code}\\b`, 'g')), r.code).toHaveLength(1);
      expect(sql).toContain(`SELECT '${r.code}' AS rule, '${r.severity}' AS severity, * FROM rule_${r.code}`);
    }
    expect(sql.match(/UNION ALL BY NAME/g)).toHaveLength(RULES.length - 1);
    expect(sql).not.toMatch(/UNION ALL SELECT/);
  });

  it('gives the hints mart the kinds each rule reads and the suggestion sides, from the entries', () => {
    const reads = ruleReadsSql();
    for (const r of RULES) for (const k of r.reads) expect(reads, r.code).toContain(`('${k}', '${r.code}')`);
    expect(reads.match(/\('[a-z_]+', 'R\d\d'\)/g)).toHaveLength(RULES.reduce((n, r) => n + r.reads.length, 0));
    expect(ruleSuggestionSidesSql()).toBe(
      "(SELECT * FROM (VALUES ('claim_for_fee', true, 'R01'), ('claim_for_fee', false, 'R02'), " +
        "('payment_for_transaction', true, 'R10'), ('payment_for_transaction', false, 'R11')) t(kind, is_left, rule))",
    );
  });
});

describe('loading the catalog', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-catalog-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entries = () => JSON.parse(fs.readFileSync(CATALOG_FILE, 'utf8')) as Record<string, unknown>[];
  const load = (json: unknown) => {
    const file = path.join(dir, 'catalog.json');
    fs.writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json, null, 2));
    return () => loadCatalog(file);
  };

  it('reads the entries of the file as the process did', () => {
    expect(load(entries())()).toEqual(RULES);
  });

  it('refuses a broken catalog, naming the file, the entry and the reason', () => {
    const file = path.join(dir, 'catalog.json');
    const change = (i: number, patch: Record<string, unknown>) => entries().map((e, j) => (j === i ? { ...e, ...patch } : e));
    expect(load(change(3, { severity: 'high' }))).toThrow(`${file}: entry [3] (R04).severity: `);
    expect(load(change(0, { reads: ['fbs_fees', 'fbs_feez'] }))).toThrow(`${file}: entry [0] (R01).reads[1]: `);
    expect(load(change(0, { reads: [] }))).toThrow('entry [0] (R01).reads: expected the kinds the rule reads (RULES.md §7)');
    expect(load(change(1, { colour: 'red' }))).toThrow(/entry \[1\] \(R02\): .*colour/);
    expect(load(change(2, { code: 'R01' }))).toThrow(`${file}: R01 follows R02: the rules are listed once each, in code order`);
    expect(load(change(0, { reversals: true }))).toThrow('exactly one rule says "reversals": true (the over-covered claims of RULES.md §4), not 2');
    expect(load(change(0, { reversals: true }).map((e) => (e.code === 'R16' ? { ...e, reversals: undefined } : e)))).toThrow(
      'R01: the rule of the reversal proposals is keyed by claim_id',
    );
    expect(load(change(2, { suggestion: { kind: 'claim_for_fee', side: 'left' } }))).toThrow('two rules name the suggestion side claim_for_fee left');
    expect(load('[\n  {"code": "R01",\n  }\n]')).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: not valid JSON`));
  });
});

describe('on books where every rule fires', () => {
  let b: Books;
  let rows: Record<string, unknown>[];
  const perRuleTable = new Map<string, number>();

  beforeAll(async () => {
    b = await allRulesBooks();
    // layer by layer, so that the rule tables are still there to count beside the mart
    await materialiseLayer(b.db, 'intermediate');
    await materialiseLayer(b.db, 'rules');
    for (const r of RULES) perRuleTable.set(r.code, Number(await b.db.value(`SELECT count(*) FROM rule_${r.code}`)));
    await materialise(b.db, 'marts/discrepancies.sql');
    rows = await b.db.all(`SELECT * FROM discrepancies`);
  });
  afterAll(() => b?.close());

  it('every rule fires, and the mart holds exactly the rows of each rule table', () => {
    for (const r of RULES) {
      expect(perRuleTable.get(r.code), r.code).toBeGreaterThan(0);
      expect(rows.filter((x) => x.rule === r.code).length, r.code).toBe(perRuleTable.get(r.code));
    }
    expect(rows.length).toBe([...perRuleTable.values()].reduce((a, n) => a + n, 0));
  });

  it('each row has the severity of its catalog entry and its key column filled, equal to key_id', () => {
    const wrong: string[] = [];
    for (const x of rows) {
      const r = ruleEntry(x.rule as string);
      if (x.severity !== r.severity) wrong.push(`${r.code} ${x.key_id}: severity ${x.severity}, catalog ${r.severity}`);
      if (x.key_id === null || x.key_id === '') wrong.push(`${r.code}: key_id empty`);
      if (x[r.keyColumn] !== x.key_id) wrong.push(`${r.code} ${x.key_id}: ${r.keyColumn} is ${x[r.keyColumn]}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the rows the fixture plants, with their key columns', () => {
    const keys = (code: string) => rows.filter((x) => x.rule === code).map((x) => `${x.municipality}/${x.key_id}`).sort();
    // R01 wants any fee not cancelled without a claim: the paid fees F19 and F20 have none either
    expect(keys('R01')).toEqual(['101/F01', '101/F19', '101/F20', '561/F07']);
    expect(keys('R03')).toEqual(['101/C03b']);
    expect(keys('R07')).toEqual(['561/F07']);
    expect(keys('R10')).toEqual(['101/T10']);
    expect(keys('R13')).toEqual(['101/P13b']);
    expect(keys('R17')).toEqual(['101/V17']);
    expect(keys('R22')).toEqual(['101/C04']);
  });
});
