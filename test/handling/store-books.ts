// The books the store tests share: three fees without claims (R01 in 101: S-1 F1, S-2 F2; 561: S-3 F3), recorded as
// run 1 as of 2026-11-26 12:00 UTC, and short ways to write an edit and a request.
import { Books, fee } from '../helpers/books.ts';
import { updateLifecycle } from '../../src/handling/lifecycle.ts';
import type { HandlingEdit, HandlingRequest } from '../../src/handling/store.ts';

export async function storeBooks(): Promise<Books> {
  const books = await Books.open('2026-11-26T12:00:00Z');
  await books.add('fbs_fees', fee('F1', '2026-11-26 09:00:00', '125.00'), fee('F2', '2026-11-26 09:00:00', '10.50'),
    fee('F3', '2026-11-26 09:00:00', '7.00', { municipality: '561' }));
  await books.evaluate();
  await updateLifecycle(books.db, 1, new Date('2026-11-26T12:00:00Z'));
  return books;
}

export const edit = (caseRef: string, status: HandlingEdit['status'], more: Partial<HandlingEdit> = {}): HandlingEdit =>
  ({ caseRef, status, assignee: null, note: null, followUp: null, ...more });
export const req = (e: HandlingEdit, more: Partial<HandlingRequest> = {}): HandlingRequest =>
  ({ edit: e, by: 'anna', source: 'kommandolinje', ...more });
