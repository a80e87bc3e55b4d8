// The run lock: a file `<database>.lock` beside the database keeps two batch runs from overlapping.
// It is created atomically (open with `wx`); a second run gets a LockBusyError naming the first (exit code 2).
// A lock left by a process that is gone (same host, `kill(pid, 0)` fails with ESRCH) is taken over with a warning;
// so is one whose pid now belongs to another process (the lock records its process's start: the boot id and
// /proc/<pid>/stat field 22, and a live pid that started at another time is not the lock's process).
// A brief hold (afstem serve opens the database for well under a second, marked `brief` in the lock) never makes a
// run exit 2: a run given `waitForBriefMs` waits for it and tries again, and while it waits a marker
// `<database>.lock.wait` keeps further brief holds away, so a busy server cannot starve the run.
import fs from 'node:fs';
import os from 'node:os';
import { isoInstant } from './instant.ts';

export interface LockInfo {
  pid: number;
  host: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  runId: string;
  /** `<boot id>:<start time in clock ticks since boot>` of the lock's process, where /proc tells it. */
  procStart?: string;
  /** A brief hold (afstem serve): a run that finds it waits instead of exiting 2. */
  brief?: boolean;
}

export interface LockOptions {
  /** This hold lasts well under a second (afstem serve's brief open of the database). */
  brief?: boolean;
  /** A run: while a brief hold holds the lock, wait and try again for up to this many milliseconds. */
  waitForBriefMs?: number;
}

export interface HeldLock {
  release(): void;
  /** Set when a stale lock was taken over (in Danish): say so in the run's log and summary. */
  warning?: string;
}

export class LockBusyError extends Error {
  readonly exitCode = 2;
  constructor(readonly holder: LockInfo | undefined, lockPath: string) {
    super(
      holder?.brief
        ? `afstem serve has held the database for longer than it should (${describeHolder(holder)}); lock file ${lockPath}`
        : holder
        ? `another afstem run is in progress: ${describeHolder(holder)}; lock file ${lockPath}`
        : `another afstem run is in progress (lock file ${lockPath} is being written); try again when it has finished`,
    );
    this.name = 'LockBusyError';
  }
}

export function lockPath(databasePath: string): string {
  return `${databasePath}.lock`;
}

/** "pid 4711, host batch01, started 2026-11-27T05:00:02Z, run id …" */
export function describeHolder(info: LockInfo): string {
  return `pid ${info.pid}, host ${info.host}, started ${info.startedAt}, run id ${info.runId}`;
}

/** The same in Danish: "pid 4711, vært batch01, startet 2026-11-27T05:00:02Z, kørsel …". */
export function describeHolderDa(info: LockInfo): string {
  return `pid ${info.pid}, vært ${info.host}, startet ${info.startedAt}, kørsel ${info.runId}`;
}

/** What a read-only command says while a run holds the database. */
export function runInProgressMessage(info: LockInfo): string {
  return `a run is in progress (pid ${info.pid}, host ${info.host}, started ${info.startedAt}, run id ${info.runId}); try again when it has finished`;
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const j = JSON.parse(text) as Partial<LockInfo>;
    if (typeof j.pid === 'number' && typeof j.host === 'string' && typeof j.startedAt === 'string') {
      const info: LockInfo = { pid: j.pid, host: j.host, startedAt: j.startedAt, runId: String(j.runId ?? '') };
      if (typeof j.procStart === 'string') info.procStart = j.procStart;
      if (j.brief === true) info.brief = true;
      return info;
    }
  } catch {
    // fall through: empty (being written) or damaged
  }
  return undefined;
}

