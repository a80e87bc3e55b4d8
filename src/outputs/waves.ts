// waves.csv: the go-live view, one row per wave and municipality, from the `waves` mart (queries/marts/waves.sql,
// built by the run step `waves` after the lifecycle), in the conventions of FORMATS.md §7 (UTF-8, RFC 4180,
// instants in UTC to the second, exact decimals). `afstem waves` reads the same rows from the table a run left.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import { writeCsv, type Cell } from './csv.ts';
import { sqlInstant } from '../instant.ts';
import { STAGES } from '../vocabulary.ts';


/** The columns of waves.csv, in order. */
export const WAVES_COLUMNS = [
  'wave',
  'municipality',
  'name',
  'debtor_system',
  'go_live',
  'first_fee_in_scope',
  'first_claim_received',
  'fees_last_7_days',
  'claims_last_7_days',
  'fees_in_scope',
  'fees_due',
  'fees_reached',
  'reached_pct',
  'open_critical',
  'critical_over_2_banking_days',
  'open_warning',
  ...STAGES.flatMap((s) => [`${s}_p90_hours`, `${s}_sla`, `${s}_completed`, `${s}_over_sla`]),
  'klik_done',
  'klik_total',
  'status',
  'reason',
] as const;

export type WaveRow = Record<(typeof WAVES_COLUMNS)[number], string | number | null>;

const INSTANTS = new Set(['first_fee_in_scope', 'first_claim_received']);
const TEXTS = new Set(['go_live', 'reached_pct', ...STAGES.map((s) => `${s}_p90_hours`)]);

/** The number cells of waves.csv that come as exact decimal text. */
const WAVES_NUMBERS = ['reached_pct', ...STAGES.map((s) => `${s}_p90_hours`)];

/** The rows of the `waves` table: instants as ISO UTC to the second, decimals as exact strings. */
export async function readWavesTable(db: Db): Promise<WaveRow[]> {
  const cols = WAVES_COLUMNS.map((c) =>
    INSTANTS.has(c) ? `${sqlInstant(c)} AS ${c}` : TEXTS.has(c) ? `CAST(${c} AS VARCHAR) AS ${c}` : c,
  );
  return db.all<WaveRow>(`SELECT ${cols.join(', ')} FROM waves ORDER BY wave, municipality`);
}

/** waves.csv in a folder; returns its path. */
export function writeWavesCsv(rows: WaveRow[], outDir: string): string {
  const file = path.join(outDir, 'waves.csv');
  fs.mkdirSync(outDir, { recursive: true });
  writeCsv(file, [...WAVES_COLUMNS], rows.map((r) => WAVES_COLUMNS.map((c) => r[c] as Cell)), { numberColumns: WAVES_NUMBERS });
  return file;
}

/** In a run: waves.csv from the `waves` table the run step built. */
export async function writeWaves(db: Db, outDir: string): Promise<string> {
  return writeWavesCsv(await readWavesTable(db), outDir);
}
