// One nightly batch (FORMATS.md §7): check the arguments and `--out`, load the inbox, rebuild the books as of asOf,
// evaluate the rules and the four stages, write the outputs into a work folder beside `--out`, move it into place
// whole, and record the run. Returns the exit code: 0 clean, 3 rows or files rejected or unknown files,
// 2 bad configuration / arguments / `--out` / a batch already running (all found before anything is loaded),
// 1 anything unexpected (its log then lies beside `--out` as `<out>.failed-<runId>.log.jsonl`).
// The run is the top of the house below the commands (src/run/: this batch, its summary, the municipalities' outputs,
// the runs table): it imports the layers below it (ingest, pipeline, handling, outputs, report) and none imports it.
import fs from 'node:fs';
import path from 'node:path';
import { checkInbox, checkPathsOutsideInbox, loadConfig, type Config } from '../config.ts';
import { DatabaseBusyError, defaultMemoryLimit, type Db } from '../db.ts';
import { openDatabase, SchemaError } from '../schema/migrate.ts';
import { parseAsOf } from '../asof.ts';
import { checkMemoryLimit, outOfMemoryHint } from '../errors.ts';
import { ingestInbox } from '../ingest/ingest.ts';
import { buildCurrent, latestCreationInstant } from '../ingest/current.ts';
import { prepareContext } from '../pipeline/context.ts';
import { checkRuleFiles, RULE_CODES } from '../pipeline/rules.ts';
import { commitNight, evaluateStep, planNight } from '../pipeline/incremental.ts';
import { noNewFilesNote, readDeliveries, suggestionCounts } from '../pipeline/suggestions.ts';
import { recordRun, type StepTime } from './runs.ts';
import { BATCH_STEPS, stepIdOf } from './steps.ts';
import { writeDiscrepancies, writeLatency, writeRejects, writeReversals, writeSuggestions } from '../outputs/write.ts';
import { cprIdWarning, maskDeep, reportSummary, writeSummary, type Summary } from './summary.ts';
import { abandon, checkOut, checkReplaceable, moveIntoPlace, removeLeftovers, type OutFolder } from '../outputs/folder.ts';
import { makeFolders } from '../folders.ts';
import { isoInstant } from '../instant.ts';
import { writeReport } from '../report/build.ts';
import { writeWaves } from '../outputs/waves.ts';
import { buildWaves } from '../pipeline/waves.ts';
import { writeMunicipalityOutputs } from './municipalities.ts';
import { acquireLock, LockBusyError } from '../lock.ts';
import { createLogger, newRunId, type Logger } from '../log.ts';
import { maskText } from '../mask.ts';
import { step } from '../progress.ts';
import { importHandlingFolder, isLookBack, lookBackHandling, type HandlingSummary } from '../handling/folder.ts';
import type { HandlingLimits } from '../handling/limits.ts';
import { applyPending, journalPath } from '../handling/journal.ts';
import { evaluateStates, recordStates } from '../handling/lifecycle.ts';

export type { Summary } from './summary.ts';

export interface BatchOptions {
  configPath: string;
  outDir?: string;
  asOf?: string;
  /** Where progress and JSON log lines go (default stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** JSON log lines on the stream even when it is a terminal (`--verbose`). */
  verbose?: boolean;
  /** Evaluate everything over the whole history (`afstem run --full`, the reference), not only what changed. */
  full?: boolean;
  /** Memory limit for DuckDB, e.g. '1536MB'. */
  memoryLimit?: string;
  /** Called before each output step ('outputs', 'report', 'summary', 'move'): tests make a step fail here. */
  beforeStep?: (name: string) => void | Promise<void>;
  /** The handling folder's reading limits (tests pass smaller ones; default src/handling/limits.ts). */
  handlingLimits?: HandlingLimits;
}

export interface BatchResult {
  exitCode: number;
  outDir?: string;
  summary?: Summary;
  /** The error message (CPR-masked). */
  error?: string;
  /** asOf was not later than the latest recorded run's: outputs written, nothing recorded (FORMATS.md §7). */
  lookBack?: boolean;
  /** The latest recorded run's asOf, for the word on a look back. */
  latestRecordedAsOf?: string;
}

