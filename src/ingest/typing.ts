// The SQL that types one raw export (all VARCHAR) into its staging columns and says, for a clerk, why a
// row cannot be read (FORMATS.md §2–4). Every value is judged on its own, so a file may mix dialects
// unless the configuration pins one.
import type { ColumnDef, KindDef } from './kinds.ts';
import { lit } from '../db.ts';

export interface Pinned {
  decimal?: '.' | ',';
  dates?: 'iso' | 'dmy';
}

const AMOUNT_ANY = String.raw`\d+[.,]\d{2}|\d{1,3}(\.\d{3})+,\d{2}|\d{1,3}(,\d{3})+\.\d{2}`;
const AMOUNT_COMMA = String.raw`\d+,\d{2}|\d{1,3}(\.\d{3})+,\d{2}`;
const AMOUNT_DOT = String.raw`\d+\.\d{2}|\d{1,3}(,\d{3})+\.\d{2}`;
const DATE_ISO = String.raw`\d{4}-\d{2}-\d{2}`;
const DATE_DMY = String.raw`\d{2}-\d{2}-\d{4}|\d{2}\.\d{2}\.\d{4}`;
const TIME_NAIVE = String.raw`[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d([.,]\d{1,9})?)?`;
const ZONE = String.raw`(Z|[+-]\d{2}:?\d{2})`;

function amountPattern(p: Pinned): string {
  return p.decimal === ',' ? AMOUNT_COMMA : p.decimal === '.' ? AMOUNT_DOT : AMOUNT_ANY;
}

function datePattern(p: Pinned): string {
  return p.dates === 'iso' ? DATE_ISO : p.dates === 'dmy' ? DATE_DMY : `${DATE_ISO}|${DATE_DMY}`;
}

/** Year, month and day of the date in the first ten characters of v (ISO or day first). */
function ymd(v: string): [string, string, string] {
  const iso = `substr(${v}, 5, 1) = '-'`;
  return [
    `TRY_CAST(CASE WHEN ${iso} THEN substr(${v}, 1, 4) ELSE substr(${v}, 7, 4) END AS INTEGER)`,
    `TRY_CAST(CASE WHEN ${iso} THEN substr(${v}, 6, 2) ELSE substr(${v}, 4, 2) END AS INTEGER)`,
    `TRY_CAST(CASE WHEN ${iso} THEN substr(${v}, 9, 2) ELSE substr(${v}, 1, 2) END AS INTEGER)`,
  ];
}

/** Year, month and day of the date in the first ten characters of v, as text. */
function ymdText(v: string): [string, string, string] {
  const iso = `substr(${v}, 5, 1) = '-'`;
  return [
    `CASE WHEN ${iso} THEN substr(${v}, 1, 4) ELSE substr(${v}, 7, 4) END`,
    `CASE WHEN ${iso} THEN substr(${v}, 6, 2) ELSE substr(${v}, 4, 2) END`,
    `CASE WHEN ${iso} THEN substr(${v}, 9, 2) ELSE substr(${v}, 1, 2) END`,
  ];
}

/** "YYYY-MM-DD HH:MM:SS[.f][zone]" from any allowed timestamp form (shape already checked). */
function normalisedTimestamp(v: string): string {
  const [y, m, d] = ymdText(v);
  const rest = `replace(substr(${v}, 12), ',', '.')`;
  const withSeconds = `CASE WHEN substr(${rest}, 6, 1) = ':' THEN ${rest} ELSE left(${rest}, 5) || ':00' || substr(${rest}, 6) END`;
  return `(${y} || '-' || ${m} || '-' || ${d} || ' ' || ${withSeconds})`;
}

/** The wall-clock reading of a naive timestamp value whose shape is checked: DuckDB's own cast of an ISO value, else
 * of the normalised text (a day-first date turned round, seconds supplied, a decimal comma made a point). */
function wallClock(v: string): string {
  return `coalesce(CASE WHEN substr(${v}, 5, 1) = '-' AND NOT contains(${v}, ',') THEN TRY_CAST(${v} AS TIMESTAMP) END,
    TRY_CAST(${normalisedTimestamp(v)} AS TIMESTAMP))`;
}

