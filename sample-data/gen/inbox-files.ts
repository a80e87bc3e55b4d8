// Bad rows, a rejected file, unknown files, a re-delivery, and the run summary's file list.
import fs from 'node:fs';
import path from 'node:path';
import { fnv1a, Rng, dayNum } from './time.ts';
import { type Row, Bucket } from './files.ts';
import type { Context } from './context.ts';

/** Rows the loader must reject, a rejected file and the second delivery of a re-delivered file; flushes every file. */
export function badRows(cx: Context): void {
  const { seed, inbox, LAST_EXPORT, exportDays, at, buckets, relPath, chooseDialect, redo, bucketFor, flushAll, rejects } = cx;
  const bad = (code: string, kind: string, iso: string, r: Row, reason: string, o: { extraField?: boolean; blankBefore?: boolean } = {}) => {
    const day = exportDays.find((d) => d >= dayNum(iso)) ?? LAST_EXPORT;
    const b = bucketFor(code, kind, day);
    if (o.blankBefore) b.blank();
    const line = b.push(r, { extraField: o.extraField, extraValue: b.d.extra ? 'B-bad' : undefined });
    rejects.push({ file: b.rel, line, reason });
  };
  const okFee = (code: string, n: number): Row => ({
    fee_id: `MV${code}-BAD${n}`,
    patron_type: 'adult_cpr',
    debtor_party: '0101901234',
    fee_type: 'overdue_fee',
    amount: 5000,
    created_at: at('2026-11-23', 10, 0),
    status: 'open',
    paid_at: null,
    payment_source: null,
    cancelled_at: null,
    reason: null,
  });
  bad('101', 'fbs_fees', '2026-11-24', { ...okFee('101', 1), amount: '12,5' }, 'bad amount (one decimal)');
  bad('101', 'fbs_fees', '2026-11-24', { ...okFee('101', 2), patron_type: null }, 'missing required patron_type');
  bad('101', 'fbs_fees', '2026-11-24', { ...okFee('101', 3), status: 'paid' }, 'status paid without paid_at');
  bad('751', 'fbs_fees', '2026-11-26', { ...okFee('751', 1), created_at: '2026-11-25' }, 'a date alone in a timestamp column', { blankBefore: true });
  bad('751', 'fbs_fees', '2026-11-26', { ...okFee('751', 2), created_at: '31.11.2026 10:00' }, 'no such date');
  bad('751', 'fbs_fees', '2026-11-26', { ...okFee('751', 3), fee_type: 'late_fee' }, 'unknown fee_type');
  const okPay = (code: string, n: number): Row => ({
    payment_id: `IB${code}-BAD${n}`,
    channel: 'bank',
    psp_txn_ref: null,
    debtor_party: null,
    amount: 10000,
    booked_at: at('2026-11-24', 6, 30),
    reversed_at: null,
  });
  bad('621', 'debitor_payments', '2026-11-25', { ...okPay('621', 1), channel: 'kontant' }, 'unknown channel');
  bad('621', 'debitor_payments', '2026-11-25', okPay('621', 2), 'wrong field count', { extraField: true });
  bad('621', 'debitor_payments', '2026-11-25', { ...okPay('621', 3), amount: null }, 'missing required amount');
  bad('561', 'debitor_claims', '2026-11-24', {
    claim_id: 'FD561-BAD1', source_ref: null, account_type: 'library_fees', claim_type: 'overdue_fee', debtor_party: '0101901234',
    principal: 5000, received_at: at('2026-11-23', 9, 0), invoiced_at: null, due_date: '2026-13-01', collection_sent_at: null,
  }, 'bad due_date');
  bad('561', 'debitor_claims', '2026-11-24', {
    claim_id: 'FD561-BAD2', source_ref: null, account_type: 'Biblioteksgebyrer for voksne', claim_type: 'overdue_fee', debtor_party: '0101901234',
    principal: 5000, received_at: at('2026-11-23', 9, 0), invoiced_at: null, due_date: null, collection_sent_at: null,
  }, 'unknown account_type');

  // A file whose header lacks a required column (published_at): rejected whole. Its rows duplicate nothing needed.
  {
    let day = dayNum('2026-11-19');
    while (exportDays.includes(day)) day++;
    const rel = relPath('461', 'psp_invoices', day);
    const b = new Bucket(rel, 'psp_invoices', chooseDialect(rel, '461', 'psp_invoices').d, new Rng(fnv1a(`${seed}:${rel}:cols`)), ['published_at']);
    for (let i = 1; i <= 3; i++) b.push({ invoice_id: `FB461-REJ${i}`, claim_id: `FD461-REJ${i}`, amount: 5000 * i });
    buckets.set(`rejected|${rel}`, b);
    rejects.push({ file: rel, line: 1, reason: 'missing required column published_at (whole file rejected)' });
  }

  // Re-delivery (set up in bucketFor): the ghost claim only the first delivery has.
  if (redo.shadow) {
    redo.shadow.push({
      claim_id: 'FD101-GHOST0001', source_ref: null, account_type: 'library_fees', claim_type: 'overdue_fee', debtor_party: '0101901234',
      principal: 99900, received_at: at('2026-11-24', 11, 0), invoiced_at: null, due_date: null, collection_sent_at: null,
    });
  }

  flushAll();
  // unknown files
  fs.mkdirSync(path.join(inbox, '999'), { recursive: true });
  fs.writeFileSync(
    path.join(inbox, '999', 'fbs_fees_2026-11-20.csv'),
    'fee_id,patron_type,debtor_party,fee_type,amount,created_at,status\nMV999-00000001,adult_cpr,12345678,overdue_fee,50.00,2026-11-19T10:00:00Z,open\n',
  );
}

