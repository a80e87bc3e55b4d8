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
const TIME = String.raw`[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?`;

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

function dateOf(v: string): string {
  return `TRY(make_date(${ymd(v).join(', ')}))`;
}

/** The wall-clock timestamp of a timestamp value, from its parts (NULL when the date or time does not exist). */
function localOf(v: string, parts: string): string {
  return `TRY(make_timestamp(${ymd(v).join(', ')},
          TRY_CAST(${parts}.h AS BIGINT), TRY_CAST(${parts}.mi AS BIGINT), coalesce(TRY_CAST(NULLIF(${parts}.s, '') AS DOUBLE), 0))
        + to_microseconds(CAST(rpad(substr(coalesce(${parts}.f, ''), 1, 6), 6, '0') AS BIGINT)))`;
}

const q = (s: string) => s.replace(/'/g, "''");

function typedExpr(c: ColumnDef, v: string, parts: string, p: Pinned): string {
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
      return `coalesce(CASE lower(regexp_replace(${v}, '\\s+', ' ', 'g')) ${whens} END, ${plainMatch})`;
    }
    case 'amount':
    case 'amount0': {
      const digits = `regexp_replace(${v}, '[.,]', '', 'g')`;
      return `CASE WHEN regexp_full_match(${v}, '${amountPattern(p)}')
        THEN CAST(left(${digits}, -2) || '.' || right(${digits}, 2) AS DECIMAL(18,2)) END`;
    }
    case 'date':
      return `CASE WHEN regexp_full_match(${v}, '${datePattern(p)}') THEN ${dateOf(v)} END`;
    case 'timestamp': {
      const L = v.replace(/__v$/, '__l');
      const zone = `${parts}.z`;
      const offsetMinutes = `(CASE WHEN left(${zone}, 1) = '-' THEN -1 ELSE 1 END) *
          (CAST(substr(${zone}, 2, 2) AS INTEGER) * 60 + CAST(right(${zone}, 2) AS INTEGER))`;
      // Naive local time in Europe/Copenhagen: the autumn hour is the earlier instant (+02:00); the spring gap moves
      // forward one hour, which is the +01:00 reading. Since 1996 summer time runs from 03:00 local on the last
      // Sunday of March to 03:00 local (summer time) on the last Sunday of October; earlier years ask ICU.
      const y = `year(${L})`;
      const lastSunday = (month: number, day: number) =>
        `(make_date(${y}, ${month}, ${day}) - CAST(dayofweek(make_date(${y}, ${month}, ${day})) AS INTEGER))`;
      const summer = `(${L} >= ${lastSunday(3, 31)} + INTERVAL 3 HOUR AND ${L} < ${lastSunday(10, 31)} + INTERVAL 3 HOUR)`;
      return `CASE WHEN ${L} IS NULL THEN NULL
                    WHEN ${zone} = 'Z' THEN ${L}
                    WHEN ${zone} <> '' THEN ${L} - to_minutes(${offsetMinutes})
                    WHEN ${y} >= 1996 THEN (CASE WHEN ${summer} THEN ${L} - INTERVAL 2 HOUR ELSE ${L} - INTERVAL 1 HOUR END)
                    WHEN timezone('Europe/Copenhagen', timezone('UTC', ${L} - INTERVAL 2 HOUR))::TIMESTAMP = ${L}
                    THEN ${L} - INTERVAL 2 HOUR
                    ELSE ${L} - INTERVAL 1 HOUR END`;
    }
  }
}

function describeExpected(c: ColumnDef, p: Pinned): string {
  switch (c.type) {
    case 'amount':
    case 'amount0':
      return p.decimal === ','
        ? 'amounts need two decimals after a comma (1234,50 or 1.234,50), as pinned in the configuration'
        : p.decimal === '.'
          ? 'amounts need two decimals after a point (1234.50 or 1,234.50), as pinned in the configuration'
          : 'amounts need two decimals (1234.50, 1234,50, 1.234,50 or 1,234.50)';
    case 'date':
      return p.dates === 'iso'
        ? 'dates must be YYYY-MM-DD, as pinned in the configuration'
        : p.dates === 'dmy'
          ? 'dates must be DD-MM-YYYY or DD.MM.YYYY, as pinned in the configuration'
          : 'dates must be YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY';
    case 'timestamp':
      return 'timestamps need a real date and a time of day, e.g. 2026-11-26 10:15:00, 26-11-2026 10:15 or 2026-11-26T10:15:00+01:00';
    case 'enum':
      return `allowed: ${(c.values ?? []).join(', ')}`;
    default:
      return '';
  }
}

/** A value shown inside a reason: quoted, shortened. */
function shown(v: string): string {
  return `'"' || (CASE WHEN length(${v}) > 60 THEN left(${v}, 57) || '...' ELSE ${v} END) || '"'`;
}

