// FORMATS.md §6: the configuration is validated with zod; defaults are filled in; errors name the key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, pinnedDialect } from '../src/config.ts';

const base = {
  inbox: 'inbox',
  municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }],
};

function errorOf(json: unknown): string {
  try {
    parseConfig(json, '/etc/afstem/afstem.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('fills in the defaults and resolves paths against the file', () => {
    const c = parseConfig(base, '/etc/afstem/afstem.json');
    expect(c.databasePath).toBe('/etc/afstem/afstem.duckdb');
    expect(c.inboxPath).toBe('/etc/afstem/inbox');
    expect(c.sla).toEqual({
      fee_to_claim: { hours: 1 },
      claim_to_payable: { businessDays: 1 },
      psp_to_debitor: { businessDays: 1 },
      debitor_to_fbs: { businessDays: 2 },
    });
    expect(c.municipalities[0]).toMatchObject({ paymentSolution: 'kmd_mit_betalingsoverblik', borgerblikket: false });
  });

  it('lets the payment solution follow the debtor system', () => {
    const systems = ['kmd_opus', 'prisme_2009', 'prisme_2015', 'eg_os_indsigt'];
    const c = parseConfig(
      { ...base, municipalities: systems.map((s, i) => ({ ...base.municipalities[0], code: `10${i}`, debtorSystem: s })) },
      '/x.json',
    );
    expect(c.municipalities.map((m) => m.paymentSolution)).toEqual([
      'kmd_mit_betalingsoverblik',
      'none',
      'prisme_min_betalingsoversigt',
      'none',
    ]);
  });

  it('names the key and what is wrong', () => {
    const bad = { ...base, municipalities: [{ ...base.municipalities[0] }, { ...base.municipalities[0], code: '561', goLive: '1/6/2026' }] };
    expect(errorOf(bad)).toContain('municipalities[1].goLive: expected a date YYYY-MM-DD');
    expect(errorOf({ ...base, municipalities: [{ ...base.municipalities[0], debtorSystem: 'sap' }] })).toMatch(
      /municipalities\[0\]\.debtorSystem: .*kmd_opus/,
    );
    expect(errorOf({ ...base, sla: { fee_to_claim: { days: 1 } } })).toContain('sla.fee_to_claim: expected {"hours": N} or {"businessDays": N}');
    expect(errorOf({ ...base, dialects: { 'fbs_fees': { delimiter: '|' } } })).toContain('dialects.fbs_fees.delimiter');
    expect(errorOf({ ...base, dialects: { 'payments': {} } })).toContain('dialects.payments: expected a kind');
    expect(errorOf({ municipalities: [] })).toContain('inbox:');
    expect(errorOf({ ...base, municipalities: [base.municipalities[0], base.municipalities[0]] })).toContain(
      'municipalities[1].code: duplicate municipality code 101',
    );
  });

  it('says when the file is missing or not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-cfg-'));
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(file, '{ "inbox": ');
    expect(() => loadConfig(file)).toThrow(/is not valid JSON/);
    expect(() => loadConfig(path.join(dir, 'missing.json'))).toThrow(/cannot read configuration .*ENOENT/);
  });

  it('pins a dialect per kind, the municipality entry winning', () => {
    const c = parseConfig(
      { ...base, dialects: { debitor_payments: { decimal: ',' }, '101/debitor_payments': { delimiter: ';' } } },
      '/x.json',
    );
    expect(pinnedDialect(c, '101', 'debitor_payments')).toEqual({ delimiter: ';' });
    expect(pinnedDialect(c, '561', 'debitor_payments')).toEqual({ decimal: ',' });
    expect(pinnedDialect(c, '561', 'fbs_fees')).toEqual({});
  });
});
