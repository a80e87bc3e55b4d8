// Instants as every output writes them (FORMATS.md §7): ISO 8601 UTC to the second, `2027-01-04T04:20:30Z`.
// One SQL helper for DuckDB columns (TIMESTAMP in UTC) and one for JavaScript dates and ISO strings.

/** SQL: a TIMESTAMP column (UTC) as `2027-01-04T04:20:30Z` text. */
export function sqlInstant(col: string): string {
  return `strftime(${col}, '%Y-%m-%dT%H:%M:%SZ')`;
}

/** A Date or an ISO 8601 UTC string (`…Z`, any fraction) as `2027-01-04T04:20:30Z`. */
export function isoInstant(at: Date | string): string {
  const s = typeof at === 'string' ? at : at.toISOString();
  return `${s.slice(0, 19)}Z`;
}