function readFileIfAny(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** When a process started, as `<boot id>:<clock ticks since boot>` (Linux /proc), or undefined where not known. */
export function processStart(pid: number): string | undefined {
  try {
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) is in parentheses and may hold spaces: count the fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[22 - 3];
    return boot && start && /^\d+$/.test(start) ? `${boot}:${start}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when the lock's process is known to be gone: same host and `kill(pid, 0)` fails with ESRCH, or the pid is
 * alive but belongs to a process that started at another time than the lock's (the pid was reused).
 */
export function isStale(info: LockInfo): boolean {
  if (info.host !== os.hostname()) return false; // another machine: we cannot tell, so it holds
  try {
    process.kill(info.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, another user's
  }
  if (info.procStart === undefined) return false;
  const now = processStart(info.pid);
  return now !== undefined && now !== info.procStart;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads the lock file. `undefined` when there is none; `stale: true` when its process is gone.
 * A lock file that is still empty (its writer is between create and write) is read again briefly;
 * if it stays unreadable it is reported with `damaged: true` and its file time as start.
 */
export function readLock(databasePath: string): (LockInfo & { stale: boolean; damaged?: boolean }) | undefined {
  const file = lockPath(databasePath);
  for (let attempt = 0; ; attempt++) {
    const text = readFileIfAny(file);
    if (text === undefined) return undefined;
    const info = parseLock(text);
    if (info) return { ...info, stale: isStale(info) };
    if (attempt >= 5) {
      let mtime: Date;
      try {
        mtime = fs.statSync(file).mtime;
      } catch {
        return undefined;
      }
      // A damaged lock older than a minute is left over from a crash between create and write.
      const stale = Date.now() - mtime.getTime() > 60_000;
      return { pid: 0, host: 'unknown', startedAt: mtime.toISOString(), runId: '', stale, damaged: true };
    }
    sleepSync(40);
  }
}

function tryCreate(file: string, info: LockInfo): boolean {
  try {
    fs.writeFileSync(file, JSON.stringify(info) + '\n', { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** The marker of a run waiting for brief holds to end (see the header). */
export function waitMarkerPath(databasePath: string): string {
  return `${lockPath(databasePath)}.wait`;
}

/** A run is waiting for the lock: its marker is there, its process alive and the marker younger than two minutes. */
export function runWaiting(databasePath: string): boolean {
  const marker = waitMarkerPath(databasePath);
  try {
    const st = fs.statSync(marker);
    const info = parseLock(fs.readFileSync(marker, 'utf8'));
    return Date.now() - st.mtimeMs < 120_000 && info !== undefined && !isStale(info);
  } catch {
    return false;
  }
}

/**
 * Takes the run lock for a database. Throws LockBusyError (exitCode 2) when a live run holds it, or (a brief hold)
 * while a run waits for it. With `waitForBriefMs`, a brief hold (or a lock being written) is waited for: tried again
 * every 100 ms until the time is up.
 */
export async function acquireLock(databasePath: string, runId: string, opts: LockOptions = {}): Promise<HeldLock> {
  if (opts.brief && runWaiting(databasePath)) throw new LockBusyError(readLock(databasePath), lockPath(databasePath));
  if (!opts.waitForBriefMs) return acquireOnce(databasePath, runId, opts);
  const deadline = Date.now() + opts.waitForBriefMs;
  const marker = waitMarkerPath(databasePath);
  try {
    for (;;) {
      try {
        return await acquireOnce(databasePath, runId, opts);
      } catch (e) {
        if (!(e instanceof LockBusyError) || (e.holder && !e.holder.brief) || Date.now() >= deadline) throw e;
        const me: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: isoInstant(new Date()), runId };
        const start = processStart(process.pid);
        if (start !== undefined) me.procStart = start;
        fs.writeFileSync(marker, JSON.stringify(me) + '\n');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    fs.rmSync(marker, { force: true });
  }
}

/**
 * One try. A stale lock is moved aside under a unique name first (rename is atomic, so of two processes that both
 * found it stale only one moves it), checked to be the stale one, and removed; then the lock is created again with
 * `wx`.
 */
async function acquireOnce(databasePath: string, runId: string, opts: LockOptions): Promise<HeldLock> {
  const file = lockPath(databasePath);
  const mine: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: isoInstant(new Date()),
    runId,
  };
  const start = processStart(process.pid);
  if (start !== undefined) mine.procStart = start;
  if (opts.brief) mine.brief = true;
  let warning: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(file, mine)) return held(file, mine, warning);
    const current = readLock(databasePath);
    if (!current) continue; // released in between: try again
    if (!current.stale) throw new LockBusyError(current.damaged ? undefined : current, file);
    const aside = `${file}.stale-${process.pid}-${Date.now()}`;
    try {
      fs.renameSync(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else moved it
      throw e;
    }
    const moved = parseLock(readFileIfAny(aside) ?? '');
    const same = current.damaged ? !moved : moved?.pid === current.pid && moved.startedAt === current.startedAt;
    if (!same) {
      // We moved a fresh lock that another process had just created: put it back and yield to it.
      try {
        fs.linkSync(aside, file);
      } catch {
        // a third process created one meanwhile; either way the lock is held
      }
      fs.rmSync(aside, { force: true });
      throw new LockBusyError(moved, file);
    }
    fs.rmSync(aside, { force: true });
    // in Danish: the warning goes into summary.json's warnings, which the report shows (FORMATS.md §7)
    warning = current.damaged
      ? `overtog en beskadiget låsefil ${file} (skrevet ${current.startedAt}, uden læsbart indhold)`
      : pidAlive(current.pid)
        ? `overtog en forældet lås, hvis pid ${current.pid} nu hører til en anden proces (${describeHolderDa(current)})`
        : `overtog en forældet lås fra en kørsel, der ikke findes mere (${describeHolderDa(current)})`;
  }
  throw new LockBusyError(readLock(databasePath), file);
}

function held(file: string, mine: LockInfo, warning: string | undefined): HeldLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const now = parseLock(readFileIfAny(file) ?? '');
    // Only remove our own lock (a stale-lock takeover by another process may have replaced it).
    if (now && now.pid === mine.pid && now.runId === mine.runId && now.startedAt === mine.startedAt) {
      fs.rmSync(file, { force: true });
    }
  };
  process.once('exit', release);
  return warning === undefined ? { release } : { release, warning };
}
