// One nightly batch (FORMATS.md §7): load the inbox, rebuild the books as of asOf, evaluate the rules and the
// four stages, and write the outputs. Returns the exit code: 0 clean, 3 rows or files rejected or unknown files,
// 2 bad configuration / arguments / a batch already running, 1 anything unexpected.
import fs from 'node:fs';
import path from 'node:path';
import { checkInbox, loadConfig, type Config } from '../config.ts';
import { Db, DatabaseBusyError } from '../db.ts';
import { parseAsOf, toIsoSecond } from '../asof.ts';
import { ensureStore } from '../ingest/store.ts';
import { ingestInbox, type FileSummary } from '../ingest/ingest.ts';
import { buildCurrent, latestCreationInstant } from '../ingest/current.ts';
import { prepareContext } from './context.ts';
import { evaluateRules, RULE_CODES } from './rules.ts';
import { updateLifecycle, type RuleLifecycle } from './lifecycle.ts';
import { computeLatency } from './latency.ts';
import { writeDiscrepancies, writeLatency, writeRejects, writeReversals } from '../outputs/write.ts';
import { writeReport } from '../report/build.ts';
import { writeWaves } from '../commands/waves.ts';
import { acquireLock, LockBusyError } from '../lock.ts';
import { createLogger, newRunId, type Logger } from '../log.ts';
import { step } from '../progress.ts';

export interface BatchOptions {
  configPath: string;
  outDir?: string;
  asOf?: string;
  /** Where progress and JSON log lines go (default stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Memory limit for DuckDB, e.g. '1536MB'. */
  memoryLimit?: string;
}

export interface Summary {
  runId: string;
  asOf: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  files: FileSummary[];
  rules: Record<string, RuleLifecycle>;
  totals: { open: number; critical: number; warning: number; info: number };
  negativeDurations: { municipality: string; stage: string; id: string; hours: string }[];
  warnings: string[];
}

export interface BatchResult {
  exitCode: number;
  outDir?: string;
  summary?: Summary;
  error?: string;
}

export async function runBatch(opts: BatchOptions): Promise<number> {
  return (await runBatchDetailed(opts)).exitCode;
}

export async function runBatchDetailed(opts: BatchOptions): Promise<BatchResult> {
  const started = new Date();
  const runId = newRunId(started);
  const stream = opts.stream ?? process.stderr;
  // JSON log lines go to <out>/afstem.log.jsonl, and to stderr too unless a person watches it (a terminal).
  const logFile: string[] = [];
  const log = createLogger({
    runId,
    stream: {
      write(chunk: string) {
        logFile.push(chunk);
        if (!stream.isTTY) stream.write(chunk);
      },
    },
  });
  let config: Config;
  let asOfGiven: string | undefined;
  try {
    config = loadConfig(opts.configPath);
    checkInbox(config);
    asOfGiven = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf);
  } catch (e) {
    const msg = (e as Error).message;
    log.error(msg);
    return { exitCode: 2, error: msg };
  }
  const outDir = path.resolve(opts.outDir ?? path.join(path.dirname(config.configPath), 'out'));
  let lock;
  try {
    fs.mkdirSync(path.dirname(config.databasePath), { recursive: true });
    lock = await acquireLock(config.databasePath, runId);
  } catch (e) {
    if (e instanceof LockBusyError) {
      log.error(e.message);
      return { exitCode: 2, error: e.message };
    }
    throw e;
  }
  const warnings: string[] = [];
  if (lock.warning) {
    warnings.push(lock.warning);
    log.warn(lock.warning);
  }
  let db: Db | undefined;
  try {
    db = await Db.open(config.databasePath, { memoryLimit: opts.memoryLimit });
    const summary = await batch(db, config, { runId, started, asOfGiven, outDir, warnings, log, stream });
    return { exitCode: summary.exitCode, outDir, summary };
  } catch (e) {
    const err = e as Error;
    if (err instanceof DatabaseBusyError) {
      log.error(err.message);
      return { exitCode: 2, error: err.message };
    }
    log.error(`the batch failed: ${err.message}`, { stack: err.stack });
    return { exitCode: 1, error: err.message };
  } finally {
    db?.close();
    lock.release();
    try {
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, 'afstem.log.jsonl'), logFile.join(''));
    } catch {
      // the log on stderr is all there is
    }
  }
}

