// When a discrepancy arose and its age in banking days (RULES.md §5): arose_at per rule on books where every rule
// fires, the build-up rules restarting their age on a partial fix, later-than-asOf timestamps counting as empty,
// R05's deadline before its claim existed, and the age across closing days. Every expected instant and age is
// worked out by hand from the rows and the calendar (asOf Thursday 26 November 2026 13:00 in Copenhagen unless said).
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, payment } from '../helpers/books.ts';
import { allRulesBooks } from '../helpers/all-rules-books.ts';
import { RULES } from '../../src/pipeline/catalog.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

async function arose(books: Books, code: string): Promise<Record<string, [string | null, number | null]>> {
  const rows = await books.rule(code);
  return Object.fromEntries(rows.map((r) => [`${r.municipality}/${r.key_id}`, [r.arose_at as string | null, r.age_banking_days as number | null]]));
}

describe('arose_at and age_banking_days of every rule', () => {
  it('on books where every rule fires (test/helpers/all-rules-books.ts), each by the table of RULES.md §5', async () => {
    b = await allRulesBooks();
    await b.evaluate();
    // Banking days after a local date up to Thursday 26 Nov: after Fri 20, Sat 21 or Sun 22 → Mon 23 … Thu 26 = 4;
    // after Tue 24 → 2; after Wed 25 → 1.
    const FRI_0800 = '2026-11-20 08:00:00';
    const FRI_0830 = '2026-11-20 08:30:00';
    const FRI_0900 = '2026-11-20 09:00:00';
    const SAT_0800 = '2026-11-21 08:00:00';
    const SAT_0900 = '2026-11-21 09:00:00';
    // 1 banking day from Friday 20 Nov: Monday 23 is the 1st, so 00:00 Tuesday 24 Nov Copenhagen = 23:00 UTC Monday
    const TUE_MIDNIGHT = '2026-11-23 23:00:00';
    const want: Record<string, Record<string, [string, number]>> = {
      // the fee_to_claim deadline: created 08:00 UTC + 1 h (F07 in 561, F19 and F20 have no claim either)
      R01: { '101/F01': [FRI_0900, 4], '101/F19': [FRI_0900, 4], '101/F20': [FRI_0900, 4], '561/F07': [FRI_0900, 4] },
      // the claim's received_at (C16 and C17 name no fee either)
      R02: { '101/C02': [FRI_0830, 4], '101/C16': [FRI_0830, 4], '101/C17': [FRI_0830, 4] },
      // the duplicate's own received_at (09:00, not C03a's 08:30)
      R03: { '101/C03b': [FRI_0900, 4] },
      // later of fee created 08:00 and claim received 08:30
      R04: { '101/C04': [FRI_0830, 4] },
      // the deadline from the latest adjustment: FBS adjustment 09:00 + 1 h
      R05: { '101/C05': ['2026-11-20 10:00:00', 4] },
      R06: { '101/C06': [FRI_0830, 4] },
      // the fee's created_at
      R07: { '561/F07': [FRI_0800, 4] },
      // collection_sent_at, a Saturday
      R08: { '101/C08': [SAT_0800, 4] },
      // the claim_to_payable deadline (1 banking day) from received Friday: Tuesday 00:00 local; age Wed, Thu = 2
      R09: Object.fromEntries(['C02', 'C03a', 'C03b', 'C04', 'C05', 'C06', 'C08'].map((c) => [`101/${c}`, [TUE_MIDNIGHT, 2]])),
      // the psp_to_debitor deadline (1 banking day) from paid Friday 08:00
      R10: { '101/T10': [TUE_MIDNIGHT, 2] },
      // the payment's booked_at
      R11: { '101/P11': [SAT_0800, 4] },
      // later of T12 paid Friday and P12 booked Saturday
      R12: { '101/P12': [SAT_0800, 4] },
      // the duplicate's own booked_at
      R13: { '101/P13b': [SAT_0900, 4] },
      // booked_at (no coverages on any of them)
      R14: { '101/P11': [SAT_0800, 4], '101/P12': [SAT_0800, 4], '101/P13a': [SAT_0800, 4], '101/P13b': [SAT_0900, 4], '101/P14': [SAT_0800, 4] },
      // later of booked Saturday 08:00 and its coverage V15 at 09:00
      R15: { '101/P15': [SAT_0900, 4] },
      // its active coverage V15's covered_at
      R16: { '101/C16': [SAT_0900, 4] },
      // later of V17 covered Saturday 09:00 and P17 reversed Sunday 08:00
      R17: { '101/V17': ['2026-11-22 08:00:00', 4] },
      // the debitor_to_fbs deadline (2 banking days) from completion Saturday: Mon 23, Tue 24 → 00:00 Wed 25 local
      R18: { '101/F18': ['2026-11-24 23:00:00', 1] },
      // the fee's paid_at (no claim)
      R19: { '101/F19': [SAT_0800, 4] },
      R20: { '101/F20': [SAT_0800, 4] },
      // the municipality's latest extracted_at, Wednesday 25 Nov 07:00 local: age 1 (Thursday)
      R21: Object.fromEntries(['C02', 'C03a', 'C03b', 'C05', 'C06', 'C08'].map((c) => [`101/${c}`, ['2026-11-25 06:00:00', 1]])),
      R22: { '101/C04': ['2026-11-25 06:00:00', 1] },
    };
    // the rules of RULES.md §5's table (a rule added later dates its rows in its own test)
    for (const code of Object.keys(want)) expect(await arose(b, code), code).toEqual(want[code]);
  });

  it('every catalog entry says how its arose_at is found', () => {
    for (const r of RULES) expect(r.arose.length, r.code).toBeGreaterThan(10);
  });
});

