// `afstem schedule`: runs the batch on a cron expression in Europe/Copenhagen, by default 06:00 Monday to Friday
// (after the debtor systems' night batches: KMD runs 20:30–03:00, seed 003), skipping Danish bank closing days.
//   npx afstem schedule --config <file> [--cron "<expr>"] [--out <dir>] [--keep N] [--list N]
// With --out DIR every run writes into its own dated folder DIR/<YYYY-MM-DD> (run-folders.ts), DIR/latest points at
// the newest, and --keep N removes the run folders beyond the newest N.
// The batch takes the run lock itself, so a scheduled run never overlaps a manual one (the later gets exit code 2).
// Logs are JSON lines on stderr; Ctrl-C / SIGTERM stops after the run in progress, if any.
import fs from 'node:fs';
import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { isBankingDay, closingDayName, ZONE } from '../calendar.ts';
import { createLogger, newRunId, type Logger } from '../log.ts';
import { parseOptions, requireConfig, runCommand, usageError } from './common.ts';
import { nextRunFolder, pointLatest, pruneRunFolders } from './run-folders.ts';
import { DEFAULT_CRON, SCHEDULE_HELP, SCHEDULE_USAGE } from './help.ts';

export { DEFAULT_CRON, SCHEDULE_USAGE };


/** How far ahead nextRuns looks for a run on a banking day before it gives up. */
const HORIZON_DAYS = 3 * 366;

export type RunBatch = (opts: { configPath: string; outDir?: string; asOf?: string }) => Promise<number>;

/** Parses a cron expression in Europe/Copenhagen (croner: 5 fields, or 6 with seconds first). Throws on a bad one. */
export function parseCron(expr: string): Cron {
  return new Cron(expr, { timezone: ZONE, paused: true });
}

/** The Copenhagen date of an instant. */
export function localDate(d: Date): string {
  return DateTime.fromJSDate(d, { zone: ZONE }).toISODate()!;
}

/**
 * The next `count` instants after `from` (exclusive) at which the schedule runs: the cron expression's times in
 * Europe/Copenhagen whose local date is a banking day (RULES.md §1: no weekends, no bank closing days).
 * Pure: the same arguments give the same answer. Stops early when nothing fits within three years.
 */
export function nextRuns(cron: string, from: Date, count: number): Date[] {
  return plannedRuns(cron, from, count).runs;
}

/** nextRuns, plus the cron times passed over on the way because their day is not a banking day, with why. */
export function plannedRuns(cron: string, from: Date, count: number): { runs: Date[]; skipped: { at: Date; reason: string }[] } {
  const job = parseCron(cron);
  const runs: Date[] = [];
  const skipped: { at: Date; reason: string }[] = [];
  const horizon = from.getTime() + HORIZON_DAYS * 86_400_000;
  let prev: Date = from;
  while (runs.length < count) {
    const next = job.nextRun(prev);
    if (!next || next.getTime() > horizon) break;
    const reason = skipReason(localDate(next));
    if (reason === undefined) runs.push(next);
    else skipped.push({ at: next, reason });
    prev = next;
  }
  return { runs, skipped };
}

/** Why a day is skipped, in words: "lørdag", "Juledag" …; undefined on a banking day. */
export function skipReason(isoDate: string): string | undefined {
  if (isBankingDay(isoDate)) return undefined;
  return closingDayName(isoDate) ?? DateTime.fromISO(isoDate, { zone: ZONE }).setLocale('da').toFormat('cccc');
}

export interface ScheduleDeps {
  runBatch?: RunBatch;
  now?: () => Date;
  /** Waits until the instant or until `signal` aborts. */
  sleepUntil?: (at: Date, signal: AbortSignal) => Promise<void>;
  /** Stops after this many runs (tests). */
  maxRuns?: number;
  log?: Logger;
  /** Stops the loop from outside (tests); SIGINT and SIGTERM do it otherwise. */
  signal?: AbortSignal;
}

