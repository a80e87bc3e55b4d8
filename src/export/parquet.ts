// Parquet writer of the export: the (masked) rows go into an in-memory DuckDB table with their exact types
// (amount DECIMAL(38,2), instants TIMESTAMP in UTC) and DuckDB writes the file with COPY … (FORMAT parquet).
import { Db, lit } from '../db.ts';
import { EXPORT_COLUMNS, type ExportRow } from './rows.ts';
import type { ExportFormat } from './format.ts';

const TYPES: Record<string, string> = {
  amount: 'DECIMAL(38,2)', first_seen: 'TIMESTAMP', arose_at: 'TIMESTAMP', age_banking_days: 'INTEGER', resolved_at: 'TIMESTAMP',
  follow_up: 'DATE', handled_at: 'TIMESTAMP',
};

export async function writeParquet(rows: ExportRow[], file: string): Promise<void> {
  const db = await Db.open(':memory:');
  try {
    const cols = EXPORT_COLUMNS.map((c) => `${c} ${TYPES[c] ?? 'VARCHAR'}`).join(', ');
    await db.run(`CREATE TABLE export (${cols})`);
    for (let i = 0; i < rows.length; i += 500) {
      const values = rows
        .slice(i, i + 500)
        .map((r) => `(${EXPORT_COLUMNS.map((c) => (TYPES[c] && r[c] !== null ? `CAST(${lit(r[c])} AS ${TYPES[c]})` : lit(r[c]))).join(', ')})`)
        .join(',\n');
      await db.run(`INSERT INTO export VALUES ${values}`);
    }
    await db.run(`COPY export TO ${lit(file)} (FORMAT parquet)`);
  } finally {
    db.close();
  }
}

export const parquetFormat: ExportFormat = {
  name: 'parquet',
  help: 'amount DECIMAL(38,2), instants TIMESTAMP (UTC)',
  write: (rows, file) => writeParquet(rows, file),
};
