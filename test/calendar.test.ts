// Danish banking days and SLA deadlines (RULES.md §1): the TypeScript calendar, checked against
// Danmarks Nationalbank's published bank closing days (written out by hand below), against the public holidays of
// the `date-holidays` package, and against the SQL macro `sla_deadline` that the models use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { lit, type Db } from '../src/db.ts';
import { openDatabase } from '../src/schema/migrate.ts';
import { parseConfig } from '../src/config.ts';
import { STAGES } from '../src/vocabulary.ts';
import { prepareContext } from '../src/pipeline/context.ts';
import {
  bankClosingDays,
  datesBetween,
  easterSunday,
  isBankingDay,
  slaDeadline,
  type Sla,
} from '../src/calendar.ts';

/**
 * Danmarks Nationalbank, "Bankernes lukkedage" 2024–2027, typed in by hand (not computed).
 * Every day listed is a closing day whatever its weekday; all Saturdays and Sundays are closed too.
 */
const NATIONALBANK_CLOSING_DAYS: Record<number, string[]> = {
  2024: [
    '2024-01-01', // Nytårsdag (Mon)
    '2024-03-28', // Skærtorsdag
    '2024-03-29', // Langfredag
    '2024-04-01', // 2. påskedag
    '2024-05-09', // Kristi himmelfartsdag
    '2024-05-10', // fredag efter Kristi himmelfartsdag
    '2024-05-20', // 2. pinsedag
    '2024-06-05', // Grundlovsdag (Wed)
    '2024-12-24', // Juleaftensdag (Tue)
    '2024-12-25', // Juledag
    '2024-12-26', // 2. juledag
    '2024-12-31', // Nytårsaftensdag (Tue)
  ],
  2025: [
    '2025-01-01', // Nytårsdag (Wed)
    '2025-04-17', // Skærtorsdag
    '2025-04-18', // Langfredag
    '2025-04-21', // 2. påskedag
    '2025-05-29', // Kristi himmelfartsdag
    '2025-05-30', // fredag efter Kristi himmelfartsdag
    '2025-06-05', // Grundlovsdag (Thu)
    '2025-06-09', // 2. pinsedag
    '2025-12-24', // Juleaftensdag (Wed)
    '2025-12-25', // Juledag
    '2025-12-26', // 2. juledag
    '2025-12-31', // Nytårsaftensdag (Wed)
  ],
  2026: [
    '2026-01-01', // Nytårsdag (Thu)
    '2026-04-02', // Skærtorsdag
    '2026-04-03', // Langfredag
    '2026-04-06', // 2. påskedag
    '2026-05-14', // Kristi himmelfartsdag
    '2026-05-15', // fredag efter Kristi himmelfartsdag
    '2026-05-25', // 2. pinsedag
    '2026-06-05', // Grundlovsdag (Fri)
    '2026-12-24', // Juleaftensdag (Thu)
    '2026-12-25', // Juledag (Fri)
    '2026-12-26', // 2. juledag (Sat)
    '2026-12-31', // Nytårsaftensdag (Thu)
  ],
  2027: [
    '2027-01-01', // Nytårsdag (Fri)
    '2027-03-25', // Skærtorsdag
    '2027-03-26', // Langfredag
    '2027-03-29', // 2. påskedag
    '2027-05-06', // Kristi himmelfartsdag
    '2027-05-07', // fredag efter Kristi himmelfartsdag
    '2027-05-17', // 2. pinsedag
    '2027-06-05', // Grundlovsdag (Sat)
    '2027-12-24', // Juleaftensdag (Fri)
    '2027-12-25', // Juledag (Sat)
    '2027-12-26', // 2. juledag (Sun)
    '2027-12-31', // Nytårsaftensdag (Fri)
  ],
};

const isWeekend = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).weekday >= 6;

