// Suggested matches (RULES.md §6, suggestions.csv of FORMATS.md §7) on hand-made books: for each kind a pair that is
// suggested and the near misses that are not (one øre apart, another debtor, one minute outside the window, a
// closing day inside the window moving its end, a reversed payment, a matched or cancelled item, another
// municipality), several candidates ranked by the exact time apart then right id as text, the exact reason strings,
// hours rounded half away from zero, the best suggestion beside each open discrepancy, suggestions.csv and the counts.
// Expected values are worked out by hand from the contract: times are UTC, Copenhagen is UTC+1 in winter, UTC+2 in
// summer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, claim, fee, payment, txn } from './helpers/books.ts';
import { writeSuggestions } from '../src/outputs/write.ts';
import { suggestionCounts } from '../src/pipeline/suggestions.ts';

const AS_OF = '2026-12-30T12:00:00Z';
const psp = (id: string, booked: string, amount: string, extra: Record<string, string> = {}) => payment(id, booked, amount, { channel: 'psp', ...extra });

let b: Books;
type Row = { municipality: string; kind: string; left_id: string; right_id: string; amount: string; hours_apart: string; rank: number; reason: string };
let rows: Row[];

beforeAll(async () => {
  b = await Books.open(AS_OF);
  // --- payment_for_transaction ---
  // TX-A: paid Friday 20 November 14:00 Copenhagen (13:00Z); its window ends Friday 27 November 14:00 (13:00Z).
  await b.add('psp_transactions', txn('TX-A', '2026-11-20 13:00:00', '1675.00'));
  await b.add(
    'debitor_payments',
    // 26 h 30 min 18 s = 26.505 h: 26.51 (half away from zero); P10 and P9 at the same instant: right id as text, P10 first
    psp('P9', '2026-11-21 15:30:18', '1675.00'),
    psp('P10', '2026-11-21 15:30:18', '1675.00', { psp_txn_ref: 'TX-TYPO' }),
    // one second later, also 26.51 when rounded: ranked by the exact difference, so after P9 although 'P3' < 'P9'
    psp('P3', '2026-11-21 15:30:19', '1675.00'),
    // exactly at the window's end (5 banking days, same time of day): in
    psp('P2', '2026-11-27 13:00:00', '1675.00'),
    // near misses: one minute after the end, one minute before paid_at, one øre apart, reversed, not a psp booking
    psp('PX-LATE', '2026-11-27 13:01:00', '1675.00'),
    psp('PX-EARLY', '2026-11-20 12:59:00', '1675.00'),
    psp('PX-OERE', '2026-11-21 15:30:00', '1675.01'),
    psp('PX-REV', '2026-11-21 16:00:00', '1675.00', { reversed_at: '2026-11-23 09:00:00' }),
    payment('PX-BANK', '2026-11-21 16:00:00', '1675.00'),
  );
  // TX-B: Friday 18 December 14:00; the 24th and 25th are closing days, so + 5 banking days is Tuesday 29 December 14:00
  await b.add('psp_transactions', txn('TX-B', '2026-12-18 13:00:00', '250.00'));
  // PB-0 at the very instant of the payment: the window includes its start
  await b.add('debitor_payments', psp('PB-0', '2026-12-18 13:00:00', '250.00'), psp('PB-1', '2026-12-29 13:00:00', '250.00'), psp('PBX-LATE', '2026-12-29 13:01:00', '250.00'));
  // TX-C: Friday 23 October 14:00 summer time (12:00Z); + 5 banking days is Friday 30 October 14:00 winter time (13:00Z),
  // 169 hours later: the same Copenhagen time of day, not 7 × 24 hours
  await b.add('psp_transactions', txn('TX-C', '2026-10-23 12:00:00', '300.00'));
  await b.add('debitor_payments', psp('PC-1', '2026-10-30 13:00:00', '300.00'), psp('PCX-LATE', '2026-10-30 13:01:00', '300.00'));
  // one payment, two transactions before it: each transaction's rank 1; the payment's best is the nearer (TX-G2)
  await b.add('psp_transactions', txn('TX-G1', '2026-12-01 10:00:00', '700.00'), txn('TX-G2', '2026-12-01 11:00:00', '700.00'));
  await b.add('debitor_payments', psp('PG', '2026-12-01 12:00:00', '700.00'));
  // a tie for the payment: the smaller left id is its best (TX-H1)
  await b.add('psp_transactions', txn('TX-H2', '2026-12-02 10:00:00', '800.00'), txn('TX-H1', '2026-12-02 10:00:00', '800.00'));
  await b.add('debitor_payments', psp('PH', '2026-12-02 12:00:00', '800.00'));
  // not a left item: refunded, or matched by its reference; not a pair: another municipality
  await b.add('psp_transactions', txn('TX-REFUND', '2026-12-03 10:00:00', '520.00', { status: 'refunded' }), txn('TX-M', '2026-12-03 10:00:00', '600.00'));
  await b.add('debitor_payments', psp('PE', '2026-12-03 11:00:00', '520.00'), psp('PM', '2026-12-03 11:00:00', '600.00', { psp_txn_ref: 'TX-M' }), psp('PM2', '2026-12-03 11:00:00', '600.00'));
  // a payment whose reference names a transaction (its own, TX-R) is not R11's: no suggestion for TX-U of the same amount
  await b.add('psp_transactions', txn('TX-R', '2026-12-03 10:00:00', '640.00'), txn('TX-U', '2026-12-03 09:00:00', '640.00'));
  await b.add('debitor_payments', psp('PR', '2026-12-03 11:00:00', '640.00', { psp_txn_ref: 'TX-R' }));
  await b.add('psp_transactions', txn('TX-621', '2026-12-04 10:00:00', '410.00', { municipality: '621' }));
  await b.add('debitor_payments', psp('P-101', '2026-12-04 11:00:00', '410.00'));
  // ids a spreadsheet or a CPR check must not see as they are
  await b.add('psp_transactions', txn('1503851234', '2026-12-07 10:00:00', '12345.60', { municipality: '621' }));
  await b.add('debitor_payments', psp('@P621', '2026-12-07 10:45:00', '12345.60', { municipality: '621' }));

  // --- claim_for_fee ---
  // F-A: created Friday 20 November 14:00; C-A1 names no fee, its debtor written with a hyphen
  await b.add('fbs_fees', fee('F-A', '2026-11-20 13:00:00', '1675.00'));
  await b.add(
    'debitor_claims',
    claim('C-A1', null, '2026-11-21 15:30:00', '1675.00', { debtor_party: '010180-1234' }),
    claim('C-A2', 'F-TYPO', '2026-11-27 13:00:00', '1675.00'),
    claim('CX-LATE', null, '2026-11-27 13:01:00', '1675.00'),
    claim('CX-EARLY', null, '2026-11-20 12:59:00', '1675.00'),
    claim('CX-OERE', null, '2026-11-21 15:30:00', '1674.99'),
    claim('CX-OTHER', null, '2026-11-21 15:30:00', '1675.00', { debtor_party: '0202801234' }),
  );
  // F-B: Friday 18 December 14:00; the end moves over Christmas to Tuesday 29 December 14:00
  await b.add('fbs_fees', fee('F-B', '2026-12-18 13:00:00', '250.00', { debtor_party: '12345678', patron_type: 'company_cvr' }));
  await b.add('debitor_claims', claim('C-B0', null, '2026-12-18 13:00:00', '250.00', { debtor_party: '12345678' }), claim('C-B1', '', '2026-12-29 13:00:00', '250.00', { debtor_party: '12345678' }), claim('CBX-LATE', null, '2026-12-29 13:01:00', '250.00', { debtor_party: '12345678' }));
  // not left items: a cancelled fee, a fee before go-live (not in scope), a fee with its claim
  await b.add(
    'fbs_fees',
    fee('F-CAN', '2026-12-01 13:00:00', '90.00', { status: 'cancelled', cancelled_at: '2026-12-01 15:00:00' }),
    fee('F-OLD', '2026-04-10 08:00:00', '95.00'),
    fee('F-OK', '2026-12-01 13:00:00', '99.00'),
  );
  await b.add(
    'debitor_claims',
    claim('C-CAN', null, '2026-12-01 14:00:00', '90.00'),
    claim('C-OLD', null, '2026-04-10 09:00:00', '95.00'),
    claim('C-OK', 'F-OK', '2026-12-01 14:00:00', '99.00'),
    claim('C-OK2', null, '2026-12-01 14:00:00', '99.00'),
  );
  await b.evaluate();
  rows = await b.db.all<Row>(`SELECT municipality, kind, left_id, right_id, amount::VARCHAR AS amount, hours_apart::VARCHAR AS hours_apart,
    rank::INTEGER AS rank, reason FROM suggestions ORDER BY municipality, kind, left_id, rank`);
});

