// Header matching (FORMATS.md §2): canonical name or Danish alias, case-insensitive after trimming;
// column order free; extra columns listed. And the delimiter, decided from the header line.
import type { KindDef } from './kinds.ts';
import { DELIMITERS, splitRecord, type Delimiter } from './scan.ts';

export interface HeaderMap {
  /** Canonical column name → position in the record. */
  positions: Map<string, number>;
  /** Header names as given, per position. */
  names: string[];
  extraColumns: string[];
  missingRequired: string[];
  /** One line per canonical column that the header names more than once (as given), e.g. `beloeb og amount`. */
  ambiguous: string[];
}

function lookup(kind: KindDef): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of kind.columns) {
    m.set(c.name.toLowerCase(), c.name);
    if (c.alias) m.set(c.alias.toLowerCase(), c.name);
  }
  return m;
}

export function mapHeader(fields: string[], kind: KindDef): HeaderMap {
  const names = fields.map((f) => f.trim());
  const known = lookup(kind);
  const positions = new Map<string, number>();
  const seen = new Map<string, string[]>();
  const extraColumns: string[] = [];
  names.forEach((n, i) => {
    const canonical = known.get(n.toLowerCase());
    if (canonical) seen.set(canonical, [...(seen.get(canonical) ?? []), n]);
    if (canonical && !positions.has(canonical)) positions.set(canonical, i);
    else if (!canonical) extraColumns.push(n);
  });
  // Which of two columns holds the real value is not the job's to guess (FORMATS.md §4).
  const ambiguous = [...seen].filter(([, given]) => given.length > 1).map(([canonical, given]) => describeTwice(canonical, given));
  const missingRequired = kind.columns.filter((c) => c.required && !positions.has(c.name)).map((c) => c.name);
  return { positions, names, extraColumns, missingRequired, ambiguous };
}

function describeTwice(canonical: string, given: string[]): string {
  const quoted = given.map((g) => `"${g}"`);
  if (given.every((g) => g.toLowerCase() === given[0].toLowerCase())) return `kolonnen ${quoted[0]} står ${given.length} gange`;
  const list = `${quoted.slice(0, -1).join(', ')} og ${quoted[quoted.length - 1]}`;
  return `${list} er ${given.length === 2 ? 'begge' : 'alle'} kolonnen ${canonical}`;
}

/** A column as a clerk may know it: the Danish alias and the canonical name, e.g. `beloeb (amount)`. */
export function columnLabel(kind: KindDef, canonical: string): string {
  const c = kind.columns.find((x) => x.name === canonical);
  return c?.alias && c.alias !== c.name ? `${c.alias} (${c.name})` : canonical;
}

/** The delimiter under which the header line names the most known columns (then the most fields). */
export function detectDelimiter(headerLine: string, kind: KindDef): Delimiter {
  const known = lookup(kind);
  let best: Delimiter = DELIMITERS[0];
  let bestScore = -1;
  for (const d of DELIMITERS) {
    const fields = splitRecord(headerLine, d);
    const hits = new Set(fields.map((f) => known.get(f.trim().toLowerCase())).filter(Boolean)).size;
    const score = hits * 1000 + fields.length;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}
