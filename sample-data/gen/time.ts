// Constants, the seeded PRNG, Europe/Copenhagen time without luxon in the hot path, and the text forms of
// timestamps, dates and amounts.
import path from 'node:path';
import { isBankingDay } from '../../src/calendar.ts';

// ───────────────────────────── constants ─────────────────────────────

export const ASOF = '2026-11-27T05:00:00Z'; // 06:00 Copenhagen, Friday 27 November 2026
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

// ───────────────────────────── PRNG ─────────────────────────────

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

// ───────────────────────────── time (Europe/Copenhagen, without luxon in the hot path) ─────────────────────────────

export function lastSunday0100Z(y: number, month0: number): number {
  const last = Date.UTC(y, month0 + 1, 0);
  const dow = new Date(last).getUTCDay();
  return last - dow * DAY + HOUR;
}
// The EU rule: summer time from the last Sunday of March to the last Sunday of October, 01:00 UTC.
export let yr = { start: 0, end: -1, dstStart: 0, dstEnd: 0 };
export function offsetMs(utc: number): number {
  if (utc < yr.start || utc >= yr.end) {
    const y = new Date(utc).getUTCFullYear();
    yr = { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1), dstStart: lastSunday0100Z(y, 2), dstEnd: lastSunday0100Z(y, 9) };
  }
  return utc >= yr.dstStart && utc < yr.dstEnd ? 2 * HOUR : HOUR;
}
/** Local (Copenhagen) day number (days since 1970-01-01) of an instant. */
export function dayOf(utc: number): number {
  return Math.floor((utc + offsetMs(utc)) / DAY);
}
/** The instant of local time `minutes` after midnight on local day `day` (not used in the DST hours). */
export function localAt(day: number, minutes: number): number {
  const base = day * DAY + minutes * MIN;
  if (offsetMs(base - 2 * HOUR) === 2 * HOUR) return base - 2 * HOUR;
  return base - HOUR;
}
export function dayNum(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY);
}
export const dayStrCache = new Map<number, [string, string, string]>();
/** [YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY] of a day number. */
export function dayStrings(day: number): [string, string, string] {
  let r = dayStrCache.get(day);
  if (!r) {
    const iso = new Date(day * DAY).toISOString().slice(0, 10);
    const [y, m, d] = iso.split('-');
    r = [iso, `${d}-${m}-${y}`, `${d}.${m}.${y}`];
    dayStrCache.set(day, r);
  }
  return r;
}
export function isoOfDay(day: number): string {
  return dayStrings(day)[0];
}
export const bankingCache = new Map<number, boolean>();
export function banking(day: number): boolean {
  let b = bankingCache.get(day);
  if (b === undefined) {
    b = isBankingDay(isoOfDay(day));
    bankingCache.set(day, b);
  }
  return b;
}
/** The first banking day strictly after local day `day`. */
export function nextBanking(day: number): number {
  let d = day + 1;
  while (!banking(d)) d++;
  return d;
}
/** The first banking day on or after `day`. */
export function bankingOnOrAfter(day: number): number {
  let d = day;
  while (!banking(d)) d++;
  return d;
}

export const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

export type TsForm = 'off' | 'off4' | 'z' | 'zms' | 'naive' | 'naiveT' | 'dmyDash' | 'dmyDot';
export type DateForm = 'iso' | 'dmyDash' | 'dmyDot';
export type AmountForm = 'dot' | 'comma' | 'dk' | 'en';

export const HHMM: string[] = [];
for (let i = 0; i < 1440; i++) HHMM.push(`${p2(Math.floor(i / 60))}:${p2(i % 60)}`);
/** Formats an instant; the fast path covers whole minutes, which is all the generator makes. */
export function fmtTs(utc: number, form: TsForm): string {
  if (utc % MIN !== 0) return fmtTsSlow(utc, form);
  if (form === 'z' || form === 'zms') {
    const day = Math.floor(utc / DAY);
    return `${dayStrings(day)[0]}T${HHMM[(utc - day * DAY) / MIN]}:00${form === 'zms' ? '.000Z' : 'Z'}`;
  }
  const off = offsetMs(utc);
  const local = utc + off;
  const day = Math.floor(local / DAY);
  const hm = HHMM[(local - day * DAY) / MIN];
  const ds = dayStrings(day);
  switch (form) {
    case 'off':
      return `${ds[0]}T${hm}:00${off === 2 * HOUR ? '+02:00' : '+01:00'}`;
    case 'off4':
      return `${ds[0]}T${hm}:00${off === 2 * HOUR ? '+0200' : '+0100'}`;
    case 'naive':
      return `${ds[0]} ${hm}:00`;
    case 'naiveT':
      return `${ds[0]}T${hm}`;
    case 'dmyDash':
      return `${ds[1]} ${hm}:00`;
    case 'dmyDot':
      return `${ds[2]} ${hm}`;
  }
}
export function fmtTsSlow(utc: number, form: TsForm): string {
  if (form === 'z' || form === 'zms') {
    const s = new Date(utc).toISOString(); // 2026-11-26T09:15:00.000Z
    return form === 'zms' ? s : `${s.slice(0, 19)}Z`;
  }
  const off = offsetMs(utc);
  const d = new Date(utc + off);
  const Y = d.getUTCFullYear();
  const M = p2(d.getUTCMonth() + 1);
  const D = p2(d.getUTCDate());
  const h = p2(d.getUTCHours());
  const m = p2(d.getUTCMinutes());
  const s = p2(d.getUTCSeconds());
  switch (form) {
    case 'off':
      return `${Y}-${M}-${D}T${h}:${m}:${s}${off === 2 * HOUR ? '+02:00' : '+01:00'}`;
    case 'off4':
      return `${Y}-${M}-${D}T${h}:${m}:${s}${off === 2 * HOUR ? '+0200' : '+0100'}`;
    case 'naive':
      return `${Y}-${M}-${D} ${h}:${m}:${s}`;
    case 'naiveT':
      return `${Y}-${M}-${D}T${h}:${m}`;
    case 'dmyDash':
      return `${D}-${M}-${Y} ${h}:${m}:${s}`;
    case 'dmyDot':
      return `${D}.${M}.${Y} ${h}:${m}`;
  }
}
export function fmtDate(day: number, form: DateForm): string {
  return dayStrings(day)[form === 'iso' ? 0 : form === 'dmyDash' ? 1 : 2];
}
/** Integer øre → DKK text in one of the four forms (never floating point). */
export function fmtAmount(ore: number, form: AmountForm): string {
  const neg = ore < 0;
  const a = Math.abs(ore);
  const kr = Math.floor(a / 100);
  const dec = p2(a % 100);
  let int = String(kr);
  if (form === 'dk' || form === 'en') int = int.replace(/\B(?=(\d{3})+(?!\d))/g, form === 'dk' ? '.' : ',');
  const sep = form === 'dot' || form === 'en' ? '.' : ',';
  return `${neg ? '-' : ''}${int}${sep}${dec}`;
}
export const amt = (ore: number | null) => (ore === null ? null : fmtAmount(ore, 'dot'));

/** RULES.md §6 hours_apart: a non-negative time apart in ms as hours with two decimals, half away from zero. */
export function hoursApart(ms: number): string {
  const hundredths = Math.floor((ms + 18_000) / 36_000);
  return `${Math.floor(hundredths / 100)}.${p2(hundredths % 100)}`;
}
