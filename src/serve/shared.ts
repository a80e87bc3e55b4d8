// The database file shared with the nightly run (FORMATS.md §9: neither ever fails the other). DuckDB lets one
// process open the file for writing, and no other process at all while it does; a run holds it for minutes. So the
// server never keeps it open:
//   - it reads an in-memory snapshot (./snapshot.ts), built at start and again whenever the file changed and no run
//     holds it (polled every few seconds: the lock file, and the file's size and times);
//   - it opens the file only briefly (a copy, or one change), under afstem's own lock marked as a brief hold, which
//     a starting run waits for instead of exiting 2 (src/lock.ts);
//   - a handling change is validated and applied on the snapshot (applyHandling), appended to the journal and
//     fsync'd (src/handling/journal.ts), and then applied to the file at once, or, while a run holds it, when the
//     run is over (by the server, or by the run itself before it evaluates the rules). Nothing is lost either way.
// Changes, copies and the journal's catching up run one at a time.
import fs from 'node:fs';
import type { Config } from '../config.ts';
import { Db, DatabaseBusyError } from '../db.ts';
import { acquireLock, LockBusyError, readLock, runWaiting, type HeldLock } from '../lock.ts';
import type { Logger } from '../log.ts';
import { newRunId } from '../log.ts';
import { appendEntry, applyEntry, applyPending, newEntry, type EntryResult, type JournalEntry } from '../handling/journal.ts';
import { applyToSnapshot, copyDatabase, fileStamp, makeSnapshot, notPending, type Snapshot } from './snapshot.ts';

const BUSY = Symbol('the database is held');
/** How the server names itself as the one who applied a journal entry. */
export const SERVER = 'afstem serve';
const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/;

/** A run that holds the database: since when (ISO UTC). */
export interface RunHold {
  since: string;
  runId: string;
}

/** What became of a change recorded on a case page. */
export interface Recorded {
  /** saved: in the database; pending: in the journal and on every page, in the database when the run is over. */
  status: 'saved' | 'pending' | 'unchanged' | 'refused' | 'conflict';
  /** Danish, for refused and conflict. */
  reason: string | null;
}

export interface SharedOptions {
  /** How often the lock and the file are looked at (default 2 s). */
  pollMs?: number;
  /** How long a brief hold waits for another brief one (afstem note, a second server) before giving up (default 2 s). */
  waitMs?: number;
}

export class SharedDatabase {
  private current: Snapshot | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** Set while a run holds the database. */
  runHold: RunHold | null = null;

  constructor(
    readonly config: Config,
    private readonly log: Logger,
    private readonly opts: SharedOptions = {},
  ) {}

  private get file(): string {
    return this.config.databasePath;
  }

  /** The current snapshot for one page (release it when done), or null before the first copy. */
  acquire(): Snapshot | null {
    return this.current?.acquire() ?? null;
  }

  /** Builds the first snapshot (or waits for a run that holds the database) and starts watching. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 2000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.exclusive(async () => {
      this.current?.retire();
      this.current = null;
    });
  }

  /** Runs fn after every change and copy before it has finished. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Who holds the lock now: a run (not a brief hold, not another command such as afstem note), or nobody. */
  private readRunHold(): RunHold | null {
    const lock = readLock(this.file);
    if (!lock || lock.stale || lock.damaged || lock.brief || !RUN_ID.test(lock.runId)) return null;
    return { since: lock.startedAt, runId: lock.runId };
  }