function checks(c: ColumnDef, header: string, v: string, t: string, p: Pinned, present: boolean): string[] {
  const out: string[] = [];
  const label = lit(header);
  if (c.required) out.push(`CASE WHEN ${v} IS NULL THEN ${label} || ' is empty; a value is required' END`);
  if (c.requiredWhen) {
    const cond = `${c.requiredWhen.column}__t IN (${c.requiredWhen.values.map(lit).join(', ')})`;
    const why = present ? '' : ` (the file has no ${c.name} column)`;
    out.push(
      `CASE WHEN ${v} IS NULL AND ${cond} THEN ${label} || ' is empty; it is required when ${c.requiredWhen.column} is ' || ${c.requiredWhen.column}__t || '${q(why)}' END`,
    );
  }
  if (c.type === 'text' || c.type === 'freetext') return out;
  const expected = describeExpected(c, p);
  if (c.type === 'amount' || c.type === 'amount0') {
    out.push(`CASE WHEN ${v} IS NOT NULL AND ${t} IS NULL THEN ${label} || ' ' || ${shown(v)} ||
      CASE WHEN regexp_full_match(${v}, '-.*') THEN ' is negative; amounts must be greater than 0'
           WHEN regexp_full_match(${v}, '-?[0-9.,]*[.,][0-9]') THEN ' has one decimal; amounts need two'
           WHEN regexp_full_match(${v}, '-?[0-9.,]*[.,][0-9]{3,}') THEN ' has more than two decimals; amounts need two'
           ELSE ' is not an amount; ${q(expected)}' END END`);
    if (c.type === 'amount') out.push(`CASE WHEN ${t} = 0 THEN ${label} || ' is 0.00; amounts must be greater than 0' END`);
    return out;
  }
  if (c.type === 'timestamp') {
    out.push(`CASE WHEN ${v} IS NOT NULL AND ${t} IS NULL THEN ${label} || ' ' || ${shown(v)} ||
      CASE WHEN regexp_full_match(${v}, '${datePattern(p)}') THEN ' is a date alone; a time of day is required'
           ELSE ' is not a valid timestamp; ${q(expected)}' END END`);
    return out;
  }
  const what = c.type === 'enum' ? 'is not an allowed value' : 'is not a valid date';
  out.push(`CASE WHEN ${v} IS NOT NULL AND ${t} IS NULL THEN ${label} || ' ' || ${shown(v)} || ' ${what}; ${q(expected)}' END`);
  return out;
}

/**
 * SELECT over `rawTable` (columns: line, and one VARCHAR per present canonical column) giving `line`, every
 * typed column of the kind, and `reason` (NULL when the row is good).
 */
export function typingSql(kind: KindDef, rawTable: string, headerNames: Map<string, string>, pinned: Pinned): string {
  const cols = kind.columns;
  const present = (c: ColumnDef) => headerNames.has(c.name);
  const vals = cols.map((c) => {
    if (!present(c)) return `NULL::VARCHAR AS ${c.name}__v`;
    return c.type === 'freetext' ? `NULLIF(${c.name}, '') AS ${c.name}__v` : `NULLIF(trim(${c.name}), '') AS ${c.name}__v`;
  });
  const parts = cols
    .filter((c) => c.type === 'timestamp')
    .map(
      (c) =>
        `regexp_extract(${c.name}__v, '^(?:${datePattern(pinned)})${TIME}$', ['h', 'mi', 's', 'f', 'z']) AS ${c.name}__p`,
    );
  const locals = cols
    .filter((c) => c.type === 'timestamp')
    .map((c) => `CASE WHEN ${c.name}__p.h <> '' THEN ${localOf(`${c.name}__v`, `${c.name}__p`)} END AS ${c.name}__l`);
  const typed = cols.map((c) => `${typedExpr(c, `${c.name}__v`, `${c.name}__p`, pinned)} AS ${c.name}__t`);
  const allChecks = cols.flatMap((c) =>
    checks(c, headerNames.get(c.name) ?? c.name, `${c.name}__v`, `${c.name}__t`, pinned, present(c)),
  );
  return `
WITH v AS (SELECT line, ${vals.join(',\n  ')} FROM ${rawTable}),
p AS (SELECT *${parts.length ? ', ' + parts.join(', ') : ''} FROM v),
l AS (SELECT *${locals.length ? ', ' + locals.join(', ') : ''} FROM p),
t AS (SELECT *, ${typed.join(',\n  ')} FROM l)
SELECT line, ${cols.map((c) => `${c.name}__t AS ${c.name}`).join(', ')},
  NULLIF(concat_ws('; ', ${allChecks.join(',\n    ')}), '') AS reject_reason
FROM t`;
}
