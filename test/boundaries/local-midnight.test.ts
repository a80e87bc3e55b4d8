// Local midnight: instants between 00:00 and 02:00 Copenhagen time, when the UTC date is still the day before
// (RULES.md §1: asOf's date is the Copenhagen date of the last instant before asOf; §6: "+ 5 banking days" counts from
// the Copenhagen date, at the same Copenhagen time of day; §7: deliveries; FORMATS.md §8: a follow-up date has
// passed when asOf's date is after it; the export's and the audit's --from/--to are Copenhagen dates). Copenhagen is
// UTC+1 in November and December, UTC+2 in June. Expected values worked out by hand from the calendar.
// And a debtor written with the hyphen on one side only is the same debtor (RULES.md §6).
//
// Checked against broken code (each break made by hand, the test run, the break undone): asOf's date taken as the
// UTC date (context.ts `as_of_date` = CAST(as_of - 1µs AS DATE)) fails "deliveries"; handling_due against the UTC
// date (handling/lifecycle.ts asOfDateSql) fails "follow-up dates"; `cph_local(…)` → the UTC instant in
// int_suggest_claim_for_fee.sql or int_suggest_payment_for_transaction.sql fails "suggestion windows" (the window
// ended a day late: C-W2 and P-W2 were suggested); the hyphen dropped on one side only (`replace(b.debtor_party, '-',
// '')` → `b.debtor_party` in `lefts` or in `rights`) fails "a debtor written with the hyphen"; the export's or the
// audit's local date taken as the UTC date, or either bound made exclusive, fails "--from/--to".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, claim, fee, payment, txn } from '../helpers/books.ts';
import { readDeliveries } from '../../src/pipeline/suggestions.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { applyHandling } from '../../src/handling/store.ts';
import { selectExportRows } from '../../src/export/rows.ts';
import { readTrail } from '../../src/commands/audit.ts';

const REGISTRY = `
  CREATE OR REPLACE TABLE deliveries (delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE, status VARCHAR, active BOOLEAN);
  INSERT INTO deliveries VALUES
    (1, '101/fbs_fees_2026-11-26.csv', '101', 'fbs_fees', '2026-11-26', 'loaded', true),
    (2, '101/fbs_fees_2026-11-28.csv', '101', 'fbs_fees', '2026-11-28', 'loaded', true),
    (3, '101/debitor_payments_2026-11-24.csv', '101', 'debitor_payments', '2026-11-24', 'loaded', true);`;

describe('deliveries at local midnight', () => {
  let b: Books;
  beforeAll(async () => {
    b = await Books.open('2026-11-20T12:00:00Z');
    await b.db.exec(REGISTRY);
  });
  afterAll(() => b?.close());
  const at = async (asOf: string) => {
    await b.setAsOf(asOf);
    await b.evaluate();
    return Object.fromEntries((await readDeliveries(b.db)).map((d) => [d.kind, [d.lastExportDate, d.overdue]]));
  };

  it('the export of 28 November counts from 00:00 on 28 November Copenhagen time (23:00Z), not from 00:00Z', async () => {
    expect((await at('2026-11-27T22:59:59Z')).fbs_fees).toEqual(['2026-11-26', false]);
    expect((await at('2026-11-27T23:30:00Z')).fbs_fees).toEqual(['2026-11-28', false]);
  });

  it('payments last delivered Tuesday 24 November are overdue from 00:00 on Friday 27 November (the 3rd banking day after)', async () => {
    expect((await at('2026-11-26T22:59:59Z')).debitor_payments).toEqual(['2026-11-24', false]);
    expect((await at('2026-11-26T23:00:00.001Z')).debitor_payments).toEqual(['2026-11-24', true]);
    expect((await at('2026-11-26T23:45:00Z')).debitor_payments).toEqual(['2026-11-24', true]);
  });
});

describe('suggestion windows from an instant just after local midnight', () => {
  let b: Books;
  let pairs: string[];
  beforeAll(async () => {
    b = await Books.open('2026-12-20T12:00:00Z');
    // Saturday 28 November 00:30 Copenhagen (Friday 23:30Z): + 5 banking days from Saturday = Friday 4 December 00:30
    // Copenhagen = Thursday 3 December 23:30Z, the window's inclusive end.
    await b.add('fbs_fees',
      fee('F-W1', '2026-11-27 23:30:00', '300.00', { debtor_party: '0202801111' }),
      fee('F-W2', '2026-11-27 23:30:00', '310.00', { debtor_party: '0202802222' }),
      // Friday 5 June 00:30 CEST (Thursday 22:30Z), a closing day: from it + 5 banking days = Friday 12 June 00:30 = Thursday 11 June 22:30Z
      fee('F-W3', '2026-06-04 22:30:00', '320.00', { debtor_party: '0202803333' }),
      fee('F-W4', '2026-06-04 22:30:00', '330.00', { debtor_party: '0202804444' }));
    await b.add('debitor_claims',
      claim('C-W1', null, '2026-12-03 23:30:00', '300.00', { debtor_party: '0202801111' }),
      claim('C-W2', null, '2026-12-03 23:45:00', '310.00', { debtor_party: '0202802222' }),
      claim('C-W3', null, '2026-06-11 22:30:00', '320.00', { debtor_party: '0202803333' }),
      claim('C-W4', null, '2026-06-11 22:45:00', '330.00', { debtor_party: '0202804444' }));
    await b.add('psp_transactions', txn('T-W1', '2026-11-27 23:30:00', '200.00'), txn('T-W2', '2026-11-27 23:30:00', '210.00'));
    await b.add('debitor_payments',
      payment('P-W1', '2026-12-03 23:30:00', '200.00', { channel: 'psp' }),
      payment('P-W2', '2026-12-03 23:45:00', '210.00', { channel: 'psp' }));
    await b.evaluate();
    pairs = (await b.db.all<{ p: string }>(`SELECT left_id || ' ' || right_id AS p FROM suggestions ORDER BY p`)).map((r) => r.p);
  });
  afterAll(() => b?.close());

  it('pairs at the window\'s end, not a quarter of an hour after it', () => {
    expect(pairs).toEqual(['F-W1 C-W1', 'F-W3 C-W3', 'T-W1 P-W1']);
  });
});

