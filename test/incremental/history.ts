// A generated history for the incremental nights (issue 27): the sample generator's small inbox (seed 1) cut into
// nights by export date, the way bench/nightly.ts cuts by export date, then hand-made December nights for the cases
// the generator has no night for. Fifteen nights of three municipalities (101 København: KMD Opus with a payment
// solution and Mit Overblik; 461 Odense: KMD Opus; 621 Kolding: Prisme 2015 with Mit Overblik), which between them
// hold every rule R01–R22.
//
//  1  25 Oct 02:30 CEST  DST night, first pass of the repeated hour: the June and September exports (an empty database)
//  2  25 Oct 02:30 CET   the same local time an hour later: nothing new, time alone
//  3   2 Nov             the exports of 2 November (461's fee and claim written in the repeated hour of 25 October)
//  4  20 Nov             19 and 20 November (461's psp_invoices of the 19th lack a column: rejected whole, exit 3)
//  5  24 Nov             24 November but 621/psp_invoices_2026-11-24.csv, held back (bad rows in 101's fees)
//  6  25 Nov             25 November (the first of 101's two debitor_claims deliveries of the 25th)
//  7  26 Nov             26 November, the re-delivery 101/2026-11/resend/debitor_claims_2026-11-25.csv (replaces the
//                        first in full) and the late 621/psp_invoices_2026-11-24.csv (its kind's 25th is loaded)
//  8  default asOf       27 November, no --as-of: the latest creation instant in the data
//     handling           afstem note: explained, awaiting until 30 November, in_progress
//  9  default asOf       a rerun with nothing new: the same asOf, a look back that records nothing
// 10   2 Dec             nothing new, time alone: every export 3 banking days old (overdue), deadlines passed,
//                        ages past 2 banking days, the awaiting case's follow-up date (30 Nov) passed
// 11   3 Dec             hand-made exports of 3 December: a claim for an old fee (R01 resolves), a payment and
//                        coverage for an old transaction (R10 resolves), a coverage over-covering an old claim (R16,
//                        a reversal proposal), a payment reversal (R13 resolves, R17 arises), a fee cancelled, a fee
//                        paid in cash (R20), a fee on Prisme with a replacement CPR (R07) and a bad row (exit 3)
// 12   4 Dec             a late delivery (payments of 2 December after those of the 3rd: the later export wins), a
//                        re-delivery of 461's fees of the 3rd in place (the cancelled fee falls back to its open
//                        version: R01 again, the same case), a coverage reversal (R16 resolves, the proposal goes),
//                        an identical copy under another path (already_loaded)
// 13  30 Nov             a look back into the past: asOf before the latest recorded night
//     handling           afstem import of a csv: in_progress, explained, awaiting until 27 December
// 14  24 Dec             a bank closing day (Thursday): exports of 23 December (a claim with another principal: R04,
//                        a claim cancelled in the debtor system: R05)
// 15  28 Dec             nothing new, the Monday after Christmas: the awaiting case's follow-up date passed
import fs from 'node:fs';
import path from 'node:path';
import { csvFile, CLAIM_HEADER, COVERAGE_HEADER, DEB_ADJ_HEADER, FEE_HEADER, PAYMENT_HEADER } from '../helpers/e2e-inbox.ts';

/** The municipalities of the history (the generator's small inbox has six; these three hold every rule). */
export const MUNICIPALITIES = ['101', '461', '621'];

/** A file arriving in the inbox: its path relative to the inbox and its bytes. */
export interface Delivery {
  path: string;
  bytes: Buffer;
}

/** A discrepancy named by what a clerk sees in discrepancies.csv (its case number is looked up there). */
export interface CaseOf {
  rule: string;
  municipality: string;
  key: string;
}

/** Handling recorded between two nights, on each database alike, by a command run at `at` (its wall clock). */
export type HandlingStep =
  | { command: 'note'; at: string; case: CaseOf; args: string[] }
  | { command: 'import'; at: string; file: string; rows: { case: CaseOf; status: string; assignee: string; note: string; followUp: string }[] };

