// In scope from 00:00 Copenhagen on goLive (RULES.md §1), and R05's deadline counted from the LATEST adjustment on
// either side (RULES.md §3): hand-made cases with their near misses.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, fee } from '../helpers/books.ts';

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
