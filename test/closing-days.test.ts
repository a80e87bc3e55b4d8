// RULES.md §1 "banking day": Monday–Friday except the Danish bank closing days: 1 January, Maundy Thursday, Good
// Friday, Easter Monday, Great Prayer Day (4th Friday after Easter, until 2023 only), Ascension Day, the Friday after
// Ascension Day, Whit Monday, 5 June, 24, 25, 26 and 31 December. Every closing day by name, worked out by hand for
// years with Easter on 4 April 1999, 9 April 2023, 31 March 2024 and 12 April 2150; every other weekday is open.
import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { bankClosingDays, datesBetween, isBankingDay } from '../src/calendar.ts';

type Named = [date: string, name: string];
const CLOSING: Record<number, Named[]> = {
  1999: [
    ['1999-01-01', 'Nytårsdag'], // Fri
    ['1999-04-01', 'Skærtorsdag'],
    ['1999-04-02', 'Langfredag'],
    ['1999-04-05', '2. påskedag'],
    ['1999-04-30', 'Store bededag'], // Easter + 26 days
    ['1999-05-13', 'Kristi himmelfartsdag'], // Easter + 39
    ['1999-05-14', 'Fredag efter Kristi himmelfartsdag'],
    ['1999-05-24', '2. pinsedag'], // Easter + 50
    ['1999-06-05', 'Grundlovsdag'], // Sat
    ['1999-12-24', 'Juleaftensdag'], // Fri
    ['1999-12-25', 'Juledag'],
    ['1999-12-26', '2. juledag'],
    ['1999-12-31', 'Nytårsaftensdag'], // Fri
  ],
  2023: [
    ['2023-01-01', 'Nytårsdag'], // Sun
    ['2023-04-06', 'Skærtorsdag'],
    ['2023-04-07', 'Langfredag'],
    ['2023-04-10', '2. påskedag'],
    ['2023-05-05', 'Store bededag'], // its last year
    ['2023-05-18', 'Kristi himmelfartsdag'],
    ['2023-05-19', 'Fredag efter Kristi himmelfartsdag'],
    ['2023-05-29', '2. pinsedag'],
    ['2023-06-05', 'Grundlovsdag'], // Mon
    ['2023-12-24', 'Juleaftensdag'], // Sun
    ['2023-12-25', 'Juledag'], // Mon
    ['2023-12-26', '2. juledag'], // Tue
    ['2023-12-31', 'Nytårsaftensdag'], // Sun
  ],
  2024: [
    ['2024-01-01', 'Nytårsdag'],
    ['2024-03-28', 'Skærtorsdag'],
    ['2024-03-29', 'Langfredag'],
    ['2024-04-01', '2. påskedag'],
    // no Great Prayer Day: Friday 26 April 2024 is open
    ['2024-05-09', 'Kristi himmelfartsdag'],
    ['2024-05-10', 'Fredag efter Kristi himmelfartsdag'],
    ['2024-05-20', '2. pinsedag'],
    ['2024-06-05', 'Grundlovsdag'], // Wed
    ['2024-12-24', 'Juleaftensdag'], // Tue
    ['2024-12-25', 'Juledag'],
    ['2024-12-26', '2. juledag'],
    ['2024-12-31', 'Nytårsaftensdag'], // Tue
  ],
  2150: [
    ['2150-01-01', 'Nytårsdag'], // Thu
    ['2150-04-09', 'Skærtorsdag'],
    ['2150-04-10', 'Langfredag'],
    ['2150-04-13', '2. påskedag'],
    ['2150-05-21', 'Kristi himmelfartsdag'],
    ['2150-05-22', 'Fredag efter Kristi himmelfartsdag'],
    ['2150-06-01', '2. pinsedag'],
    ['2150-06-05', 'Grundlovsdag'], // Fri
    ['2150-12-24', 'Juleaftensdag'], // Thu
    ['2150-12-25', 'Juledag'],
    ['2150-12-26', '2. juledag'],
    ['2150-12-31', 'Nytårsaftensdag'], // Thu
  ],
};

const weekday = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).weekday;

describe('bank closing days by name', () => {
  for (const [year, days] of Object.entries(CLOSING)) {
    for (const [date, name] of days) {
      it(`${date} ${name} is a closing day${weekday(date) >= 6 ? ' (a weekend day as well)' : ', not a banking day'}`, () => {
        expect(bankClosingDays(Number(year)).get(date)).toBe(name);
        expect(isBankingDay(date)).toBe(false);
      });
    }
    it(`${year}: the closing days are exactly these, and every other Monday–Friday is a banking day`, () => {
      expect([...bankClosingDays(Number(year)).keys()].sort()).toEqual(days.map(([d]) => d).sort());
      const closed = new Set(days.map(([d]) => d));
      const wrong = [...datesBetween(`${year}-01-01`, `${year}-12-31`)].filter(
        (d) => isBankingDay(d) !== (weekday(d) <= 5 && !closed.has(d)),
      );
      expect(wrong).toEqual([]);
    });
  }

  it('Great Prayer Day: closed on the 4th Friday after Easter in 2023, open in 2024 and after', () => {
    expect(isBankingDay('2023-05-05')).toBe(false);
    expect(isBankingDay('2024-04-26')).toBe(true);
    expect(isBankingDay('2025-05-16')).toBe(true); // Easter 20 April 2025
    expect(isBankingDay('2150-05-08')).toBe(true); // Easter 12 April 2150
    expect(isBankingDay('1900-05-11')).toBe(false); // Easter 15 April 1900
  });

  it('the days beside the fixed closing days are banking days when they are weekdays', () => {
    // 4 and 6 June 2024 (Tue, Thu), 23 and 27 December 2024 (Mon, Fri), 30 December 2024 (Mon), 2 January 2025 (Thu)
    for (const d of ['2024-06-04', '2024-06-06', '2024-12-23', '2024-12-27', '2024-12-30', '2025-01-02']) expect(isBankingDay(d), d).toBe(true);
  });

  it('Saturdays and Sundays are never banking days', () => {
    for (const d of ['1999-06-05', '2026-11-28', '2026-11-29', '2150-01-03', '2150-01-04']) expect(isBankingDay(d), d).toBe(false);
    expect(isBankingDay('2026-11-27')).toBe(true); // a Friday
    expect(isBankingDay('2026-11-30')).toBe(true); // a Monday
  });
});
