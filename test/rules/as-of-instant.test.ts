// RULES.md §1: "Anything that happens after asOf has not happened yet" — and what happens exactly AT asOf has:
// rows created at asOf are read, and paid_at / reversed_at / published_at equal to asOf are not empty. Every row kind
// below has its instant exactly at asOf (Thursday 26 November 2026 12:00 UTC); the same books evaluated 1 ms earlier
// are the near miss, where none of those rows has happened yet. Expected rows worked out by hand from RULES.md §3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, payment, txn } from '../helpers/books.ts';

const T = '2026-11-26T12:00:00Z';
const AT = '2026-11-26 12:00:00';
const BEFORE = '2026-11-26T11:59:59.999Z';
const D = '2026-11-20'; // a Friday: every deadline counted from it has passed by T

let b: Books;
type Rows = Map<string, string[]>;
let atT: Rows;
let before: Rows;
let netAtT: Record<string, unknown>[];
let netBefore: Record<string, unknown>[];

const RULES = ['R02', 'R03', 'R07', 'R09', 'R11', 'R12', 'R13', 'R14', 'R16', 'R17', 'R22'];
async function rows(asOf: string): Promise<Rows> {
  await b.setAsOf(asOf);
  await b.evaluate();
  const out: Rows = new Map();
  for (const code of RULES) out.set(code, (await b.rule(code)).map((r) => `${r.key_id} ${r.amount ?? ''}`.trim()));
  return out;
}
const nets = () =>
  b.db.all(`SELECT 'fee' AS of, fee_id AS id, net::VARCHAR AS net FROM int_fees WHERE fee_id = 'FF'
            UNION ALL SELECT 'claim', claim_id, net::VARCHAR FROM int_claims WHERE claim_id = 'CA' ORDER BY 1`);

beforeAll(async () => {
  b = await Books.open(T);
  await b.add(
    'fbs_fees',
    fee('FR', AT, '60.00', { municipality: '561', patron_type: 'adult_replacement_cpr' }), // R07 at once
    fee('F3', `${D} 08:00:00`, '45.00'),
    fee('FF', `${D} 08:00:00`, '100.00'),
  );
  await b.add('fbs_adjustments', { adjustment_id: 'AF', fee_id: 'FF', amount: '30.00', created_at: AT }); // fee net 70
  await b.add(
    'debitor_claims',
    claim('C2', null, AT, '11.00'), // R02 at once
    claim('C3a', 'F3', `${D} 09:00:00`, '45.00'),
    claim('C3b', 'F3', AT, '45.00'), // the duplicate: R03
    claim('C16', null, `${D} 09:00:00`, '10.00'), // covered 10, then 5 more at T: R16 5.00
    claim('CA', null, `${D} 09:00:00`, '50.00'), // covered 50, reduced by 20 at T: R16 20.00
    claim('CV', null, `${D} 09:00:00`, '30.00'), // its coverage reversed at T
    claim('CR', null, `${D} 09:00:00`, '40.00'), // its payment reversed at T: R17
    claim('CR2', null, `${D} 09:00:00`, '20.00'), // paid at T by a payment reversed at once: R17
    claim('CI', null, `${D} 09:00:00`, '25.00'), // invoice published at T: no R09
    claim('CB', null, `${D} 09:00:00`, '15.00'), // Mit Overblik row extracted at T shows 0: R22 −15.00
  );
  await b.add('debitor_adjustments', { adjustment_id: 'DA', claim_id: 'CA', amount: '20.00', registered_at: AT });
  await b.add('psp_invoices', { invoice_id: 'I1', claim_id: 'CI', amount: '25.00', published_at: AT });
  await b.add('psp_transactions', txn('T12', AT, '50.00')); // the only transaction of 101: R11 applies from T
  await b.add(
    'debitor_payments',
    payment('P14', AT, '70.00'), // nothing applied: R14 70.00
    payment('P16', `${D} 10:00:00`, '10.00'),
    payment('P16b', `${D} 10:00:00`, '5.00'), // applied at T; before T it is R14 5.00
    payment('PA', `${D} 10:00:00`, '50.00'),
    payment('PV', `${D} 10:00:00`, '30.00'), // its only coverage reversed at T: R14 30.00
    payment('PR', `${D} 10:00:00`, '40.00', { reversed_at: AT }),
    payment('PRT', AT, '20.00', { reversed_at: AT }),
    payment('P11', `${D} 10:00:00`, '15.00', { channel: 'psp', psp_txn_ref: 'NOTXN' }), // R11 once T12 exists
    payment('P12', AT, '40.00', { channel: 'psp', psp_txn_ref: 'T12' }), // THE payment of T12: R12 −10.00
    payment('P12b', AT, '50.00', { channel: 'psp', psp_txn_ref: 'T12' }), // same booked_at, 'P12' < 'P12b': R13
  );
  await b.add(
    'debitor_coverages',
    coverage('V16', 'P16', 'C16', `${D} 11:00:00`, '10.00'),
    coverage('V16b', 'P16b', 'C16', AT, '5.00'),
    coverage('VA', 'PA', 'CA', `${D} 11:00:00`, '50.00'),
    coverage('VV', 'PV', 'CV', `${D} 11:00:00`, '30.00', { reversed_at: AT }),
    coverage('VR', 'PR', 'CR', `${D} 11:00:00`, '40.00'),
    coverage('VRT', 'PRT', 'CR2', AT, '20.00'),
  );
  await b.add('borgerblikket_claims', { claim_id: 'CB', shown_outstanding: '0.00', extracted_at: AT });
  atT = await rows(T);
  netAtT = await nets();
  before = await rows(BEFORE);
  netBefore = await nets();
});
afterAll(() => b?.close());

