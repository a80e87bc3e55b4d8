// Go-live waves (issue 5): `waves.csv` in every run's output (writeWaves, called by the batch) and
// `afstem waves --config <file> [--out <dir>]`, which prints the view of the latest run and writes waves.csv on --out.
// The view is queries/marts/waves.sql; see its header for the red/amber/green rules.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db.ts';
import { materialise } from '../pipeline/models.ts';
import { writeCsv, type Cell } from '../outputs/csv.ts';
import { sqlInstant } from '../outputs/instant.ts';
import { maskText } from '../mask.ts';
import { alignTable } from './history.ts';
import { CommandError, openForReading, parseOptions, requireConfig, runCommand, tableExists } from './common.ts';

export const WAVES_MODEL = 'marts/waves.sql';
export const WAVES_USAGE = 'afstem waves --config <file> [--out <dir>]';

const STAGE_NAMES = ['fee_to_claim', 'claim_to_payable', 'psp_to_debitor', 'debitor_to_fbs'] as const;

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
  ...STAGE_NAMES.flatMap((s) => [`${s}_p90_hours`, `${s}_sla`, `${s}_completed`, `${s}_over_sla`]),
  'klik_done',
  'klik_total',
  'status',
  'reason',
] as const;

export type WaveRow = Record<(typeof WAVES_COLUMNS)[number], string | number | null>;

const INSTANTS = new Set(['first_fee_in_scope', 'first_claim_received']);
const TEXTS = new Set(['go_live', 'reached_pct', ...STAGE_NAMES.map((s) => `${s}_p90_hours`)]);

/** The number cells of waves.csv that come as exact decimal text. */
const WAVES_NUMBERS = ['reached_pct', ...STAGE_NAMES.map((s) => `${s}_p90_hours`)];

/** Rows of the waves view from a table or a subquery: instants as ISO UTC to the second, decimals as exact strings. */
async function selectWaves(db: Db, source: string): Promise<WaveRow[]> {
  const cols = WAVES_COLUMNS.map((c) =>
    INSTANTS.has(c) ? `${sqlInstant(c)} AS ${c}` : TEXTS.has(c) ? `CAST(${c} AS VARCHAR) AS ${c}` : c,
  );
  return db.all<WaveRow>(`SELECT ${cols.join(', ')} FROM ${source} ORDER BY wave, municipality`);
}

/** In a run: materialises the `waves` table (after the lifecycle has updated discrepancy_states) and writes waves.csv. */
export async function writeWaves(db: Db, outDir: string): Promise<string> {
  await materialise(db, WAVES_MODEL);
  return writeWavesCsv(await selectWaves(db, 'waves'), outDir);
}

/** waves.csv in a folder (FORMATS.md §7 conventions: UTF-8, RFC 4180, instants in UTC); returns its path. */
function writeWavesCsv(rows: WaveRow[], outDir: string): string {
  const file = path.join(outDir, 'waves.csv');
  fs.mkdirSync(outDir, { recursive: true });
  writeCsv(file, [...WAVES_COLUMNS], rows.map((r) => WAVES_COLUMNS.map((c) => r[c] as Cell)), { numberColumns: WAVES_NUMBERS });
  return file;
}

/** The rows of the `waves` table a run materialised (for the report). */
export async function readWavesTable(db: Db): Promise<WaveRow[]> {
  return selectWaves(db, 'waves');
}

/**
 * Outside a run, from a read-only database: the `waves` table the latest run left (the models it is built from live
 * only during a run).
 */
export async function readWaves(db: Db): Promise<WaveRow[]> {
  if (!(await tableExists(db, 'waves'))) throw new CommandError('no completed run in the database yet: run the batch first', 1);
  return selectWaves(db, 'waves');
}

const hoursText = (h: string | number | null) => (h === null ? '–' : `${h} h`);

/** The table for people: one line per municipality, p90 per stage against its SLA, status and reason. */
export function formatWaves(rows: WaveRow[]): string {
  if (rows.length === 0) return 'no municipalities configured\n';
  const headers = [
    'wave',
    'municipality',
    'debtor system',
    'go-live',
    'first fee',
    'first claim',
    'fees 7d',
    'reached',
    'crit',
    'warn',
    ...STAGE_NAMES.map((s) => `${s} p90/SLA`),
    'KLIK',
    'status',
    'reason',
  ];
  const cells = rows.map((r) => [
    String(r.wave),
    `${r.municipality} ${r.name}`,
    String(r.debtor_system),
    String(r.go_live),
    String(r.first_fee_in_scope ?? '–'),
    String(r.first_claim_received ?? '–'),
    String(r.fees_last_7_days),
    r.reached_pct === null ? '–' : `${String(r.reached_pct).replace('.', ',')} %`,
    String(r.open_critical),
    String(r.open_warning),
    ...STAGE_NAMES.map((s) => `${hoursText(r[`${s}_p90_hours`])} / ${r[`${s}_sla`] ?? '–'}`),
    r.klik_total === null ? '–' : `${r.klik_done}/${r.klik_total}`,
    String(r.status).toUpperCase(),
    String(r.reason),
  ]);
  return alignTable(headers, cells, new Set(['wave', 'fees 7d', 'reached', 'crit', 'warn', 'KLIK']));
}

const OPTIONS = { config: { type: 'string' }, out: { type: 'string' } } as const;

export async function wavesCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, WAVES_USAGE, `usage: ${WAVES_USAGE}

The go-live view of the latest run, one line per wave and municipality: debtor system, go-live, first fee in scope
and first claim since go-live, fees in the last 7 days, share of due fees that reached the debtor system, open
critical and warning discrepancies, p90 per stage against its SLA, KLIK tasks done, and the status:
  red    an open critical discrepancy first seen more than 2 banking days ago; under 95 % of the in-scope fees
         older than the fee_to_claim SLA reached the debtor system; or no fee in scope since go-live
  amber  a stage over its SLA for more than 10 % of its completed items, or open warnings
  green  otherwise
--out <dir> also writes waves.csv there (every run writes it into its output folder too).`);
    const config = requireConfig(v.config, WAVES_USAGE);
    const db = await openForReading(config);
    let rows: WaveRow[];
    try {
      rows = await readWaves(db);
    } finally {
      db.close();
    }
    process.stdout.write(maskText(formatWaves(rows)) ?? '');
    if (v.out) process.stderr.write(`afstem: wrote ${maskText(writeWavesCsv(rows, v.out))}\n`);
    return 0;
  });
}