export async function runBatch(opts: BatchOptions): Promise<number> {
  return (await runBatchDetailed(opts)).exitCode;
}

/** Everything that can be checked before anything is loaded (exit 2 when wrong). */
function checkArguments(opts: BatchOptions, runId: string): { config: Config; asOfGiven?: string; memoryLimit?: string; folder: OutFolder } {
  const config = loadConfig(opts.configPath);
  checkInbox(config);
  const asOfGiven = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf);
  const memoryLimit = checkMemoryLimit(opts.memoryLimit);
  const outDir = path.resolve(opts.outDir ?? path.join(path.dirname(config.configPath), 'out'));
  checkPathsOutsideInbox(config, outDir);
  const keepOut = config.handlingPath ? [{ name: 'the handling folder', path: config.handlingPath }] : [];
  const folder = checkOut(outDir, runId, { inbox: config.inboxPath, database: config.databasePath, keepOut });
  return { config, asOfGiven, memoryLimit, folder };
}

export async function runBatchDetailed(opts: BatchOptions): Promise<BatchResult> {
  const started = new Date();
  const runId = newRunId(started);
  const stream = opts.stream ?? process.stderr;
  // JSON log lines go to <out>/afstem.log.jsonl, and to stderr too unless a person watches it (a terminal) and did
  // not ask for them (--verbose).
  const logFile: string[] = [];
  const log = createLogger({
    runId,
    stream: {
      write(chunk: string) {
        logFile.push(chunk);
        if (!stream.isTTY || opts.verbose) stream.write(chunk);
      },
    },
  });
  const refuse = (e: Error): BatchResult => {
    const msg = maskText(e.message) ?? '';
    log.error(msg);
    return { exitCode: 2, error: msg };
  };
  let checked: ReturnType<typeof checkArguments>;
  try {
    checked = checkArguments(opts, runId);
  } catch (e) {
    // ConfigError, OutFolderError, a bad --memory-limit (AfstemError) and parseAsOf's errors: all exit 2.
    return refuse(e as Error);
  }
  const { config, asOfGiven, memoryLimit, folder } = checked;
  let lock;
  try {
    makeFolders(path.dirname(config.databasePath));
    // a brief hold of afstem serve is waited for (FORMATS.md §9: a run is not refused because the server is up)
    lock = await acquireLock(config.databasePath, runId, { waitForBriefMs: 60_000 });
  } catch (e) {
    fs.rmSync(folder.work, { recursive: true, force: true });
    if (e instanceof LockBusyError) return refuse(e);
    throw e;
  }
  const warnings: string[] = [];
  if (lock.warning) {
    warnings.push(lock.warning);
    log.warn(lock.warning);
  }
  for (const l of removeLeftovers(folder)) {
    log.warn(l.error ? `could not remove ${l.path}, left by a run that did not finish: ${l.error}` : `removed ${l.path}, left by a run that did not finish`);
  }
  try {
    checkReplaceable(folder, runId); // an --out that cannot be moved aside is found now, not after the load (exit 2)
  } catch (e) {
    fs.rmSync(folder.work, { recursive: true, force: true });
    lock.release();
    return refuse(e as Error);
  }
  let db: Db | undefined;
  try {
    db = await openDatabase(config.databasePath, { memoryLimit });
    const { summary, lookBack, latestRecordedAsOf } = await batch(db, config, {
      runId, started, asOfGiven, folder, warnings, log, stream, logFile, beforeStep: opts.beforeStep, handlingLimits: opts.handlingLimits, full: opts.full,
    });
    return { exitCode: summary.exitCode, outDir: folder.out, summary, lookBack, ...(latestRecordedAsOf ? { latestRecordedAsOf } : {}) };
  } catch (e) {
    const err = e as Error;
    // another process holds the database, or it was written by a newer afstem: exit 2, nothing done
    const busy = err instanceof DatabaseBusyError || err instanceof SchemaError;
    const hint = outOfMemoryHint(err.message, memoryLimit ?? defaultMemoryLimit());
    if (hint) err.message = `${hint}. ${err.message}`;
    if (busy) log.error(err.message);
    else log.error(`the batch failed: ${err.message}`, { stack: err.stack });
    // The previous outputs stay as they were; this run's log lies beside them.
    if (fs.existsSync(folder.work)) {
      if (busy) fs.rmSync(folder.work, { recursive: true, force: true });
      else abandon(folder, runId, logFile.join(''));
    } else if (!busy) {
      try {
        fs.writeFileSync(`${folder.out}.failed-${runId}.log.jsonl`, logFile.join(''));
      } catch {
        // the log on stderr is all there is
      }
    }
    return { exitCode: busy ? 2 : 1, error: maskText(err.message) ?? '' };
  } finally {
    db?.close();
    lock.release();
  }
}

