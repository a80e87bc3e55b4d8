// `afstem history`: the past runs from the table `runs` (written by the batch), one line each, as an aligned table.
//   npx afstem history --config <file>
import type { Db } from '../db.ts';
import { maskText } from '../mask.ts';
import { sqlInstant } from '../outputs/instant.ts';
import { openForReading, parseOptions, requireConfig, runCommand, tableExists, usageError } from './common.ts';

export const HISTORY_USAGE = 'afstem history --config <file> [--limit N]';

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
}

const iso = (c: string) => `${sqlInstant(c)} AS ${c}`;

/** The runs, oldest first (the last `limit` when given). */
export async function readRuns(db: Db, limit?: number): Promise<RunRow[]> {
  const rows = await db.all<RunRow>(`
    SELECT run_seq, run_id, ${iso('as_of')}, ${iso('started_at')}, ${iso('finished_at')}, exit_code, files_read,
           rows_rejected, critical, warning, info, new_count, resolved_count,
           epoch_ms(finished_at) - epoch_ms(started_at) AS duration_ms
    FROM runs ORDER BY run_seq DESC ${limit ? `LIMIT ${Math.floor(limit)}` : ''}`);
  return rows.reverse();
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

const HEADERS = ['run', 'asOf', 'started', 'duration', 'files', 'rejected', 'critical', 'warning', 'info', 'new', 'resolved', 'exit', 'run id'];
/** Columns aligned right (numbers). */
const RIGHT = new Set(['run', 'duration', 'files', 'rejected', 'critical', 'warning', 'info', 'new', 'resolved', 'exit']);

const n = (v: number | null) => (v === null ? '' : String(v));

/** An aligned text table: two spaces between columns, numbers right-aligned. Instants in UTC, as in summary.json. */
export function formatRuns(runs: RunRow[]): string {
  if (runs.length === 0) return 'no runs recorded yet\n';
  const cells = runs.map((r) => [
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
    r.run_id,
  ]);
  return alignTable(HEADERS, cells, RIGHT);
}

export function alignTable(headers: string[], rows: string[][], right: Set<string>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r.map((c, i) => (right.has(headers[i]) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

const OPTIONS = { config: { type: 'string' }, limit: { type: 'string' } } as const;

export async function historyCommand(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, HISTORY_USAGE, `usage: ${HISTORY_USAGE}

The past runs, oldest first: asOf, start (UTC), duration, files loaded, rows rejected, open discrepancies per
severity, new and resolved discrepancies, exit code and run id. --limit N shows the last N runs.`);
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
      process.stdout.write(maskText(formatRuns(runs)) ?? '');
    } finally {
      db.close();
    }
    return 0;
  });
}
