// In scope from 00:00 Copenhagen on goLive (RULES.md §1), R05's deadline counted from the LATEST adjustment on either
// side (RULES.md §3), and a zero duration, which is not negative (RULES.md §2): hand-made cases with near misses.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';
import { materialiseLayer } from '../../src/pipeline/models.ts';
import { computeLatency } from '../../src/pipeline/latency.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

describe('a fee is in scope from 00:00 Copenhagen on the go-live date', () => {
  it('Esbjerg goes live 1 June 2026: a fee at 00:00 CEST (22:00 UTC on 31 May) is in scope, one a second earlier is not', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    const m561 = { municipality: '561', patron_type: 'adult_replacement_cpr' }; // R07 fires on every such fee in scope
    await b.add('fbs_fees', fee('F-AT', '2026-05-31 22:00:00', '10.00', m561), fee('F-BEFORE', '2026-05-31 21:59:59', '10.00', m561));
    await b.evaluate();
    expect((await b.rule('R07')).map((r) => r.key_id)).toEqual(['F-AT']);
  });
});

describe('R05 waits for the fee_to_claim deadline (1 h) from the latest adjustment on either side', () => {
  async function books(asOf: string, side: 'debitor' | 'fbs') {
    b?.close();
    b = await Books.open(asOf);
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'));
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-20 08:30:00', '100.00'));
    // two reductions of 10 on one side only: 20 November and 26 November 11:30 UTC (deadline 12:30 UTC)
    if (side === 'debitor')
      await b.add(
        'debitor_adjustments',
        { adjustment_id: 'D1', claim_id: 'C1', amount: '10.00', registered_at: '2026-11-26 11:30:00' },
        { adjustment_id: 'D2', claim_id: 'C1', amount: '10.00', registered_at: '2026-11-20 09:00:00' },
      );
    else
      await b.add(
        'fbs_adjustments',
        { adjustment_id: 'A1', fee_id: 'F1', amount: '10.00', created_at: '2026-11-26 11:30:00' },
        { adjustment_id: 'A2', fee_id: 'F1', amount: '10.00', created_at: '2026-11-20 09:00:00' },
      );
    await b.evaluate();
    return (await b.rule('R05')).map((r) => `${r.key_id} ${r.amount}`);
  }

  it('debtor side: not yet at 12:00 (the older adjustment\'s deadline passed long ago), fires at 12:30 with −20.00', async () => {
    expect(await books('2026-11-26T12:00:00Z', 'debitor')).toEqual([]);
    expect(await books('2026-11-26T12:30:00Z', 'debitor')).toEqual(['C1 -20.00']);
  });

  it('FBS side: not yet at 12:00, fires at 12:30 with +20.00', async () => {
    expect(await books('2026-11-26T12:00:00Z', 'fbs')).toEqual([]);
    expect(await books('2026-11-26T12:30:00Z', 'fbs')).toEqual(['C1 20.00']);
  });
});

describe('a duration of exactly 0 is a duration, not a clock problem (RULES.md §2)', () => {
  it('a claim received at the instant its fee was created: n 1, within SLA, p50 and max 0.00, not negative', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F0', '2026-11-20 08:00:00', '10.00'), fee('FN', '2026-11-20 08:00:00', '10.00', { municipality: '621' }));
    // 621's claim came a second BEFORE its fee: negative, so left out of the quantiles and the max (near miss)
    await b.add('debitor_claims', claim('C0', 'F0', '2026-11-20 08:00:00', '10.00'), claim('CN', 'FN', '2026-11-20 07:59:59', '10.00', { municipality: '621' }));
    await materialiseLayer(b.db, 'intermediate');
    await computeLatency(b.db);
    const rows = await b.db.all(`SELECT municipality, n, p50_hours, p99_hours, max_hours, within_sla FROM latency
      WHERE stage = 'fee_to_claim' AND municipality IN ('101', '621') ORDER BY municipality`);
    expect(rows).toEqual([
      { municipality: '101', n: 1, p50_hours: '0.00', p99_hours: '0.00', max_hours: '0.00', within_sla: 1 },
      { municipality: '621', n: 1, p50_hours: null, p99_hours: null, max_hours: null, within_sla: 1 },
    ]);
    expect(await b.db.all(`SELECT id FROM latency_negative`)).toEqual([{ id: 'FN' }]);
  });
});