/** Waits for an instant with timers of at most ~24 days (setTimeout's limit), checking the clock on each wake. */
export async function sleepUntil(at: Date, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const ms = at.getTime() - Date.now();
    if (ms <= 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, Math.min(ms, 2_000_000_000));
      function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm ZZ');

const OPTIONS = {
  config: { type: 'string' },
  cron: { type: 'string' },
  out: { type: 'string' },
  keep: { type: 'string' },
  list: { type: 'string' },
} as const;

export async function scheduleCommand(argv: string[], deps: ScheduleDeps = {}): Promise<number> {
  return runCommand(async () => {
    const v = parseOptions(argv, OPTIONS, SCHEDULE_USAGE, SCHEDULE_HELP);
    const config = requireConfig(v.config, SCHEDULE_USAGE); // a bad configuration stops here, not at 06:00
    const cron = v.cron ?? DEFAULT_CRON;
    try {
      parseCron(cron);
    } catch (e) {
      throw usageError(`--cron "${cron}" is not a valid cron expression: ${(e as Error).message}`, SCHEDULE_USAGE);
    }
    let keep: number | undefined;
    if (v.keep !== undefined) {
      keep = /^\d+$/.test(v.keep) ? Number(v.keep) : NaN;
      if (!(keep! > 0)) throw usageError('--keep must be a positive whole number', SCHEDULE_USAGE);
      if (!v.out) throw usageError('--keep needs --out: it prunes the run folders under --out', SCHEDULE_USAGE);
    }
    const now = deps.now ?? (() => new Date());
    if (nextRuns(cron, now(), 1).length === 0) {
      throw usageError(`--cron "${cron}" gives no run on a banking day within three years`, SCHEDULE_USAGE);
    }

    if (v.list !== undefined) {
      const n = Number.parseInt(v.list, 10);
      if (!(n > 0)) throw usageError('--list must be a positive whole number', SCHEDULE_USAGE);
      for (const d of nextRuns(cron, now(), n)) process.stdout.write(`${d.toISOString().replace('.000Z', 'Z')}  ${local(d)}\n`);
      return 0;
    }

    const log = deps.log ?? createLogger({ runId: `schedule-${newRunId(now())}` });
    const wait = deps.sleepUntil ?? sleepUntil;
    const stop = new AbortController();
    const onSignal = () => {
      log.info('stop requested: the schedule ends after the run in progress, if any');
      stop.abort();
    };
    deps.signal?.addEventListener('abort', () => stop.abort(), { once: true });
    if (!deps.signal) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    log.info('schedule started', { cron, zone: ZONE, config: config.configPath, database: config.databasePath });
    let runs = 0;
    try {
      while (!stop.signal.aborted && (deps.maxRuns === undefined || runs < deps.maxRuns)) {
        const plan = plannedRuns(cron, now(), 1);
        const next = plan.runs[0];
        if (!next) {
          log.error(`the cron expression "${cron}" gives no run on a banking day within three years`);
          return 2;
        }
        const skipping = plan.skipped.map((s) => `${localDate(s.at)} (${s.reason})`);
        log.info('next run', { at: next.toISOString(), local: local(next), ...(skipping.length ? { skipping } : {}) });
        await wait(next, stop.signal);
        if (stop.signal.aborted) break;
        runs++;
        log.info('run starting', { scheduledFor: next.toISOString() });
        try {
          // Loaded only when a run is due: the batch pulls in the whole pipeline.
          const runBatch: RunBatch = deps.runBatch ?? (await import('../run/batch.ts')).runBatch;
          const outDir = v.out ? nextRunFolder(v.out, now()) : undefined;
          const code = await runBatch({ configPath: config.configPath, ...(outDir ? { outDir } : {}) });
          if (v.out && outDir && fs.existsSync(outDir)) {
            pointLatest(v.out, outDir);
            const removed = keep === undefined ? [] : pruneRunFolders(v.out, keep);
            if (removed.length) log.info('old run folders removed', { removed, keep });
          }
          if (code === 2) log.warn('run not made: another run holds the lock or the configuration is bad (exit code 2)', { exitCode: code });
          else log.info('run finished', { exitCode: code });
        } catch (e) {
          log.error(`run failed: ${(e as Error).message}`, { stack: (e as Error).stack });
        }
      }
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    log.info('schedule stopped', { runs });
    return 0;
  });
}
