// The contract's columns (FORMATS.md §2), copied so the generator follows the spec, not the loader.



export type ColType = 'text' | 'freetext' | 'enum' | 'amount' | 'amount0' | 'timestamp' | 'date';
export interface ColumnDef {
  name: string;
  alias?: string;
  type: ColType;
  creation?: boolean;
}
export const col = (name: string, alias: string | undefined, type: ColType, creation = false): ColumnDef => ({ name, alias, type, creation });
export const SPEC_KINDS: { kind: string; key: string; columns: ColumnDef[] }[] = [
  { kind: 'fbs_fees', key: 'fee_id', columns: [
    col('fee_id', 'mellemvaerende_id', 'text'), col('patron_type', 'laanertype', 'enum'), col('debtor_party', 'skyldner', 'text'),
    col('fee_type', 'kravtype', 'enum'), col('amount', 'beloeb', 'amount'), col('created_at', 'oprettet', 'timestamp', true),
    col('status', 'status', 'enum'), col('paid_at', 'betalt', 'timestamp'), col('payment_source', 'betalingskilde', 'enum'),
    col('cancelled_at', 'annulleret', 'timestamp'), col('reason', 'tekst', 'freetext'),
  ] },
  { kind: 'fbs_adjustments', key: 'adjustment_id', columns: [
    col('adjustment_id', 'regulering_id', 'text'), col('fee_id', 'mellemvaerende_id', 'text'), col('amount', 'beloeb', 'amount'),
    col('created_at', 'oprettet', 'timestamp', true),
  ] },
  { kind: 'debitor_claims', key: 'claim_id', columns: [
    col('claim_id', 'fordring_id', 'text'), col('source_ref', 'kilde_ref', 'text'), col('account_type', 'debitorkontotype', 'enum'),
    col('claim_type', 'fordringskravtype', 'enum'), col('debtor_party', 'skyldner', 'text'), col('principal', 'hovedstol', 'amount'),
    col('received_at', 'modtaget', 'timestamp', true), col('invoiced_at', 'faktureret', 'timestamp'), col('due_date', 'forfald', 'date'),
    col('collection_sent_at', 'inddrivelse_sendt', 'timestamp'),
  ] },
  { kind: 'debitor_adjustments', key: 'adjustment_id', columns: [
    col('adjustment_id', 'nedregulering_id', 'text'), col('claim_id', 'fordring_id', 'text'), col('amount', 'beloeb', 'amount'),
    col('registered_at', 'registreret', 'timestamp', true), col('source_ref', 'kilde_ref', 'text'),
  ] },
  { kind: 'debitor_payments', key: 'payment_id', columns: [
    col('payment_id', 'indbetaling_id', 'text'), col('channel', 'kanal', 'enum'), col('psp_txn_ref', 'psp_ref', 'text'),
    col('debtor_party', 'skyldner', 'text'), col('amount', 'beloeb', 'amount'), col('booked_at', 'bogfoert', 'timestamp', true),
    col('reversed_at', 'tilbagefoert', 'timestamp'),
  ] },
  { kind: 'debitor_coverages', key: 'coverage_id', columns: [
    col('coverage_id', 'daekning_id', 'text'), col('payment_id', 'indbetaling_id', 'text'), col('claim_id', 'fordring_id', 'text'),
    col('amount', 'beloeb', 'amount'), col('covered_at', 'daekket', 'timestamp', true), col('reversed_at', 'tilbagefoert', 'timestamp'),
  ] },
  { kind: 'psp_invoices', key: 'invoice_id', columns: [
    col('invoice_id', 'faktura_id', 'text'), col('claim_id', 'fordring_id', 'text'), col('amount', 'beloeb', 'amount'),
    col('published_at', 'publiceret', 'timestamp', true),
  ] },
  { kind: 'psp_transactions', key: 'txn_id', columns: [
    col('txn_id', 'transaktion_id', 'text'), col('claim_id', 'fordring_id', 'text'), col('method', 'metode', 'enum'),
    col('amount', 'beloeb', 'amount'), col('paid_at', 'betalt', 'timestamp', true), col('status', undefined, 'enum'),
  ] },
  { kind: 'borgerblikket_claims', key: 'claim_id', columns: [
    col('claim_id', 'fordring_id', 'text'), col('shown_outstanding', 'vist_restance', 'amount0'), col('extracted_at', 'udtrukket', 'timestamp', true),
  ] },
  { kind: 'klik_tasks', key: 'task_id', columns: [
    col('task_id', undefined, 'text'), col('title', undefined, 'text'), col('status', undefined, 'enum'), col('completed_at', undefined, 'timestamp'),
  ] },
];
export const KIND_BY_NAME = new Map(SPEC_KINDS.map((k) => [k.kind, k]));
