// Progress of the batch's steps on stderr: on a terminal, a spinner (or a bar when the step reports a total) once a step has
// run for more than a second; elsewhere one plain line per step, `step <label> done in 1.2 s`.

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface StepOptions {
  stream?: ProgressStream;
  /** Default: the stream's isTTY. */
  tty?: boolean;
  /** How long a step runs before the spinner shows; default 1000 ms. */
  delayMs?: number;
  /** Told each finished step and how long it took (the batch logs it and keeps it with the run). */
  onDone?: (label: string, ms: number) => void;
}

/** Reports how far a step is: `tick(done, total)`; with a total the spinner becomes a bar. */
export type Tick = (done: number, total?: number) => void;

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function bar(done: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${done}/${total}`;
}

/** Runs one step with progress; the step's result or error passes through. */
export async function step<T>(label: string, fn: (tick: Tick) => Promise<T>, opts: StepOptions = {}): Promise<T> {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const t0 = performance.now();
  let done = 0;
  let total: number | undefined;
  let frame = 0;
  let shown = false;
  let delay: NodeJS.Timeout | undefined;
  let spin: NodeJS.Timeout | undefined;
  const draw = () => {
    shown = true;
    const what = total !== undefined ? bar(done, total) : FRAMES[frame++ % FRAMES.length];
    stream.write(`\r\x1b[2K${what} ${label} ${seconds(performance.now() - t0)}`);
  };
  if (tty) {
    delay = setTimeout(() => {
      draw();
      spin = setInterval(draw, 100);
      spin.unref();
    }, opts.delayMs ?? 1000);
    delay.unref();
  }
  const finish = (word: string) => {
    clearTimeout(delay);
    clearInterval(spin);
    const line = `step ${label} ${word} ${seconds(performance.now() - t0)}\n`;
    stream.write(tty && shown ? `\r\x1b[2K${line}` : line);
  };
  try {
    const result = await fn((d, t) => {
      done = d;
      total = t;
    });
    finish('done in');
    opts.onDone?.(label, performance.now() - t0);
    return result;
  } catch (e) {
    finish('failed after');
    throw e;
  }
}
