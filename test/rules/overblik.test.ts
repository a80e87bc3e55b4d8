// Mit Overblik rules R21 and R22 (borgerblikket_claims): outstanding at the extract instant, events at it included.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, ids, idsOf, payment } from '../helpers/books.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

async function setup(books: Books) {
  const X = '2026-11-25 06:00:00'; // the latest extract of 101
  await books.add(
    'borgerblikket_claims',
    { claim_id: 'CA', shown_outstanding: '100.00', extracted_at: X },
    { claim_id: 'CX', shown_outstanding: '0.00', extracted_at: X },
    { claim_id: 'CZ', shown_outstanding: '5.00', extracted_at: '2026-11-24 06:00:00' },
    { claim_id: 'CY', shown_outstanding: '7.00', extracted_at: '2026-11-24 06:00:00' },
  );
  await books.add(
    'debitor_claims',
    claim('CA', null, '2026-11-20 08:00:00', '100.00'),
    claim('CX', null, '2026-11-20 08:00:00', '10.00'),
    claim('CZ', null, '2026-11-20 08:00:00', '5.00'),
    claim('CY', null, '2026-11-24 07:00:00', '7.00'), // received after its extract
    claim('CB', null, '2026-11-24 10:00:00', '80.00'),
    claim('CC', null, X, '20.00'), // received at the latest extract: not before it
    claim('CD', null, '2026-11-20 08:00:00', '40.00'),
    claim('CE', null, '2026-11-20 08:00:00', '60.00'),
    claim('CF', null, '2026-11-20 08:00:00', '70.00'),
    claim('CK', null, '2026-11-20 08:00:00', '70.00', { municipality: '621' }), // no extract for 621
  );
  await books.add(
    'debitor_adjustments',
    { adjustment_id: 'D1', claim_id: 'CA', amount: '10.00', registered_at: X },
    { adjustment_id: 'D2', claim_id: 'CE', amount: '60.00', registered_at: X },
    { adjustment_id: 'D3', claim_id: 'CZ', amount: '5.00', registered_at: '2026-11-24 06:00:01' },
  );
  await books.add('debitor_payments', payment('P1', '2026-11-21 08:00:00', '500.00'));
  await books.add(
    'debitor_coverages',
    coverage('V1', 'P1', 'CB', X, '30.00'),
    coverage('V2', 'P1', 'CB', '2026-11-25 07:00:00', '50.00'),
    coverage('V3', 'P1', 'CD', '2026-11-21 08:00:00', '40.00'),
    coverage('V4', 'P1', 'CF', '2026-11-21 08:00:00', '70.00', { reversed_at: '2026-11-25 05:00:00' }),
    coverage('V5', 'P1', 'CX', '2026-11-22 08:00:00', '9.99'),
  );
}

describe('R21 not_shown_in_mit_overblik', () => {
  it('fires for claims received before the latest extract with outstanding > 0 then and no row at all', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await setup(b);
    await b.evaluate();
    const rows = await b.rule('R21');
    // CB: 80 - 30 (covered at the extract instant) = 50, although fully covered later; CF: coverage reversed before.
    expect(idsOf(rows)).toEqual([ids('CB', '50.00', { claim_id: 'CB' }), ids('CF', '70.00', { claim_id: 'CF' })]);
    expect(rows[0].detail).toBe(
      'Fordringen CB (modtaget 24-11-2026 11:00) vises ikke for borgeren i Mit Overblik; ved udtrækket 25-11-2026 07:00 var restancen 50,00 kr.',
    );
  });

  it('does not fire where no extract was created by asOf', async () => {
    b = await Books.open('2026-11-24T05:59:59Z');
    await setup(b);
    await b.evaluate();
    expect(await b.rule('R21')).toEqual([]);
  });
});

describe('R22 mit_overblik_amount_mismatch', () => {
  it('fires for shown <> actual at extracted_at (an adjustment at that instant counts), amount shown - actual', async () => {
    b = await Books.open('2026-11-26T12:00:00Z');
    await setup(b);
    await b.evaluate();
    const rows = await b.rule('R22');
    // CA: shown 100, actual 100 - 10 = 90; CX: shown 0, actual 10 - 9.99 = 0.01; CZ adjusted 1 s after its extract: equal;
    // CY received after its extract: not compared.
    expect(idsOf(rows)).toEqual([ids('CA', '10.00', { claim_id: 'CA' }), ids('CX', '-0.01', { claim_id: 'CX' })]);
    expect(rows[0].lineage).toBe('101/borgerblikket_claims_2026-11-26.csv:2; 101/debitor_claims_2026-11-26.csv:2');
  });
});