interface RunContext {
  runId: string;
  started: Date;
  asOfGiven?: string;
  folder: OutFolder;
  warnings: string[];
  log: Logger;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  logFile: string[];
  beforeStep?: (name: string) => void | Promise<void>;
  handlingLimits?: HandlingLimits;
  full?: boolean;
}

async function batch(db: Db, config: Config, ctx: RunContext): Promise<{ summary: Summary; lookBack: boolean; latestRecordedAsOf: string | null }> {
  const { log, warnings } = ctx;
  // Each step's duration goes into the JSON log and, with the run, into the runs table (afstem history).
  const steps: StepTime[] = [];
  const progress = {
    stream: ctx.stream,
    onDone: (label: string, ms: number) => {
      steps.push({ id: stepIdOf(label) ?? label, step: label, ms });
      log.info(`step ${label} done`, { step: label, ms: Math.round(ms) });
    },
  };
  const outDir = ctx.folder.work;
  const runSeq = Number((await db.value(`SELECT coalesce(max(run_seq), 0) + 1 FROM runs`)) ?? 1);
  log.info('batch started', { config: config.configPath, inbox: config.inboxPath, database: config.databasePath, runSeq });

  const ingest = await step(BATCH_STEPS.load, (tick) =>
    ingestInbox(db, config, runSeq, (_p, i, total) => tick(i + 1, total)), progress);
  for (const f of ingest.files) {
    if (f.status === 'unknown' || f.status === 'unreadable') log.warn(`${f.status} ${f.path}: ${f.message}`);
    else if (f.rowsRejected > 0) log.warn(`${f.path}: ${f.rowsRejected} of ${f.rowsRead} rows rejected`, { status: f.status });
  }
  await step(BATCH_STEPS.books, () => buildCurrent(db), progress);

  const asOf = ctx.asOfGiven ?? (await latestCreationInstant(db)) ?? ctx.started.toISOString().replace('Z', '000Z');
  await prepareContext(db, config, asOf);
  // FORMATS.md §8: a recorded run imports the handling folder's new files before it evaluates the rules
  const handling = await importHandling(db, config, ctx, new Date(asOf), progress);
  await applyWebChanges(db, config, ctx, new Date(asOf));
  // an incremental night re-evaluates the items that changed or came due; --full, and the nights that must, all
  const night = await planNight(db, { full: ctx.full, deliveries: ingest.loadedThisRun });
  checkRuleFiles();
  await step(BATCH_STEPS.rules, () => evaluateStep(db, night, 'rules'), progress);
  log.info(night.full ? `evaluated everything (${night.reason})` : night.reuse ? 'evaluated nothing: the kept evaluation of the same asOf, nothing new since' : `evaluated ${night.items} items of ${night.rows} rows and ${night.municipalities} municipalities whole since ${isoInstant(night.previousAsOf!.replace(' ', 'T') + 'Z')}`,
    { evaluation: night.full ? { full: true, reason: night.reason } : { full: false, reuse: night.reuse === true, items: night.items, rows: night.rows, municipalities: night.municipalities } });
  await step(BATCH_STEPS.suggestions, () => evaluateStep(db, night, 'suggestions'), progress);
  await step(BATCH_STEPS.stages, () => evaluateStep(db, night, 'latency'), progress);
  await commitNight(db, night);
  const lifecycle = await evaluateStates(db, runSeq, new Date(asOf));
  const rules = lifecycle.rules;
  // a look back is said in the log and by the command; the summary stays that of the same batch (FORMATS.md §7)
  if (lifecycle.lookBack) log.info(lookBackNote(asOf, lifecycle.latestRecordedAsOf!), { lookBack: true });
  await buildWaves(db); // the go-live mart reads discrepancy_states, which the lifecycle has just evaluated

  for (const m of config.municipalities) {
    if (!m.borgerblikket) continue;
    const delivered = ingest.files.some((f) => f.municipality === m.code && f.kind === 'borgerblikket_claims' && ['loaded', 'already_loaded', 'replaced'].includes(f.status));
    if (!delivered) {
      warnings.push(`${m.code} ${m.name} har åbnet Mit Overblik for fordringer (borgerblikket), men har ikke leveret borgerblikket_claims`);
    }
  }
  const deliveries = await readDeliveries(db);
  const noNewFiles = await noNewFilesNote(db, ingest.loadedThisRun);
  if (noNewFiles) {
    warnings.push(noNewFiles);
    log.warn(noNewFiles);
  }
  for (const d of deliveries) if (d.overdue) log.warn(d.sentence, { municipality: d.municipality, kind: d.kind, lastExportDate: d.lastExportDate });
  const cprIds = await cprIdWarning(db);
  if (cprIds) {
    warnings.push(cprIds);
    log.warn(cprIds);
  }

  const totals = await db.one<{ open: number; critical: number; warning: number; info: number }>(`
    SELECT count(*) AS open, count(*) FILTER (WHERE severity = 'critical') AS critical,
           count(*) FILTER (WHERE severity = 'warning') AS warning, count(*) FILTER (WHERE severity = 'info') AS info
    FROM discrepancy_states WHERE state IN ('new', 'persisting')`);
  const negativeDurations = await db.all<{ municipality: string; stage: string; id: string; hours: string }>(
    `SELECT municipality, stage, id, CAST(hours AS VARCHAR) AS hours FROM latency_negative ORDER BY municipality, stage, id`,
  );
  const exitCode = ingest.unclean ? 3 : 0;
  const summary: Summary = {
    runId: ctx.runId,
    asOf: isoInstant(asOf),
    startedAt: isoInstant(ctx.started),
    finishedAt: '',
    exitCode,
    files: ingest.files,
    rules: Object.fromEntries(RULE_CODES.map((c) => [c, rules[c]])),
    totals: {
      open: Number(totals?.open ?? 0),
      critical: Number(totals?.critical ?? 0),
      warning: Number(totals?.warning ?? 0),
      info: Number(totals?.info ?? 0),
    },
    negativeDurations,
    deliveries: deliveries.map(({ municipality, kind, lastExportDate, overdue }) => ({ municipality, kind, lastExportDate, overdue })),
    suggestions: await suggestionCounts(db),
    warnings,
    ...(handling ? { handling } : {}),
  };

  await ctx.beforeStep?.('outputs');
  // the parts of the output steps go into the JSON log with their time (bench/report reads them)
  const part = (name: string, ms: number, municipality?: string) =>
    log.debug(`part ${name} done`, { part: name, ms: Math.round(ms), ...(municipality ? { municipality } : {}) });
  const timed = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    part(name, performance.now() - t0);
  };
  await step(BATCH_STEPS.outputs, async () => {
    await timed('discrepancies.csv (alle)', () => writeDiscrepancies(db, outDir));
    await timed('reversals.csv', () => writeReversals(db, outDir));
    await timed('suggestions.csv', () => writeSuggestions(db, outDir));
    await timed('latency.csv', () => writeLatency(db, outDir));
    await timed('rejects.csv', () => writeRejects(db, outDir));
    await timed('waves.csv', () => writeWaves(db, outDir));
  }, progress);
  summary.finishedAt = isoInstant(new Date());
  await ctx.beforeStep?.('report');
  const forReport = reportSummary(summary);
  await step(BATCH_STEPS.report, () => writeReport(db, { outDir, asOf: new Date(asOf), summary: forReport }), progress);
  await step(BATCH_STEPS.municipalities, () => writeMunicipalityOutputs(db, outDir, new Date(asOf), forReport, part), progress);
  summary.finishedAt = isoInstant(new Date());
  await ctx.beforeStep?.('summary');
  writeSummary(outDir, summary);
  log.info('outputs written', { outDir: ctx.folder.out });
  fs.writeFileSync(path.join(outDir, 'afstem.log.jsonl'), ctx.logFile.join(''));

  await ctx.beforeStep?.('move');
  const before = ctx.logFile.length; // what is logged from here on is appended to the log in place
  const notRemoved = moveIntoPlace(ctx.folder, ctx.runId);
  if (notRemoved) log.warn(notRemoved);
  // Recorded after the outputs are in place (FORMATS.md §7).
  const rejected = ingest.files.reduce((s, f) => s + (f.status === 'already_loaded' ? 0 : f.rowsRejected), 0);
  const counts = Object.values(rules).reduce((a, r) => ({ n: a.n + r.new, r: a.r + r.resolved }), { n: 0, r: 0 });
  if (!lifecycle.lookBack) await recordInOneTransaction(db, runSeq, new Date(asOf), {
    runSeq,
    runId: ctx.runId,
    asOf,
    startedAt: ctx.started,
    exitCode,
    filesRead: ingest.loadedThisRun,
    rowsRejected: rejected,
    newCount: counts.n,
    resolvedCount: counts.r,
    summary: maskDeep(summary),
    steps,
  });
  log.info('batch finished', { exitCode, asOf: summary.asOf, outDir: ctx.folder.out, open: summary.totals.open });
  fs.appendFileSync(path.join(ctx.folder.out, 'afstem.log.jsonl'), ctx.logFile.slice(before).join(''));
  return { summary, lookBack: lifecycle.lookBack, latestRecordedAsOf: lifecycle.latestRecordedAsOf };
}

