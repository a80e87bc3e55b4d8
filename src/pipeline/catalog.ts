// The rule catalog: every fact of a rule of RULES.md §3 that its SQL file does not hold, one entry per rule in
// queries/rules/catalog.json beside the rule files (a copy of queries/ is then a copy of every rule), validated with
// zod when the process loads it. From it derive the discrepancies union and the hints' kinds and suggestion sides
// (placeholders of ./graph.ts), RULE_CODES, the export's --rule validation, the batch's step label, the report's
// labels, counts and reversal link, and the tests' key columns. A rule is its SQL file (queries/rules/<file>.sql)
// plus its entry; test/catalog.test.ts checks that every rule's SQL output agrees with its entry (code, severity, key
// column), test/new-rule.test.ts that a rule added to a copy of queries/ reaches every output.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KINDS } from '../ingest/kinds.ts';
import { QUERIES_DIR } from './queries-dir.ts';
import { SEVERITIES, type Severity } from '../vocabulary.ts';

export type { Severity };
export type KeyColumn = 'fee_id' | 'claim_id' | 'payment_id' | 'psp_txn_id' | 'coverage_id';

/** The suggestion kinds of RULES.md §6, in the contract's order (summary.json counts both, zeros included). */
export const SUGGESTION_KINDS = ['payment_for_transaction', 'claim_for_fee'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export interface RuleEntry {
  /** R01 … R22 */
  code: string;
  /** The model file under queries/rules/, without `.sql`: `<code>_<slug>`. */
  file: string;
  severity: Severity;
  /** The column that identifies the row (RULES.md §3 "key"). */
  keyColumn: KeyColumn;
  /**
   * The export kinds the rule reads (RULES.md §7): an overdue delivery of one of them marks the rule's open
   * discrepancies of that municipality "muligvis forårsaget af …" (queries/marts/discrepancy_hints.sql).
   */
  reads: readonly string[];
  /**
   * The suggested matches (RULES.md §6) whose item is this rule's discrepancy: the left item (R10's transaction,
   * R01's fee) or the right item (R11's payment, R02's claim) of a suggestion kind. The hints put the best suggestion
   * beside the discrepancy.
   */
  suggestion?: { kind: SuggestionKind; side: 'left' | 'right' };
  /**
   * Its discrepancies are the over-covered claims that reversals.csv proposes to reverse (RULES.md §4): a proposal
   * that stays open shows its age and case from the rule's discrepancy (reports/action/reversals.sql). One rule.
   */
  reversals: boolean;
  /** Danish name, for the people who read the report. */
  name: string;
  /** What the clerk does about it, in Danish. */
  action: string;
  /**
   * How arose_at is found (RULES.md §5), in Danish: the instant, as of asOf, from which the discrepancy's age in
   * banking days is counted. The rule's SQL computes it as the column `arose_at`.
   */
  arose: string;
}

const danish = z.string().trim().min(6, 'expected a Danish text');

const ENTRY = z.strictObject({
  code: z.string().regex(/^R\d{2}$/, 'expected a rule code R01 … R99'),
  slug: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected lower-case letters, digits and _ (the rule file is <code>_<slug>.sql)'),
  severity: z.enum(SEVERITIES),
  keyColumn: z.enum(['fee_id', 'claim_id', 'payment_id', 'psp_txn_id', 'coverage_id']),
  reads: z.array(z.enum(KINDS.map((k) => k.kind) as [string, ...string[]])).min(1, 'expected the kinds the rule reads (RULES.md §7)'),
  suggestion: z.strictObject({ kind: z.enum(SUGGESTION_KINDS), side: z.enum(['left', 'right']) }).optional(),
  reversals: z.literal(true).optional(),
  name: danish,
  action: danish,
  arose: danish,
});

/** The file the catalog is read from. */
export const CATALOG_FILE = path.join(QUERIES_DIR, 'rules', 'catalog.json');

/** Reads and checks a catalog file; an error names the file, the entry and what is wrong. */
export function loadCatalog(file: string): RuleEntry[] {
  const text = fs.readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    throw new Error(`${file}${line ? `:${line}` : ''}: not valid JSON: ${(e as Error).message}`);
  }
  const result = z.array(ENTRY).min(1, 'expected at least one rule').safeParse(json);
  if (!result.success) {
    const where = (p: PropertyKey[]) => {
      const code = typeof p[0] === 'number' ? (json as { code?: unknown }[])[p[0]]?.code : undefined;
      return p.length ? `[${String(p[0])}]${typeof code === 'string' ? ` (${code})` : ''}${p.slice(1).map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')}` : '';
    };
    throw new Error(`${file}: ${result.error.issues.map((i) => `entry ${where(i.path)}: ${i.message}`).join('; ')}`);
  }
  const entries = result.data;
  const bad = (msg: string) => new Error(`${file}: ${msg}`);
  entries.forEach((r, i) => {
    if (i > 0 && r.code <= entries[i - 1].code) throw bad(`${r.code} follows ${entries[i - 1].code}: the rules are listed once each, in code order`);
    if (new Set(r.reads).size !== r.reads.length) throw bad(`${r.code}: reads names a kind twice`);
  });
  const reversal = entries.filter((r) => r.reversals);
  if (reversal.length !== 1) throw bad(`exactly one rule says "reversals": true (the over-covered claims of RULES.md §4), not ${reversal.length}`);
  if (reversal[0].keyColumn !== 'claim_id') throw bad(`${reversal[0].code}: the rule of the reversal proposals is keyed by claim_id`);
  const sides = entries.filter((r) => r.suggestion).map((r) => `${r.suggestion!.kind} ${r.suggestion!.side}`);
  const twice = sides.find((s, i) => sides.indexOf(s) !== i);
  if (twice) throw bad(`two rules name the suggestion side ${twice}`);
  return entries.map(({ slug, reversals, ...r }) => ({ ...r, file: `${r.code}_${slug}`, reversals: reversals === true }));
}

export const RULES: readonly RuleEntry[] = loadCatalog(CATALOG_FILE);

export const RULE_BY_CODE: ReadonlyMap<string, RuleEntry> = new Map(RULES.map((r) => [r.code, r]));

/** Every rule code in order: R01 … R22. */
export const RULE_CODES: readonly string[] = RULES.map((r) => r.code);

/** The rule whose discrepancies the reversal proposals are for (RULES.md §4): R16. */
export const REVERSAL_RULE: RuleEntry = RULES.find((r) => r.reversals)!;

/** The codes as a range, for people: `R01–R22`. */
export function ruleRange(): string {
  return `${RULE_CODES[0]}–${RULE_CODES[RULE_CODES.length - 1]}`;
}

export function ruleEntry(code: string): RuleEntry {
  const r = RULE_BY_CODE.get(code);
  if (!r) throw new Error(`unknown rule ${code}`);
  return r;
}