interface RunContext {
  runId: string;
  started: Date;
  asOfGiven?: string;
  outDir: string;
  warnings: string[];
  log: Logger;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
}

async function batch(db: Db, config: Config, ctx: RunContext): Promise<Summary> {
  const { log, warnings } = ctx;
  const progress = { stream: ctx.stream };
  await ensureStore(db);
  const runSeq = Number((await db.value(`SELECT coalesce(max(run_seq), 0) + 1 FROM runs`)) ?? 1);
  log.info('batch started', { config: config.configPath, inbox: config.inboxPath, database: config.databasePath, runSeq });

  const ingest = await step('load the inbox', (tick) =>
    ingestInbox(db, config, runSeq, (_p, i, total) => tick(i + 1, total)), progress);
  for (const f of ingest.files) {
    if (f.status === 'unknown' || f.status === 'unreadable') log.warn(`${f.status} ${f.path}: ${f.message}`);
    else if (f.rowsRejected > 0) log.warn(`${f.path}: ${f.rowsRejected} of ${f.rowsRead} rows rejected`, { status: f.status });
  }
  await step('build the current books', () => buildCurrent(db), progress);

  const asOf = ctx.asOfGiven ?? (await latestCreationInstant(db)) ?? ctx.started.toISOString().replace('Z', '000Z');
  await prepareContext(db, config, asOf);
  await step('evaluate rules R01–R22', () => evaluateRules(db), progress);
  await step('measure the four stages', () => computeLatency(db), progress);
  const rules = await updateLifecycle(db, runSeq, new Date(asOf));

  for (const m of config.municipalities) {
    if (!m.borgerblikket) continue;
    const delivered = ingest.files.some((f) => f.municipality === m.code && f.kind === 'borgerblikket_claims' && f.status !== 'unknown');
    if (!delivered) {
      warnings.push(`${m.code} ${m.name} har åbnet Mit Overblik for fordringer (borgerblikket), men har ikke leveret borgerblikket_claims`);
    }
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
    asOf: toIsoSecond(asOf),
    startedAt: toIsoSecond(ctx.started.toISOString()),
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
    warnings,
  };

  fs.mkdirSync(ctx.outDir, { recursive: true });
  await step('write the outputs', async () => {
    await writeDiscrepancies(db, ctx.outDir);
    await writeReversals(db, ctx.outDir);
    await writeLatency(db, ctx.outDir);
    await writeRejects(db, ctx.outDir);
    await writeWaves(db, ctx.outDir);
  }, progress);
  summary.finishedAt = toIsoSecond(new Date().toISOString());
  await step('write the report', () => writeReport(db, { outDir: ctx.outDir, asOf: new Date(asOf), summary }), progress);
  summary.finishedAt = toIsoSecond(new Date().toISOString());
  fs.writeFileSync(path.join(ctx.outDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n', 'utf8');

  const rejected = ingest.files.reduce((s, f) => s + (f.status === 'already_loaded' ? 0 : f.rowsRejected), 0);
  const counts = Object.values(rules).reduce((a, r) => ({ n: a.n + r.new, r: a.r + r.resolved }), { n: 0, r: 0 });
  await db.run(`INSERT INTO runs VALUES (${runSeq}, '${ctx.runId}', TIMESTAMP '${asOf.replace('T', ' ').replace('Z', '')}',
    TIMESTAMP '${ctx.started.toISOString().replace('T', ' ').replace('Z', '')}', now()::TIMESTAMP, ${exitCode},
    ${ingest.loadedThisRun}, ${rejected}, ${summary.totals.critical}, ${summary.totals.warning}, ${summary.totals.info},
    ${counts.n}, ${counts.r}, '${JSON.stringify(summary).replace(/'/g, "''")}')`);
  log.info('batch finished', { exitCode, asOf: summary.asOf, outDir: ctx.outDir, open: summary.totals.open });
  return summary;
}