/** Of a value of the timestamp shape (one anchored pattern, the zone optional): 1 naive, 2 with a zone, else NULL.
 * A zone ends the value ('Z', '+01:00', '+0100'); the time before it holds digits, ':', '.' and ',' only, and a naive
 * value has at least 16 characters, so a sign 5 or 6 characters from the end is a zone's. */
function timestampShape(v: string, p: Pinned): string {
  const zoned = `right(${v}, 1) = 'Z' OR substr(${v}, -5, 1) IN ('+', '-') OR substr(${v}, -6, 1) IN ('+', '-')`;
  return `CASE WHEN regexp_full_match(${v}, '(${datePattern(p)})${TIME_NAIVE}${ZONE}?') THEN CASE WHEN ${zoned} THEN 2 ELSE 1 END END`;
}

/** Summer time (EU rule) as wall-clock instants per year: from 03:00 on the last Sunday of March (the gap 02:00–03:00
 * counts as winter time, i.e. moved forward) to 03:00 summer time on the last Sunday of October (the doubled hour counts
 * as summer time, the earlier instant). */
const DST_FIRST_YEAR = 1996;
const DST_LAST_YEAR = 2099;
function lastSunday(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month - 1, 31));
  d.setUTCDate(31 - d.getUTCDay());
  return d.toISOString().slice(0, 10);
}
const DST_YEARS = Array.from({ length: DST_LAST_YEAR - DST_FIRST_YEAR + 1 }, (_, i) => DST_FIRST_YEAR + i);
const summerList = (month: number) => `[${DST_YEARS.map((y) => `TIMESTAMP '${lastSunday(y, month)} 03:00:00'`).join(', ')}]`;
/** The lists live in two variables of the connection (set by TYPING_VARIABLES), not in every typing statement: the
 * lists' 208 literals made up half of a typing statement's text, and parsing them most of its fixed cost. */
const SUMMER_START = `getvariable('load_summer_start')`;
const SUMMER_END = `getvariable('load_summer_end')`;

/** The statement that sets the variables every typing statement reads; run it on the connection before them. */
export const TYPING_VARIABLES = `SET VARIABLE load_summer_start = ${summerList(3)}; SET VARIABLE load_summer_end = ${summerList(10)}`;

/** The most digits an amount may have before its two decimals: DECIMAL(18,2) holds 9999999999999999.99. */
export const AMOUNT_MAX_INTEGER_DIGITS = 16;
/** Digits before the decimals of an amount-shaped value, leading zeros not counted. */
const integerDigits = (v: string) => `(length(ltrim(replace(replace(${v}, '.', ''), ',', ''), '0')) - 2)`;
const tooLarge = (v: string) => `${integerDigits(v)} > ${AMOUNT_MAX_INTEGER_DIGITS}`;

/**
 * A naive Copenhagen wall-clock time as a UTC instant by ICU's zone data, for the years outside the summer-time table
 * (1900–1995 with its war-time, double summer time and September ends, and 2100 onwards). ICU reads a time in the
 * spring gap forward (as the contract does) and an ambiguous autumn time as the later instant: when the instant one
 * hour earlier shows the same wall clock, that earlier instant is the contract's reading.
 */
function icuNaive(l: string): string {
  const later = `timezone('Europe/Copenhagen', ${l})`;
  return `CASE WHEN timezone('Europe/Copenhagen', ${later} - INTERVAL 1 HOUR) = ${l}
               THEN timezone('UTC', ${later} - INTERVAL 1 HOUR) ELSE timezone('UTC', ${later}) END`;
}

function dateOf(v: string): string {
  return `TRY(make_date(${ymd(v).join(', ')}))`;
}