afterAll(() => b.close());

const pairs = (kind: string, left: string) => rows.filter((r) => r.kind === kind && r.left_id === left).map((r) => [r.right_id, r.rank, r.hours_apart]);

describe('payment_for_transaction', () => {
  it('ranks every candidate by the exact time apart, then right id as text; the window includes its end', () => {
    expect(pairs('payment_for_transaction', 'TX-A')).toEqual([
      ['P10', 1, '26.51'],
      ['P9', 2, '26.51'],
      ['P3', 3, '26.51'],
      ['P2', 4, '168.00'],
    ]);
  });

  it('says why in the contract\'s words, the amount with a thousands point', () => {
    const r = rows.find((x) => x.right_id === 'P10')!;
    expect(r).toMatchObject({ municipality: '101', amount: '1675.00', reason: 'samme beløb 1.675,00 kr., bogført 26,51 timer efter betalingen' });
    expect(rows.find((x) => x.right_id === 'P2')!.reason).toBe('samme beløb 1.675,00 kr., bogført 168,00 timer efter betalingen');
  });

  it('a closing day inside the window moves its end; the same Copenhagen time of day across the change to winter time', () => {
    expect(pairs('payment_for_transaction', 'TX-B')).toEqual([['PB-0', 1, '0.00'], ['PB-1', 2, '264.00']]);
    expect(pairs('payment_for_transaction', 'TX-C')).toEqual([['PC-1', 1, '169.00']]);
  });

  it('suggests nothing for one øre apart, a minute outside, before the payment, a reversed or non-psp payment, a payment whose reference names a transaction, a refunded or matched transaction, another municipality', () => {
    const rights = rows.filter((r) => r.kind === 'payment_for_transaction').map((r) => r.right_id);
    for (const miss of ['PX-LATE', 'PX-EARLY', 'PX-OERE', 'PX-REV', 'PX-BANK', 'PBX-LATE', 'PCX-LATE', 'PE', 'PM', 'PM2', 'P-101', 'PR']) {
      expect(rights, miss).not.toContain(miss);
    }
    const lefts = rows.map((r) => r.left_id);
    expect(lefts).not.toContain('TX-REFUND');
    expect(lefts).not.toContain('TX-M');
    expect(lefts).not.toContain('TX-R');
    expect(lefts).not.toContain('TX-U');
    expect(lefts).not.toContain('TX-621');
  });

  it('one payment for two transactions: each transaction\'s rank 1', () => {
    expect(pairs('payment_for_transaction', 'TX-G1')).toEqual([['PG', 1, '2.00']]);
    expect(pairs('payment_for_transaction', 'TX-G2')).toEqual([['PG', 1, '1.00']]);
  });
});

