// JSON-lines logs with a run id (CPR masked), and progress on stderr: plain lines off a terminal,
// a spinner or bar on a terminal once a step runs for more than a second.
import { describe, expect, it, vi } from 'vitest';
import { createLogger, newRunId } from '../src/log.ts';
import { step } from '../src/progress.ts';

function sink(isTTY = false) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) } };
}

describe('log', () => {
  it('writes one JSON object a line with time, level, runId, msg and fields, CPR numbers masked', () => {
    const s = sink();
    const log = createLogger({ runId: 'r-1', stream: s.stream, now: () => new Date('2026-11-27T05:00:00Z') });
    log.info('loaded 101/fbs_fees_2026-11-26.csv', { rows: 412, note: 'skyldner 010190-1234', big: 1234567890 });
    log.debug('not shown at info level');
    log.warn('x');
    expect(s.chunks).toHaveLength(2);
    expect(s.chunks.every((c) => c.endsWith('\n'))).toBe(true);
    expect(JSON.parse(s.chunks[0])).toEqual({
      time: '2026-11-27T05:00:00.000Z',
      level: 'info',
      runId: 'r-1',
      msg: 'loaded 101/fbs_fees_2026-11-26.csv',
      rows: 412,
      note: 'skyldner 010190-XXXX',
      big: 1234567890,
    });
    expect(JSON.parse(s.chunks[1]).level).toBe('warn');
  });

  it('makes run ids from the start instant', () => {
    expect(newRunId(new Date('2026-11-27T05:00:02.123Z'))).toMatch(/^20261127T050002Z-[0-9a-f]{4}$/);
  });
});

describe('progress', () => {
  it('off a terminal: one plain line per step, with its time', async () => {
    const s = sink(false);
    const v = await step('load the inbox', async (tick) => {
      tick(1, 2);
      return 42;
    }, { stream: s.stream });
    expect(v).toBe(42);
    expect(s.chunks).toHaveLength(1);
    expect(s.chunks[0]).toMatch(/^step load the inbox done in \d+\.\d s\n$/);
  });

  it('a failing step says so and passes the error on', async () => {
    const s = sink(false);
    await expect(step('write', async () => Promise.reject(new Error('disk full')), { stream: s.stream })).rejects.toThrow('disk full');
    expect(s.chunks[0]).toMatch(/^step write failed after \d+\.\d s\n$/);
  });

  it('on a terminal: nothing for a quick step but its line; a bar once it runs past the delay', async () => {
    // On a fake clock (timers and performance.now): the step's 250 ms and the bar's 50 ms delay no longer race a busy
    // machine, and the time printed is exactly 0.3 s. (Before, a real 250 ms sleep allowed any "0.x s", and a starved
    // process printing "1.0 s" failed.) Checked: with delayMs 500 the bar is never drawn and the test fails.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    try {
      const quick = sink(true);
      await step('quick', async () => 1, { stream: quick.stream });
      expect(quick.chunks.join('')).not.toContain('\r');
      const slow = sink(true);
      const running = step('slow', async (tick) => {
        tick(3, 10);
        await new Promise((r) => setTimeout(r, 250));
      }, { stream: slow.stream, delayMs: 50 });
      await vi.advanceTimersByTimeAsync(250);
      await running;
      const out = slow.chunks.join('');
      expect(out).toContain('\r\x1b[2K[#######-----------------] 3/10 slow');
      expect(out.endsWith('\r\x1b[2Kstep slow done in 0.3 s\n')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
