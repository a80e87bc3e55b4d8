// `afstem run`: one nightly batch (FORMATS.md §7) with the contract's exit codes: 0 clean, 3 rows or files rejected
// or unknown, 2 bad configuration, arguments or a run in progress, 1 anything unexpected.
// `--banking-days-only` (for cron and systemd, which cannot skip Danish bank closing days themselves) does nothing
// and exits 0 on a weekend or a bank closing day, by the Copenhagen date of now.
import path from 'node:path';
import { maskText } from '../mask.ts';
import { inertLines } from '../terminal.ts';
import type { BatchResult } from '../run/batch.ts';
import { localDate, skipReason } from './schedule.ts';
import { parseOptions, runCommand, usageError } from './common.ts';
import { RUN_HELP, RUN_USAGE } from './help.ts';

export { RUN_HELP, RUN_USAGE };

export const RUN_OPTIONS = {
  config: { type: 'string' },
  'as-of': { type: 'string' },
  out: { type: 'string' },
  'memory-limit': { type: 'string' },
  full: { type: 'boolean', default: false },
  'banking-days-only': { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
} as const;

export interface RunDeps {
  /** The clock of --banking-days-only (tests set it). */
  now?: () => Date;
  stdout?: { write(s: string): unknown };
}

/** Why today is no day for a run, in one line; undefined on a banking day. */
export function closedToday(now: Date): string | undefined {
  const today = localDate(now);
  const reason = skipReason(today);
  return reason === undefined ? undefined : `afstem: ${today} is not a banking day (${reason}): nothing to do`;
}

/** Runs the batch of parsed `run` options; the caller has checked --config and --out. */
export async function runParsed(v: { config: string; out: string; 'as-of'?: string; 'memory-limit'?: string; full?: boolean; verbose?: boolean }): Promise<BatchResult> {
  const { runBatchDetailed } = await import('../run/batch.ts'); // the pipeline and DuckDB load only for a run
  return runBatchDetailed({
    configPath: v.config,
    outDir: v.out,
    asOf: v['as-of'],
    memoryLimit: v['memory-limit'],
    full: v.full,
    verbose: v.verbose,
  });
}

/** A path as the user reads it: relative to where they are, or absolute when it lies outside. */
export function relative(p: string): string {
  const rel = path.relative(process.cwd(), p) || '.';
  return rel.startsWith('..') ? path.resolve(p) : rel;
}

export function runLines(result: BatchResult): string[] {
  const s = result.summary!;
  const rejected = s.files.reduce((n, f) => n + f.rowsRejected, 0);
  const unknown = s.files.filter((f) => f.status === 'unknown').length;
  const unreadable = s.files.filter((f) => f.status === 'unreadable').length;
  const ignored = s.files.filter((f) => f.status === 'ignored').length;
  const inEffect = s.files.length - unknown - unreadable - ignored;
  return [
    `afstem: books as of ${s.asOf}: ${s.totals.open} open discrepancies (${s.totals.critical} critical, ${s.totals.warning} warning, ${s.totals.info} info)`,
    `files in effect: ${inEffect}, rows rejected: ${rejected}, unknown files: ${unknown}, unreadable: ${unreadable}, ignored: ${ignored}`,
    ...(result.lookBack
      ? [`look back: asOf is not later than the latest recorded night (${(result.latestRecordedAsOf ?? '?').replace(/\.\d+Z$/, 'Z')}): outputs written, nothing recorded`]
      : []),
    // the run's warnings are Danish (they are the report's too): one language within each line
    ...s.warnings.map((w) => `advarsel: ${w}`),
    `report:  ${relative(path.join(result.outDir!, 'report.html'))}`,
    `outputs: ${relative(result.outDir!)}/ (discrepancies.csv, suggestions.csv, reversals.csv, latency.csv, rejects.csv, waves.csv, summary.json)`,
    `exit code ${s.exitCode}${s.exitCode === 3 ? ' (some rows or files were rejected or unknown: see rejects.csv)' : ''}`,
  ];
}

export async function runBatchCommand(argv: string[], deps: RunDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  return runCommand(async () => {
    const v = parseOptions(argv, RUN_OPTIONS, RUN_USAGE, RUN_HELP);
    if (!v.config || !v.out) throw usageError('--config and --out are required', RUN_USAGE);
    if (v['banking-days-only']) {
      const closed = closedToday((deps.now ?? (() => new Date()))());
      if (closed) {
        stdout.write(`${closed}\n`);
        return 0;
      }
    }
    const result = await runParsed({ ...v, config: v.config, out: v.out });
    if (result.error) {
      process.stderr.write(`afstem run: ${inertLines(maskText(result.error) ?? '')}\n`);
      return result.exitCode;
    }
    stdout.write(maskText(runLines(result).join('\n') + '\n') ?? '');
    return result.exitCode;
  });
}