describe('claim_for_fee', () => {
  it('pairs equal amount, the same debtor (hyphen dropped) and received within 5 banking days, ranked', () => {
    expect(pairs('claim_for_fee', 'F-A')).toEqual([
      ['C-A1', 1, '26.50'],
      ['C-A2', 2, '168.00'],
    ]);
    expect(rows.find((x) => x.right_id === 'C-A1')!.reason).toBe('samme beløb 1.675,00 kr., samme skyldner, modtaget 26,50 timer efter gebyret');
  });

  it('a closing day inside the window moves its end', () => {
    expect(pairs('claim_for_fee', 'F-B')).toEqual([['C-B0', 1, '0.00'], ['C-B1', 2, '264.00']]);
    expect(rows.find((x) => x.right_id === 'C-B1')!.reason).toBe('samme beløb 250,00 kr., samme skyldner, modtaget 264,00 timer efter gebyret');
  });

  it('suggests nothing for one øre apart, another debtor, a minute outside, before the fee, a cancelled, old or matched fee', () => {
    const rights = rows.filter((r) => r.kind === 'claim_for_fee').map((r) => r.right_id);
    for (const miss of ['CX-LATE', 'CX-EARLY', 'CX-OERE', 'CX-OTHER', 'CBX-LATE', 'C-CAN', 'C-OLD', 'C-OK', 'C-OK2']) expect(rights, miss).not.toContain(miss);
    expect(rows.filter((r) => r.kind === 'claim_for_fee').map((r) => r.left_id)).toEqual(['F-A', 'F-A', 'F-B', 'F-B']);
  });
});

