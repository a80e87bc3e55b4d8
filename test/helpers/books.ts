// A hand-made set of books for rule tests: an in-memory DuckDB with the evaluation context of one asOf, the
// ten cur_<kind> tables of src/ingest/kinds.ts (plus src), hand-written rows, and evaluateRules.
import { lit, type Db } from '../../src/db.ts';
import { openDatabase } from '../../src/schema/migrate.ts';
import { parseConfig } from '../../src/config.ts';
import { KINDS, KIND_BY_NAME, stagingDDL } from '../../src/ingest/kinds.ts';
import { prepareContext } from '../../src/pipeline/context.ts';
import { evaluateRules } from '../../src/pipeline/rules.ts';
import { explainDiscrepancies } from '../../src/pipeline/suggestions.ts';

export type Kind =
  | 'fbs_fees'
  | 'fbs_adjustments'
  | 'debitor_claims'
  | 'debitor_adjustments'
  | 'debitor_payments'
  | 'debitor_coverages'
  | 'psp_invoices'
  | 'psp_transactions'
  | 'borgerblikket_claims'
  | 'klik_tasks';

/** One row: the kind's own columns as text (timestamps as UTC 'YYYY-MM-DD HH:MM:SS[.ffffff]', amounts '12.50'). */
export type RowIn = Record<string, string | null | undefined> & { municipality?: string; src?: string };

/** Three municipalities: 101 KMD Opus with a payment solution and Mit Overblik, 561 Prisme 2009 without a payment
 * solution, 621 Prisme 2015 with one. */
