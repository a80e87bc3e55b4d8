// The shape of the rule tables and the discrepancies mart, and the intermediate facts the latency stages read.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, payment, txn } from '../helpers/books.ts';
import { RULES } from '../../src/pipeline/catalog.ts';
import { materialise, materialiseLayer } from '../../src/pipeline/models.ts';


let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

const RULE_COLUMNS = [
  ['rule', 'VARCHAR'],
  ['severity', 'VARCHAR'],
  ['municipality', 'VARCHAR'],
  ['key_id', 'VARCHAR'],
  ['fee_id', 'VARCHAR'],
  ['claim_id', 'VARCHAR'],
  ['payment_id', 'VARCHAR'],
  ['psp_txn_id', 'VARCHAR'],
  ['coverage_id', 'VARCHAR'],
  ['amount', 'DECIMAL(38,2)'], // a sum of amounts (an over-covered claim, an over-applied payment) may pass DECIMAL(18,2)
  ['detail', 'VARCHAR'],
  ['lineage', 'VARCHAR'],
  ['arose_at', 'TIMESTAMP'],
];
/** The discrepancies mart adds the age (RULES.md §5) to what the rule tables select. */
const MART_COLUMNS = [...RULE_COLUMNS, ['age_banking_days', 'INTEGER']];

describe('rule tables and the discrepancies mart', () => {
  it('every rule table of the catalog has the contract columns less rule and severity, discrepancies all of them, even when empty', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    // layer by layer, so that the rule tables are still there (the full step drops them once the union has read them)
    await materialiseLayer(b.db, 'intermediate');
    await materialiseLayer(b.db, 'rules');
    for (const r of RULES) {
      const t = `rule_${r.code}`;
      const cols = await b.db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${t}`);
      expect(cols.map((c) => [c.column_name, c.column_type]), t).toEqual(RULE_COLUMNS.slice(2));
    }
    await materialise(b.db, 'marts/discrepancies.sql');
    const cols = await b.db.all<{ column_name: string; column_type: string }>(`DESCRIBE discrepancies`);
    expect(cols.map((c) => [c.column_name, c.column_type])).toEqual(MART_COLUMNS);
  });

  it('discrepancies is the union sorted by rule, municipality, key and carries no CPR number', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('FB', '2026-11-26 09:00:00', '10.00', { debtor_party: '311299-1234', reason: 'CPR 3112991234' }));
    await b.add('fbs_fees', fee('FA', '2026-11-26 09:00:00', '10.00', { municipality: '621', debtor_party: '3112991234' }));
    await b.add('fbs_fees', fee('FC', '2026-11-26 09:00:00', '10.00', { municipality: '561' }));
    await b.add('debitor_claims', claim('CZ', null, '2026-11-20 08:00:00', '5.00', { debtor_party: '3112991234' }));
    await b.add('debitor_payments', payment('P1', '2026-11-21 08:00:00', '5.00', { debtor_party: '3112991234' }));
    await b.evaluate();
    const rows = await b.db.all<{ rule: string; municipality: string; key_id: string; detail: string; lineage: string }>(
      'SELECT rule, municipality, key_id, detail, lineage FROM discrepancies',
    );
    expect(rows.map((r) => [r.rule, r.municipality, r.key_id])).toEqual([
      ['R01', '101', 'FB'],
      ['R01', '561', 'FC'],
      ['R01', '621', 'FA'],
      ['R02', '101', 'CZ'],
      ['R09', '101', 'CZ'],
      ['R14', '101', 'P1'],
    ]);
    for (const r of rows) {
      expect(r.detail).not.toMatch(/\d{6}-?\d{4}/);
      expect(r.detail.length).toBeGreaterThan(20);
    }
  });
});

describe('one book where every rule fires', () => {
  it('each rule of RULES.md §3 (R01-R22) fires with its severity there, which is its catalog entry\'s', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    const paid = (source: string) => ({ status: 'paid', paid_at: '2026-11-25 12:00:00', payment_source: source });
    await b.add(
      'fbs_fees',
      fee('A1', '2026-11-26 09:00:00', '10.00'),
      fee('A3', '2026-11-20 08:00:00', '10.00'),
      fee('A4', '2026-11-20 08:00:00', '100.00'),
      fee('A5', '2026-11-20 08:00:00', '100.00'),
      fee('A6', '2026-11-20 08:00:00', '10.00', { patron_type: 'child_cpr' }),
      fee('A7', '2026-11-20 08:00:00', '10.00', { municipality: '561', patron_type: 'adult_replacement_cpr' }),
      fee('A18', '2026-11-20 08:00:00', '10.00'),
      fee('A19', '2026-11-20 08:00:00', '10.00', paid('debitor')),
      fee('A20', '2026-11-20 08:00:00', '10.00', paid('cash')),
    );
    await b.add('fbs_adjustments', { adjustment_id: 'J5', fee_id: 'A5', amount: '10.00', created_at: '2026-11-25 10:00:00' });
    await b.add(
      'debitor_claims',
      claim('B2', null, '2026-11-26 11:00:00', '10.00'),
      claim('B3A', 'A3', '2026-11-20 09:00:00', '10.00'),
      claim('B3B', 'A3', '2026-11-20 10:00:00', '10.00'),
      claim('B4', 'A4', '2026-11-20 09:00:00', '90.00'),
      claim('B5', 'A5', '2026-11-20 09:00:00', '100.00'),
      claim('B6', 'A6', '2026-11-20 09:00:00', '10.00'),
      claim('B8', null, '2026-11-20 09:00:00', '10.00', { account_type: 'library_fees_minor_without_oa', collection_sent_at: '2026-11-25 09:00:00' }),
      claim('B16', null, '2026-11-20 09:00:00', '50.00'),
      claim('B18', 'A18', '2026-11-20 09:00:00', '10.00'),
      claim('B21', null, '2026-11-20 09:00:00', '10.00'),
      claim('B22', null, '2026-11-20 09:00:00', '10.00'),
    );
    await b.add(
      'psp_transactions',
      txn('T10', '2026-11-20 10:00:00', '10.00'),
      txn('T12', '2026-11-20 10:00:00', '100.00'),
      txn('T13', '2026-11-20 10:00:00', '10.00'),
    );
    await b.add(
      'debitor_payments',
      payment('P11', '2026-11-21 10:00:00', '10.00', { channel: 'psp', psp_txn_ref: 'NOPE' }),
      payment('P12', '2026-11-21 10:00:00', '90.00', { channel: 'psp', psp_txn_ref: 'T12' }),
      payment('P13A', '2026-11-21 10:00:00', '10.00', { channel: 'psp', psp_txn_ref: 'T13' }),
      payment('P13B', '2026-11-21 11:00:00', '10.00', { channel: 'psp', psp_txn_ref: 'T13' }),
      payment('P15', '2026-11-21 10:00:00', '50.00'),
      payment('P17', '2026-11-21 10:00:00', '10.00', { reversed_at: '2026-11-22 10:00:00' }),
      payment('P18', '2026-11-20 10:00:00', '10.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('V15', 'P15', 'B16', '2026-11-21 10:00:00', '60.00'),
      coverage('V17', 'P17', 'B21', '2026-11-21 10:00:00', '5.00'),
      coverage('V18', 'P18', 'B18', '2026-11-20 10:00:00', '10.00'),
    );
    await b.add('borgerblikket_claims', { claim_id: 'B22', shown_outstanding: '1.00', extracted_at: '2026-11-25 06:00:00' });
    await b.evaluate();
    const got = await b.db.all<{ rule: string; severity: string }>('SELECT DISTINCT rule, severity FROM discrepancies ORDER BY rule');
    // the contract's table: its 22 rules, whatever the catalog holds besides them
    const critical = ['R01', 'R03', 'R04', 'R08', 'R10', 'R12', 'R13', 'R15', 'R16', 'R17', 'R19'];
    const info = ['R14'];
    const contract = Array.from({ length: 22 }, (_, i) => {
      const rule = `R${String(i + 1).padStart(2, '0')}`;
      return { rule, severity: critical.includes(rule) ? 'critical' : info.includes(rule) ? 'info' : 'warning' };
    });
    const ofContract = (rows: { rule: string; severity: string }[]) => rows.filter((r) => contract.some((c) => c.rule === r.rule));
    expect(ofContract(got)).toEqual(contract);
    expect(ofContract(RULES.map((r) => ({ rule: r.code, severity: r.severity })))).toEqual(contract);
  });
});

describe('intermediate facts for the latency stages', () => {
  it('completion instant: running sum of active coverages by (covered_at, coverage_id) first reaching net', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'), fee('F2', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-20 08:30:00', '100.00'), claim('C2', 'F2', '2026-11-20 08:30:00', '100.00'));
    await b.add('debitor_payments', payment('P1', '2026-11-21 08:00:00', '500.00'));
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C1', '2026-11-21 10:00:00', '60.00'),
      coverage('V2', 'P1', 'C1', '2026-11-21 11:00:00', '60.00', { reversed_at: '2026-11-22 11:00:00' }),
      coverage('V3', 'P1', 'C1', '2026-11-21 12:00:00', '40.00'),
      coverage('W1', 'P1', 'C2', '2026-11-21 10:00:00', '60.00'),
      coverage('W2', 'P1', 'C2', '2026-11-21 11:00:00', '60.00'),
    );
    await b.add('psp_invoices', { invoice_id: 'I2', claim_id: 'C1', amount: '100.00', published_at: '2026-11-20 10:00:00' });
    await b.add('psp_invoices', { invoice_id: 'I1', claim_id: 'C1', amount: '100.00', published_at: '2026-11-20 09:00:00' });
    await b.evaluate();
    expect(
      await b.db.all(
        `SELECT claim_id, net, covered, outstanding, completed_at, first_published_at FROM int_claims ORDER BY claim_id`,
      ),
    ).toEqual([
      { claim_id: 'C1', net: '100.00', covered: '100.00', outstanding: '0.00', completed_at: '2026-11-21 12:00:00', first_published_at: '2026-11-20 09:00:00' },
      { claim_id: 'C2', net: '100.00', covered: '120.00', outstanding: '-20.00', completed_at: '2026-11-21 11:00:00', first_published_at: null },
    ]);
    expect(await b.db.all(`SELECT fee_id, in_scope, status, claim_id, claim_completed_at FROM int_fees ORDER BY fee_id`)).toEqual([
      { fee_id: 'F1', in_scope: true, status: 'open', claim_id: 'C1', claim_completed_at: '2026-11-21 12:00:00' },
      { fee_id: 'F2', in_scope: true, status: 'open', claim_id: 'C2', claim_completed_at: '2026-11-21 11:00:00' },
    ]);
  });

  it('completion instant with one active coverage: at that coverage when it reaches net > 0, else none', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F3', '2026-11-20 08:00:00', '100.00'), fee('F4', '2026-11-20 08:00:00', '100.00'), fee('F5', '2026-11-20 08:00:00', '100.00'));
    await b.add(
      'debitor_claims',
      claim('C3', 'F3', '2026-11-20 08:30:00', '100.00'),
      claim('C4', 'F4', '2026-11-20 08:30:00', '100.00'),
      claim('C5', 'F5', '2026-11-20 08:30:00', '100.00'),
    );
    await b.add('debitor_adjustments', { adjustment_id: 'D5', claim_id: 'C5', amount: '100.00', registered_at: '2026-11-20 09:00:00' });
    await b.add('debitor_payments', payment('P1', '2026-11-21 08:00:00', '500.00'));
    await b.add(
      'debitor_coverages',
      coverage('V3', 'P1', 'C3', '2026-11-21 10:00:00', '100.00'), // exactly net
      coverage('V4', 'P1', 'C4', '2026-11-21 10:00:00', '99.99'), // one øre short
      coverage('V5', 'P1', 'C5', '2026-11-21 10:00:00', '10.00'), // net 0: never completed
    );
    await b.evaluate();
    expect(await b.db.all(`SELECT claim_id, net, covered, completed_at FROM int_claims ORDER BY claim_id`)).toEqual([
      { claim_id: 'C3', net: '100.00', covered: '100.00', completed_at: '2026-11-21 10:00:00' },
      { claim_id: 'C4', net: '100.00', covered: '99.99', completed_at: null },
      { claim_id: 'C5', net: '0.00', covered: '10.00', completed_at: null },
    ]);
  });

  it('fee status and net come from timestamps as of asOf; adjustments floor the net at 0', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'fbs_fees',
      fee('F1', '2026-11-20 08:00:00', '100.00', { status: 'paid', paid_at: '2026-11-27 08:00:00', payment_source: 'debitor' }),
      fee('F2', '2026-11-20 08:00:00', '100.00', { status: 'cancelled', cancelled_at: '2026-11-21 08:00:00' }),
      fee('F3', '2026-11-20 08:00:00', '100.00'),
      fee('F4', '2026-11-20 08:00:00', '100.00', { status: 'paid', paid_at: '2026-11-21 08:00:00', payment_source: 'cash' }),
    );
    await b.add(
      'fbs_adjustments',
      { adjustment_id: 'A1', fee_id: 'F3', amount: '80.00', created_at: '2026-11-21 08:00:00' },
      { adjustment_id: 'A2', fee_id: 'F3', amount: '30.00', created_at: '2026-11-22 08:00:00' },
      { adjustment_id: 'A3', fee_id: 'F1', amount: '30.00', created_at: '2026-11-26 12:00:01' },
      { adjustment_id: 'A4', fee_id: 'F4', amount: '0.01', created_at: '2026-11-20 09:00:00' },
    );
    await b.evaluate();
    expect(await b.db.all(`SELECT fee_id, status, paid_at, net FROM int_fees ORDER BY fee_id`)).toEqual([
      { fee_id: 'F1', status: 'open', paid_at: null, net: '100.00' },
      { fee_id: 'F2', status: 'cancelled', paid_at: null, net: '0.00' },
      { fee_id: 'F3', status: 'open', paid_at: null, net: '0.00' },
      { fee_id: 'F4', status: 'paid', paid_at: '2026-11-21 08:00:00', net: '99.99' },
    ]);
  });

  it('a transaction carries its matched payment booked_at', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('psp_transactions', txn('T1', '2026-11-20 08:00:00', '10.00'), txn('T2', '2026-11-20 08:00:00', '10.00'));
    await b.add(
      'debitor_payments',
      payment('P2', '2026-11-21 09:00:00', '10.00', { channel: 'psp', psp_txn_ref: 'T1' }),
      payment('P1', '2026-11-21 10:00:00', '10.00', { channel: 'psp', psp_txn_ref: 'T1' }),
    );
    await b.evaluate();
    expect(await b.db.all(`SELECT txn_id, captured, payment_id, payment_booked_at, n_payments FROM int_transactions ORDER BY txn_id`)).toEqual([
      { txn_id: 'T1', captured: true, payment_id: 'P2', payment_booked_at: '2026-11-21 09:00:00', n_payments: 2 },
      { txn_id: 'T2', captured: true, payment_id: null, payment_booked_at: null, n_payments: 0 },
    ]);
  });
});
