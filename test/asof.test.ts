// --as-of (FORMATS.md §7): an instant with Z or an offset, or a date meaning 00:00 Copenhagen of the next day.
import { describe, expect, it } from 'vitest';
import { parseAsOf } from '../src/asof.ts';

describe('--as-of', () => {
  it('takes instants with Z or an offset, keeping fractions to the microsecond', () => {
    expect(parseAsOf('2027-01-04T04:20:30Z')).toBe('2027-01-04T04:20:30.000000Z');
    expect(parseAsOf('2027-01-04T05:20:30+01:00')).toBe('2027-01-04T04:20:30.000000Z');
    expect(parseAsOf('2026-07-01T10:00:00.123456+0200')).toBe('2026-07-01T08:00:00.123456Z');
  });

  it('reads a date as the end of that day in Copenhagen, in winter and in summer time', () => {
    expect(parseAsOf('2027-01-03')).toBe('2027-01-03T23:00:00.000000Z');
    expect(parseAsOf('2026-07-01')).toBe('2026-07-01T22:00:00.000000Z');
    // the night the clocks go back: the next day starts at 00:00 +01:00
    expect(parseAsOf('2026-10-25')).toBe('2026-10-25T23:00:00.000000Z');
    expect(parseAsOf('2026-10-24')).toBe('2026-10-24T22:00:00.000000Z');
  });

  it('refuses a local time without offset and a date that does not exist', () => {
    expect(() => parseAsOf('2027-01-04 04:20')).toThrow(/must be an instant with Z or an offset/);
    expect(() => parseAsOf('2027-02-30')).toThrow(/not a real date/);
  });
});