/** Files known not to be exports: the configuration's `ignore` lists them (FORMATS.md §6). */
export const IGNORED_FILES = ['101/notes.txt'];

/** Writes the unknown files and returns them with what the run summary's file list should say. */
export function fileList(cx: Context) {
  const { inbox, buckets, rejects } = cx;
  fs.mkdirSync(path.join(inbox, '101'), { recursive: true });
  fs.writeFileSync(path.join(inbox, '101', 'notes.txt'), 'Husk: eksporten fra FBS kørte to gange natten til den 25.\n');
  const unknownFiles = ['999/fbs_fees_2026-11-20.csv'];
  const ignoredFiles = IGNORED_FILES;
  // What the run summary's file list should say (FORMATS.md §7), from what was written.
  const rejectedRows = new Map<string, number>();
  for (const r of rejects) if (r.line > 1) rejectedRows.set(r.file, (rejectedRows.get(r.file) ?? 0) + 1);
  const fileList: { path: string; kind: string; municipality: string; exportDate: string; status: string; rowsRead: number; rowsLoaded: number; rowsRejected: number }[] = [];
  const describe = (b: Bucket, status: string) => {
    const m = /^(\d{3})\/(?:.*\/)?([a-z_]+)_(\d{4}-\d{2}-\d{2})\.csv$/.exec(b.rel)!;
    const rej = status === 'rejected' ? b.rows : (rejectedRows.get(b.rel) ?? 0);
    fileList.push({ path: b.rel, kind: m[2], municipality: m[1], exportDate: m[3], status, rowsRead: b.rows, rowsLoaded: b.rows - rej, rowsRejected: rej });
  };
  for (const [key, b] of buckets) {
    describe(b, key.startsWith('rejected|') ? 'rejected' : 'loaded');
    if (b.shadow) describe(b.shadow, 'replaced');
  }
  for (const [u, status] of [...unknownFiles.map((u) => [u, 'unknown']), ...ignoredFiles.map((u) => [u, 'ignored'])]) {
    const m = /^(\d{3})\/(?:.*\/)?(.*?)(?:_(\d{4}-\d{2}-\d{2}))?\.\w+$/.exec(u)!;
    fileList.push({ path: u, kind: m[2], municipality: m[1], exportDate: m[3] ?? '', status, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0 });
  }
  fileList.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { unknownFiles, ignoredFiles, fileList };
}
