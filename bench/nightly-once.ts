// One nightly run in its own process (as cron starts it): the full batch on the bench's inbox and database, with the
// time of every step as the batch reports it ("step <label> done in <s>") and what the night evaluated (the log's
// `evaluation`: everything, or so many items). Prints JSON.
//   node --import tsx bench/nightly-once.ts <config> <out> <memory-limit|""> [asOf|""] [full]
import { runBatchDetailed } from '../src/run/batch.ts';
import { lineStream } from './inbox.ts';

const [configPath, outDir, memoryLimit, asOf, full] = process.argv.slice(2);
const steps: Record<string, number> = {};
/** The process's peak memory (RSS, MB) when each step ended: the step where it rose is where the peak was. */
const peaks: Record<string, number> = {};
let evaluation: unknown = null;
const stream = lineStream((l) => {
  const m = /^step (.+) done in ([\d.]+) s$/.exec(l);
  if (m) {
    steps[m[1]] = Number(m[2]);
    peaks[m[1]] = Math.round(process.resourceUsage().maxRSS / 1024);
  }
  if (l.startsWith('{') && l.includes('"evaluation"')) evaluation = (JSON.parse(l) as { evaluation: unknown }).evaluation;
});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await runBatchDetailed({ configPath, outDir, memoryLimit: memoryLimit || undefined, asOf: asOf || undefined, full: full === 'full', stream });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  ms, cpuS: (cpu.user + cpu.system) / 1e6, exitCode: r.exitCode, error: r.error ?? null, peakMB: process.resourceUsage().maxRSS / 1024,
  steps, peaks, evaluation, asOf: r.summary?.asOf ?? null,
}));