  /**
   * Takes afstem's lock marked as a brief hold. BUSY when a run holds the lock or waits for it; another brief hold
   * (afstem note, another server) is waited for a little.
   */
  private async takeLock(): Promise<HeldLock | typeof BUSY> {
    const deadline = Date.now() + (this.opts.waitMs ?? 2000);
    for (;;) {
      try {
        return await acquireLock(this.file, `serve-${newRunId()}`, { brief: true });
      } catch (e) {
        if (!(e instanceof LockBusyError)) throw e;
        this.runHold = this.readRunHold();
        if (this.runHold || runWaiting(this.file) || Date.now() >= deadline) return BUSY;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Runs fn under the lock (takeLock). BUSY also when the file cannot be opened (another process reads it). */
  private async briefHold<T>(fn: () => Promise<T>): Promise<T | typeof BUSY> {
    const lock = await this.takeLock();
    if (lock === BUSY) return BUSY;
    try {
      return await fn();
    } catch (e) {
      if (isBusy(e)) return BUSY;
      throw e;
    } finally {
      lock.release();
    }
  }

  /**
   * Opens the file read-write for a brief write. Closing it does not checkpoint (about 100 ms at 1,000,000 fees): the
   * change stays in DuckDB's write-ahead log, durable and read by every later open, and the next run (or the log
   * reaching DuckDB's threshold) checkpoints it.
   */
  private async open(): Promise<Db> {
    const db = await Db.open(this.file);
    await db.run('PRAGMA disable_checkpoint_on_shutdown');
    return db;
  }

  /** The lock taken and the file opened for one change (BUSY as briefHold), with the file's stamp before. */
  private async openForChange(): Promise<{ db: Db; lock: HeldLock; before: string } | typeof BUSY> {
    const lock = await this.takeLock();
    if (lock === BUSY) return BUSY;
    const before = fileStamp(this.file);
    try {
      return { db: await this.open(), lock, before };
    } catch (e) {
      lock.release();
      if (isBusy(e)) return BUSY;
      throw e;
    }
  }

  /** Opens the file read-write for fn, inside a brief hold. */
  private withFile<T>(fn: (db: Db) => Promise<T>): Promise<T | typeof BUSY> {
    return this.briefHold(async () => {
      const db = await this.open();
      try {
        return await fn(db);
      } finally {
        db.close();
      }
    });
  }

  /** Looks at the lock and the file; catches the journal up and copies the file again when it changed. */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      this.runHold = this.readRunHold();
      if (this.runHold) return;
      const s = this.current;
      if (s && s.pending > 0) await this.catchUp();
      else if (!s || fileStamp(this.file) !== s.stamp) await this.exclusive(() => this.rebuild());
    } catch (e) {
      this.log.error(`afstem serve: the snapshot of the database could not be brought up to date: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  /** Copies the file into a new snapshot and puts it in place of the current one (inside exclusive). */
  private async rebuild(): Promise<void> {
    const copy = await copyDatabase(this.file, async (fn) => (await this.briefHold(fn)) !== BUSY);
    if (!copy) return;
    try {
      const next = await makeSnapshot(copy.db, copy.stamp, this.file);
      const old = this.current;
      this.current = next;
      old?.retire();
      this.log.info('afstem serve: snapshot of the database made', { asOf: next.asOf?.toISOString() ?? null, pending: next.pending });
    } catch (e) {
      copy.db.close();
      throw e;
    }
  }

  /** Applies the journal's entries that have not reached the file, then copies it again. */
  private catchUp(): Promise<void> {
    return this.exclusive(async () => {
      const done = await this.withFile((db) => applyPending(db, this.file, SERVER));
      if (done === BUSY) return;
      for (const r of done) if (r.reason) this.log.warn(`afstem serve: ${r.entry.caseRef} (${r.entry.at}): ${r.reason}`, { outcome: r.outcome });
      await this.rebuild();
    });
  }

  /**
   * Records one change from a case page: judged on the snapshot by applyHandling (refused, conflict or unchanged
   * end here), then appended to the journal (fsync'd) and applied to the snapshot in one step, then applied to the
   * file unless a run holds it. `seen`: the case's handled_at as the page showed it.
   */
  record(e: Omit<JournalEntry, 'id' | 'at'>): Promise<Recorded> {
    return this.exclusive(async () => {
      const s = this.current;
      if (!s?.asOf) return { status: 'refused', reason: 'arbejdslisten er ikke indlæst endnu; prøv igen om lidt' };
      const entry = newEntry(e);
      const ms: Record<string, number> = {};
      let t = performance.now();
      const lap = (k: string) => {
        ms[k] = Math.round(performance.now() - t);
        t = performance.now();
      };
      // the file is opened while the snapshot judges the change: both take tens of milliseconds
      const opening = this.openForChange().catch((err: Error): typeof BUSY => {
        // the change is in the journal and on the pages all the same: it is written when the file opens again
        this.log.error(`afstem serve: the database could not be opened for a change: ${err.message}`);
        return BUSY;
      });
      /** Closes the file and lets go of the lock; the file's stamp as it was left. */
      const done = (f: Awaited<typeof opening>): string => {
        if (f === BUSY) return '';
        try {
          f.db.close();
          return fileStamp(this.file);
        } finally {
          f.lock.release();
        }
      };
      let onSnapshot: EntryResult;
      try {
        onSnapshot = await applyToSnapshot(s, entry, {
          beforeCommit: () => {
            lap('snapshot');
            appendEntry(this.file, entry);
            lap('journal');
          },
        });
      } catch (err) {
        done(await opening);
        throw err;
      }
      const file = await opening;
      lap('open');
      if (onSnapshot.outcome !== 'applied') {
        done(file);
        return { status: onSnapshot.outcome, reason: onSnapshot.reason };
      }
      s.pending++;
      let inFile: { r: EntryResult; before: string; after: string } | typeof BUSY = BUSY;
      if (file !== BUSY) {
        let r: EntryResult;
        let after = '';
        try {
          r = await applyEntry(file.db, entry, { record: SERVER });
          lap('file');
        } finally {
          after = done(file);
        }
        inFile = { r, before: file.before, after };
      }
      this.log.debug(`afstem serve: ${entry.caseRef} recorded`, { ms });
      if (inFile === BUSY) return { status: 'pending', reason: null };
      s.pending--;
      await notPending(s, entry.id);
      if (inFile.r.outcome === 'applied' || inFile.r.outcome === 'unchanged') {
        // the snapshot holds what the file holds, unless someone else wrote the file since it was copied
        if (inFile.before === s.stamp) s.stamp = inFile.after;
        return { status: 'saved', reason: null };
      }
      // the file had changed (afstem note, an import) in a way the snapshot did not know: copy it again
      await this.rebuild();
      return { status: inFile.r.outcome, reason: inFile.r.reason };
    });
  }
}

/** DuckDB's answer when another process has the file open. */
function isBusy(e: unknown): boolean {
  return e instanceof DatabaseBusyError || /Could not set lock|Conflicting lock/i.test((e as Error).message);
}

/** Whether the database file exists (a server may start before the first run). */
export function databaseExists(config: Config): boolean {
  return fs.existsSync(config.databasePath);
}
