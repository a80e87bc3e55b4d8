// The database file shared with the nightly run (FORMATS.md §9: neither ever fails the other). DuckDB lets one
// process open the file for writing, and no other process at all while it does; a run holds it for minutes. So the
// server never keeps it open:
//   - it reads an in-memory snapshot (./snapshot.ts), built at start and again whenever the file changed and no run
//     holds it (polled every few seconds: the lock file, and the file's size and times);
//   - it opens the file only briefly (a copy, or one change), under afstem's own lock marked as a brief hold, which
//     a starting run waits for instead of exiting 2 (src/lock.ts);
//   - a handling change is appended to the journal and fsync'd (src/handling/journal.ts) and applied to the file
//     at once by applyHandling, then put into the snapshot as the file has it; while a run holds the file, it is
//     applied on the snapshot (the same applyHandling) and reaches the file when the run is over (by the server, or
//     by the run itself before it evaluates the rules). Nothing is lost either way (see record).
// Changes, copies and the journal's catching up run one at a time.
import type { Config } from '../config.ts';
import { DatabaseBusyError, type Db } from '../db.ts';
import { openDatabase } from '../schema/migrate.ts';
import { acquireLock, LockBusyError, readLock, runWaiting, type HeldLock } from '../lock.ts';
import type { Logger } from '../log.ts';
import { newRunId } from '../log.ts';
import { appendEntry, applyEntry, applyPending, newEntry, type EntryResult, type JournalEntry } from '../handling/journal.ts';
import { applyToSnapshot, copyDatabase, fileStamp, makeSnapshot, mirrorCase, type Snapshot } from './snapshot.ts';
import { editProblem } from '../handling/store.ts';

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
    const db = await openDatabase(this.file);
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
   * Records one change from a case page (FORMATS.md §9), validated by applyHandling like `afstem note`:
   *   - the file can be opened (the normal case): the change is appended to the journal (fsync'd), applied to the
   *     file with its applied row in one transaction, and the case's handling and trail as the file now has them are
   *     put into the snapshot; a change the file refuses or finds in conflict ends there (the snapshot is copied
   *     again, as the file had changed);
   *   - a run holds it: the change is applied on the snapshot and appended to the journal in one step, and reaches
   *     the file when the run is over (catchUp, or the run itself).
   * `seen`: the case's handled_at as the page showed it (a later change is a conflict).
   */
  record(e: Omit<JournalEntry, 'id' | 'at'>): Promise<Recorded> {
    return this.exclusive(async () => {
      const s = this.current;
      if (!s?.asOf) return { status: 'refused', reason: 'arbejdslisten er ikke indlæst endnu; prøv igen om lidt' };
      const entry = newEntry(e);
      // what is wrong with the change on its own is refused before anything is written (applyHandling's own rules)
      const problem = editProblem({ caseRef: entry.caseRef, status: entry.status, assignee: entry.assignee, note: entry.note, followUp: entry.followUp }, entry.note);
      if (problem) return { status: 'refused', reason: problem };
      const ms: Record<string, number> = {};
      let t = performance.now();
      const lap = (k: string) => {
        ms[k] = Math.round(performance.now() - t);
        t = performance.now();
      };
      const file = await this.openForChange().catch((err: Error): typeof BUSY => {
        // the change goes into the journal and onto the pages all the same: it is written when the file opens again
        this.log.error(`afstem serve: the database could not be opened for a change: ${err.message}`);
        return BUSY;
      });
      lap('open');
      if (file === BUSY) {
        const r = await applyToSnapshot(s, entry, { beforeCommit: () => appendEntry(this.file, entry) });
        lap('snapshot');
        this.log.debug(`afstem serve: ${entry.caseRef} recorded`, { ms, outcome: r.outcome, pending: true });
        if (r.outcome !== 'applied') return { status: r.outcome, reason: r.reason };
        s.pending++;
        return { status: 'pending', reason: null };
      }
      let r: EntryResult;
      let after = '';
      try {
        appendEntry(this.file, entry);
        lap('journal');
        r = await applyEntry(file.db, entry, { record: SERVER });
        lap('file');
        if (r.outcome === 'applied') await mirrorCase(s, file.db, entry.caseRef);
        lap('snapshot');
      } finally {
        try {
          file.db.close();
          after = fileStamp(this.file);
        } finally {
          file.lock.release();
        }
      }
      this.log.debug(`afstem serve: ${entry.caseRef} recorded`, { ms, outcome: r.outcome });
      if (r.outcome === 'applied' || r.outcome === 'unchanged') {
        // the snapshot holds what the file holds, unless someone else wrote the file since it was copied
        if (file.before === s.stamp) s.stamp = after;
        return { status: r.outcome === 'applied' ? 'saved' : 'unchanged', reason: null };
      }
      // refused or in conflict: the file holds what the page did not show (afstem note, an import, another clerk)
      await this.rebuild();
      return { status: r.outcome, reason: r.reason };
    });
  }
}

/** DuckDB's answer when another process has the file open. */
function isBusy(e: unknown): boolean {
  return e instanceof DatabaseBusyError || /Could not set lock|Conflicting lock/i.test((e as Error).message);
}
