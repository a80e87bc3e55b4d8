// The persistent schema of the batch database, as numbered migrations (./migrate.ts applies them in order and records
// each in schema_migrations). A migration is never changed once released: a change of the schema is a new migration
// at the end of the list (its ALTER or CREATE, with IF [NOT] EXISTS where an older database may have it already).
//
// Migration 1 is the schema as afstem wrote it before there were migrations (c3dc7b6 and the merges after it, each
// table created where it was used), written with IF NOT EXISTS so it adopts such a database as it is; 2–4 are the
// columns that code added to an older database's tables as it met them; 5 and 6 are the tables of the handling
// folder's outcomes (issue 22) and of the served worklist (issue 26); 7 what an incremental night keeps; 8 the report's
// rendered charts (a cache: deleting its rows loses nothing but time).
//
// The tables here hold what must survive from night to night: the deliveries and their rows, the runs, the
// lifecycle and case numbers of discrepancies, the case handling and its trail, the unmask log, and which calendar
// tables are built. The batch also keeps tables it rebuilds from these each night, which are no schema: the current
// books (cur_*, src/ingest/current.ts rebuilds them when their shape differs from the staging tables'), the
// configuration and calendar tables (cfg_*, cal_days, sla_business_deadline: src/pipeline/context.ts) and the
// latest run's discrepancy_states, discrepancy_hints and waves (src/handling/lifecycle.ts, src/pipeline/lifecycle.ts), each replaced
// whole by its step.

export interface Migration {
  version: number;
  /** What it does, for a person reading schema_migrations. */
  name: string;
  /** One or more statements separated by semicolons. */
  sql: string;
}

/** The staging table of each export kind (FORMATS.md §2, src/ingest/kinds.ts): lineage columns, then the kind's own. */
const STAGING_1 = `
CREATE TABLE IF NOT EXISTS stg_fbs_fees (delivery_id INTEGER, municipality VARCHAR, export_date DATE, line INTEGER,
  fee_id VARCHAR, patron_type VARCHAR, debtor_party VARCHAR, fee_type VARCHAR, amount DECIMAL(18,2), created_at TIMESTAMP,
  status VARCHAR, paid_at TIMESTAMP, payment_source VARCHAR, cancelled_at TIMESTAMP, reason VARCHAR);
CREATE TABLE IF NOT EXISTS stg_fbs_adjustments (delivery_id INTEGER, municipality VARCHAR, export_date DATE, line INTEGER,
  adjustment_id VARCHAR, fee_id VARCHAR, amount DECIMAL(18,2), created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS stg_debitor_claims (delivery_id INTEGER, municipality VARCHAR, export_date DATE, line INTEGER,
  claim_id VARCHAR, source_ref VARCHAR, account_type VARCHAR, claim_type VARCHAR, debtor_party VARCHAR,
  principal DECIMAL(18,2), received_at TIMESTAMP, invoiced_at TIMESTAMP, due_date DATE, collection_sent_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS stg_debitor_adjustments (delivery_id INTEGER, municipality VARCHAR, export_date DATE,
  line INTEGER, adjustment_id VARCHAR, claim_id VARCHAR, amount DECIMAL(18,2), registered_at TIMESTAMP, source_ref VARCHAR);
CREATE TABLE IF NOT EXISTS stg_debitor_payments (delivery_id INTEGER, municipality VARCHAR, export_date DATE, line INTEGER,
  payment_id VARCHAR, channel VARCHAR, psp_txn_ref VARCHAR, debtor_party VARCHAR, amount DECIMAL(18,2), booked_at TIMESTAMP,
  reversed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS stg_debitor_coverages (delivery_id INTEGER, municipality VARCHAR, export_date DATE,
  line INTEGER, coverage_id VARCHAR, payment_id VARCHAR, claim_id VARCHAR, amount DECIMAL(18,2), covered_at TIMESTAMP,
  reversed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS stg_psp_invoices (delivery_id INTEGER, municipality VARCHAR, export_date DATE, line INTEGER,
  invoice_id VARCHAR, claim_id VARCHAR, amount DECIMAL(18,2), published_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS stg_psp_transactions (delivery_id INTEGER, municipality VARCHAR, export_date DATE, line INTEGER,
  txn_id VARCHAR, claim_id VARCHAR, method VARCHAR, amount DECIMAL(18,2), paid_at TIMESTAMP, status VARCHAR);
CREATE TABLE IF NOT EXISTS stg_borgerblikket_claims (delivery_id INTEGER, municipality VARCHAR, export_date DATE,
  line INTEGER, claim_id VARCHAR, shown_outstanding DECIMAL(18,2), extracted_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS stg_klik_tasks (delivery_id INTEGER, municipality VARCHAR, export_date DATE, line INTEGER,
  task_id VARCHAR, title VARCHAR, status VARCHAR, completed_at TIMESTAMP);`;

