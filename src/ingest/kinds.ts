// The ten export kinds of FORMATS.md §2: their columns, Danish aliases, types and keys.
// This table drives header matching, the typing SQL and the staging tables; the kinds' names and Danish words are
// in src/vocabulary.ts.
import { EXPORT_KINDS, type ExportKind } from '../vocabulary.ts';

export type ColumnType =
  | 'text' // free value, kept as given (trimmed)
  | 'freetext' // free text from people: kept exactly as given
  | 'enum'
  | 'amount' // DKK, exactly two decimals, > 0
  | 'amount0' // DKK, exactly two decimals, >= 0
  | 'timestamp'
  | 'date';

export interface ColumnDef {
  name: string;
  alias?: string;
  type: ColumnType;
  required?: boolean;
  /** Required only when another column has one of these values (FORMATS.md §2: paid_at, payment_source, cancelled_at). */
  requiredWhen?: { column: string; values: string[] };
  values?: readonly string[];
  /** Extra accepted spellings of enum values (seed 004 titles), normalised: lower case, runs of white space as one space. */
  synonyms?: Record<string, string>;
  /** Creation instant of the row (RULES.md §1): rows created after asOf are ignored. */
  creation?: boolean;
}

export interface KindDef {
  kind: ExportKind;
  key: string;
  /**
   * The ids that tie a row to the rows of other kinds (a fee, a claim, a payment, a PSP transaction): the items of
   * an incremental night (src/pipeline/incremental.ts). A kind without them is read only by models evaluated whole.
   */
  links?: readonly string[];
  optional?: boolean;
  columns: ColumnDef[];
}

export const PATRON_TYPES = [
  'adult_cpr',
  'adult_replacement_cpr',
  'company_cvr',
  'child_oa_cpr',
  'child_oa_replacement_cpr',
  'child_cpr',
  'child_replacement_cpr',
] as const;
export const FEE_TYPES = ['overdue_fee', 'replacement_ack', 'replacement_no_ack'] as const;
export const ACCOUNT_TYPES = ['library_fees', 'library_fees_minor_with_oa', 'library_fees_minor_without_oa'] as const;

/** Seed 004's Danish titles, normalised (lower case, single spaces). */
export const ACCOUNT_TYPE_TITLES: Record<string, string> = {
  'biblioteksgebyrer og erstatninger': 'library_fees',
  'biblioteksgebyrer og erstatninger for personer under grænsealder med økonomisk ansvarlig':
    'library_fees_minor_with_oa',
  'biblioteksgebyrer og erstatninger for personer under grænsealder uden økonomisk ansvarlig':
    'library_fees_minor_without_oa',
};
export const CLAIM_TYPE_TITLES: Record<string, string> = {
  'biblioteksgebyr, overskredet lånetid': 'overdue_fee',
  'bibliotekserstatningskrav med anerkendelse eller kvittering': 'replacement_ack',
  'bibliotekserstatningskrav uden anerkendelse eller kvittering': 'replacement_no_ack',
};