describe('bank closing days', () => {
  for (const [year, listed] of Object.entries(NATIONALBANK_CLOSING_DAYS)) {
    it(`${year}: every day of the year is a banking day exactly when Nationalbanken lists it open`, () => {
      const closed = new Set(listed);
      const wrong: string[] = [];
      for (const d of datesBetween(`${year}-01-01`, `${year}-12-31`)) {
        const expected = !isWeekend(d) && !closed.has(d);
        if (isBankingDay(d) !== expected) wrong.push(`${d} expected ${expected ? 'open' : 'closed'}`);
      }
      expect(wrong).toEqual([]);
      expect([...bankClosingDays(Number(year)).keys()].sort()).toEqual([...listed].sort());
    });
  }

  it('Easter Sunday for known years', () => {
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25'); // the latest possible date
    expect(easterSunday(2285)).toBe('2285-03-22'); // the earliest possible date
  });

  it('Great Prayer Day is a closing day until 2023 only', () => {
    expect(isBankingDay('2023-05-05')).toBe(false); // Store bededag 2023
    expect(bankClosingDays(2023).get('2023-05-05')).toBe('Store bededag');
    expect(isBankingDay('2024-04-26')).toBe(true); // 4th Friday after Easter 2024: abolished
    expect(isBankingDay('2026-05-01')).toBe(true); // 4th Friday after Easter 2026, also 1 May: open
  });

  it('two closing days on one date keep both names', () => {
    expect(bankClosingDays(2017).get('2017-06-05')).toBe('2. pinsedag og Grundlovsdag');
    expect(bankClosingDays(2028).get('2028-06-05')).toBe('2. pinsedag og Grundlovsdag');
  });

  it('Easter Sunday in years far from today (each year the data can carry uses the Gregorian computus)', () => {
    expect(easterSunday(1900)).toBe('1900-04-15');
    expect(easterSunday(1943)).toBe('1943-04-25'); // the latest possible date
    expect(easterSunday(1961)).toBe('1961-04-02');
    expect(easterSunday(1999)).toBe('1999-04-04');
    expect(easterSunday(2100)).toBe('2100-03-28');
    expect(easterSunday(2150)).toBe('2150-04-12');
  });

  it('public holidays 1900–2199 agree with date-holidays (DK)', () => {
    const hd = new Holidays('DK');
    for (let year = 1900; year <= 2199; year++) {
      const holidays = hd.getHolidays(year);
      const publicDays = holidays.filter((h) => h.type === 'public');
      // Every public holiday is a closing day; Easter Sunday and Whit Sunday by being Sundays.
      for (const h of publicDays) expect(isBankingDay(h.date.slice(0, 10)), `${h.date} ${h.name}`).toBe(false);
      const sundays = publicDays.filter((h) => /^(Påskedag|Pinsedag)$/.test(h.name));
      expect(sundays.map((h) => DateTime.fromISO(h.date.slice(0, 10)).weekday)).toEqual([7, 7]);
      const ascension = publicDays.find((h) => h.name === 'Kristi Himmelfartsdag')!.date.slice(0, 10);
      // The closing days are the public holidays other than those two Sundays, plus four days banks close on.
      const expected = new Set([
        ...publicDays.filter((h) => !sundays.includes(h)).map((h) => h.date.slice(0, 10)),
        DateTime.fromISO(ascension).plus({ days: 1 }).toISODate()!,
        `${year}-06-05`,
        `${year}-12-24`,
        `${year}-12-31`,
      ]);
      expect([...bankClosingDays(year).keys()].sort(), `closing days of ${year}`).toEqual([...expected].sort());
      // date-holidays knows 5 June and 24 December as observances.
      const observances = holidays.filter((h) => h.type === 'observance').map((h) => h.date.slice(0, 10));
      expect(observances).toContain(`${year}-06-05`);
      expect(observances).toContain(`${year}-12-24`);
    }
  });
});

/** SLA cases: start instant (UTC), SLA, expected deadline (UTC) and what it shows. */
interface Case {
  what: string;
  start: string;
  sla: Sla;
  deadline: string;
}

