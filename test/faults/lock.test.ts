// The run lock under faults (README "Running it every night": a lock beside the database keeps two runs from
// overlapping; the second exits 2 naming the first; a lock left by a dead process is taken over with a warning).
// Expected values come from the processes themselves (their pid and /proc start), never from src/lock.ts:
// - a lock file of another live process holds: the batch exits 2 naming it, writes no outputs, leaves the lock;
//   `note` and `import` refuse, `export` says a run is in progress;
// - the same lock once that process is dead is taken over, and the batch says so (summary, report, log);
// - a lock naming this very process's pid with another start time (the pid reused) is taken over, while one with this
//   process's own start holds (it is this process's other run);
// - a run whose lock another run took over meanwhile leaves that run's lock in place when it ends.
//
// Checked against broken code (each break made by hand, the test run, the break undone): isStale saying a live pid is
// stale when the lock records a start (`now !== info.procStart` → `true`) fails "another live process"; isStale
// without the start comparison fails "a pid reused"; release removing the lock file without comparing its content
// fails "taken over meanwhile"; release comparing the pid alone fails it too (the other run is in this process); the
// takeover warning not passed on to the summary (batch.ts `warnings.push(lock.warning)`) fails "a dead process" and
// "a pid reused"; the refused run's work folder left beside --out fails "another live process".
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, lockPath, processStart } from '../../src/lock.ts';
import { noteCommand } from '../../src/commands/note.ts';
import { importCommand } from '../../src/commands/import.ts';
import { exportCommand } from '../../src/commands/export.ts';
import { FEE_HEADER, installation, type Installation } from '../helpers/e2e-inbox.ts';

let inst: Installation;
let child: ChildProcess;
const NIGHTS = ['2026-11-26T12:00:00Z', '2026-11-27T12:00:00Z', '2026-11-28T12:00:00Z', '2026-11-29T12:00:00Z'];
const lockFile = () => lockPath(inst.database);
const writeLock = (info: Record<string, unknown>) => fs.writeFileSync(lockFile(), JSON.stringify({ host: os.hostname(), startedAt: '2026-11-27T05:00:02Z', ...info }) + '\n');

/** The /proc start of a process as `<boot id>:<ticks>`, read here on its own. */
function startOf(pid: number): string {
  const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return `${boot}:${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
}

beforeAll(async () => {
  inst = installation('lock-faults', [{ code: '101', name: 'København', debtorSystem: 'kmd_opus', wave: 1, goLive: '2026-04-14' }]);
  inst.export('101/fbs_fees_2026-11-26.csv', FEE_HEADER, [['F1', 'adult_cpr', '0101801234', 'overdue_fee', '25.00', '2026-11-26T08:00:00Z', 'open', null, null, null, null]]);
  expect((await inst.run('out', NIGHTS[0])).exitCode).toBe(0);
  child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
});
afterAll(() => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  inst?.cleanup();
});

describe('a lock file of another live process', () => {
  it('holds: the batch exits 2 naming it and writes nothing; note and import refuse; export says a run is in progress', async () => {
    expect(startOf(child.pid!)).toBe(processStart(child.pid!)); // the lock module reads /proc as this test does
    writeLock({ pid: child.pid, runId: 'nightly-other', procStart: startOf(child.pid!) });
    const lockBefore = fs.readFileSync(lockFile(), 'utf8');
    const outBefore = fs.readFileSync(path.join(inst.dir, 'out', 'summary.json'), 'utf8');
    const r = await inst.run('out', NIGHTS[1]);
    expect(r.exitCode).toBe(2);
    expect(r.error).toContain(`pid ${child.pid}, host ${os.hostname()}, started 2026-11-27T05:00:02Z, run id nightly-other`);
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(lockBefore);
    expect(fs.readFileSync(path.join(inst.dir, 'out', 'summary.json'), 'utf8')).toBe(outBefore);
    expect(fs.readdirSync(inst.dir).filter((n) => n.startsWith('out.'))).toEqual([]);

    const note = await inst.command(noteCommand, '--ref', 'S-1', '--status', 'in_progress');
    expect(note.result).toBe(2);
    expect(note.stderr).toContain(`en afstem-kørsel er i gang (pid ${child.pid}`);
    const sheet = path.join(inst.dir, 'out', 'discrepancies.xlsx');
    const imp = await inst.command(importCommand, '--file', sheet);
    expect(imp.result).toBe(2);
    expect(imp.stderr).toContain(`pid ${child.pid}`);
    const exp = await inst.command(exportCommand, '--format', 'csv', '--out', path.join(inst.dir, 'x.csv'));
    expect(exp.result).toBe(2);
    expect(exp.stderr).toContain(`a run is in progress (pid ${child.pid}`);
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(lockBefore);
  });

  it('once that process is dead, the batch takes the lock over and says so in the summary, the report and the log', async () => {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const r = await inst.run('out', NIGHTS[1]);
    expect(r.exitCode, r.error).toBe(0);
    const words = `overtog en forældet lås fra en kørsel, der ikke findes mere (pid ${child.pid}, vært ${os.hostname()}, startet 2026-11-27T05:00:02Z, kørsel nightly-other)`;
    expect(r.summary!.warnings).toContain(words);
    expect(JSON.parse(fs.readFileSync(path.join(inst.dir, 'out', 'summary.json'), 'utf8')).warnings).toContain(words);
    expect(fs.readFileSync(path.join(inst.dir, 'out', 'report.html'), 'utf8')).toContain(words);
    expect(r.log).toContain(words);
    expect(fs.existsSync(lockFile())).toBe(false);
  });
});

describe('a lock naming this process\'s own pid', () => {
  it('with another start time: the pid was reused, the lock is taken over', async () => {
    const [boot, ticks] = startOf(process.pid).split(':');
    writeLock({ pid: process.pid, runId: 'before-reboot', procStart: `${boot}:${Number(ticks) - 1}` });
    const r = await inst.run('out', NIGHTS[2]);
    expect(r.exitCode, r.error).toBe(0);
    expect(r.summary!.warnings.join('\n')).toContain(`overtog en forældet lås, hvis pid ${process.pid} nu hører til en anden proces`);
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('with this process\'s own start: it is this process\'s other run, and it holds', async () => {
    writeLock({ pid: process.pid, runId: 'my-other-run', procStart: startOf(process.pid) });
    const r = await inst.run('out', NIGHTS[3]);
    expect(r.exitCode).toBe(2);
    expect(r.error).toContain('run id my-other-run');
    fs.rmSync(lockFile());
  });
});

describe('a lock another run took over meanwhile', () => {
  it('is left in place when the first run releases its own', async () => {
    const mine = await acquireLock(inst.database, 'run-1');
    // another run (in this process, so the same pid) found it stale and took it over
    writeLock({ pid: process.pid, runId: 'run-2', startedAt: '2026-11-28T05:00:00Z', procStart: startOf(process.pid) });
    mine.release();
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8'))).toMatchObject({ runId: 'run-2' });
    fs.rmSync(lockFile());
  });

  it('a batch whose lock is taken over during its run ends leaving the other run\'s lock', async () => {
    const other = { pid: 4242, runId: 'run-other', startedAt: '2026-11-29T05:00:00Z' };
    const r = await inst.run('out', NIGHTS[3], { beforeStep: (s) => { if (s === 'move') writeLock(other); } });
    expect(r.exitCode, r.error).toBe(0);
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8'))).toMatchObject(other);
    fs.rmSync(lockFile());
  });
});
