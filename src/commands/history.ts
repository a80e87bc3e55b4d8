// `afstem history --config <file> [--limit N] [--wide]`: the past runs from the table `runs` (written by the batch),
// oldest first, one line each: asOf, start, duration, files, rejected rows, open discrepancies per severity, new and
// resolved, exit code, how long each step took, and the run id; a table that fits 120 columns (--wide: all columns).
import { lit, type Db } from '../db.ts';
import { maskText } from '../mask.ts';
import { sqlInstant } from '../instant.ts';
import { outputWidth, textTable, type TextColumn, type TableOptions } from '../outputs/text-table.ts';
import type { StepTime } from '../run/runs.ts';
import { stepIdOf, type StepId } from '../run/steps.ts';
import { openForReading, parseOptions, requireConfig, runCommand, tableExists, usageError } from './common.ts';
import { HISTORY_HELP, HISTORY_USAGE } from './help.ts';

export interface RunRow {
  run_seq: number;
  run_id: string;
  as_of: string | null;
  started_at: string | null;
  finished_at: string | null;
  exit_code: number | null;
  files_read: number | null;
  rows_rejected: number | null;
  critical: number | null;
  warning: number | null;
  info: number | null;
  new_count: number | null;
  resolved_count: number | null;
  duration_ms: number | null;
  /** The steps and their durations, each with its id; empty for a run recorded before step times were kept. */
  steps: StepTime[];
}

const iso = (c: string) => `${sqlInstant(c)} AS ${c}`;

async function hasColumn(db: Db, table: string, column: string): Promise<boolean> {
  const n = await db.value<number>(
    `SELECT count(*) FROM duckdb_columns() WHERE table_name = ${lit(table)} AND column_name = ${lit(column)} AND database_name <> 'temp'`,
  );
  return Number(n) > 0;
}

/** The steps of steps_json; a run recorded before steps had ids names each by its label alone, which gives the id. */
function parseSteps(json: string | null): StepTime[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    if (!Array.isArray(v)) return [];
    return v
      .filter((t): t is { id?: unknown; step: string; ms: number } => typeof t?.step === 'string' && typeof t?.ms === 'number')
      .map((t) => ({ id: typeof t.id === 'string' ? t.id : (stepIdOf(t.step) ?? t.step), step: t.step, ms: t.ms }));
  } catch {
    return [];
  }
}

/** The runs, oldest first (the last `limit` when given). */
export async function readRuns(db: Db, limit?: number): Promise<RunRow[]> {
  const steps = (await hasColumn(db, 'runs', 'steps_json')) ? 'steps_json' : 'NULL::VARCHAR AS steps_json';
  const rows = await db.all<Omit<RunRow, 'steps'> & { steps_json: string | null }>(`
    SELECT run_seq, run_id, ${iso('as_of')}, ${iso('started_at')}, ${iso('finished_at')}, exit_code, files_read,
           rows_rejected, critical, warning, info, new_count, resolved_count,
           epoch_ms(finished_at) - epoch_ms(started_at) AS duration_ms, ${steps}
    FROM runs ORDER BY run_seq DESC ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`);
  return rows.reverse().map(({ steps_json, ...r }) => ({ ...r, steps: parseSteps(steps_json) }));
}

/** "0.8 s", "42.0 s", "3 min 07 s", "1 h 02 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'running';
  if (ms < 0) return '?';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.round(s);
  if (total < 3600) return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`;
  return `${Math.floor(total / 3600)} h ${String(Math.floor((total % 3600) / 60)).padStart(2, '0')} min`;
}

/** The short header of a batch step by its id (src/run/steps.ts); another step is headed by its label. */
export const STEP_HEADERS: Partial<Record<StepId, string>> = {
  load: 'load',
  books: 'books',
  handling: 'handling',
  rules: 'rules',
  suggestions: 'suggestions',
  stages: 'stages',
  outputs: 'outputs',
  report: 'report',
  municipalities: 'municipalities',
};

const n = (v: number | null) => (v === null ? '' : String(v));