const CASES: Case[] = [
  // RULES.md §1's example: Thursday 2, Friday 3 (Easter), the weekend and Easter Monday 6 April are closed.
  { what: 'Easter: Wed 1 Apr 2026 noon → Wed 8 Apr 00:00 CEST', start: '2026-04-01T10:00:00Z', sla: { businessDays: 1 }, deadline: '2026-04-07T22:00:00Z' },
  { what: 'Easter: 00:30 CEST on 1 Apr is still 1 Apr locally', start: '2026-03-31T22:30:00Z', sla: { businessDays: 1 }, deadline: '2026-04-07T22:00:00Z' },
  { what: 'Easter: 23:59 CEST on 31 Mar counts from 31 Mar → Thu 2 Apr 00:00', start: '2026-03-31T21:59:00Z', sla: { businessDays: 1 }, deadline: '2026-04-01T22:00:00Z' },
  { what: 'Easter: 2 banking days from Wed 1 Apr → Tue 7, Wed 8 → Thu 9 Apr 00:00', start: '2026-04-01T10:00:00Z', sla: { businessDays: 2 }, deadline: '2026-04-08T22:00:00Z' },
  { what: 'Easter: from Maundy Thursday itself', start: '2026-04-02T08:00:00Z', sla: { businessDays: 1 }, deadline: '2026-04-07T22:00:00Z' },
  // Ascension Day Thu 14 May 2026 and the Friday after it.
  { what: 'Ascension: Wed 13 May → Mon 18 → Tue 19 May 00:00', start: '2026-05-13T09:00:00Z', sla: { businessDays: 1 }, deadline: '2026-05-18T22:00:00Z' },
  { what: 'Ascension: 2 days from Wed 13 May → Tue 19 → Wed 20 May 00:00', start: '2026-05-13T09:00:00Z', sla: { businessDays: 2 }, deadline: '2026-05-19T22:00:00Z' },
  // Whit Monday 25 May 2026.
  { what: 'Whit Monday: Fri 22 May → Tue 26 → Wed 27 May 00:00', start: '2026-05-22T12:00:00Z', sla: { businessDays: 1 }, deadline: '2026-05-26T22:00:00Z' },
  // Constitution Day Fri 5 June 2026.
  { what: '5 June: Thu 4 Jun → Mon 8 → Tue 9 Jun 00:00', start: '2026-06-04T12:00:00Z', sla: { businessDays: 1 }, deadline: '2026-06-08T22:00:00Z' },
  // Christmas 2026: Thu 24, Fri 25, Sat 26 closed.
  { what: 'Christmas: Wed 23 Dec → Mon 28 → Tue 29 Dec 00:00 CET', start: '2026-12-23T15:00:00Z', sla: { businessDays: 1 }, deadline: '2026-12-28T23:00:00Z' },
  { what: 'Christmas + New Year: 3 days from Wed 23 Dec → Mon 28, Tue 29, Wed 30 → Thu 31 Dec 00:00', start: '2026-12-23T15:00:00Z', sla: { businessDays: 3 }, deadline: '2026-12-30T23:00:00Z' },
  // New Year: Thu 31 Dec 2026 and Fri 1 Jan 2027 closed.
  { what: 'New Year: Wed 30 Dec → Mon 4 Jan 2027 → Tue 5 Jan 00:00', start: '2026-12-30T10:00:00Z', sla: { businessDays: 1 }, deadline: '2027-01-04T23:00:00Z' },
  { what: 'New Year: 23:30 CET on 31 Dec 2026 (22:30Z) counts from 31 Dec', start: '2026-12-31T22:30:00Z', sla: { businessDays: 1 }, deadline: '2027-01-04T23:00:00Z' },
  { what: 'New Year: 00:30 CET on 1 Jan 2027 (31 Dec 23:30Z) counts from 1 Jan', start: '2026-12-31T23:30:00Z', sla: { businessDays: 1 }, deadline: '2027-01-04T23:00:00Z' },
  // Spring DST, Sunday 29 March 2026: deadlines before it are CET (+01), after it CEST (+02).
  { what: 'spring DST: Fri 27 Mar → Mon 30 → Tue 31 Mar 00:00 CEST', start: '2026-03-27T09:00:00Z', sla: { businessDays: 1 }, deadline: '2026-03-30T22:00:00Z' },
  { what: 'spring DST: Thu 26 Mar → Fri 27 → Sat 28 Mar 00:00 CET', start: '2026-03-26T09:00:00Z', sla: { businessDays: 1 }, deadline: '2026-03-27T23:00:00Z' },
  { what: 'spring DST: start on the DST Sunday itself, 03:30 CEST', start: '2026-03-29T01:30:00Z', sla: { businessDays: 1 }, deadline: '2026-03-30T22:00:00Z' },
  // Autumn DST, Sunday 25 October 2026.
  { what: 'autumn DST: Fri 23 Oct → Mon 26 → Tue 27 Oct 00:00 CET', start: '2026-10-23T09:00:00Z', sla: { businessDays: 1 }, deadline: '2026-10-26T23:00:00Z' },
  { what: 'autumn DST: Thu 22 Oct → Fri 23 → Sat 24 Oct 00:00 CEST', start: '2026-10-22T09:00:00Z', sla: { businessDays: 1 }, deadline: '2026-10-23T22:00:00Z' },
  { what: 'autumn DST: start in the repeated hour (02:30 CET, 01:30Z)', start: '2026-10-25T01:30:00Z', sla: { businessDays: 2 }, deadline: '2026-10-27T23:00:00Z' },
  // Other years than today's (FORMATS.md §3: any year 1900–2199).
  { what: '1900: Mon 1 Jan (closed) → Tue 2 → Wed 3 Jan 00:00 CET', start: '1900-01-01T10:00:00Z', sla: { businessDays: 1 }, deadline: '1900-01-02T23:00:00Z' },
  { what: '1950: Great Prayer Day Fri 5 May; no summer time 1949–1979 → Tue 9 May 00:00 CET', start: '1950-05-04T10:00:00Z', sla: { businessDays: 1 }, deadline: '1950-05-08T23:00:00Z' },
  { what: '1985: summer time ended Sun 29 Sep → Tue 1 Oct 00:00 CET', start: '1985-09-27T10:00:00Z', sla: { businessDays: 1 }, deadline: '1985-09-30T23:00:00Z' },
  { what: '1999: Maundy Thursday 1 Apr → Tue 6 → Wed 7 Apr 00:00 CEST', start: '1999-04-01T10:00:00Z', sla: { businessDays: 1 }, deadline: '1999-04-06T22:00:00Z' },
  { what: '1999/2000: Thu 30 Dec 1999 → Mon 3 Jan 2000 → Tue 4 Jan 00:00 CET', start: '1999-12-30T09:00:00Z', sla: { businessDays: 1 }, deadline: '2000-01-03T23:00:00Z' },
  { what: '2023: Great Prayer Day Fri 5 May closed → Tue 9 May 00:00 CEST', start: '2023-05-04T10:00:00Z', sla: { businessDays: 1 }, deadline: '2023-05-08T22:00:00Z' },
  { what: '2024: 4th Friday after Easter, 26 Apr, is open → Sat 27 Apr 00:00 CEST', start: '2024-04-25T10:00:00Z', sla: { businessDays: 1 }, deadline: '2024-04-26T22:00:00Z' },
  { what: '2150: Maundy Thursday 9 Apr → Tue 14 → Wed 15 Apr 00:00 CEST', start: '2150-04-09T10:00:00Z', sla: { businessDays: 1 }, deadline: '2150-04-14T22:00:00Z' },
  { what: '2199/2200: Tue 31 Dec 2199 → Thu 2 Jan 2200 → Fri 3 Jan 00:00 CET', start: '2199-12-31T10:00:00Z', sla: { businessDays: 1 }, deadline: '2200-01-02T23:00:00Z' },
  // {hours: N} is elapsed time, whatever the wall clock does.
  { what: 'hours: 1 h across the spring gap (01:30 CET → 03:30 CEST)', start: '2026-03-29T00:30:00Z', sla: { hours: 1 }, deadline: '2026-03-29T01:30:00Z' },
  { what: 'hours: 24 h across the spring gap lands at 14:00 CEST after 13:00 CET', start: '2026-03-28T12:00:00Z', sla: { hours: 24 }, deadline: '2026-03-29T12:00:00Z' },
  { what: 'hours: 1 h in the repeated autumn hour (02:30 CEST → 02:30 CET)', start: '2026-10-25T00:30:00Z', sla: { hours: 1 }, deadline: '2026-10-25T01:30:00Z' },
  { what: 'hours: 24 h across autumn DST lands at 11:00 CET after 12:00 CEST', start: '2026-10-24T10:00:00Z', sla: { hours: 24 }, deadline: '2026-10-25T10:00:00Z' },
  { what: 'hours: 1.5 h', start: '2026-06-05T10:15:00Z', sla: { hours: 1.5 }, deadline: '2026-06-05T11:45:00Z' },
  { what: 'hours: 72 h across Easter ignores closing days', start: '2026-04-01T10:00:00Z', sla: { hours: 72 }, deadline: '2026-04-04T10:00:00Z' },
];