export interface Night {
  n: number;
  label: string;
  /** `--as-of`; undefined: the default (the latest creation instant in the data). */
  asOf?: string;
  /** Files that arrive before this night (written into the inbox, replacing a file of the same path). */
  deliveries: Delivery[];
  /** Handling recorded after the previous night, before this one. */
  handling: HandlingStep[];
}

const GEN_NIGHT: Record<string, number> = {
  '2026-06-01': 1, '2026-09-01': 1, '2026-11-02': 3, '2026-11-19': 4, '2026-11-20': 4,
  '2026-11-24': 5, '2026-11-25': 6, '2026-11-26': 7, '2026-11-27': 8,
};
/** Generated files that arrive on another night than their export date's. */
const LATE: Record<string, number> = {
  '621/psp_invoices_2026-11-24.csv': 7, // a late delivery: 621's psp_invoices of the 25th are loaded on night 6
  '101/2026-11/resend/debitor_claims_2026-11-25.csv': 7, // the re-delivery of an identity loaded on night 6
};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/**
 * The nights of the history: the generated inbox in `genInbox` (sample-data/generate.ts, small, seed 1) cut by export
 * date, and the hand-made December nights. A generated file of a municipality of the history whose date has no night
 * is an error, so that a change of the generator cannot silently drop files from the history.
 */
export function buildHistory(genInbox: string): Night[] {
  const nights: Night[] = [
    { n: 1, label: 'DST night, 02:30 CEST (first pass of the repeated hour): the history up to September', asOf: '2026-10-25T00:30:00Z', deliveries: [], handling: [] },
    { n: 2, label: 'DST night, 02:30 CET (second pass): nothing new, time alone', asOf: '2026-10-25T01:30:00Z', deliveries: [], handling: [] },
    { n: 3, label: '2 November', asOf: '2026-11-02T05:00:00Z', deliveries: [], handling: [] },
    { n: 4, label: '20 November (a file rejected whole)', asOf: '2026-11-20T05:00:00Z', deliveries: [], handling: [] },
    { n: 5, label: '24 November (one file held back)', asOf: '2026-11-24T05:00:00Z', deliveries: [], handling: [] },
    { n: 6, label: '25 November', asOf: '2026-11-25T05:00:00Z', deliveries: [], handling: [] },
    { n: 7, label: '26 November, a re-delivery and a late delivery', asOf: '2026-11-26T05:00:00Z', deliveries: [], handling: [] },
    { n: 8, label: '27 November, the default asOf', deliveries: [], handling: [] },
    { n: 9, label: 'a rerun with nothing new (the same default asOf)', deliveries: [], handling: NOTES },
    { n: 10, label: '2 December: nothing new, time alone', asOf: '2026-12-02T05:00:00Z', deliveries: [], handling: [] },
    { n: 11, label: '3 December: hand-made matches, reversals, a cancellation', asOf: '2026-12-03T05:00:00Z', deliveries: december3(), handling: [] },
    { n: 12, label: '4 December: a late delivery, a re-delivery in place, a coverage reversal, a copy', asOf: '2026-12-04T05:00:00Z', deliveries: december4(), handling: [] },
    { n: 13, label: 'a look back to 30 November', asOf: '2026-11-30T05:00:00Z', deliveries: [], handling: [] },
    { n: 14, label: '24 December, a bank closing day', asOf: '2026-12-24T05:00:00Z', deliveries: december23(), handling: IMPORT },
    { n: 15, label: '28 December: nothing new after Christmas', asOf: '2026-12-28T05:00:00Z', deliveries: [], handling: [] },
  ];
  for (const rel of files(genInbox)) {
    if (!MUNICIPALITIES.includes(rel.split('/')[0])) continue;
    const date = /_(\d{4}-\d{2}-\d{2})\.csv$/.exec(rel)?.[1];
    const n = LATE[rel] ?? (date === undefined ? 1 : GEN_NIGHT[date]); // a file that is no export (notes.txt): night 1
    if (n === undefined) throw new Error(`the generated ${rel} has an export date without a night of the history`);
    nights[n - 1].deliveries.push({ path: rel, bytes: fs.readFileSync(path.join(genInbox, rel)) });
  }
  for (const rel of Object.keys(LATE)) {
    if (!nights.some((night) => night.deliveries.some((d) => d.path === rel))) throw new Error(`the generator no longer writes ${rel}`);
  }
  return nights;
}