const TABLES_1 = `
-- the delivery registry (src/ingest/ingest.ts): every file loaded, by content hash
CREATE TABLE IF NOT EXISTS deliveries (
  delivery_id INTEGER, path VARCHAR, municipality VARCHAR, kind VARCHAR, export_date DATE,
  content_hash VARCHAR, byte_size BIGINT, encoding VARCHAR, delimiter VARCHAR,
  status VARCHAR,            -- loaded | replaced | rejected (as of its own load)
  rows_read INTEGER, rows_loaded INTEGER, rows_rejected INTEGER,
  extra_columns VARCHAR,     -- JSON array
  message VARCHAR,
  active BOOLEAN,            -- in effect (not replaced by a later delivery of the same identity)
  loaded_run_seq INTEGER, loaded_at TIMESTAMP, replaced_by INTEGER);
-- how each inbox file looked on disk (size, times, inode) when its content was hashed: unchanged files are not read
CREATE TABLE IF NOT EXISTS inbox_files (path VARCHAR, signature VARCHAR, content_hash VARCHAR);
CREATE TABLE IF NOT EXISTS rejects (delivery_id INTEGER, path VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR);
-- one row per recorded run (src/run/runs.ts)
CREATE TABLE IF NOT EXISTS runs (
  run_seq INTEGER, run_id VARCHAR, as_of TIMESTAMP, started_at TIMESTAMP, finished_at TIMESTAMP,
  exit_code INTEGER, files_read INTEGER, rows_rejected INTEGER,
  critical INTEGER, warning INTEGER, info INTEGER, new_count INTEGER, resolved_count INTEGER,
  summary_json VARCHAR);
${STAGING_1}
-- the lifecycle of discrepancies (src/pipeline/lifecycle.ts): one row per run that updated it, and per run every
-- identity open in it and every identity it resolved
CREATE TABLE IF NOT EXISTS lifecycle_runs (run_seq INTEGER PRIMARY KEY, as_of TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS discrepancy_history (run_seq INTEGER NOT NULL, rule VARCHAR, severity VARCHAR,
  municipality VARCHAR, key_id VARCHAR, fee_id VARCHAR, claim_id VARCHAR, payment_id VARCHAR, psp_txn_id VARCHAR,
  coverage_id VARCHAR, amount DECIMAL(38,2), detail VARCHAR, lineage VARCHAR, arose_at TIMESTAMP,
  age_banking_days INTEGER, first_seen TIMESTAMP NOT NULL, state VARCHAR NOT NULL, resolved_at TIMESTAMP,
  case_ref VARCHAR);
-- the case number of every identity ever seen (src/pipeline/case-refs.ts); never changed or deleted
CREATE TABLE IF NOT EXISTS case_refs (
  case_no INTEGER PRIMARY KEY,
  municipality VARCHAR NOT NULL,
  rule VARCHAR NOT NULL,
  key_id VARCHAR NOT NULL,
  first_assigned_at TIMESTAMP NOT NULL,
  first_as_of TIMESTAMP NOT NULL,
  UNIQUE (municipality, rule, key_id));
-- the case handling (FORMATS.md §8, src/handling/store.ts) and its append-only trail
CREATE TABLE IF NOT EXISTS handling (
  municipality VARCHAR NOT NULL, rule VARCHAR NOT NULL, key_id VARCHAR NOT NULL, case_ref VARCHAR NOT NULL,
  status VARCHAR NOT NULL, assignee VARCHAR, note VARCHAR, follow_up DATE,
  handled_by VARCHAR NOT NULL, handled_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS handling_trail (
  seq BIGINT NOT NULL, case_ref VARCHAR NOT NULL, municipality VARCHAR NOT NULL, rule VARCHAR NOT NULL,
  key_id VARCHAR NOT NULL,
  old_status VARCHAR NOT NULL, new_status VARCHAR NOT NULL, old_assignee VARCHAR, new_assignee VARCHAR,
  old_note VARCHAR, new_note VARCHAR, old_follow_up DATE, new_follow_up DATE,
  who VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL, source VARCHAR NOT NULL);
-- the handling folder's files imported (src/handling/folder.ts), by municipality and content hash
CREATE TABLE IF NOT EXISTS handling_files (
  municipality VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, path VARCHAR NOT NULL, who VARCHAR, run_id VARCHAR NOT NULL,
  imported_at TIMESTAMP NOT NULL, rows INTEGER NOT NULL, applied INTEGER NOT NULL, refused INTEGER NOT NULL,
  PRIMARY KEY (municipality, sha256));
-- every afstem export --unmask (FORMATS.md §5): who, when, which filter
CREATE TABLE IF NOT EXISTS audit_unmask (
  who VARCHAR NOT NULL, unmasked_at TIMESTAMP NOT NULL, filter_json VARCHAR NOT NULL, format VARCHAR NOT NULL,
  out_file VARCHAR NOT NULL, row_count INTEGER NOT NULL);
-- which calendar tables are built from what (src/pipeline/context.ts): a night with the same settings reuses them
CREATE TABLE IF NOT EXISTS ctx_built (name VARCHAR PRIMARY KEY, key VARCHAR);`;

