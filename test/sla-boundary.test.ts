// RULES.md §1: "a deadline has passed when asOf is at or after it" — an item whose deadline is exactly asOf is
// breached (and its rule fires), not in flight; one millisecond earlier it is in flight. The §1 example for
// {businessDays: 1}: from Wednesday 1 April 2026 the deadline is 00:00 Wednesday 8 April 2026 = 2026-04-07T22:00:00Z.
import { afterEach, describe, expect, it } from 'vitest';
import { Books, claim, coverage, fee, payment, txn } from './helpers/books.ts';
import { materialiseLayer } from '../src/pipeline/models.ts';
import { computeLatency } from '../src/pipeline/latency.ts';

let b: Books | undefined;
afterEach(() => {
  b?.close();
  b = undefined;
});

type Build = (books: Books) => Promise<void>;

/** At asOf: the rule's keys and the stage's item (deadline, breached, in flight). */
async function at(asOf: string, build: Build, rule: string, stage: string) {
  b?.close();
  b = await Books.open(asOf);
  await build(b);
  await b.evaluate();
  await materialiseLayer(b.db, 'intermediate');
  await computeLatency(b.db);
  const keys = (await b.rule(rule)).map((r) => r.key_id);
  const items = await b.db.all(`
    SELECT item_id, strftime(deadline, '%Y-%m-%dT%H:%M:%SZ') AS deadline, breached, in_flight
    FROM latency_items WHERE stage = '${stage}' AND NOT completed ORDER BY item_id`);
  return { keys, items };
}

const before = (iso: string) => new Date(new Date(iso).getTime() - 1).toISOString(); // 1 ms before

const CASES: { stage: string; rule: string; id: string; deadline: string; build: Build; what: string }[] = [
  {
    what: 'claim received Wed 1 Apr 2026 (the RULES.md §1 example)',
    stage: 'claim_to_payable', rule: 'R09', id: 'C1', deadline: '2026-04-07T22:00:00Z',
    build: (x) => x.add('debitor_claims', claim('C1', null, '2026-04-01 10:00:00', '50.00')),
  },
  {
    what: 'transaction paid Wed 1 Apr 2026',
    stage: 'psp_to_debitor', rule: 'R10', id: 'T1', deadline: '2026-04-07T22:00:00Z',
    build: (x) => x.add('psp_transactions', txn('T1', '2026-04-01 10:00:00', '50.00')),
  },
  {
    what: 'fee created 26 Nov 2026 10:00Z, fee_to_claim 1 hour',
    stage: 'fee_to_claim', rule: 'R01', id: 'F1', deadline: '2026-11-26T11:00:00Z',
    build: (x) => x.add('fbs_fees', fee('F1', '2026-11-26 10:00:00', '50.00')),
  },
  {
    // Covered in full Tue 12 May 2026; 2 banking days: Wed 13, (Ascension Thu 14 and Fri 15 closed) Mon 18 →
    // 00:00 Tue 19 May CEST = 2026-05-18T22:00:00Z.
    what: 'claim covered in full Tue 12 May 2026, debitor_to_fbs 2 banking days over Ascension',
    stage: 'debitor_to_fbs', rule: 'R18', id: 'F1', deadline: '2026-05-18T22:00:00Z',
    build: async (x) => {
      await x.add('fbs_fees', fee('F1', '2026-05-04 08:00:00', '50.00'));
      await x.add('debitor_claims', claim('C1', 'F1', '2026-05-04 08:30:00', '50.00'));
      await x.add('debitor_payments', payment('P1', '2026-05-12 10:00:00', '50.00'));
      await x.add('debitor_coverages', coverage('CV1', 'P1', 'C1', '2026-05-12 10:00:00', '50.00'));
    },
  },
];

describe('a deadline exactly at asOf has passed', () => {
  for (const c of CASES) {
    it(`${c.stage}: ${c.what} — breached and ${c.rule} at ${c.deadline}, in flight a millisecond before`, async () => {
      const atDeadline = await at(c.deadline, c.build, c.rule, c.stage);
      expect(atDeadline.keys).toEqual([c.id]);
      expect(atDeadline.items).toEqual([{ item_id: c.id, deadline: c.deadline, breached: true, in_flight: false }]);
      const justBefore = await at(before(c.deadline), c.build, c.rule, c.stage);
      expect(justBefore.keys).toEqual([]);
      expect(justBefore.items).toEqual([{ item_id: c.id, deadline: c.deadline, breached: false, in_flight: true }]);
    });
  }
});