// ───────────────────────────── handling between the nights ─────────────────────────────

const NOTES: HandlingStep[] = [
  { command: 'note', at: '2026-11-27T09:00:00Z', case: { rule: 'R11', municipality: '101', key: 'IB101-00000001' },
    args: ['--status', 'explained', '--note', 'kontant betalt på biblioteket', '--by', 'Anna Andersen'] },
  { command: 'note', at: '2026-11-27T09:05:00Z', case: { rule: 'R10', municipality: '101', key: 'TX101-00000001' },
    args: ['--status', 'awaiting', '--follow-up', '2026-11-30', '--assignee', 'Bo', '--note', 'spurgt MobilePay', '--by', 'Bo Berg'] },
  { command: 'note', at: '2026-11-27T09:10:00Z', case: { rule: 'R01', municipality: '461', key: 'MV461-X0009' },
    args: ['--status', 'in_progress', '--assignee', 'Carl', '--by', 'Carl Carlsen'] },
];

const IMPORT: HandlingStep[] = [
  { command: 'import', at: '2026-12-23T10:00:00Z', file: 'uge52.csv', rows: [
    { case: { rule: 'R16', municipality: '101', key: 'FD101-X0007' }, status: 'I gang', assignee: 'Anna', note: '50,00 kr. tilbage til betaler', followUp: '' },
    { case: { rule: 'R20', municipality: '101', key: 'MV101-N0002' }, status: 'Forklaret', assignee: '', note: 'kontant betalt; bogført manuelt', followUp: '' },
    { case: { rule: 'R07', municipality: '621', key: 'MV621-N0001' }, status: 'Afventer', assignee: 'Dorthe', note: 'manuel overførsel', followUp: '2026-12-27' },
  ] },
];

// ───────────────────────────── the hand-made December exports ─────────────────────────────

const file = (rel: string, header: readonly string[], rows: (string | null)[][]): Delivery => ({ path: rel, bytes: Buffer.from(csvFile(header, rows)) });

/** Night 11's exports, dated 3 December (events of 2 December). */
function december3(): Delivery[] {
  return [
    // a claim for a fee never transferred (R01 MV101-X0001 resolves); no invoice yet: R09 once its deadline passes
    file('101/2026-12/debitor_claims_2026-12-03.csv', CLAIM_HEADER, [
      ['FD101-N0001', 'MV101-X0001', 'library_fees_minor_without_oa', 'replacement_no_ack', '031017-0042', '225.00', '2026-12-02T10:00:00Z', null, '2027-01-02', null],
    ]),
    file('101/2026-12/debitor_payments_2026-12-03.csv', PAYMENT_HEADER, [
      // the booking of an old MobilePay capture (R10 TX101-00000001 resolves)
      ['IB101-N0001', 'psp', 'TX101-00000001', '0901122777', '1250.00', '2026-12-02T07:00:00Z', null],
      // a bank payment over-covering an old claim
      ['IB101-N0002', 'bank', null, '1506170153', '600.00', '2026-12-02T08:00:00Z', null],
      // a payment reversal: the second booking of one transaction (R13 resolves; its coverage stays: R17)
      ['IB101-00000005', 'psp', 'TX101-00000004', '28703038', '100.00', '2026-11-06T05:39:00Z', '2026-12-02T09:00:00Z'],
      // applied to nothing (R14); the late export of 2 December (night 12) holds an older version of it
      ['IB101-N0003', 'bank', null, '0404804567', '40.00', '2026-12-02T09:30:00Z', null],
    ]),
    file('101/2026-12/debitor_coverages_2026-12-03.csv', COVERAGE_HEADER, [
      ['DK101-N0001', 'IB101-N0001', 'FD101-X0009', '1250.00', '2026-12-02T07:05:00Z', null],
      // 600.00 on FD101-X0007's 550.00 (R09 resolves, R16 arises: reverse 600.00, pay in 550.00 again)
      ['DK101-N0002', 'IB101-N0002', 'FD101-X0007', '600.00', '2026-12-02T08:05:00Z', null],
    ]),
    // a fee paid in cash at the library (R20)
    file('101/2026-12/fbs_fees_2026-12-03.csv', FEE_HEADER, [
      ['MV101-N0002', 'adult_cpr', '0505805678', 'overdue_fee', '75.00', '2026-12-02T08:00:00Z', 'paid', '2026-12-02T08:30:00Z', 'cash', null, 'betalt kontant i skranken'],
    ]),
    // a fee cancelled in FBS (R01 MV461-X0009 resolves), written in naive Copenhagen time; a new fee never transferred
    file('461/fbs_fees_2026-12-03.csv', FEE_HEADER, [
      ['MV461-X0009', 'adult_cpr', '221195-7674', 'overdue_fee', '527.65', '2026-11-16 10:05:00', 'cancelled', null, null, '2026-12-02 09:00:00', 'annulleret: dobbeltoprettet'],
      ['MV461-N0001', 'adult_cpr', '0202802345', 'overdue_fee', '95.00', '2026-12-02T08:00:00Z', 'open', null, null, null, null],
    ]),
    // a replacement CPR on Prisme (R07) and a row with one decimal (rejected: exit 3)
    file('621/fbs_fees_2026-12-03.csv', FEE_HEADER, [
      ['MV621-N0001', 'adult_replacement_cpr', '0303803456', 'replacement_ack', '310.00', '2026-12-02T11:00:00Z', 'open', null, null, null, null],
      ['MV621-N0002', 'adult_cpr', '0606806789', 'overdue_fee', '12,5', '2026-12-02T11:30:00Z', 'open', null, null, null, null],
    ]),
  ];
}