const STAGING_KINDS = [
  'fbs_fees', 'fbs_adjustments', 'debitor_claims', 'debitor_adjustments', 'debitor_payments', 'debitor_coverages',
  'psp_invoices', 'psp_transactions', 'borgerblikket_claims', 'klik_tasks',
];

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'the tables afstem wrote before migrations (c3dc7b6)', sql: TABLES_1 },
  {
    version: 2,
    name: 'runs.steps_json: the duration of each step of a run',
    sql: `ALTER TABLE runs ADD COLUMN IF NOT EXISTS steps_json VARCHAR`,
  },
  {
    version: 3,
    name: 'stg_*.reject_reason: rows are typed straight into staging, the few that fail moved to rejects',
    sql: STAGING_KINDS.map((k) => `ALTER TABLE stg_${k} ADD COLUMN IF NOT EXISTS reject_reason VARCHAR`).join(';\n'),
  },
  {
    version: 4,
    name: 'discrepancy_history: arose_at, age_banking_days (RULES.md §5) and case_ref (FORMATS.md §8)',
    sql: `ALTER TABLE discrepancy_history ADD COLUMN IF NOT EXISTS arose_at TIMESTAMP;
      ALTER TABLE discrepancy_history ADD COLUMN IF NOT EXISTS age_banking_days INTEGER;
      ALTER TABLE discrepancy_history ADD COLUMN IF NOT EXISTS case_ref VARCHAR`,
  },
  {
    version: 5,
    name: 'handling_files: each file\'s outcome, and its refusals kept until a finished run has reported them (issue 22)',
    sql: [
      ...['status VARCHAR', 'message VARCHAR', 'unchanged INTEGER', 'conflicts INTEGER', 'reported_run_id VARCHAR']
        .map((c) => `ALTER TABLE handling_files ADD COLUMN IF NOT EXISTS ${c}`),
      `CREATE TABLE IF NOT EXISTS handling_file_refusals (
        municipality VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, ord INTEGER NOT NULL, row INTEGER, case_ref VARCHAR NOT NULL,
        reason VARCHAR NOT NULL)`,
    ].join(';\n'),
  },
  {
    version: 6,
    name: 'serve_users and serve_journal_applied: the served worklist\'s accounts and the journal entries that reached the database (FORMATS.md §9)',
    sql: `CREATE TABLE IF NOT EXISTS serve_users (
        name VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL, role VARCHAR NOT NULL, municipalities VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, changed_at TIMESTAMP NOT NULL);
      CREATE TABLE IF NOT EXISTS serve_journal_applied (
        id VARCHAR PRIMARY KEY, case_ref VARCHAR NOT NULL, municipality VARCHAR NOT NULL, who VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL, outcome VARCHAR NOT NULL, reason VARCHAR, applied_at TIMESTAMP NOT NULL,
        applied_by VARCHAR NOT NULL)`,
  },
  {
    version: 7,
    name: 'cur_touched and eval_state: the items the books changed since the last evaluation, and what that evaluation was (an incremental night, src/pipeline/incremental.ts)',
    sql: `CREATE TABLE IF NOT EXISTS cur_touched (municipality VARCHAR, id VARCHAR);
      CREATE TABLE IF NOT EXISTS eval_state (as_of TIMESTAMP NOT NULL, fingerprint VARCHAR NOT NULL, evaluated_at TIMESTAMP NOT NULL)`,
  },
  {
    version: 8,
    name: 'chart_cache: the report\'s rendered charts by the hash of what they depend on, so a report renders only the charts whose rows changed (src/report/chart-cache.ts)',
    sql: `CREATE TABLE IF NOT EXISTS chart_cache (key VARCHAR PRIMARY KEY, spec VARCHAR NOT NULL, svg VARCHAR NOT NULL, used_at TIMESTAMP NOT NULL)`,
  },
];

/** The schema version this afstem writes: the last migration's. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