const q = (s: string) => s.replace(/'/g, "''");

function typedExpr(c: ColumnDef, v: string, p: Pinned): string {
  switch (c.type) {
    case 'text':
    case 'freetext':
      return v;
    case 'enum': {
      const values = (c.values ?? []).map(lit).join(', ');
      const plainMatch = `CASE WHEN lower(${v}) IN (${values}) THEN lower(${v}) END`;
      if (!c.synonyms) return plainMatch;
      const whens = Object.entries(c.synonyms)
        .map(([title, value]) => `WHEN ${lit(title)} THEN ${lit(value)}`)
        .join(' ');
      // the canonical value, else a title as written, else a title with its white space runs folded (rare, slower)
      return `CASE WHEN lower(${v}) IN (${values}) THEN lower(${v})
        ELSE coalesce(CASE lower(${v}) ${whens} END, CASE lower(regexp_replace(${v}, '\\s+', ' ', 'g')) ${whens} END) END`;
    }
    case 'amount':
    case 'amount0': {
      // The shape is checked first; a value with one separator (the decimal one) is cast directly, one with
      // thousands separators becomes whole øre and then kroner, exactly (integer × 0.01 is exact in DECIMAL).
      // More than 16 digits before the decimals do not fit DECIMAL(18,2): no value (the check says "for stort").
      // The common shape first: one separator and at most 16 digits before it, cast at once (what the general path
      // gives it, without counting digits).
      const digits = `replace(replace(${v}, '.', ''), ',', '')`;
      const sep = p.decimal === ',' ? ',' : p.decimal === '.' ? '\\.' : '[.,]';
      return `CASE WHEN regexp_full_match(${v}, '\\d{1,${AMOUNT_MAX_INTEGER_DIGITS}}${sep}\\d{2}') THEN TRY_CAST(replace(${v}, ',', '.') AS DECIMAL(18,2))
        WHEN NOT regexp_full_match(${v}, '${amountPattern(p)}') THEN NULL
        WHEN ${tooLarge(v)} THEN NULL
        WHEN contains(left(${v}, -3), '.') OR contains(left(${v}, -3), ',') THEN TRY_CAST(TRY_CAST(${digits} AS BIGINT) * 0.01 AS DECIMAL(18,2))
        ELSE TRY_CAST(replace(${v}, ',', '.') AS DECIMAL(18,2)) END`;
    }
    case 'date':
      return `CASE WHEN regexp_full_match(${v}, '${datePattern(p)}') THEN ${dateOf(v)} END`;
    case 'timestamp': {
      // The shape was checked by one anchored pattern (__k: 1 naive, 2 with a zone; typingSql's k), and a naive value
      // read as wall-clock time (__l, only for the naive ones): a zoned value is read by DuckDB's own cast, else from
      // the normalised "YYYY-MM-DD HH:MM:SS[.f][zone]".
      const base = v.replace(/__v$/, '');
      // Naive local time in Europe/Copenhagen: the autumn hour is the earlier instant (+02:00); the spring gap moves
      // forward one hour, which is the +01:00 reading. Since 1996 summer time runs from 03:00 local on the last
      // Sunday of March to 03:00 local (summer time) on the last Sunday of October; other years ask ICU.
      const naive = (l: string) => {
        const yr = `year(${l})`;
        const summer = `(${l} >= ${SUMMER_START}[${yr} - ${DST_FIRST_YEAR - 1}] AND ${l} < ${SUMMER_END}[${yr} - ${DST_FIRST_YEAR - 1}])`;
        return `CASE WHEN ${yr} BETWEEN ${DST_FIRST_YEAR} AND ${DST_LAST_YEAR}
                       THEN (CASE WHEN ${summer} THEN ${l} - INTERVAL 2 HOUR ELSE ${l} - INTERVAL 1 HOUR END)
                     ELSE ${icuNaive(l)} END`;
      };
      return `CASE WHEN ${base}__k = 1 THEN ${naive(`${base}__l`)}
                   WHEN ${base}__k = 2 THEN CAST(coalesce(TRY_CAST(${v} AS TIMESTAMPTZ), TRY_CAST(${normalisedTimestamp(v)} AS TIMESTAMPTZ)) AS TIMESTAMP) END`;
    }
  }
}

function describeExpected(c: ColumnDef, p: Pinned): string {
  const pinnedNote = ', som konfigurationen fastlægger';
  switch (c.type) {
    case 'amount':
    case 'amount0':
      return p.decimal === ','
        ? `beløb skal have to decimaler efter et komma (1234,50 eller 1.234,50)${pinnedNote}`
        : p.decimal === '.'
          ? `beløb skal have to decimaler efter et punktum (1234.50 eller 1,234.50)${pinnedNote}`
          : 'beløb skal have to decimaler (1234.50, 1234,50, 1.234,50 eller 1,234.50)';
    case 'date':
      return p.dates === 'iso'
        ? `datoer skal skrives ÅÅÅÅ-MM-DD${pinnedNote}`
        : p.dates === 'dmy'
          ? `datoer skal skrives DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ${pinnedNote}`
          : 'datoer skal skrives ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ';
    case 'timestamp':
      return p.dates === 'iso'
        ? `et tidspunkt skal have en gyldig dato skrevet ÅÅÅÅ-MM-DD og et klokkeslæt, f.eks. 2026-11-26 10:15:00 eller 2026-11-26T10:15:00+01:00${pinnedNote}`
        : p.dates === 'dmy'
          ? `et tidspunkt skal have en gyldig dato skrevet DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ og et klokkeslæt, f.eks. 26-11-2026 10:15 eller 26.11.2026 10:15:00${pinnedNote}`
          : 'et tidspunkt skal have en gyldig dato og et klokkeslæt, f.eks. 2026-11-26 10:15:00, 26-11-2026 10:15 eller 2026-11-26T10:15:00+01:00';
    case 'enum':
      return `tilladte værdier: ${(c.values ?? []).join(', ')}`;
    default:
      return '';
  }
}

/** A value shown inside a reason: quoted, shortened. */
function shown(v: string): string {
  return `'"' || (CASE WHEN length(${v}) > 60 THEN left(${v}, 57) || '...' ELSE ${v} END) || '"'`;
}

/** The checks of one column: [condition that the value fails, the reason for a clerk, in Danish]. Each reason names
 * the column as the header names it and the value: `beloeb "12,5" har én decimal; beløb skal have to decimaler`. */
function checks(c: ColumnDef, label: string, v: string, t: string, p: Pinned, present: boolean, absentSql?: string): [string, string][] {
  const out: [string, string][] = [];
  if (c.required) out.push([`${v} IS NULL`, `${label} || ' er tom; en værdi er påkrævet'`]);
  if (c.requiredWhen) {
    const cond = `${c.requiredWhen.column}__t IN (${c.requiredWhen.values.map(lit).join(', ')})`;
    const why = absentSql ?? lit(present ? '' : ` (filen har ingen kolonne ${c.name})`);
    out.push([
      `${v} IS NULL AND ${cond}`,
      `${label} || ' er tom; en værdi er påkrævet, når ${c.requiredWhen.column} er ' || ${c.requiredWhen.column}__t || ${why}`,
    ]);
  }
  if (c.type === 'text' || c.type === 'freetext') return out;
  const unreadable = `${v} IS NOT NULL AND ${t} IS NULL`;
  const expected = describeExpected(c, p);
  if (c.type === 'amount' || c.type === 'amount0') {
    const positive = c.type === 'amount' ? 'beløb skal være større end 0' : 'beløb må ikke være negative';
    out.push([
      unreadable,
      `${label} || ' ' || ${shown(v)} ||
      CASE WHEN regexp_full_match(${v}, '-.*') THEN ' er negativt; ${positive}'
           WHEN regexp_full_match(${v}, '${amountPattern(p)}') AND ${tooLarge(v)}
           THEN ' har ' || ${integerDigits(v)} || ' cifre før decimalerne: beløbet er for stort (højst ${AMOUNT_MAX_INTEGER_DIGITS} cifre, 9999999999999999.99)'
           WHEN regexp_full_match(${v}, '-?[0-9.,]*[.,][0-9]') THEN ' har én decimal; beløb skal have to decimaler'
           WHEN regexp_full_match(${v}, '-?[0-9.,]*[.,][0-9]{3,}') THEN ' har mere end to decimaler; beløb skal have to decimaler'
           ELSE ' er ikke et beløb; ${q(expected)}' END`,
    ]);
    if (c.type === 'amount') out.push([`${t} = 0`, `${label} || ' er 0,00; beløb skal være større end 0'`]);
    return out;
  }
  if (c.type === 'timestamp') {
    out.push([
      unreadable,
      `${label} || ' ' || ${shown(v)} ||
      CASE WHEN regexp_full_match(${v}, '${datePattern(p)}') THEN ' er en dato uden klokkeslæt; et tidspunkt skal have et klokkeslæt'
           ELSE ' er ikke et gyldigt tidspunkt; ${q(expected)}' END`,
    ]);
    return out;
  }
  const what = c.type === 'enum' ? 'er ikke en tilladt værdi' : 'er ikke en gyldig dato';
  out.push([unreadable, `${label} || ' ' || ${shown(v)} || ' ${what}; ${q(expected)}'`]);
  return out;
}

/** For typing many files in one statement: columns of the raw table carried through as they are, and per canonical
 * column the SQL that gives the header's name for it in the row's own file (reasons name the column as its file does). */
export interface BatchTyping {
  keep: string[];
  labels: Map<string, string>;
  /** Per canonical column the SQL that says, for a row whose file lacks the column, that it does (else ''). */
  absent: Map<string, string>;
}

/**
 * SELECT over `rawTable` (columns: line, and one VARCHAR per present canonical column) giving `line`, every
 * typed column of the kind, and `reason` (NULL when the row is good).
 */
export function typingSql(
  kind: KindDef,
  rawTable: string,
  headerNames: Map<string, string>,
  pinned: Pinned,
  batch?: BatchTyping,
): string {
  const keep = batch?.keep ?? [];
  const cols = kind.columns;
  const present = (c: ColumnDef) => headerNames.has(c.name);
  const vals = cols.map((c) => {
    if (!present(c)) return `NULL::VARCHAR AS ${c.name}__v`;
    // values are taken as given (the contract trims headers, not values); an empty field is no value
    return `NULLIF(${c.name}, '') AS ${c.name}__v`;
  });
  // a timestamp's shape (naive or zoned) by one pattern, then the wall-clock reading of the naive ones, once per value
  const stamps = cols.filter((c) => c.type === 'timestamp');
  const shapes = stamps.map((c) => `${timestampShape(`${c.name}__v`, pinned)} AS ${c.name}__k`);
  const locals = stamps.map((c) => `CASE WHEN ${c.name}__k = 1 THEN ${wallClock(`${c.name}__v`)} END AS ${c.name}__l`);
  const typed = cols.map((c) => `${typedExpr(c, `${c.name}__v`, pinned)} AS ${c.name}__t`);
  const allChecks = cols.flatMap((c) =>
    checks(c, batch?.labels.get(c.name) ?? lit(headerNames.get(c.name) ?? c.name), `${c.name}__v`, `${c.name}__t`, pinned, present(c), batch?.absent.get(c.name)),
  );
  return `
WITH v AS (SELECT line, ${keep.map((k) => `${k}, `).join('')}${vals.join(',\n  ')} FROM ${rawTable}),
k AS (SELECT *${shapes.length ? ', ' + shapes.join(', ') : ''} FROM v),
l AS (SELECT *${locals.length ? ', ' + locals.join(', ') : ''} FROM k),
t AS (SELECT *, ${typed.join(',\n  ')} FROM l)
SELECT line, ${keep.map((k) => `${k}, `).join('')}${cols.map((c) => `${c.name}__t AS ${c.name}`).join(', ')},
  -- the reasons are spelled out only for the rows that fail a check
  CASE WHEN ${allChecks.map(([cond]) => `(${cond})`).join(' OR ')}
       THEN concat_ws('; ', ${allChecks.map(([cond, msg]) => `CASE WHEN ${cond} THEN ${msg} END`).join(',\n    ')}) END AS reject_reason
FROM t`;
}