describe('arose_at of the rules whose state builds up: the last event that made it what it is', () => {
  it('R14/R15: a later coverage, or a coverage reversed since, restarts the age; a reversal after asOf has not happened', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('debitor_claims', claim('C1', null, '2026-11-02 08:00:00', '500.00'));
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-02 08:00:00', '100.00'), // applied 30 on 3 Nov, 20 more on Tue 24 Nov: remainder 50 since 24 Nov
      payment('P2', '2026-11-02 08:00:00', '100.00'), // applied 100 on 3 Nov, reversed Wed 25 Nov: unapplied since 25 Nov
      payment('P3', '2026-11-02 08:00:00', '10.00'), // applied 20 on 3 Nov (R15), a coverage reversed after asOf
    );
    await b.add(
      'debitor_coverages',
      coverage('V1a', 'P1', 'C1', '2026-11-03 08:00:00', '30.00'),
      coverage('V1b', 'P1', 'C1', '2026-11-24 10:00:00', '20.00'),
      coverage('V2', 'P2', 'C1', '2026-11-03 08:00:00', '100.00', { reversed_at: '2026-11-25 10:00:00' }),
      coverage('V3a', 'P3', 'C1', '2026-11-03 08:00:00', '10.00'),
      coverage('V3b', 'P3', 'C1', '2026-11-03 09:00:00', '10.00', { reversed_at: '2026-11-27 10:00:00' }),
    );
    await b.evaluate();
    expect(await arose(b, 'R14')).toEqual({ '101/P1': ['2026-11-24 10:00:00', 2], '101/P2': ['2026-11-25 10:00:00', 1] });
    // Tue 3 Nov → Wed 4 … Thu 26 Nov: 17 weekdays, no closing day
    expect(await arose(b, 'R15')).toEqual({ '101/P3': ['2026-11-03 09:00:00', 17] });
  });

  it('R16: the latest active covered_at, coverage reversal or adjustment moves it; a reversed coverage’s covered_at does not', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add(
      'debitor_claims',
      claim('C1', null, '2026-11-02 08:00:00', '100.00'), // covered 150, then reduced by 10 on Mon 23 Nov: still over
      claim('C2', null, '2026-11-02 08:00:00', '100.00'), // covered 200 by 5 Nov; a third coverage reversed Tue 24 Nov
      claim('C3', null, '2026-11-02 08:00:00', '100.00'), // covered 120 on 3 Nov, a 40 coverage of 10 Nov reversed Sat 21 Nov
    );
    await b.add('debitor_adjustments', { adjustment_id: 'J1', claim_id: 'C1', amount: '10.00', registered_at: '2026-11-23 09:00:00' });
    await b.add(
      'debitor_payments',
      payment('P1', '2026-11-02 08:00:00', '150.00'),
      payment('P2', '2026-11-02 08:00:00', '200.00'),
      payment('P3', '2026-11-02 08:00:00', '160.00'),
    );
    await b.add(
      'debitor_coverages',
      coverage('V1', 'P1', 'C1', '2026-11-03 08:00:00', '150.00'),
      coverage('V2a', 'P2', 'C2', '2026-11-03 08:00:00', '150.00'),
      coverage('V2b', 'P2', 'C2', '2026-11-05 08:00:00', '50.00'),
      // covered Wed 25 Nov but reversed Tue 24 Nov (a clock problem): its covered_at is no event of an active coverage
      coverage('V2c', 'P2', 'C2', '2026-11-25 08:00:00', '1.00', { reversed_at: '2026-11-24 08:00:00' }),
      coverage('V3a', 'P3', 'C3', '2026-11-03 08:00:00', '120.00'),
      coverage('V3b', 'P3', 'C3', '2026-11-10 08:00:00', '40.00', { reversed_at: '2026-11-21 08:00:00' }),
    );
    await b.evaluate();
    expect(await arose(b, 'R16')).toEqual({
      '101/C1': ['2026-11-23 09:00:00', 3], // the adjustment: after Mon 23 → Tue, Wed, Thu
      '101/C2': ['2026-11-24 08:00:00', 2], // V2c's reversal, not its covered_at
      '101/C3': ['2026-11-21 08:00:00', 4], // V3b's reversal (Saturday)
    });
  });

  it('R19: the fee’s paid_at, or the last move of its claim’s outstanding when later, its received_at included', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    const paid = (id: string, at: string) => fee(id, '2026-11-02 08:00:00', '100.00', { status: 'paid', paid_at: at, payment_source: 'debitor' });
    await b.add(
      'fbs_fees',
      paid('F1', '2026-11-10 08:00:00'), // claim received earlier, partly covered later (Tue 24 Nov): arose then
      paid('F2', '2026-11-10 08:00:00'), // claim received later (Mon 23 Nov), nothing else: its received_at
      paid('F3', '2026-11-20 08:00:00'), // claim unchanged since before it was paid: paid_at
    );
    await b.add(
      'debitor_claims',
      claim('C1', 'F1', '2026-11-02 09:00:00', '100.00'),
      claim('C2', 'F2', '2026-11-23 09:00:00', '100.00'),
      claim('C3', 'F3', '2026-11-02 09:00:00', '100.00'),
    );
    await b.add('debitor_payments', payment('P1', '2026-11-24 08:00:00', '40.00'));
    await b.add('debitor_coverages', coverage('V1', 'P1', 'C1', '2026-11-24 08:30:00', '40.00'));
    await b.evaluate();
    expect(await arose(b, 'R19')).toEqual({
      '101/F1': ['2026-11-24 08:30:00', 2],
      '101/F2': ['2026-11-23 09:00:00', 3],
      '101/F3': ['2026-11-20 08:00:00', 4],
    });
  });

  it('R05: its deadline from the latest adjustment, even when that falls before the claim existed', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-11-20 08:00:00', '100.00'));
    await b.add('fbs_adjustments', { adjustment_id: 'A1', fee_id: 'F1', amount: '20.00', created_at: '2026-11-20 08:10:00' });
    // the claim arrives on Tuesday, unreduced: the deadline (Friday 09:10) passed days before it existed
    await b.add('debitor_claims', claim('C1', 'F1', '2026-11-24 08:00:00', '100.00'));
    await b.evaluate();
    expect(await arose(b, 'R05')).toEqual({ '101/C1': ['2026-11-20 09:10:00', 4] });
  });
});

