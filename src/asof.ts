// Parsing --as-of (FORMATS.md §7): an instant with Z or an offset, or a date meaning the end of that day
// (00:00 Europe/Copenhagen of the next day).
import { DateTime } from 'luxon';
import { ZONE } from './calendar.ts';

/** The instant as an ISO string in UTC with microseconds, or throws with a clear message. */
export function parseAsOf(value: string): string {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const d = DateTime.fromISO(v, { zone: ZONE });
    if (!d.isValid) throw new Error(`--as-of "${value}" is not a real date`);
    return toIsoMicros(d.plus({ days: 1 }).startOf('day'));
  }
  const m = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/.exec(v);
  if (!m) {
    throw new Error(`--as-of "${value}" must be an instant with Z or an offset (2027-01-04T04:20:30Z) or a date (2027-01-03)`);
  }
  const d = DateTime.fromISO(`${m[1].replace(' ', 'T')}${m[3]}`, { setZone: true });
  if (!d.isValid) throw new Error(`--as-of "${value}" is not a real instant`);
  const micros = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return `${d.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss")}.${micros}Z`;
}

export function toIsoMicros(d: DateTime): string {
  return `${d.toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS")}000Z`;
}