export const KINDS: KindDef[] = [
  {
    kind: 'fbs_fees',
    key: 'fee_id',
    links: ['fee_id'],
    columns: [
      { name: 'fee_id', alias: 'mellemvaerende_id', type: 'text', required: true },
      { name: 'patron_type', alias: 'laanertype', type: 'enum', required: true, values: PATRON_TYPES },
      { name: 'debtor_party', alias: 'skyldner', type: 'text', required: true },
      { name: 'fee_type', alias: 'kravtype', type: 'enum', required: true, values: FEE_TYPES },
      { name: 'amount', alias: 'beloeb', type: 'amount', required: true },
      { name: 'created_at', alias: 'oprettet', type: 'timestamp', required: true, creation: true },
      { name: 'status', alias: 'status', type: 'enum', required: true, values: ['open', 'paid', 'cancelled'] },
      { name: 'paid_at', alias: 'betalt', type: 'timestamp', requiredWhen: { column: 'status', values: ['paid'] } },
      {
        name: 'payment_source',
        alias: 'betalingskilde',
        type: 'enum',
        values: ['debitor', 'manual', 'cash', 'ddb_cms', 'app'],
        requiredWhen: { column: 'status', values: ['paid'] },
      },
      {
        name: 'cancelled_at',
        alias: 'annulleret',
        type: 'timestamp',
        requiredWhen: { column: 'status', values: ['cancelled'] },
      },
      { name: 'reason', alias: 'tekst', type: 'freetext' },
    ],
  },
  {
    kind: 'fbs_adjustments',
    key: 'adjustment_id',
    links: ['fee_id'],
    columns: [
      { name: 'adjustment_id', alias: 'regulering_id', type: 'text', required: true },
      { name: 'fee_id', alias: 'mellemvaerende_id', type: 'text', required: true },
      { name: 'amount', alias: 'beloeb', type: 'amount', required: true },
      { name: 'created_at', alias: 'oprettet', type: 'timestamp', required: true, creation: true },
    ],
  },
  {
    kind: 'debitor_claims',
    key: 'claim_id',
    links: ['claim_id', 'source_ref'],
    columns: [
      { name: 'claim_id', alias: 'fordring_id', type: 'text', required: true },
      { name: 'source_ref', alias: 'kilde_ref', type: 'text' },
      {
        name: 'account_type',
        alias: 'debitorkontotype',
        type: 'enum',
        required: true,
        values: ACCOUNT_TYPES,
        synonyms: ACCOUNT_TYPE_TITLES,
      },
      {
        name: 'claim_type',
        alias: 'fordringskravtype',
        type: 'enum',
        required: true,
        values: FEE_TYPES,
        synonyms: CLAIM_TYPE_TITLES,
      },
      { name: 'debtor_party', alias: 'skyldner', type: 'text', required: true },
      { name: 'principal', alias: 'hovedstol', type: 'amount', required: true },
      { name: 'received_at', alias: 'modtaget', type: 'timestamp', required: true, creation: true },
      { name: 'invoiced_at', alias: 'faktureret', type: 'timestamp' },
      { name: 'due_date', alias: 'forfald', type: 'date' },
      { name: 'collection_sent_at', alias: 'inddrivelse_sendt', type: 'timestamp' },
    ],
  },
  {
    kind: 'debitor_adjustments',
    key: 'adjustment_id',
    links: ['claim_id', 'source_ref'],
    columns: [
      { name: 'adjustment_id', alias: 'nedregulering_id', type: 'text', required: true },
      { name: 'claim_id', alias: 'fordring_id', type: 'text', required: true },
      { name: 'amount', alias: 'beloeb', type: 'amount', required: true },
      { name: 'registered_at', alias: 'registreret', type: 'timestamp', required: true, creation: true },
      { name: 'source_ref', alias: 'kilde_ref', type: 'text' },
    ],
  },
  {
    kind: 'debitor_payments',
    key: 'payment_id',
    links: ['payment_id', 'psp_txn_ref'],
    columns: [
      { name: 'payment_id', alias: 'indbetaling_id', type: 'text', required: true },
      {
        name: 'channel',
        alias: 'kanal',
        type: 'enum',
        required: true,
        values: ['psp', 'bank', 'giro', 'fagsystem', 'other'],
      },
      { name: 'psp_txn_ref', alias: 'psp_ref', type: 'text' },
      { name: 'debtor_party', alias: 'skyldner', type: 'text' },
      { name: 'amount', alias: 'beloeb', type: 'amount', required: true },
      { name: 'booked_at', alias: 'bogfoert', type: 'timestamp', required: true, creation: true },
      { name: 'reversed_at', alias: 'tilbagefoert', type: 'timestamp' },
    ],
  },
  {
    kind: 'debitor_coverages',
    key: 'coverage_id',
    links: ['claim_id', 'payment_id'],
    columns: [
      { name: 'coverage_id', alias: 'daekning_id', type: 'text', required: true },
      { name: 'payment_id', alias: 'indbetaling_id', type: 'text', required: true },
      { name: 'claim_id', alias: 'fordring_id', type: 'text', required: true },
      { name: 'amount', alias: 'beloeb', type: 'amount', required: true },
      { name: 'covered_at', alias: 'daekket', type: 'timestamp', required: true, creation: true },
      { name: 'reversed_at', alias: 'tilbagefoert', type: 'timestamp' },
    ],
  },
  {
    kind: 'psp_invoices',
    key: 'invoice_id',
    links: ['claim_id'],
    columns: [
      { name: 'invoice_id', alias: 'faktura_id', type: 'text', required: true },
      { name: 'claim_id', alias: 'fordring_id', type: 'text', required: true },
      { name: 'amount', alias: 'beloeb', type: 'amount', required: true },
      { name: 'published_at', alias: 'publiceret', type: 'timestamp', required: true, creation: true },
    ],
  },
  {
    kind: 'psp_transactions',
    key: 'txn_id',
    links: ['txn_id', 'claim_id'],
    columns: [
      { name: 'txn_id', alias: 'transaktion_id', type: 'text', required: true },
      { name: 'claim_id', alias: 'fordring_id', type: 'text' },
      {
        name: 'method',
        alias: 'metode',
        type: 'enum',
        required: true,
        values: ['mobilepay', 'card', 'subscription', 'other'],
      },
      { name: 'amount', alias: 'beloeb', type: 'amount', required: true },
      { name: 'paid_at', alias: 'betalt', type: 'timestamp', required: true, creation: true },
      { name: 'status', type: 'enum', required: true, values: ['captured', 'refunded', 'failed'] },
    ],
  },
  {
    kind: 'borgerblikket_claims',
    key: 'claim_id',
    optional: true,
    columns: [
      { name: 'claim_id', alias: 'fordring_id', type: 'text', required: true },
      { name: 'shown_outstanding', alias: 'vist_restance', type: 'amount0', required: true },
      { name: 'extracted_at', alias: 'udtrukket', type: 'timestamp', required: true, creation: true },
    ],
  },
  {
    kind: 'klik_tasks',
    key: 'task_id',
    optional: true,
    columns: [
      { name: 'task_id', type: 'text', required: true },
      { name: 'title', type: 'text', required: true },
      { name: 'status', type: 'enum', required: true, values: ['open', 'done'] },
      { name: 'completed_at', type: 'timestamp' },
    ],
  },
];

