// `afstem waves --config <file> [--out <dir>] [--wide]`: prints the go-live view of the latest run (the `waves` table
// it left, read-only) as a table that fits 120 columns, and writes waves.csv on --out. The view is
// queries/marts/waves.sql (see its header for the red/amber/green rules); waves.csv is src/outputs/waves.ts.
import type { Db } from '../db.ts';
import { maskText } from '../mask.ts';
import { readWavesTable, writeWavesCsv, type WaveRow } from '../outputs/waves.ts';
import { STAGES, WAVE_STATUS } from '../vocabulary.ts';
import { outputWidth, textTable, type TextColumn, type TableOptions } from '../outputs/text-table.ts';
import { CommandError, openForReading, parseOptions, requireConfig, runCommand, tableExists } from './common.ts';
import { WAVES_HELP, WAVES_USAGE } from './help.ts';


/** Outside a run, from a read-only database: the `waves` table the latest run left. */
export async function readWaves(db: Db): Promise<WaveRow[]> {
  if (!(await tableExists(db, 'waves'))) throw new CommandError('no completed run in the database yet: run the batch first (afstem run --config …)', 2);
  return readWavesTable(db);
}

const hoursText = (h: string | number | null) => (h === null ? '–' : `${h} h`);

/** The columns for people; to fit the width the reason wraps and the higher `drop` ranks are left out first. */
// In Danish: project leads read it (issue 23). The stages keep their codes (as in latency.csv), with p90 against the
// SLA (frist).
const COLUMNS: TextColumn[] = [
  { header: 'bølge', align: 'right' },
  { header: 'kommune' },
  { header: 'debitorsystem', drop: 7 },
  { header: 'idriftsat', drop: 5 },
  { header: 'første gebyr', drop: 9 },
  { header: 'første fordring', drop: 8 },
  { header: 'gebyrer 7d', align: 'right', drop: 4 },
  { header: 'nået', align: 'right' },
  { header: 'krit', align: 'right' },
  { header: 'adv', align: 'right' },
  // the later stages go first: fee_to_claim is what the go-live is watched by
  ...STAGES.map((s, i) => ({ header: `${s} p90/frist`, drop: 3 + i / 10 })),
  { header: 'KLIK', align: 'right', drop: 6 },
  { header: 'status' },
  { header: 'årsag', wrapMin: 24 },
];

/** One line per municipality (the reason may wrap): p90 per stage against its SLA, status and reason. */
export function formatWaves(rows: WaveRow[], opts: TableOptions = {}): string {
  if (rows.length === 0) return 'ingen kommuner i konfigurationen\n';
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
    ...STAGES.map((s) => `${hoursText(r[`${s}_p90_hours`])} / ${r[`${s}_sla`] ?? '–'}`),
    r.klik_total === null ? '–' : `${r.klik_done}/${r.klik_total}`,
    (WAVE_STATUS[String(r.status)]?.label ?? String(r.status)).toUpperCase(),
    String(r.reason),
  ]);
  return textTable(COLUMNS, cells, { lang: 'da', ...opts });
}

const OPTIONS = { config: { type: 'string' }, out: { type: 'string' }, wide: { type: 'boolean', default: false } } as const;

export async function wavesCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, WAVES_USAGE, WAVES_HELP);
    const config = requireConfig(v.config, WAVES_USAGE);
    const db = await openForReading(config);
    let rows: WaveRow[];
    try {
      rows = await readWaves(db);
    } finally {
      db.close();
    }
    process.stdout.write(maskText(formatWaves(rows, { wide: v.wide, width: outputWidth() })) ?? '');
    if (v.out) process.stderr.write(`afstem: wrote ${maskText(writeWavesCsv(rows, v.out))}\n`);
    return 0;
  });
}
