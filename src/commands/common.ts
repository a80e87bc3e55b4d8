// What the commands share: option parsing with clear errors, loading the configuration,
// opening the database for reading while saying clearly when a run holds it, and exit codes (FORMATS.md §7).
import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DatabaseBusyError, type Db } from '../db.ts';
import { openDatabase } from '../schema/migrate.ts';
import { LockBusyError, readLock, runInProgressMessage, type LockInfo } from '../lock.ts';
import { maskText } from '../mask.ts';
import { inertLines } from '../terminal.ts';
import { AfstemError } from '../errors.ts';
import { usageText } from './help.ts';

/** An error the user can act on, with the exit code to end with. */
export class CommandError extends AfstemError {
  constructor(message: string, exitCode: number) {
    super(message, exitCode);
    this.name = 'CommandError';
  }
}

/** The language of a command's messages: the clerks' commands (note, import) speak Danish, the operators' English. */
export type Lang = 'en' | 'da';

/** Bad arguments: exit code 2. */
export function usageError(message: string, usage: string, lang: Lang = 'en'): CommandError {
  return new CommandError(`${message}\n${usageText(lang === 'da' ? 'brug' : 'usage', usage)}`, 2);
}

/** node:util parseArgs's error in Danish (its code and the option it names); other errors as they are. */
function parseErrorDa(e: Error & { code?: string }): string {
  const named = /'([^']+)'/.exec(e.message)?.[1]?.replace(/ <value>$/, '') ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `ukendt tilvalg ${named}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `uventet argument "${named}": et tilvalg begynder med --`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(e.message) ? `tilvalget ${named} tager ingen værdi` : `tilvalget ${named} mangler en værdi`;
    default:
      return e.message;
  }
}

/** "a run is in progress (…)" in Danish, from the lock's holder when it is known. */
export function runInProgressDa(holder: LockInfo | undefined): string {
  const who = holder ? ` (pid ${holder.pid}, vært ${holder.host}, startet ${holder.startedAt})` : '';
  return `en afstem-kørsel er i gang${who}; prøv igen, når den er færdig`;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** `--help` / `-h`: the command's help text goes to stdout and the exit code is 0. */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help');
  }
}

/**
 * The arguments with each value that begins with "-" joined to its option (`--note -2 kr.` → `--note=-2 kr.`), so
 * node:util's parseArgs takes it as the value rather than calling it ambiguous: a note such as "-2 kr. for meget" is
 * ordinary text. A following argument that is itself one of the command's options (`--note --by Anna`) is left alone,
 * so a forgotten value is still an error.
 */