describe('age_banking_days', () => {
  it('a discrepancy that arose in April is months old on the first night', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await b.add('fbs_fees', fee('F1', '2026-04-15 08:00:00', '100.00'));
    await b.evaluate();
    // Banking days Thu 16 Apr … Thu 26 Nov 2026: 225 days = 32 weeks + Thursday → 161 weekdays, less the closing days
    // Ascension Thu 14 May, Fri 15 May, Whit Monday 25 May and Fri 5 June (Easter 5 April is before): 157
    expect(await arose(b, 'R01')).toEqual({ '101/F1': ['2026-04-15 09:00:00', 157] });
  });

  it('one that arose on a closing day is 0 days old on the closing days after it, and 1 on the next banking day', async () => {
    b = await Books.open('2026-12-24T10:00:00Z');
    // created Thursday 24 Dec 2026 (a closing day) 09:00 local: the R01 deadline 10:00 local = 09:00 UTC
    await b.add('fbs_fees', fee('F1', '2026-12-24 08:00:00', '100.00'));
    const at = async (asOf: string) => {
      await b!.setAsOf(asOf);
      await b!.evaluate();
      return (await arose(b!, 'R01'))['101/F1'];
    };
    expect(await at('2026-12-24T10:00:00Z')).toEqual(['2026-12-24 09:00:00', 0]); // the same day
    expect(await at('2026-12-26T12:00:00Z')).toEqual(['2026-12-24 09:00:00', 0]); // 25 Dec, 26 Dec closing days
    expect(await at('2026-12-27T22:59:59Z')).toEqual(['2026-12-24 09:00:00', 0]); // Sunday 23:59:59 local
    // asOf 00:00 Monday 28 Dec local: asOf's date is still Sunday 27 Dec (the last instant before it)
    expect(await at('2026-12-27T23:00:00Z')).toEqual(['2026-12-24 09:00:00', 0]);
    expect(await at('2026-12-28T05:00:00Z')).toEqual(['2026-12-24 09:00:00', 1]); // Monday 28 Dec, a banking day
    expect(await at('2026-12-31T12:00:00Z')).toEqual(['2026-12-24 09:00:00', 3]); // Mon, Tue, Wed; 31 Dec is closed
    expect(await at('2027-01-04T12:00:00Z')).toEqual(['2026-12-24 09:00:00', 4]); // 1 Jan closed, weekend, Mon 4 Jan
  });
});