export const KIND_BY_NAME = new Map<string, KindDef>(KINDS.map((k) => [k.kind, k]));
// the vocabulary names the kinds (and the configuration checks them there): the two lists are the same, in order
if (KINDS.map((k) => k.kind).join() !== EXPORT_KINDS.join()) throw new Error('ingest/kinds.ts and vocabulary.ts EXPORT_KINDS differ');

export function sqlTypeOf(type: ColumnType): string {
  switch (type) {
    case 'amount':
    case 'amount0':
      return 'DECIMAL(18,2)';
    case 'timestamp':
      return 'TIMESTAMP'; // an instant, stored as UTC
    case 'date':
      return 'DATE';
    default:
      return 'VARCHAR';
  }
}

/** The lineage columns every staging and current table carries before the kind's own columns. */
export const LINEAGE_COLUMNS = [
  { name: 'delivery_id', sql: 'INTEGER' },
  { name: 'municipality', sql: 'VARCHAR' },
  { name: 'export_date', sql: 'DATE' },
  { name: 'line', sql: 'INTEGER' },
] as const;

/**
 * A table shaped like a kind's staging table (lineage columns, then the kind's): the tests build current books with
 * it, and test/schema.test.ts checks the staging tables of src/schema/migrations.ts against it (a new column of a kind
 * needs a migration).
 */
export function stagingDDL(k: KindDef, table: string): string {
  const cols = [
    ...LINEAGE_COLUMNS.map((c) => `${c.name} ${c.sql}`),
    ...k.columns.map((c) => `${c.name} ${sqlTypeOf(c.type)}`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${table} (${cols.join(', ')})`;
}
