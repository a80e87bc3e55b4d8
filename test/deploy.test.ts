// deploy/: the systemd service and timer and the crontab line start `afstem run` with options the run command
// takes, at 06:00 Europe/Copenhagen Monday to Friday, into a dated folder, skipping bank closing days.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RUN_OPTIONS } from '../src/commands/run.ts';
import { SERVE_OPTIONS } from '../src/commands/serve.ts';

const read = (f: string) => fs.readFileSync(`deploy/${f}`, 'utf8');

/** The arguments after `afstem.js run` in a shell command line (quotes removed, `$(date …)` kept as one word). */
function runArgs(line: string): string[] {
  const after = line.slice(line.indexOf('afstem.js run') + 'afstem.js run'.length);
  const words = after.match(/"[^"]*"|\S+/g) ?? [];
  const end = words.findIndex((w) => w.startsWith('>') || w.startsWith("'"));
  return (end < 0 ? words : words.slice(0, end)).map((w) => w.replace(/^"|"$/g, ''));
}

describe('deploy/', () => {
  it('the timer starts the service at 06:00 Copenhagen time on weekdays, catching up a missed start', () => {
    const timer = read('afstem.timer');
    expect(timer).toMatch(/^OnCalendar=Mon\.\.Fri \*-\*-\* 06:00:00 Europe\/Copenhagen$/m);
    expect(timer).toMatch(/^Unit=afstem\.service$/m);
    expect(timer).toMatch(/^Persistent=true$/m);
  });

  for (const [file, pick] of [
    ['afstem.service', (s: string) => s.split('\n').find((l) => l.startsWith('ExecStart='))!],
    ['crontab', (s: string) => s.split('\n').find((l) => /^\d/.test(l))!],
  ] as const) {
    it(`${file}: afstem run with options the run command takes, --banking-days-only, a dated --out`, () => {
      const line = pick(read(file));
      expect(line).toBeDefined();
      const args = runArgs(line);
      const { values } = parseArgs({ args, options: RUN_OPTIONS, strict: true });
      expect(values['banking-days-only']).toBe(true);
      expect(values.config).toMatch(/\.json$/);
      // the Copenhagen date of the run (TZ or CRON_TZ is Europe/Copenhagen), % escaped for systemd and cron
      expect(values.out).toMatch(/\$\(date \+\\?%%?Y-\\?%%?m-\\?%%?d\)$/);
    });
  }

  it('the crontab runs 06:00 Monday to Friday in Copenhagen time, and the service says exit 3 is a finished run', () => {
    const cron = read('crontab');
    expect(cron).toMatch(/^CRON_TZ=Europe\/Copenhagen$/m);
    expect(cron).toMatch(/^0 6 \* \* 1-5 /m);
    expect(read('afstem.service')).toMatch(/^SuccessExitStatus=3$/m);
    expect(read('afstem.service')).toMatch(/^Environment=TZ=Europe\/Copenhagen$/m);
  });

  it('afstem-serve.service runs afstem serve with options it takes, on 127.0.0.1 behind the proxy, restarted on failure', () => {
    const unit = read('afstem-serve.service');
    const exec = unit.split('\n').find((l) => l.startsWith('ExecStart='))!;
    const args = exec.slice(exec.indexOf('afstem.js serve') + 'afstem.js serve'.length).trim().split(/\s+/);
    const { values } = parseArgs({ args, options: SERVE_OPTIONS, strict: true });
    expect(values.config).toMatch(/\.json$/);
    expect(values.host).toBe('127.0.0.1');
    expect(Number(values.port)).toBeGreaterThan(0);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^Environment=TZ=Europe\/Copenhagen$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
  });
});