export function joinDashValues(argv: readonly string[], options: Options): string[] {
  const isOption = (a: string) => {
    if (a === '-h' || a === '--help' || a === '--') return true;
    const long = /^--([^=]+)/.exec(a);
    if (long) return Object.hasOwn(options, long[1]);
    return Object.values(options).some((o) => o.short !== undefined && a.startsWith(`-${o.short}`));
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = /^--([^=]+)$/.exec(a)?.[1];
    const next = argv[i + 1];
    if (name && Object.hasOwn(options, name) && options[name].type === 'string' && next?.startsWith('-') && !isOption(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Parses a command's options; `help` is the text `--help` prints (default: the usage line). */
export function parseOptions<O extends Options>(argv: string[], options: O, usage: string, help = usageText('usage', usage), lang: Lang = 'en') {
  const args = joinDashValues(argv, options);
  if (args.includes('--help') || args.includes('-h')) throw new HelpRequested(help);
  try {
    return parseArgs({ args, options, allowPositionals: false, strict: true }).values;
  } catch (e) {
    throw usageError(lang === 'da' ? parseErrorDa(e as Error) : (e as Error).message, usage, lang);
  }
}

export function requireConfig(configPath: string | undefined, usage: string, lang: Lang = 'en'): Config {
  if (!configPath) throw usageError(lang === 'da' ? '--config <fil> mangler' : '--config <file> is required', usage, lang);
  try {
    return loadConfig(configPath);
  } catch (e) {
    if (e instanceof ConfigError) throw new CommandError(e.message, 2);
    throw e;
  }
}

/** A value list from repeated options and comma lists: `--rule R01 --rule R02,R03`. */
export function listOption(v: string | string[] | boolean | (string | boolean)[] | undefined): string[] {
  if (v === undefined || typeof v === 'boolean') return [];
  const parts = Array.isArray(v) ? v : [v];
  return parts
    .filter((p): p is string => typeof p === 'string')
    .flatMap((p) => p.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** "no database yet: run the batch first", for a command that needs a recorded run (exit 2). */
export function noDatabaseError(config: Config, lang: Lang = 'en'): CommandError {
  return new CommandError(
    lang === 'da'
      ? `der er endnu ingen database i ${config.databasePath}: kør først kørslen (afstem run --config …)`
      : `no database at ${config.databasePath} yet: run the batch first (afstem run --config …)`,
    2,
  );
}

/** The error for a database a run holds (its lock file names it), or DuckDB's own lock message. */
function busyError(config: Config, fallback: Error, lang: Lang = 'en'): CommandError {
  const lock = readLock(config.databasePath);
  const held = lock && !lock.stale && !lock.damaged ? lock : undefined;
  if (lang === 'da') return new CommandError(runInProgressDa(held), 2);
  if (held) return new CommandError(runInProgressMessage(held), 2);
  return new CommandError(fallback.message, 2);
}

/**
 * Opens the database read-only for a reporting command. While a run holds the lock this says
 * "a run is in progress (pid …, host …, started …)" (exit code 2) rather than failing on DuckDB's file lock.
 */
export async function openForReading(config: Config): Promise<Db> {
  const lock = readLock(config.databasePath);
  if (lock && !lock.stale && !lock.damaged) throw new CommandError(runInProgressMessage(lock), 2);
  if (!fs.existsSync(config.databasePath)) {
    // Nothing to read yet: the operator's next step is a run, like a bad argument (exit 2), not an unexpected failure.
    throw new CommandError(`no database at ${config.databasePath} yet: run the batch first (afstem run --config …)`, 2);
  }
  try {
    return await openDatabase(config.databasePath, { readOnly: true });
  } catch (e) {
    if (e instanceof DatabaseBusyError) throw busyError(config, e);
    throw e;
  }
}

/**
 * Opens the database read-write, its schema brought up to date, for a short write by a command (note, import, the
 * unmask audit); the caller holds the run lock.
 */
export async function openForWriting(config: Config, lang: Lang = 'en'): Promise<Db> {
  try {
    return await openDatabase(config.databasePath);
  } catch (e) {
    if (e instanceof DatabaseBusyError) throw busyError(config, e, lang);
    throw e;
  }
}

export async function tableExists(db: Db, table: string): Promise<boolean> {
  const n = await db.value<number>(
    `SELECT count(*) FROM duckdb_tables() WHERE table_name = '${table.replace(/'/g, "''")}' AND NOT temporary`,
  );
  return Number(n) > 0;
}

/** Runs a command body: prints what went wrong to stderr and returns the exit code (2 usage/busy, 1 unexpected). */
export async function runCommand(
  body: () => Promise<number>,
  stderr: { write(s: string): unknown } = process.stderr,
): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(e.text.endsWith('\n') ? e.text : `${e.text}\n`);
      return 0;
    }
    // FORMATS.md §5: no message carries a whole CPR number (a path or a key may hold one); a file name or value
    // holding control characters reaches the terminal inert
    const say = (text: string) => stderr.write(`afstem: ${inertLines(maskText(text) ?? '')}\n`);
    if (e instanceof AfstemError || e instanceof LockBusyError) {
      say(e.message);
      return e.exitCode;
    }
    if (e instanceof DatabaseBusyError || e instanceof ConfigError) {
      say(e.message);
      return 2;
    }
    say((e as Error).stack ?? String(e));
    return 1;
  }
}
