// The machine-readable outputs of one batch (FORMATS.md §7), written from the marts through the one CSV writer:
// rows sorted in SQL by the whole (raw) key, then every text cell CPR-masked and made spreadsheet-safe; the number
// cells of NUMBER_COLUMNS written as they are.
import path from 'node:path';
import { lit, type Db } from '../db.ts';
import { CsvFile, type Cell } from './csv.ts';
import { sqlInstant } from '../instant.ts';
import { DISCREPANCY_COLUMNS, NUMBER_COLUMNS } from './columns.ts';

export { DISCREPANCY_COLUMNS, NUMBER_COLUMNS };

const money = (col: string) => `CAST(CAST(${col} AS DECIMAL(38,2)) AS VARCHAR)`;
const hours = (col: string) => `CAST(${col} AS VARCHAR)`;


/** The rows of a query as cells, chunk by chunk (never the whole result at once). */
async function* rows(db: Db, sql: string): AsyncGenerator<Cell[][]> {
  for await (const chunk of db.chunks<Record<string, Cell>>(sql)) yield chunk.map((r) => Object.values(r));
}

/** A CSV output of outDir, its rows written as the query gives them. */
const csvFile = (outDir: string, name: string, header: readonly string[]) => new CsvFile(path.join(outDir, name), header, { numberColumns: NUMBER_COLUMNS });

async function write(outDir: string, name: string, header: readonly string[], data: AsyncIterable<Cell[][]>): Promise<void> {
  const file = csvFile(outDir, name, header);
  try {
    for await (const chunk of data) file.write(chunk);
  } finally {
    file.close();
  }
}


const discrepancySql = (municipality?: string) =>
  `SELECT rule, severity, municipality, fee_id, claim_id, payment_id, psp_txn_id, coverage_id, ${money('amount')} AS amount,
          detail, ${sqlInstant('first_seen')} AS first_seen,
          ${sqlInstant('arose_at')} AS arose_at, age_banking_days, handling_status, case_ref
   FROM discrepancy_states WHERE state IN ('new', 'persisting')${municipality ? ` AND municipality = ${lit(municipality)}` : ''}
   ORDER BY rule, municipality, key_id`;

/** discrepancies.csv in outDir: every open discrepancy, or a municipality's alone (municipalities/<code>/). */
export async function writeDiscrepancies(db: Db, outDir: string, municipality?: string): Promise<void> {
  await write(outDir, 'discrepancies.csv', DISCREPANCY_COLUMNS, rows(db, discrepancySql(municipality)));
}

/**
 * Every municipality's discrepancies.csv (dirOf(code)) from one query, read in chunks and written as it comes: each
 * file holds the whole run's rows of its municipality in the whole run's order (rule, key). A municipality of
 * `codes` without rows gets the header alone; rows of a municipality not in `codes` are written nowhere.
 */
export async function writeDiscrepanciesByMunicipality(db: Db, codes: readonly string[], dirOf: (code: string) => string): Promise<void> {
  const files = new Map<string, CsvFile>();
  const col = DISCREPANCY_COLUMNS.indexOf('municipality');
  try {
    for (const code of codes) files.set(code, csvFile(dirOf(code), 'discrepancies.csv', DISCREPANCY_COLUMNS));
    for await (const chunk of rows(db, discrepancySql())) {
      const by = new Map<string, Cell[][]>();
      for (const r of chunk) {
        const code = String(r[col]);
        if (!by.has(code)) by.set(code, []);
        by.get(code)!.push(r);
      }
      for (const [code, part] of by) files.get(code)?.write(part);
    }
  } finally {
    for (const f of files.values()) f.close();
  }
}

export async function writeReversals(db: Db, outDir: string): Promise<void> {
  const data = rows(
    db,
    `SELECT municipality, claim_id, fee_id, ${money('excess_amount')}, coverage_ids, payment_ids,
            ${money('reverse_amount')}, ${money('reapply_amount')}
     FROM reversals ORDER BY municipality, claim_id`,
  );
  await write(
    outDir,
    'reversals.csv',
    ['municipality', 'claim_id', 'fee_id', 'excess_amount', 'coverage_ids', 'payment_ids', 'reverse_amount', 'reapply_amount'],
    data,
  );
}

/** suggestions.csv (RULES.md §6, FORMATS.md §7): every suggested match, by municipality, kind, left id, rank. */
export async function writeSuggestions(db: Db, outDir: string): Promise<void> {
  const data = rows(
    db,
    `SELECT municipality, kind, left_id, right_id, ${money('amount')} AS amount, ${hours('hours_apart')} AS hours_apart, rank, reason
     FROM suggestions ORDER BY municipality, kind, left_id, rank`,
  );
  await write(outDir, 'suggestions.csv', [...SUGGESTION_COLUMNS], data);
}

export const SUGGESTION_COLUMNS = ['municipality', 'kind', 'left_id', 'right_id', 'amount', 'hours_apart', 'rank', 'reason'] as const;

export async function writeLatency(db: Db, outDir: string): Promise<void> {
  const data = rows(
    db,
    `SELECT municipality, stage, n, ${hours('p50_hours')}, ${hours('p90_hours')}, ${hours('p99_hours')}, ${hours('max_hours')},
            within_sla, breached, in_flight
     FROM latency ORDER BY (municipality = 'ALL'), municipality, stage`,
  );
  await write(
    outDir,
    'latency.csv',
    ['municipality', 'stage', 'n', 'p50_hours', 'p90_hours', 'p99_hours', 'max_hours', 'within_sla', 'breached', 'in_flight'],
    data,
  );
}

export async function writeRejects(db: Db, outDir: string): Promise<void> {
  const data = rows(
    db,
    `SELECT r.path AS file, r.line, r.reason, r.raw
     FROM rejects r JOIN deliveries d ON d.delivery_id = r.delivery_id AND d.active
     ORDER BY r.path, r.line`,
  );
  await write(outDir, 'rejects.csv', ['file', 'line', 'reason', 'raw'], data);
}