/** Night 12's files: a late export of 2 December, a re-delivery of 3 December, the exports of 4 December, a copy. */
function december4(): Delivery[] {
  const claims = december3().find((d) => d.path === '101/2026-12/debitor_claims_2026-12-03.csv')!;
  return [
    // late: exported before the payments of 3 December already loaded; its IB101-N0003 (45.00) loses to theirs (40.00)
    file('101/2026-12/debitor_payments_2026-12-02.csv', PAYMENT_HEADER, [
      ['IB101-N0003', 'bank', null, '0404804567', '45.00', '2026-12-01T09:00:00Z', null],
      ['IB101-N0004', 'bank', null, '0707807890', '35.00', '2026-12-01T10:00:00Z', null],
    ]),
    // a re-delivery in place: MV461-X0009 is no longer in it (back to its open version of 20 November: R01 again), and
    // MV461-N0001 is now paid through the debtor system without a claim (R19)
    file('461/fbs_fees_2026-12-03.csv', FEE_HEADER, [
      ['MV461-N0001', 'adult_cpr', '0202802345', 'overdue_fee', '95.00', '2026-12-02T08:00:00Z', 'paid', '2026-12-03T08:00:00Z', 'debitor', null, null],
    ]),
    // a coverage reversal: FD101-X0014 is no longer over-covered (R16 and its reversal proposal go, and R17)
    file('101/2026-12/debitor_coverages_2026-12-04.csv', COVERAGE_HEADER, [
      ['DK101-00000005', 'IB101-00000005', 'FD101-X0014', '100.00', '2026-11-06T05:41:00Z', '2026-12-03T10:00:00Z'],
    ]),
    // the same bytes as an export already loaded, under another path
    { path: '101/kopi/debitor_claims_2026-12-03.csv', bytes: claims.bytes },
  ];
}

/** Night 14's exports, dated 23 December. */
function december23(): Delivery[] {
  return [
    // the claim of MV621-N0001 (R01 resolves), 10.00 short of the fee (R04)
    file('621/debitor_claims_2026-12-23.csv', CLAIM_HEADER, [
      ['FD621-N0001', 'MV621-N0001', 'library_fees', 'replacement_ack', '0303803456', '300.00', '2026-12-22T09:00:00Z', null, '2027-01-22', null],
    ]),
    // FD101-N0001 cancelled in the debtor system, not in FBS (R05; R09 resolves)
    file('101/2026-12/debitor_adjustments_2026-12-23.csv', DEB_ADJ_HEADER, [
      ['ND101-N0001', 'FD101-N0001', '225.00', '2026-12-22T10:00:00Z', null],
    ]),
  ];
}
