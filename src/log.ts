// JSON-lines logging: one object a line with time, level, runId, msg and any fields.
// String values are CPR-masked (FORMATS.md §5: no log carries a whole CPR number).
import { maskText } from './mask.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  readonly runId: string;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  runId: string;
  /** Where the lines go; default process.stderr (stdout stays free for a command's own output). */
  stream?: { write(chunk: string): unknown };
  /** The lowest level written; default `info` (`AFSTEM_LOG_LEVEL` overrides). */
  level?: Level;
  /** The clock, for tests. */
  now?: () => Date;
}

function maskDeep(v: unknown): unknown {
  if (typeof v === 'string') return maskText(v);
  if (v instanceof Error) return maskText(v.message);
  if (Array.isArray(v)) return v.map(maskDeep);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = maskDeep(x);
    return out;
  }
  if (typeof v === 'bigint') return v.toString();
  return v;
}

export function createLogger(opts: LoggerOptions): Logger {
  const stream = opts.stream ?? process.stderr;
  const envLevel = process.env.AFSTEM_LOG_LEVEL as Level | undefined;
  const min = ORDER[opts.level ?? (envLevel && envLevel in ORDER ? envLevel : 'info')];
  const now = opts.now ?? (() => new Date());
  const write = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const line = { time: now().toISOString(), level, runId: opts.runId, msg: maskText(msg), ...(maskDeep(fields ?? {}) as object) };
    stream.write(JSON.stringify(line) + '\n');
  };
  return {
    runId: opts.runId,
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A run id: the start instant to the second plus four random hex digits, e.g. `20261127T050002Z-3f9a`. */
export function newRunId(at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0')}`;
}