describe('beside the open discrepancies', () => {
  const hint = async (rule: string, key: string) =>
    b.db.one<{ suggestion: string; counterpart_id: string }>(`SELECT suggestion, counterpart_id FROM discrepancy_hints WHERE rule = '${rule}' AND key_id = '${key}'`);

  it('the left item (R10, R01) shows its rank 1, saying how many candidates there are', async () => {
    expect(await hint('R10', 'TX-A')).toEqual({
      counterpart_id: 'P10',
      suggestion: 'Transaktionen TX-A på 1.675,00 kr. er sandsynligvis indbetalingen P10: samme beløb, bogført 26,51 timer efter betalingen (det bedste af 4 mulige match, se suggestions.csv)',
    });
    expect(await hint('R01', 'F-B')).toEqual({
      counterpart_id: 'C-B0',
      suggestion: 'Gebyret F-B på 250,00 kr. er sandsynligvis fordringen C-B0: samme beløb og skyldner, modtaget 0,00 timer efter gebyret (det bedste af 2 mulige match, se suggestions.csv)',
    });
  });

  it('the right item (R11, R02) shows its best: the smallest exact time apart, then left id', async () => {
    expect(await hint('R11', 'P9')).toEqual({
      counterpart_id: 'TX-A',
      suggestion: 'Indbetalingen P9 på 1.675,00 kr. er sandsynligvis transaktionen TX-A: samme beløb, bogført 26,51 timer efter betalingen',
    });
    expect(await hint('R11', 'PG')).toEqual({
      counterpart_id: 'TX-G2',
      suggestion: 'Indbetalingen PG på 700,00 kr. er sandsynligvis transaktionen TX-G2: samme beløb, bogført 1,00 timer efter betalingen (det bedste af 2 mulige match, se suggestions.csv)',
    });
    expect((await hint('R11', 'PH'))!.counterpart_id).toBe('TX-H1');
    expect(await hint('R02', 'C-A2')).toEqual({
      counterpart_id: 'F-A',
      suggestion: 'Fordringen C-A2 på 1.675,00 kr. er sandsynligvis gebyret F-A: samme beløb og skyldner, modtaget 168,00 timer efter gebyret',
    });
  });

  it('a discrepancy without a suggestion has no hint; a suggestion changes no discrepancy', async () => {
    expect(await hint('R11', 'PX-LATE')).toBeUndefined();
    // P9 is also R14 (nothing of it applied): the suggestion is beside its R11, not beside every rule of the same key
    expect(await b.db.value(`SELECT count(*) FROM discrepancies WHERE rule = 'R14' AND key_id = 'P9'`)).toBe(1);
    expect(await hint('R14', 'P9')).toBeUndefined();
    const open = await b.db.all<{ key_id: string }>(`SELECT key_id FROM discrepancies WHERE rule = 'R11' AND key_id IN ('P9', 'P10', 'P3', 'P2')`);
    expect(open.map((r) => r.key_id).sort()).toEqual(['P10', 'P2', 'P3', 'P9']);
  });
});

describe('suggestions.csv and the counts', () => {
  it('writes every pair sorted by municipality, kind, left id, rank, masked and spreadsheet-safe, CRLF', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afstem-suggestions-'));
    try {
      await writeSuggestions(b.db, dir);
      const text = fs.readFileSync(path.join(dir, 'suggestions.csv'), 'utf8');
      const lines = text.split('\r\n');
      expect(lines[0]).toBe('municipality,kind,left_id,right_id,amount,hours_apart,rank,reason');
      expect(lines.slice(1, 4)).toEqual([
        '101,claim_for_fee,F-A,C-A1,1675.00,26.50,1,"samme beløb 1.675,00 kr., samme skyldner, modtaget 26,50 timer efter gebyret"',
        '101,claim_for_fee,F-A,C-A2,1675.00,168.00,2,"samme beløb 1.675,00 kr., samme skyldner, modtaget 168,00 timer efter gebyret"',
        '101,claim_for_fee,F-B,C-B0,250.00,0.00,1,"samme beløb 250,00 kr., samme skyldner, modtaget 0,00 timer efter gebyret"',
      ]);
      expect(lines[4]).toBe('101,claim_for_fee,F-B,C-B1,250.00,264.00,2,"samme beløb 250,00 kr., samme skyldner, modtaget 264,00 timer efter gebyret"');
      expect(lines.slice(5).map((l) => l.split(',').slice(0, 4).join(' '))).toEqual([
        '101 payment_for_transaction TX-A P10', '101 payment_for_transaction TX-A P9', '101 payment_for_transaction TX-A P3',
        '101 payment_for_transaction TX-A P2', '101 payment_for_transaction TX-B PB-0', '101 payment_for_transaction TX-B PB-1', '101 payment_for_transaction TX-C PC-1',
        '101 payment_for_transaction TX-G1 PG', '101 payment_for_transaction TX-G2 PG', '101 payment_for_transaction TX-H1 PH',
        '101 payment_for_transaction TX-H2 PH',
        "621 payment_for_transaction 150385-XXXX '@P621",
        '',
      ]);
      expect(text).toContain(`621,payment_for_transaction,150385-XXXX,'@P621,12345.60,0.75,1,"samme beløb 12.345,60 kr., bogført 0,75 timer efter betalingen"\r\n`);
      expect(text).not.toContain('1503851234');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts both kinds for summary.json', async () => {
    expect(await suggestionCounts(b.db)).toEqual({ payment_for_transaction: 12, claim_for_fee: 4 });
    const empty = await Books.open(AS_OF);
    try {
      await empty.evaluate();
      expect(await suggestionCounts(empty.db)).toEqual({ payment_for_transaction: 0, claim_for_fee: 0 });
    } finally {
      empty.close();
    }
  });
});