export const DEFAULT_MUNICIPALITIES = [
  { code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14', borgerblikket: true },
  { code: '561', name: 'Esbjerg', debtorSystem: 'prisme_2009', wave: 2, goLive: '2026-06-01' },
  { code: '621', name: 'Kolding', debtorSystem: 'prisme_2015', wave: 3, goLive: '2026-09-01' },
];

export interface BooksOptions {
  municipalities?: unknown[];
  sla?: Record<string, unknown>;
  /** The configuration's `deliveries` (RULES.md §7). */
  deliveries?: Record<string, unknown>;
  /** A database file instead of ':memory:' (lifecycle tests reopen it). */
  file?: string;
}

export class Books {
  private lines = new Map<string, number>();
  private constructor(readonly db: Db) {}

  /** Opens an in-memory database with the context for asOf (an ISO instant such as '2026-11-26T12:00:00Z'). */
  static async open(asOf: string, opts: BooksOptions = {}): Promise<Books> {
    const db = await openDatabase(opts.file ?? ':memory:');
    const books = new Books(db);
    await books.setAsOf(asOf, opts);
    for (const k of KINDS) {
      await db.run(stagingDDL(k, `cur_${k.kind}`));
      await db.run(`ALTER TABLE cur_${k.kind} ADD COLUMN IF NOT EXISTS src VARCHAR`);
    }
    return books;
  }

  /** Prepares the evaluation context (variables, cfg_* tables, macros) for another asOf. */
  async setAsOf(asOf: string, opts: BooksOptions = {}): Promise<void> {
    const config = parseConfig(
      { inbox: 'inbox', municipalities: opts.municipalities ?? DEFAULT_MUNICIPALITIES, ...(opts.sla ? { sla: opts.sla } : {}), ...(opts.deliveries ? { deliveries: opts.deliveries } : {}) },
      '/tmp/x.json',
    );
    await prepareContext(this.db, config, new Date(asOf));
  }

  /** Inserts rows of one kind; municipality defaults to 101, src to `<muni>/<kind>_2026-11-26.csv:<n>`. */
  async add(kind: Kind, ...rows: RowIn[]): Promise<void> {
    const def = KIND_BY_NAME.get(kind)!;
    for (const r of rows) {
      const muni = r.municipality ?? '101';
      const n = (this.lines.get(`${muni}/${kind}`) ?? 1) + 1;
      this.lines.set(`${muni}/${kind}`, n);
      const src = r.src ?? `${muni}/${kind}_2026-11-26.csv:${n}`;
      const cols = ['delivery_id', 'municipality', 'export_date', 'line', 'src'];
      const vals = ['1', lit(muni), `DATE '2026-11-26'`, String(n), lit(src)];
      for (const c of def.columns) {
        if (r[c.name] !== undefined) {
          cols.push(c.name);
          vals.push(lit(r[c.name] ?? null));
        }
      }
      for (const k of Object.keys(r)) {
        if (k !== 'municipality' && k !== 'src' && !def.columns.some((c) => c.name === k)) {
          throw new Error(`${kind} has no column ${k}`);
        }
      }
      await this.db.run(`INSERT INTO cur_${kind} (${cols.join(', ')}) VALUES (${vals.join(', ')})`);
    }
  }

  /** Deletes every row of one kind (to change the books between lifecycle runs). */
  async clear(kind: Kind, where = 'true'): Promise<void> {
    await this.db.run(`DELETE FROM cur_${kind} WHERE ${where}`);
  }

  /** The rules, then what may explain them (suggested matches, deliveries that stopped: the `suggestions` step). */
  async evaluate(): Promise<void> {
    await evaluateRules(this.db);
    await explainDiscrepancies(this.db);
  }

  /**
   * The open discrepancies of one rule, ordered by municipality and key: its rows of the discrepancies mart (the rule
   * tables themselves are dropped once the mart has read them), with rule and severity from the catalog.
   */
  async rule(code: string): Promise<Record<string, unknown>[]> {
    return this.db.all(`SELECT * FROM discrepancies WHERE rule = ${lit(code)} ORDER BY municipality, key_id`);
  }

  /** The same books evaluated again as of another instant: the rows of one rule. */
  async ruleAt(asOf: string, code: string): Promise<Record<string, unknown>[]> {
    await this.setAsOf(asOf);
    await this.evaluate();
    return this.rule(code);
  }

  close(): void {
    this.db.close();
  }
}

/** A fee row with sensible defaults (adult, overdue fee, open). */
export function fee(id: string, created_at: string, amount: string, extra: RowIn = {}): RowIn {
  return {
    fee_id: id,
    patron_type: 'adult_cpr',
    debtor_party: '0101801234',
    fee_type: 'overdue_fee',
    amount,
    created_at,
    status: 'open',
    ...extra,
  };
}

/** A claim row with sensible defaults (library_fees, overdue fee). */
export function claim(id: string, source_ref: string | null, received_at: string, principal: string, extra: RowIn = {}): RowIn {
  return {
    claim_id: id,
    source_ref,
    account_type: 'library_fees',
    claim_type: 'overdue_fee',
    debtor_party: '0101801234',
    principal,
    received_at,
    ...extra,
  };
}

export function payment(id: string, booked_at: string, amount: string, extra: RowIn = {}): RowIn {
  return { payment_id: id, channel: 'bank', amount, booked_at, ...extra };
}

export function coverage(id: string, payment_id: string, claim_id: string, covered_at: string, amount: string, extra: RowIn = {}): RowIn {
  return { coverage_id: id, payment_id, claim_id, amount, covered_at, ...extra };
}

export function txn(id: string, paid_at: string, amount: string, extra: RowIn = {}): RowIn {
  return { txn_id: id, method: 'mobilepay', amount, paid_at, status: 'captured', ...extra };
}

/** The identifying part of a rule row: key, the five id columns and the amount. */
export interface RuleIds {
  key_id: string;
  fee_id: string | null;
  claim_id: string | null;
  payment_id: string | null;
  psp_txn_id: string | null;
  coverage_id: string | null;
  amount: string | null;
}

export function idsOf(rows: Record<string, unknown>[]): RuleIds[] {
  return rows.map((r) => ({
    key_id: r.key_id as string,
    fee_id: r.fee_id as string | null,
    claim_id: r.claim_id as string | null,
    payment_id: r.payment_id as string | null,
    psp_txn_id: r.psp_txn_id as string | null,
    coverage_id: r.coverage_id as string | null,
    amount: r.amount as string | null,
  }));
}

/** A RuleIds with the id columns not given set to null. */
export function ids(key_id: string, amount: string | null, other: Partial<Omit<RuleIds, 'key_id' | 'amount'>> = {}): RuleIds {
  return { key_id, fee_id: null, claim_id: null, payment_id: null, psp_txn_id: null, coverage_id: null, amount, ...other };
}