const stepHeader = (t: StepTime) => STEP_HEADERS[t.id as StepId] ?? t.step;

const COUNTS = ['files', 'rejected', 'critical', 'warning', 'info', 'new', 'resolved', 'exit'];
/** The same, narrower, for 120 columns. */
const SHORT_COUNTS = ['files', 'rej', 'crit', 'warn', 'info', 'new', 'res', 'exit'];
/** On a narrow terminal these counts go too, after the run id and the start (rejects, severities and exit stay). */
const COUNT_DROP: Record<string, number> = { res: 0.9, new: 0.8, info: 0.7, files: 0.6 };

/**
 * An aligned text table, instants in UTC as in summary.json. To fit the width the counts have short headers
 * (rej, crit, warn, res), the steps share one column that wraps (`load 23.6 s, books 1.2 s, …`), and the run id
 * and the start are left out (on a narrow terminal, 80 columns, the files, info, new and resolved counts too);
 * `wide` gives every column with its full header, a column per step.
 */
export function formatRuns(runs: RunRow[], opts: TableOptions = {}): string {
  if (runs.length === 0) return 'no runs recorded yet\n';
  // one column per step id: a step whose label changed (the rules' range) stays one column, headed as last recorded
  const lastOfId = new Map(runs.flatMap((r) => r.steps.map((t) => [t.id, t] as const)));
  const stepIds = [...lastOfId.keys()];
  const wide = Boolean(opts.wide);
  const columns: TextColumn[] = [
    { header: 'run', align: 'right' },
    { header: 'asOf' },
    { header: 'started', drop: 1 },
    { header: 'duration', align: 'right' },
    ...(wide ? COUNTS : SHORT_COUNTS).map((h) => ({ header: h, align: 'right' as const, drop: wide ? undefined : COUNT_DROP[h] })),
    ...(wide
      ? stepIds.map((id) => ({ header: stepHeader(lastOfId.get(id)!), align: 'right' as const }))
      : stepIds.length
        ? [{ header: 'steps', wrapMin: 20, breakAt: /(?<=,)\s+/ }]
        : []),
    { header: 'run id', drop: 2 },
  ];
  const cells = runs.map((r) => {
    const ms = new Map(r.steps.map((t) => [t.id, t.ms]));
    return [
      String(r.run_seq),
      r.as_of ?? '',
      r.started_at ?? '',
      formatDuration(r.duration_ms),
      n(r.files_read),
      n(r.rows_rejected),
      n(r.critical),
      n(r.warning),
      n(r.info),
      n(r.new_count),
      n(r.resolved_count),
      n(r.exit_code),
      ...(wide
        ? stepIds.map((id) => (ms.has(id) ? formatDuration(ms.get(id)!) : ''))
        : stepIds.length
          ? [r.steps.map((t) => `${stepHeader(t)} ${formatDuration(t.ms)}`).join(', ')]
          : []),
      r.run_id,
    ];
  });
  return textTable(columns, cells, { wide, width: opts.width });
}

const OPTIONS = { config: { type: 'string' }, limit: { type: 'string' }, wide: { type: 'boolean', default: false } } as const;

export async function historyCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, HISTORY_USAGE, HISTORY_HELP);
    const config = requireConfig(v.config, HISTORY_USAGE);
    if (v.limit !== undefined && !/^\d+$/.test(v.limit.trim())) {
      throw usageError(`--limit ${v.limit}: must be a positive whole number`, HISTORY_USAGE);
    }
    const limit = v.limit === undefined ? undefined : Number.parseInt(v.limit, 10);
    if (limit !== undefined && !(limit > 0)) {
      throw usageError('--limit must be a positive whole number', HISTORY_USAGE);
    }
    const db = await openForReading(config);
    try {
      const runs = (await tableExists(db, 'runs')) ? await readRuns(db, limit) : [];
      process.stdout.write(maskText(formatRuns(runs, { wide: v.wide, width: outputWidth() })) ?? '');
    } finally {
      db.close();
    }
    return 0;
  });
}