describe('a debtor written with the hyphen on one side only', () => {
  it('is the same debtor, whichever side has it', async () => {
    const b = await Books.open('2026-12-20T12:00:00Z');
    try {
      await b.add('fbs_fees',
        fee('F-H1', '2026-12-01 10:00:00', '45.00', { debtor_party: '010180-1234' }),
        fee('F-H2', '2026-12-01 10:00:00', '55.00', { debtor_party: '0101805678' }),
        fee('F-H3', '2026-12-01 10:00:00', '65.00', { debtor_party: '0101809999' }));
      await b.add('debitor_claims',
        claim('C-H1', 'TYPO-1', '2026-12-01 12:00:00', '45.00', { debtor_party: '0101801234' }),
        claim('C-H2', 'TYPO-2', '2026-12-01 12:00:00', '55.00', { debtor_party: '010180-5678' }),
        // another debtor: never a pair
        claim('C-H3', 'TYPO-3', '2026-12-01 12:00:00', '65.00', { debtor_party: '010180-9998' }));
      await b.evaluate();
      expect((await b.db.all<{ p: string }>(`SELECT left_id || ' ' || right_id AS p FROM suggestions ORDER BY p`)).map((r) => r.p))
        .toEqual(['F-H1 C-H1', 'F-H2 C-H2']);
    } finally {
      b.close();
    }
  });
});

describe('follow-up dates coming due, and --from/--to, at local midnight', () => {
  let b: Books;
  const due = async (asOf: string, runSeq: number) => {
    await b.setAsOf(asOf);
    await b.evaluate();
    await updateLifecycle(b.db, runSeq, new Date(asOf), `run-${runSeq}`);
    return Object.fromEntries((await b.db.all<{ key_id: string; handling_due: boolean }>(`SELECT key_id, handling_due FROM discrepancy_states ORDER BY key_id`))
      .map((r) => [r.key_id, r.handling_due]));
  };
  beforeAll(async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F-D1', '2026-11-20 09:00:00', '10.00'), fee('F-D2', '2026-11-20 09:00:00', '20.00'));
    await due('2026-11-26T12:00:00Z', 1);
    const r = await applyHandling(b.db, [
      { edit: { caseRef: 'S-1', status: 'awaiting', assignee: null, note: null, followUp: '2026-11-27' }, by: 'anna', source: 'kommandolinje' },
      { edit: { caseRef: 'S-2', status: 'awaiting', assignee: null, note: null, followUp: '2026-11-28' }, by: 'anna', source: 'kommandolinje' },
    ], { now: new Date('2026-11-27T23:30:00Z') }); // 00:30 on 28 November in Copenhagen
    expect(r.applied).toBe(2);
  });
  afterAll(() => b?.close());

  it('a follow-up date of 27 November is due from 00:00 on 28 November Copenhagen time (27 November 23:00Z)', async () => {
    expect(await due('2026-11-27T23:00:00Z', 2)).toEqual({ 'F-D1': false, 'F-D2': false }); // asOf's date is still 27 November
    expect(await due('2026-11-27T23:30:00Z', 3)).toEqual({ 'F-D1': true, 'F-D2': false });
  });

  it('the export\'s --from/--to and the audit\'s take the Copenhagen date of first_seen and of the change', async () => {
    // F-D1 and F-D2 were first seen at 12:00Z on 26 November; run 3 (23:30Z on 27 November) is on 28 November
    await b.add('fbs_fees', fee('F-D3', '2026-11-20 09:00:00', '30.00'));
    await due('2026-11-27T23:40:00Z', 4);
    const keys = async (f: { from?: string; to?: string }) => (await selectExportRows(b.db, f)).map((r) => r.fee_id);
    // each bound inclusive
    expect(await keys({ from: '2026-11-28' })).toEqual(['F-D3']);
    expect(await keys({ from: '2026-11-27', to: '2026-11-27' })).toEqual([]);
    expect(await keys({ to: '2026-11-26' })).toEqual(['F-D1', 'F-D2']);
    expect((await readTrail(b.db, { from: '2026-11-28', to: '2026-11-28' })).map((t) => t.case_ref)).toEqual(['S-1', 'S-2']);
    expect(await readTrail(b.db, { to: '2026-11-27' })).toEqual([]);
  });
});