/** The handling folder's import (none without `handling.folder`; nothing imported on a look back). */
async function importHandling(db: Db, config: Config, ctx: RunContext, asOf: Date, progress: Parameters<typeof step>[2]): Promise<HandlingSummary | null> {
  if (!config.handlingPath) return null;
  if (await isLookBack(db, asOf)) return lookBackHandling(path.basename(config.handlingPath));
  const codes = config.municipalities.map((m) => m.code);
  const handling = await step(BATCH_STEPS.handling, () =>
    importHandlingFolder(db, config.handlingPath!, codes, {
      runId: ctx.runId, now: ctx.started, limits: ctx.handlingLimits,
      onError: (file, e) => ctx.log.error(`handling ${file} could not be imported: ${e.message}`, { stack: e.stack }),
    }), progress);
  // the log names the first refusals; summary.json and the report hold them all
  const LOGGED = 200;
  for (const r of handling.refused.slice(0, LOGGED)) ctx.log.warn(`handling ${r.file}${r.row === null ? '' : `:${r.row}`}: ${r.reason}`);
  if (handling.refused.length > LOGGED) ctx.log.warn(`handling: ${handling.refused.length - LOGGED} more refused rows, in summary.json`);
  return handling;
}

/** The served worklist's changes not in the database yet (src/handling/journal.ts); none on a look back. */
async function applyWebChanges(db: Db, config: Config, ctx: RunContext, asOf: Date): Promise<void> {
  if (!fs.existsSync(journalPath(config.databasePath)) || (await isLookBack(db, asOf))) return;
  const results = await applyPending(db, config.databasePath, ctx.runId);
  for (const r of results) {
    if (r.reason) ctx.log.warn(`handling ${r.entry.caseRef} from the served worklist (${r.entry.at}): ${r.reason}`, { outcome: r.outcome });
  }
  if (results.length) ctx.log.info(`applied ${results.length} handling changes from the served worklist's journal`);
}

/** A run is recorded in one transaction, after its outputs are in place (FORMATS.md §7): lifecycle and runs row. */
async function recordInOneTransaction(db: Db, runSeq: number, asOf: Date, record: Parameters<typeof recordRun>[1]): Promise<void> {
  await db.run('BEGIN TRANSACTION');
  try {
    await recordStates(db, runSeq, asOf, record.runId);
    await recordRun(db, record);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}

/** The word on a look back (FORMATS.md §7), in Danish. */
export function lookBackNote(asOf: string, latest: string): string {
  return `tilbageblik: kørslen er opgjort pr. ${isoInstant(asOf)}, som ikke er senere end den senest registrerede nat (${isoInstant(latest)}); ` +
    'den er sammenlignet med de registrerede kørsler før den og registrerer intet (ingen ny nat i historikken)';
}
