// The machine-readable outputs of one batch (FORMATS.md §7), written from the marts through the one CSV writer:
// rows sorted in SQL by the whole (raw) key, then every text cell CPR-masked and made spreadsheet-safe; the number
// cells of NUMBER_COLUMNS written as they are.
import path from 'node:path';
import { lit, type Db } from '../db.ts';
import { writeCsv, type Cell } from './csv.ts';
import { sqlInstant } from '../instant.ts';
import { DISCREPANCY_COLUMNS, NUMBER_COLUMNS } from './columns.ts';

export { DISCREPANCY_COLUMNS, NUMBER_COLUMNS };

const money = (col: string) => `CAST(CAST(${col} AS DECIMAL(38,2)) AS VARCHAR)`;
const hours = (col: string) => `CAST(${col} AS VARCHAR)`;


async function rows(db: Db, sql: string): Promise<Cell[][]> {
  const result = await db.all<Record<string, Cell>>(sql);
  return result.map((r) => Object.values(r));
}

function write(outDir: string, name: string, header: string[], data: Cell[][]): void {
  writeCsv(path.join(outDir, name), header, data, { numberColumns: NUMBER_COLUMNS });
}


const discrepancySql = (municipality?: string) =>
  `SELECT rule, severity, municipality, fee_id, claim_id, payment_id, psp_txn_id, coverage_id, ${money('amount')} AS amount,
          detail, ${sqlInstant('first_seen')} AS first_seen,
          ${sqlInstant('arose_at')} AS arose_at, age_banking_days, handling_status, case_ref
   FROM discrepancy_states WHERE state IN ('new', 'persisting')${municipality ? ` AND municipality = ${lit(municipality)}` : ''}
   ORDER BY rule, municipality, key_id`;

/** discrepancies.csv in outDir: every open discrepancy, or a municipality's alone (municipalities/<code>/). */
export async function writeDiscrepancies(db: Db, outDir: string, municipality?: string): Promise<void> {
  write(outDir, 'discrepancies.csv', [...DISCREPANCY_COLUMNS], await rows(db, discrepancySql(municipality)));
}

/**
 * The rows of every municipality's discrepancies.csv from one query: municipality → its rows, in the order of
 * discrepancies.csv (rule, key; the whole run's order with the other municipalities' rows left out).
 */
export async function discrepancyRowsByMunicipality(db: Db): Promise<Map<string, Cell[][]>> {
  const byMunicipality = new Map<string, Cell[][]>();
  const col = DISCREPANCY_COLUMNS.indexOf('municipality');
  for (const r of await rows(db, discrepancySql())) {
    const code = String(r[col]);
    if (!byMunicipality.has(code)) byMunicipality.set(code, []);
    byMunicipality.get(code)!.push(r);
  }
  return byMunicipality;
}

/** discrepancies.csv in outDir from rows of discrepancyRowsByMunicipality (none: the header alone). */
export function writeDiscrepancyRows(outDir: string, data: Cell[][]): void {
  write(outDir, 'discrepancies.csv', [...DISCREPANCY_COLUMNS], data);
}

export async function writeReversals(db: Db, outDir: string): Promise<void> {
  const data = await rows(
    db,
    `SELECT municipality, claim_id, fee_id, ${money('excess_amount')}, coverage_ids, payment_ids,
            ${money('reverse_amount')}, ${money('reapply_amount')}
     FROM reversals ORDER BY municipality, claim_id`,
  );
  write(
    outDir,
    'reversals.csv',
    ['municipality', 'claim_id', 'fee_id', 'excess_amount', 'coverage_ids', 'payment_ids', 'reverse_amount', 'reapply_amount'],
    data,
  );
}

/** suggestions.csv (RULES.md §6, FORMATS.md §7): every suggested match, by municipality, kind, left id, rank. */
export async function writeSuggestions(db: Db, outDir: string): Promise<void> {
  const data = await rows(
    db,
    `SELECT municipality, kind, left_id, right_id, ${money('amount')} AS amount, ${hours('hours_apart')} AS hours_apart, rank, reason
     FROM suggestions ORDER BY municipality, kind, left_id, rank`,
  );
  write(outDir, 'suggestions.csv', [...SUGGESTION_COLUMNS], data);
}

export const SUGGESTION_COLUMNS = ['municipality', 'kind', 'left_id', 'right_id', 'amount', 'hours_apart', 'rank', 'reason'] as const;

export async function writeLatency(db: Db, outDir: string): Promise<void> {
  const data = await rows(
    db,
    `SELECT municipality, stage, n, ${hours('p50_hours')}, ${hours('p90_hours')}, ${hours('p99_hours')}, ${hours('max_hours')},
            within_sla, breached, in_flight
     FROM latency ORDER BY (municipality = 'ALL'), municipality, stage`,
  );
  write(
    outDir,
    'latency.csv',
    ['municipality', 'stage', 'n', 'p50_hours', 'p90_hours', 'p99_hours', 'max_hours', 'within_sla', 'breached', 'in_flight'],
    data,
  );
}

export async function writeRejects(db: Db, outDir: string): Promise<void> {
  const data = await rows(
    db,
    `SELECT r.path AS file, r.line, r.reason, r.raw
     FROM rejects r JOIN deliveries d ON d.delivery_id = r.delivery_id AND d.active
     ORDER BY r.path, r.line`,
  );
  write(outDir, 'rejects.csv', ['file', 'line', 'reason', 'raw'], data);
}
