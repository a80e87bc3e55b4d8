// One nightly batch in its own process, on a database bench/report has loaded (so its load reads nothing new), to
// time the batch's report step as the batch itself reports it: the steps "write the outputs", "write the report"
// and "write the municipalities' reports" (their JSON log lines, in ms), and the parts of the last one (its `part`
// log lines: busy time of each kind of file, summed over the municipalities), and the process's peak memory (RSS, the
// kernel's high-water mark VmHWM) as each step ends: a step whose figure is higher than the one before raised the peak.
// Prints JSON.
import fs from 'node:fs';
import { runBatchDetailed } from '../src/run/batch.ts';
import { lineStream } from './inbox.ts';

// the parts are debug lines of the batch's log
process.env.AFSTEM_LOG_LEVEL = 'debug';

const [configPath, outDir, memoryLimit] = process.argv.slice(2);
const steps: Record<string, number> = {};
const parts: Record<string, number> = {};
const peaks: Record<string, number> = {};
/** The process's peak RSS so far in MB (Linux: VmHWM of /proc/self/status; elsewhere this process's maxRSS). */
const peakMB = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.existsSync('/proc/self/status') ? fs.readFileSync('/proc/self/status', 'utf8') : '');
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
};
const stream = lineStream((l) => {
  if (!l.startsWith('{')) return;
  const o = JSON.parse(l) as { step?: string; part?: string; ms?: number };
  if (o.step !== undefined && o.ms !== undefined) {
    steps[o.step] = o.ms;
    peaks[o.step] = Math.round(peakMB());
  }
  if (o.part !== undefined && o.ms !== undefined) parts[o.part] = (parts[o.part] ?? 0) + o.ms;
});
const t0 = performance.now();
const r = await runBatchDetailed({ configPath, outDir, memoryLimit: memoryLimit || undefined, stream });
const ms = performance.now() - t0;
console.log(JSON.stringify({
  ms,
  exitCode: r.exitCode,
  error: r.error ?? null,
  open: r.summary?.totals.open ?? 0,
  critical: r.summary?.totals.critical ?? 0,
  warning: r.summary?.totals.warning ?? 0,
  peakMB: process.resourceUsage().maxRSS / 1024,
  steps,
  peaks,
  parts,
}));