const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe('slaDeadline (TypeScript)', () => {
  for (const c of CASES) {
    it(c.what, () => {
      const d = slaDeadline(utc(c.start), c.sla);
      expect(d.toUTC().toISO({ suppressMilliseconds: true })).toBe(c.deadline);
    });
  }

  it('the deadline of a businessDays SLA is local midnight', () => {
    for (const c of CASES.filter((c) => 'businessDays' in c.sla)) {
      const local = slaDeadline(utc(c.start), c.sla).setZone('Europe/Copenhagen');
      expect(local.toFormat('HH:mm:ss'), c.what).toBe('00:00:00');
    }
  });
});

/** A configuration whose four stages carry the given SLAs (one prepareContext per group of four). */
function configWith(slas: Sla[]) {
  const sla: Record<string, Sla> = {};
  STAGES.forEach((s, i) => (sla[s] = slas[i] ?? { hours: 1 }));
  return parseConfig(
    {
      inbox: 'inbox',
      municipalities: [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }],
      sla,
    },
    '/tmp/afstem.config.json',
  );
}

const slaKey = (s: Sla) => JSON.stringify(s);

describe('sla_deadline (SQL macro) agrees with slaDeadline', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase(':memory:');
  });
  afterAll(() => db?.close());

  async function sqlDeadlines(slas: Sla[], starts: string[]): Promise<Map<string, string>> {
    // result key: `${slaKey}|${start}`
    const out = new Map<string, string>();
    for (let i = 0; i < slas.length; i += STAGES.length) {
      const group = slas.slice(i, i + STAGES.length);
      await prepareContext(db, configWith(group), new Date('2026-11-27T00:00:00Z'));
      const rows = group.flatMap((s, j) => starts.map((st) => `(${lit(STAGES[j])}, ${lit(slaKey(s))}, TIMESTAMP ${lit(st.replace('T', ' ').replace('Z', ''))}, ${lit(st)})`));
      const res = await db.all<{ k: string; start: string; deadline: string | null }>(`
        SELECT k, start, strftime(sla_deadline(stage, ts), '%Y-%m-%dT%H:%M:%SZ') AS deadline
        FROM (VALUES ${rows.join(',')}) t(stage, k, ts, start)`);
      for (const r of res) out.set(`${r.k}|${r.start}`, r.deadline ?? 'NULL');
    }
    return out;
  }

  it('on every hand-written case', async () => {
    const slas = [...new Map(CASES.map((c) => [slaKey(c.sla), c.sla])).values()];
    const got = await sqlDeadlines(slas, [...new Set(CASES.map((c) => c.start))]);
    for (const c of CASES) expect(got.get(`${slaKey(c.sla)}|${c.start}`), c.what).toBe(c.deadline);
  });

  it('for starts at 00:00, 01:30, 12:00, 22:30 and 23:30 UTC on every day of 2024–2027', async () => {
    const starts: string[] = [];
    for (const d of datesBetween('2024-01-01', '2027-12-31'))
      for (const t of ['00:00:00', '01:30:00', '12:00:00', '22:30:00', '23:30:00']) starts.push(`${d}T${t}Z`);
    const slas: Sla[] = [{ businessDays: 1 }, { businessDays: 2 }, { businessDays: 5 }, { hours: 1 }];
    const got = await sqlDeadlines(slas, starts);
    const wrong: string[] = [];
    for (const s of slas)
      for (const st of starts) {
        const ts = slaDeadline(utc(st), s).toUTC().toISO({ suppressMilliseconds: true });
        const sql = got.get(`${slaKey(s)}|${st}`);
        if (sql !== ts) wrong.push(`${slaKey(s)} from ${st}: sql ${sql} ts ${ts}`);
      }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('cal_days holds every day 1900–2200 once, a banking day exactly when isBankingDay says so', async () => {
    const rows = await db.all<{ d: string; b: boolean }>(`SELECT strftime(d, '%Y-%m-%d') AS d, is_banking AS b FROM cal_days ORDER BY d`);
    const days = [...datesBetween('1900-01-01', '2200-12-31')];
    expect(rows.length).toBe(days.length);
    const wrong = rows.filter((r, i) => r.d !== days[i] || r.b !== isBankingDay(days[i])).slice(0, 5);
    expect(wrong).toEqual([]);
  });

  it('cph_local agrees with ICU on every minute 01:00 UTC ± 3 h of each March and October Sunday and every hour, 1900–2201', async () => {
    const r = (await db.one<{ n: bigint; wrong: bigint; first: string | null }>(`
      WITH ts AS (
        SELECT d::TIMESTAMP + to_microseconds(m * 60000000) - INTERVAL 2 HOUR AS ts
        FROM range(DATE '1900-03-01', DATE '2202-01-01', INTERVAL 1 DAY) r(d), range(0, 360) mm(m)
        WHERE month(d) IN (3, 10) AND dayofweek(d) = 0
        UNION ALL
        SELECT r.h FROM range(TIMESTAMP '1900-01-01', TIMESTAMP '2202-01-01', INTERVAL 1 HOUR) r(h)
      )
      SELECT count(*) AS n, count(*) FILTER (WHERE cph_local(ts) <> cph_local_icu(ts)) AS wrong,
             min(ts::VARCHAR) FILTER (WHERE cph_local(ts) <> cph_local_icu(ts)) AS first
      FROM ts`))!;
    expect(Number(r.n)).toBeGreaterThan(2_600_000);
    expect({ wrong: Number(r.wrong), first: r.first }).toEqual({ wrong: 0, first: null });
  });

  it("cph_local agrees with luxon's tz database (Node's ICU) on sampled instants 1900–2199", async () => {
    // Every 61 h 7 min from 1 January 1900: every hour of the day and every day of the week come round (~43k instants).
    const step = (61 * 60 + 7) * 60_000;
    const first = Date.UTC(1900, 0, 1);
    const last = Date.UTC(2200, 0, 1);
    const rows = await db.all<{ ms: bigint; l: string }>(`
      SELECT epoch_ms(ts) AS ms, strftime(cph_local(ts), '%Y-%m-%dT%H:%M:%S') AS l
      FROM range(make_timestamp(${first}::BIGINT * 1000), make_timestamp(${last}::BIGINT * 1000), to_microseconds(${step}::BIGINT * 1000)) r(ts)`);
    expect(rows.length).toBeGreaterThan(40_000);
    const wrong: string[] = [];
    for (const r of rows) {
      const want = DateTime.fromMillis(Number(r.ms), { zone: 'Europe/Copenhagen' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
      if (want !== r.l) wrong.push(`${new Date(Number(r.ms)).toISOString()}: sql ${r.l} luxon ${want}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // Copenhagen's own history, by hand: war-time summer time 1944, none in 1950, September's end in 1985.
    const at = async (utcIso: string) =>
      (await db.one<{ l: string }>(`SELECT strftime(cph_local(TIMESTAMP '${utcIso}'), '%Y-%m-%d %H:%M') AS l`))!.l;
    expect(await at('1944-07-01 12:00')).toBe('1944-07-01 14:00');
    expect(await at('1950-07-01 12:00')).toBe('1950-07-01 13:00');
    expect(await at('1985-09-28 12:00')).toBe('1985-09-28 14:00');
    expect(await at('1985-10-05 12:00')).toBe('1985-10-05 13:00');
    expect(await at('2150-07-01 12:00')).toBe('2150-07-01 14:00');
    expect(await at('2199-12-31 23:30')).toBe('2200-01-01 00:30');
  });

  it('cph_date and cph_local follow Copenhagen wall time across DST', async () => {
    const r = await db.all<{ d: string; l: string }>(`
      SELECT strftime(cph_date(ts), '%Y-%m-%d') AS d, strftime(cph_local(ts), '%Y-%m-%d %H:%M') AS l FROM (VALUES
        (TIMESTAMP '2026-03-29 00:30'), (TIMESTAMP '2026-03-29 01:30'), (TIMESTAMP '2026-10-25 00:30'),
        (TIMESTAMP '2026-10-25 01:30'), (TIMESTAMP '2026-12-31 23:30'), (TIMESTAMP '2026-06-30 22:00')) t(ts)`);
    expect(r).toEqual([
      { d: '2026-03-29', l: '2026-03-29 01:30' },
      { d: '2026-03-29', l: '2026-03-29 03:30' },
      { d: '2026-10-25', l: '2026-10-25 02:30' },
      { d: '2026-10-25', l: '2026-10-25 02:30' },
      { d: '2027-01-01', l: '2027-01-01 00:30' },
      { d: '2026-07-01', l: '2026-07-01 00:00' },
    ]);
  });

  it('cph_local reads the summer-time lists where prepareContext set them, and ICU on a connection without them', async () => {
    // The macro is in the database file, the lists are variables of the connection that prepared the context. Checked
    // by dropping the macro's `getvariable('cph_summer_to') IS NOT NULL`: the second connection then gets 13:00.
    await prepareContext(db, configWith([]), new Date('2026-11-27T00:00:00Z'));
    expect(await db.value(`SELECT len(getvariable('cph_summer_from')) = 205 AND len(getvariable('cph_summer_to')) = 205`)).toBe(true);
    const other = await db.connection();
    try {
      expect(await other.value(`SELECT getvariable('cph_summer_to') IS NULL`)).toBe(true);
      const at = `strftime(cph_local(TIMESTAMP '2026-07-01 12:00'), '%H:%M') || ' ' || strftime(cph_local(TIMESTAMP '2026-12-01 12:00'), '%H:%M')`;
      expect(await other.value(`SELECT ${at}`)).toBe('14:00 13:00');
      expect(await db.value(`SELECT ${at}`)).toBe('14:00 13:00');
    } finally {
      other.close();
    }
  });
});
