// A small hand-made database for the report test: the latency books (test/helpers/latency-books.ts) plus hostile
// input (markup and CPR numbers in ids, free text, rejected rows and file messages), two lifecycle runs (so there
// are new, persisting and resolved discrepancies), the latency models and the input tables deliveries/rejects.
import type { Books } from './books.ts';
import { fee, claim, coverage, payment } from './books.ts';
import { latencyBooks } from './latency-books.ts';
import { evaluateRules } from '../../src/pipeline/rules.ts';
import { explainDiscrepancies } from '../../src/pipeline/suggestions.ts';
import { computeLatency } from '../../src/pipeline/latency.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import { LATENCY_AS_OF, LATENCY_MUNICIPALITIES } from './latency-books.ts';
import type { Summary } from '../../src/run/batch.ts';

export const HOSTILE_FEE_ID = 'F<script>alert(1)</script><b>fed</b>';
export const CPR_FEE_ID = '1203851234';
export const CPRS = ['1203851234', '120385-1234', '0101801234', '010180-1234', '3112999876'];
export const EARLIER_AS_OF = '2026-06-05T10:00:00Z';

export const REPORT_SUMMARY: Summary = {
  runId: 'test-run',
  asOf: '2026-06-10T10:00:00Z',
  startedAt: '2026-06-10T10:00:00Z',
  finishedAt: '2026-06-10T10:01:00Z',
  exitCode: 3,
  files: [
    { path: '101/fbs_fees_2026-06-10.csv', kind: 'fbs_fees', municipality: '101', exportDate: '2026-06-10', status: 'loaded', rowsRead: 40, rowsLoaded: 38, rowsRejected: 2, extraColumns: ['<i>note</i>'], message: null },
    { path: '561/debitor_claims_2026-06-10.csv', kind: 'debitor_claims', municipality: '561', exportDate: '2026-06-10', status: 'loaded', rowsRead: 12, rowsLoaded: 12, rowsRejected: 0, extraColumns: [], message: null },
    { path: '621/psp_invoices_2026-06-10.csv', kind: 'psp_invoices', municipality: '621', exportDate: '2026-06-10', status: 'rejected', rowsRead: 3, rowsLoaded: 0, rowsRejected: 3, extraColumns: [], message: 'missing column published_at; first row names 3112999876 <img src=x>' },
    { path: '999/notes.txt', kind: '', municipality: '', exportDate: '', status: 'unknown', rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, extraColumns: [], message: 'not an export file' },
  ],
  rules: {},
  totals: { open: 0, critical: 0, warning: 0, info: 0 },
  negativeDurations: [],
  warnings: ['municipality 101 København has opened Mit Overblik (borgerblikket) but delivered no borgerblikket_claims'],
};

export async function reportBooks(): Promise<Books> {
  const b = await latencyBooks();
  // Hostile and personal data that must come out escaped and masked.
  await b.add(
    'fbs_fees',
    fee(HOSTILE_FEE_ID, '2026-06-02 08:00:00', '75.50', { reason: '<script>alert("reason")</script>' }),
    fee(CPR_FEE_ID, '2026-06-02 08:00:00', '1234.50', { debtor_party: '0101801234' }),
  );
  // A fee transferred late: R01 on 5 June, resolved by 10 June (120 h in fee_to_claim).
  await b.add('fbs_fees', fee('F-LATE', '2026-06-03 08:00:00', '100.00', { municipality: '561' }));
  await b.add('debitor_claims', claim('C-LATE', 'F-LATE', '2026-06-08 08:00:00', '100.00', { municipality: '561' }));
  // An over-covered claim (R16 and a reversal proposal).
  await b.add('fbs_fees', fee('F-OVER', '2026-05-01 08:00:00', '100.00'));
  await b.add('debitor_claims', claim('C-OVER', 'F-OVER', '2026-05-01 08:20:00', '100.00'));
  await b.add('debitor_payments', payment('PO1', '2026-05-10 08:00:00', '60.00'), payment('PO2', '2026-05-11 08:00:00', '70.00'));
  await b.add(
    'debitor_coverages',
    coverage('VO1', 'PO1', 'C-OVER', '2026-05-10 08:00:00', '60.00'),
    coverage('VO2', 'PO2', 'C-OVER', '2026-05-11 08:00:00', '70.00'),
  );
  await b.add('psp_invoices', { invoice_id: 'IO', claim_id: 'C-OVER', amount: '100.00', published_at: '2026-05-01 09:00:00' });

  // Two lifecycle runs: 5 June and 10 June.
  await b.setAsOf(EARLIER_AS_OF, { municipalities: LATENCY_MUNICIPALITIES });
  await evaluateRules(b.db);
  await explainDiscrepancies(b.db);
  await updateLifecycle(b.db, 1, new Date(EARLIER_AS_OF));
  await b.setAsOf(LATENCY_AS_OF, { municipalities: LATENCY_MUNICIPALITIES });
  await evaluateRules(b.db);
  await explainDiscrepancies(b.db);
  await updateLifecycle(b.db, 2, new Date(LATENCY_AS_OF));
  await computeLatency(b.db);

  // The input tables of the ingest (src/schema/migrations.ts), as far as the report reads them, replaced by hand.
  await b.db.exec(`
    CREATE OR REPLACE TABLE deliveries (delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE,
      status VARCHAR, rows_read INTEGER, rows_loaded INTEGER, rows_rejected INTEGER, extra_columns VARCHAR, message VARCHAR, active BOOLEAN);
    INSERT INTO deliveries VALUES
      (1, '101/fbs_fees_2026-06-10.csv', '101', 'fbs_fees', DATE '2026-06-10', 'loaded', 40, 38, 2, '["<i>note</i>"]', NULL, true),
      (2, '621/psp_invoices_2026-06-10.csv', '621', 'psp_invoices', DATE '2026-06-10', 'rejected', 3, 0, 3, '[]', 'missing column published_at', true),
      (3, '101/fbs_fees_2026-06-01.csv', '101', 'fbs_fees', DATE '2026-06-01', 'replaced', 5, 4, 1, '[]', NULL, false);
    CREATE OR REPLACE TABLE rejects (delivery_id INTEGER, path VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR);
    INSERT INTO rejects VALUES
      (1, '101/fbs_fees_2026-06-10.csv', 7, 'bad amount ''12,3'' in column amount (beloeb)', '\nF77;adult_cpr;0101801234;overdue_fee;12,3;2026-06-09 10:00;open;;;;<script>alert(2)</script>'),
      (1, '101/fbs_fees_2026-06-10.csv', 12, 'missing required value in column created_at', 'F78;adult_cpr;010180-1234;overdue_fee;10,00;;open;;;;"<b>bold</b>"'),
      (2, '621/psp_invoices_2026-06-10.csv', 1, 'missing required column published_at (publiceret)', 'faktura_id;fordring_id;beloeb'),
      (3, '101/fbs_fees_2026-06-01.csv', 4, 'replaced delivery: not in effect', 'old');
  `);
  return b;
}
