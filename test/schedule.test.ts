// The schedule's choice of days — 06:00 Copenhagen Monday to Friday, skipping weekends and bank closing days
// (Easter, Christmas, …), at 06:00 local time on both sides of the DST changes — and the loop that calls the batch.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRON, nextRuns, plannedRuns, scheduleCommand } from '../src/commands/schedule.ts';
import { createLogger } from '../src/log.ts';
import { capture, tempDir, writeConfig } from './helpers/command-fixture.ts';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString().replace('.000Z', 'Z'));

describe('nextRuns', () => {
  it('runs at 06:00 Copenhagen on weekdays: 05:00Z in winter time, 04:00Z in summer time (spring DST week)', () => {
    // Summer time starts Sunday 29 March 2026.
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-03-26T12:00:00Z'), 4))).toEqual([
      '2026-03-27T05:00:00Z', // Friday, CET
      '2026-03-30T04:00:00Z', // Monday, CEST
      '2026-03-31T04:00:00Z',
      '2026-04-01T04:00:00Z',
    ]);
  });

  it('skips Easter: Maundy Thursday, Good Friday, the weekend and Easter Monday 2026', () => {
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-04-01T04:00:00Z'), 2))).toEqual([
      '2026-04-07T04:00:00Z', // Tuesday after Easter Monday (6 April)
      '2026-04-08T04:00:00Z',
    ]);
    const { skipped } = plannedRuns(DEFAULT_CRON, new Date('2026-04-01T04:00:00Z'), 1);
    expect(skipped.map((s) => s.reason)).toEqual(['Skærtorsdag', 'Langfredag', '2. påskedag']);
  });

  it('skips Christmas Eve, Christmas Day, New Year’s Eve and New Year’s Day 2026/27', () => {
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-12-22T12:00:00Z'), 5))).toEqual([
      '2026-12-23T05:00:00Z',
      '2026-12-28T05:00:00Z',
      '2026-12-29T05:00:00Z',
      '2026-12-30T05:00:00Z',
      '2027-01-04T05:00:00Z',
    ]);
  });

  it('autumn DST week: Friday 04:00Z, Monday after the change 05:00Z', () => {
    // Winter time starts Sunday 25 October 2026.
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-10-22T12:00:00Z'), 2))).toEqual(['2026-10-23T04:00:00Z', '2026-10-26T05:00:00Z']);
  });

  it('skips Ascension Day and the Friday after, Whit Monday and Constitution Day 2026', () => {
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-05-13T12:00:00Z'), 1))).toEqual(['2026-05-18T04:00:00Z']);
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-05-22T12:00:00Z'), 1))).toEqual(['2026-05-26T04:00:00Z']);
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-06-04T12:00:00Z'), 1))).toEqual(['2026-06-08T04:00:00Z']);
  });

  it('is exclusive of from, and takes other expressions in Copenhagen time', () => {
    expect(iso(nextRuns(DEFAULT_CRON, new Date('2026-11-27T05:00:00Z'), 1))).toEqual(['2026-11-30T05:00:00Z']);
    // 02:30 every day, weekend included by the expression, still skipped on non-banking days
    expect(iso(nextRuns('30 2 * * *', new Date('2026-11-27T12:00:00Z'), 2))).toEqual(['2026-11-30T01:30:00Z', '2026-12-01T01:30:00Z']);
  });

  it('gives nothing for an expression that never falls on a banking day', () => {
    expect(nextRuns('0 6 25 12 *', new Date('2026-01-01T00:00:00Z'), 1)).toEqual([]);
  });
});

describe('afstem schedule', () => {
  it('--list prints the next runs', async () => {
    const config = writeConfig(tempDir('schedule'));
    const r = await capture(() =>
      scheduleCommand(['--config', config, '--list', '3'], { now: () => new Date('2026-12-22T12:00:00Z') }),
    );
    expect(r.result, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '2026-12-23T05:00:00Z  2026-12-23 06:00 +01:00\n2026-12-28T05:00:00Z  2026-12-28 06:00 +01:00\n2026-12-29T05:00:00Z  2026-12-29 06:00 +01:00\n',
    );
  });

  it('calls the batch at each chosen time with the configuration and output folder, logging JSON lines', async () => {
    const config = writeConfig(tempDir('schedule'));
    const outRoot = path.join(path.dirname(config), 'runs');
    let clock = new Date('2026-12-23T05:30:00Z').getTime();
    const calls: { at: string; opts: unknown }[] = [];
    const lines: string[] = [];
    const log = createLogger({ runId: 'sched-test', stream: { write: (s: string) => lines.push(s) }, now: () => new Date(clock) });
    const r = await capture(() =>
      scheduleCommand(['--config', config, '--out', outRoot, '--keep', '2'], {
        now: () => new Date(clock),
        sleepUntil: async (at) => {
          clock = at.getTime();
        },
        runBatch: async (opts) => {
          calls.push({ at: new Date(clock).toISOString(), opts });
          if (calls.length !== 2) fs.mkdirSync((opts as { outDir: string }).outDir, { recursive: true });
          clock += 90_000;
          return calls.length === 2 ? 2 : 0;
        },
        maxRuns: 3,
        log,
      }),
    );
    expect(r.result).toBe(0);
    expect(calls.map((c) => c.at)).toEqual(['2026-12-28T05:00:00.000Z', '2026-12-29T05:00:00.000Z', '2026-12-30T05:00:00.000Z']);
    // each run into its own dated folder; the run refused with exit 2 made none, so latest stays at the run before
    expect(calls.map((c) => c.opts)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30'].map((d) => ({ configPath: config, outDir: path.join(outRoot, d) })));
    expect(fs.readlinkSync(path.join(outRoot, 'latest'))).toBe('2026-12-30');
    expect(fs.readdirSync(outRoot).sort()).toEqual(['2026-12-28', '2026-12-30', 'latest']);
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.every((e) => e.runId === 'sched-test' && typeof e.time === 'string' && typeof e.level === 'string')).toBe(true);
    expect(entries[1]).toMatchObject({ msg: 'next run', at: '2026-12-28T05:00:00.000Z', skipping: ['2026-12-24 (Juleaftensdag)', '2026-12-25 (Juledag)'] });
    expect(entries.some((e) => e.level === 'warn' && e.exitCode === 2)).toBe(true);
  });

  it('a bad cron expression or configuration is exit code 2 before anything is scheduled', async () => {
    const config = writeConfig(tempDir('schedule'));
    const bad = await capture(() => scheduleCommand(['--config', config, '--cron', '61 6 * * *']));
    expect(bad.result).toBe(2);
    expect(bad.stderr).toContain('not a valid cron expression');
    expect((await capture(() => scheduleCommand(['--config', '/nonexistent/afstem.json']))).result).toBe(2);
    const never = await capture(() =>
      scheduleCommand(['--config', config, '--cron', '0 6 25 12 *'], { log: createLogger({ runId: 'x', stream: { write: () => true } }) }),
    );
    expect(never.result).toBe(2);
  });
});
