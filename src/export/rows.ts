// The auditors' export: which discrepancies, in which columns, masked or not.
// Source: the table `discrepancy_states` (one row per discrepancy episode, open or resolved) built by the batch.
import type { Db } from '../db.ts';
import { lit } from '../db.ts';
import { maskText } from '../mask.ts';
import { spreadsheetSafe } from '../outputs/csv.ts';
import { sqlInstant } from '../instant.ts';
import { EXPORT_COLUMNS } from '../outputs/columns.ts';
import { SEVERITIES, STATES } from '../vocabulary.ts';

export { EXPORT_COLUMNS, SEVERITIES, STATES };
export { handlingSql } from '../outputs/discrepancies-xlsx.ts';
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** One export row. `amount` is the exact decimal string ("-12.50") or null; instants are ISO 8601 UTC to the second. */
export type ExportRow = Record<ExportColumn, string | null>;


export interface ExportFilter {
  rules?: string[];
  severities?: string[];
  municipalities?: string[];
  /** `open` is expanded to new + persisting before it gets here. */
  states?: string[];
  /** first_seen as a Europe/Copenhagen date, inclusive. */
  from?: string;
  to?: string;
}

/** The filter as the audit table records it: only what was set. */
export function filterJson(f: ExportFilter): string {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) o[k] = v;
  }
  return JSON.stringify(o);
}

const inList = (col: string, vs: string[] | undefined) => (vs && vs.length ? `${col} IN (${vs.map(lit).join(', ')})` : null);

/** The WHERE clause of a filter (every value a SQL literal). */
export function whereClause(f: ExportFilter): string {
  const localDate = `CAST(timezone('Europe/Copenhagen', timezone('UTC', first_seen)) AS DATE)`;
  const parts = [
    inList('rule', f.rules),
    inList('severity', f.severities),
    inList('municipality', f.municipalities),
    inList('state', f.states),
    f.from ? `${localDate} >= DATE ${lit(f.from)}` : null,
    f.to ? `${localDate} <= DATE ${lit(f.to)}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

const iso = (col: string) => `${sqlInstant(col)} AS ${col}`;

/** The handling columns (FORMATS.md §8) and their types where discrepancy_states lacks them. */
const HANDLING: Record<string, string> = {
  handling_status: 'VARCHAR', assignee: 'VARCHAR', note: 'VARCHAR', follow_up: 'DATE', handled_by: 'VARCHAR', handled_at: 'TIMESTAMP',
};

/**
 * discrepancy_states with the handling as it stands now (FORMATS.md §8): the live `handling` table joined by
 * identity, so a change made by `note`, `import` or the served worklist since the last run is in the export. A
 * resolved row's handling was closed when its run was recorded (open, by afstem, at asOf), which the table holds
 * too. A database without the table has never recorded handling: the run's columns stand (or nothing, in one older
 * than handling).
 */
async function liveStatesSql(db: Db): Promise<string> {
  const live = Number(await db.value(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'handling' AND NOT temporary`)) > 0;
  const columns = (await db.all<{ column_name: string }>(`DESCRIBE discrepancy_states`)).map((r) => r.column_name);
  const base = columns.filter((c) => !(c in HANDLING) && c !== 'handling_due').map((c) => `d.${c}`);
  const handling = Object.entries(HANDLING).map(([c, type]) =>
    live ? (c === 'handling_status' ? `coalesce(h.status, 'open') AS ${c}` : `h.${c}`)
      : columns.includes(c) ? `d.${c}` : c === 'handling_status' ? `'open' AS ${c}` : `NULL::${type} AS ${c}`);
  return `(SELECT ${[...base, ...handling].join(', ')} FROM discrepancy_states d${live
    ? ' LEFT JOIN handling h ON h.municipality = d.municipality AND h.rule = d.rule AND h.key_id = d.key_id' : ''})`;
}

/** The rows of a filter, sorted by rule, municipality, key, first_seen (FORMATS.md §7 order). */
export async function selectExportRows(db: Db, f: ExportFilter): Promise<ExportRow[]> {
  const text = (c: string) => `CAST(${c} AS VARCHAR) AS ${c}`;
  const states = await liveStatesSql(db);
  return db.all<ExportRow>(`
    SELECT rule, severity, ${text('municipality')}, ${text('fee_id')}, ${text('claim_id')}, ${text('payment_id')},
           ${text('psp_txn_id')}, ${text('coverage_id')},
           CAST(CAST(amount AS DECIMAL(38,2)) AS VARCHAR) AS amount,
           detail, ${iso('first_seen')}, ${iso('arose_at')}, CAST(age_banking_days AS VARCHAR) AS age_banking_days,
           handling_status, case_ref, assignee, note, CAST(follow_up AS VARCHAR) AS follow_up, handled_by,
           ${iso('handled_at')}, state, ${iso('resolved_at')}, lineage
    FROM ${states} s
    ${whereClause(f)}
    ORDER BY rule, municipality, key_id, first_seen, fee_id, claim_id, payment_id, psp_txn_id, coverage_id`);
}

/**
 * FORMATS.md §5: every text cell (ids, detail, lineage with its file paths) has its CPR-shaped numbers masked;
 * `amount` is a number. Rows were sorted by the whole key before this. `unmask` keeps everything whole (the audited
 * option).
 */
export function maskRows(rows: ExportRow[], unmask: boolean): ExportRow[] {
  if (unmask) return rows;
  return rows.map((r) => {
    const out = { ...r };
    for (const c of EXPORT_COLUMNS) if (c !== 'amount') out[c] = maskText(r[c]);
    return out;
  });
}

/** A text cell a spreadsheet would run as a formula gets a leading `'` (null stays null). */
export function neutralise(text: string | null): string | null {
  return text === null ? null : spreadsheetSafe(text);
}

/** Every text cell of a row neutralised; `amount` as it is. */
export function neutraliseRow(r: ExportRow): ExportRow {
  const out = { ...r };
  for (const c of EXPORT_COLUMNS) if (c !== 'amount') out[c] = neutralise(r[c]);
  return out;
}

/** An exact decimal string with two decimals → its integer øre (bigint), e.g. "-12.50" → -1250n. */
export function toOre(dec: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(dec);
  if (!m) throw new Error(`not an amount with two decimals: ${dec}`);
  const v = BigInt(m[2]) * 100n + BigInt(m[3]);
  return m[1] ? -v : v;
}