describe('rows at exactly asOf have happened', () => {
  it('created at asOf: the fee (R07), the claim (R02), the duplicate claim (R03)', () => {
    expect(atT.get('R07')).toEqual(['FR 60.00']);
    expect(atT.get('R02')).toContain('C2 11.00'); // the other claims without a source_ref are R02 too
    expect(before.get('R02')).not.toContain('C2 11.00');
    expect(atT.get('R03')).toEqual(['C3b 45.00']);
    expect([before.get('R07'), before.get('R03')]).toEqual([[], []]);
  });

  it('an adjustment at asOf reduces the net on either side', () => {
    expect(netAtT).toEqual([
      { of: 'claim', id: 'CA', net: '30.00' },
      { of: 'fee', id: 'FF', net: '70.00' },
    ]);
    expect(netBefore).toEqual([
      { of: 'claim', id: 'CA', net: '50.00' },
      { of: 'fee', id: 'FF', net: '100.00' },
    ]);
  });

  it('a coverage at asOf counts, and one reversed at asOf does not; a payment booked at asOf is read', () => {
    // C16: 10 + 5 = 15 over 10 → 5.00; CA: covered 50 over net 30 → 20.00; CV's coverage is gone: not over-covered
    expect(atT.get('R16')).toEqual(['C16 5.00', 'CA 20.00']);
    expect(before.get('R16')).toEqual([]);
    // P14 booked at T, nothing applied; PV's coverage reversed at T; P16b fully applied at T (before: 5.00 left)
    const mine = (r: string[] | undefined) => r!.filter((k) => /^(P14|P16b|PV) /.test(k));
    expect(mine(atT.get('R14'))).toEqual(['P14 70.00', 'PV 30.00']);
    expect(mine(before.get('R14'))).toEqual(['P16b 5.00']);
  });

  it('a payment reversed at asOf is reversed: its still active coverage is R17, also for a payment booked at asOf', () => {
    expect(atT.get('R17')).toEqual(['VR 40.00', 'VRT 20.00']);
    expect(before.get('R17')).toEqual([]);
  });

  it('a transaction paid at asOf and payments booked at asOf match (R12, R13), and make R11 apply', () => {
    expect(atT.get('R12')).toEqual(['P12 -10.00']);
    expect(atT.get('R13')).toEqual(['P12b 50.00']);
    expect(atT.get('R11')).toEqual(['P11 15.00']);
    expect([before.get('R12'), before.get('R13'), before.get('R11')]).toEqual([[], [], []]);
  });

  it('an invoice published at asOf makes the claim payable (no R09); a preview extracted at asOf is compared (R22)', () => {
    expect(atT.get('R09')).not.toContain('CI 25.00');
    expect(before.get('R09')).toContain('CI 25.00');
    expect(atT.get('R22')).toEqual(['CB -15.00']);
    expect(before.get('R22')).toEqual([]);
  });
});
