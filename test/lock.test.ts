// Overlapping runs. A second run fails with exit code 2 naming the first (pid, host, start); a lock whose
// process is gone is taken over with a warning; read-only commands say a run is in progress.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLockHolder } from './helpers/holder-process.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { LockBusyError, acquireLock, lockPath, processStart, readLock, runWaiting, waitMarkerPath } from '../src/lock.ts';
import { exportCommand } from '../src/commands/export.ts';
import { historyCommand } from '../src/commands/history.ts';
import { runCommand } from '../src/commands/common.ts';
import { DISCREPANCY_STATES_DDL, capture, makeDb, tempDir, writeConfig } from './helpers/command-fixture.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts a process that holds the lock and the database, like a running batch; resolves when it is ready. */
async function startHolder(database: string, runId: string): Promise<ChildProcess> {
  const child = await startLockHolder(database, runId);
  children.push(child);
  return child;
}

async function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((r) => child.once('exit', r));
}

describe('acquireLock', () => {
  it('creates <database>.lock with pid, host, start and run id, and removes it on release', async () => {
    const db = path.join(tempDir('lock'), 'a.duckdb');
    const lock = await acquireLock(db, 'run-1');
    const info = JSON.parse(fs.readFileSync(`${db}.lock`, 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, host: os.hostname(), runId: 'run-1' });
    expect(info.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(lock.warning).toBeUndefined();
    lock.release();
    expect(fs.existsSync(`${db}.lock`)).toBe(false);
    lock.release(); // twice is harmless
  });

  it('a second run in the same process gets LockBusyError (exit code 2) naming the first', async () => {
    const db = path.join(tempDir('lock'), 'b.duckdb');
    const first = await acquireLock(db, 'run-first');
    try {
      const err = await acquireLock(db, 'run-second').catch((e) => e);
      expect(err).toBeInstanceOf(LockBusyError);
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain(`pid ${process.pid}`);
      expect(err.message).toContain(`host ${os.hostname()}`);
      expect(err.message).toContain('run id run-first');
      expect(err.message).toMatch(/started \d{4}-\d{2}-\d{2}T/);
      expect(await runCommand(() => Promise.reject(err), { write: () => true })).toBe(2);
    } finally {
      first.release();
    }
  });

  it('a lock on another host is never taken over', async () => {
    const db = path.join(tempDir('lock'), 'c.duckdb');
    fs.writeFileSync(lockPath(db), JSON.stringify({ pid: 999999, host: 'other-host', startedAt: '2026-11-27T05:00:00Z', runId: 'x' }));
    const err = await acquireLock(db, 'me').catch((e) => e);
    expect(err).toBeInstanceOf(LockBusyError);
    expect(err.message).toContain('host other-host');
  });
});

describe('a damaged lock file', () => {
  it('an empty lock younger than a minute holds (its writer may be mid-write); an older one is taken over', async () => {
    const db = path.join(tempDir('lock'), 'd.duckdb');
    fs.writeFileSync(lockPath(db), '');
    await expect(acquireLock(db, 'me')).rejects.toBeInstanceOf(LockBusyError);
    const old = new Date(Date.now() - 5 * 60_000);
    fs.utimesSync(lockPath(db), old, old);
    const lock = await acquireLock(db, 'me');
    expect(lock.warning).toContain('overtog en beskadiget låsefil');
    lock.release();
    expect(fs.existsSync(lockPath(db))).toBe(false);
  });
});

describe('two processes', () => {
  it('the second run fails naming the running one; read-only commands say a run is in progress; a dead holder is taken over', async () => {
    const dir = tempDir('lock2');
    const config = writeConfig(dir);
    const database = path.join(dir, 'db.duckdb');
    await makeDb(database, `${DISCREPANCY_STATES_DDL}; CREATE TABLE runs (run_seq INTEGER)`);
    const child = await startHolder(database, 'nightly-1');

    const err = await acquireLock(database, 'nightly-2').catch((e) => e);
    expect(err).toBeInstanceOf(LockBusyError);
    expect(err.message).toContain(`pid ${child.pid}, host ${os.hostname()}, started `);
    expect(err.message).toContain('run id nightly-1');

    const exp = await capture(() => exportCommand(['--config', config, '--format', 'csv', '--out', path.join(dir, 'x.csv')]));
    expect(exp.result).toBe(2);
    expect(exp.stderr).toContain(`a run is in progress (pid ${child.pid}, host ${os.hostname()}, started `);
    const hist = await capture(() => historyCommand(['--config', config]));
    expect(hist.result).toBe(2);
    expect(hist.stderr).toContain(`a run is in progress (pid ${child.pid}`);

    // Without the lock file, DuckDB's own file lock still gives a clear message, not a crash.
    const saved = fs.readFileSync(lockPath(database));
    fs.rmSync(lockPath(database));
    const raw = await capture(() => exportCommand(['--config', config, '--format', 'csv', '--out', path.join(dir, 'y.csv')]));
    expect(raw.result).toBe(2);
    expect(raw.stderr).toContain('in use by another afstem process');
    fs.writeFileSync(lockPath(database), saved);

    child.kill('SIGKILL');
    await exitOf(child);
    expect(readLock(database)).toMatchObject({ pid: child.pid, stale: true });
    const taken = await acquireLock(database, 'nightly-3');
    try {
      expect(taken.warning).toContain('overtog en forældet lås');
      expect(taken.warning).toContain(`pid ${child.pid}`);
      expect(JSON.parse(fs.readFileSync(lockPath(database), 'utf8'))).toMatchObject({ pid: process.pid, runId: 'nightly-3' });
    } finally {
      taken.release();
    }
    expect(fs.existsSync(lockPath(database))).toBe(false);
  });
});

describe('a lock whose pid was reused', () => {
  const writeLock = (database: string, pid: number, procStart: string | undefined) =>
    fs.writeFileSync(
      lockPath(database),
      JSON.stringify({ pid, host: os.hostname(), startedAt: '2026-11-27T05:00:02Z', runId: 'old-run', ...(procStart ? { procStart } : {}) }) + '\n',
    );

  it('records its process start (boot id and /proc start time) in the lock', async () => {
    const db = path.join(tempDir('lock'), 'start.duckdb');
    const lock = await acquireLock(db, 'run-start');
    try {
      const info = JSON.parse(fs.readFileSync(lockPath(db), 'utf8'));
      expect(info.procStart).toBe(processStart(process.pid));
      expect(info.procStart).toMatch(/^[0-9a-f-]{36}:\d+$/);
    } finally {
      lock.release();
    }
  });

  it('is taken over with a warning when the live pid started at another time than the lock says', async () => {
    const db = path.join(tempDir('lock'), 'reused.duckdb');
    // pid 1 is alive, but it is not the process that wrote this lock: its start time differs.
    const [boot, ticks] = processStart(1)!.split(':');
    writeLock(db, 1, `${boot}:${Number(ticks) + 12345}`);
    expect(readLock(db)!.stale).toBe(true);
    const lock = await acquireLock(db, 'run-new');
    try {
      expect(lock.warning).toContain('pid 1 nu hører til en anden proces');
      expect(JSON.parse(fs.readFileSync(lockPath(db), 'utf8')).runId).toBe('run-new');
    } finally {
      lock.release();
    }
  });

  it('is taken over after a reboot (another boot id), even when the pid is alive', () => {
    const db = path.join(tempDir('lock'), 'reboot.duckdb');
    const [, ticks] = processStart(1)!.split(':');
    writeLock(db, 1, `00000000-0000-0000-0000-000000000000:${ticks}`);
    expect(readLock(db)!.stale).toBe(true);
  });

  it('still holds while the pid is alive with the start time the lock recorded', async () => {
    const db = path.join(tempDir('lock'), 'alive.duckdb');
    writeLock(db, 1, processStart(1));
    expect(readLock(db)!.stale).toBe(false);
    await expect(acquireLock(db, 'run-2')).rejects.toBeInstanceOf(LockBusyError);
    fs.rmSync(lockPath(db));
  });

  it('a lock without a recorded start (older afstem) holds while its pid is alive', () => {
    const db = path.join(tempDir('lock'), 'old.duckdb');
    writeLock(db, 1, undefined);
    expect(readLock(db)!.stale).toBe(false);
    fs.rmSync(lockPath(db));
  });
});

describe('brief holds (afstem serve)', () => {
  // Checked against the lock before brief holds: acquireLock took no options and the waiting run threw at once.
  it('a run waits for a brief hold instead of failing, and while it waits no new brief hold is taken', async () => {
    const db = path.join(tempDir('lock'), 'brief.duckdb');
    const brief = await acquireLock(db, 'serve-1', { brief: true });
    expect(readLock(db)!.brief).toBe(true);
    const run = acquireLock(db, 'run-1', { waitForBriefMs: 30_000 });
    // polled until the run waits or gives up (no fixed count of polls that a busy machine could outlast)
    let settled = false;
    void run.then(() => (settled = true), () => (settled = true));
    while (!settled && !runWaiting(db)) await new Promise((r) => setTimeout(r, 20));
    expect(runWaiting(db)).toBe(true);
    const refused = await acquireLock(db, 'serve-2', { brief: true }).catch((e) => e);
    expect(refused).toBeInstanceOf(LockBusyError);
    brief.release();
    const held = await run;
    expect(readLock(db)!.runId).toBe('run-1');
    expect(fs.existsSync(waitMarkerPath(db))).toBe(false);
    // a brief hold finds the run's lock busy; a run finds another run's lock busy at once, waiting or not
    expect(await acquireLock(db, 'serve-3', { brief: true }).catch((e) => e)).toBeInstanceOf(LockBusyError);
    expect(await acquireLock(db, 'run-2', { waitForBriefMs: 30_000 }).catch((e) => e)).toBeInstanceOf(LockBusyError);
    held.release();
  });
});
