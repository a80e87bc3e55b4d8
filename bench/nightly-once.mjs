// One nightly run in its own process, loaded as cron's `afstem run` loads it (bin/build.js: the compiled batch in
// dist/ when the build is current, else the TypeScript sources through tsx; `from` in the output says which): the
// full batch on the bench's inbox and database, with the time of every step as the batch reports it ("step <label>
// done in <s>") and what the night evaluated (the log's `evaluation`: everything, or so many items). Prints JSON.
// Plain JavaScript so that nothing but the batch goes through a TypeScript loader (tsx adds 0.3–0.5 s to a run).
//   node bench/nightly-once.mjs <config> <out> <memory-limit|""> [asOf|""] [full]
import { importBuilt } from '../bin/build.js';

process.env.TZ ??= 'Europe/Copenhagen';
const [configPath, outDir, memoryLimit, asOf, full] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const { module: batch, from } = await importBuilt('run/batch');
const steps = {};
/** The process's peak memory (RSS, MB) when each step ended: the step where it rose is where the peak was. */
const peaks = {};
let evaluation = null;
let pending = '';
const onLine = (l) => {
  const m = /^step (.+) done in ([\d.]+) s$/.exec(l);
  if (m) {
    steps[m[1]] = Number(m[2]);
    peaks[m[1]] = Math.round(process.resourceUsage().maxRSS / 1024);
  }
  if (l.startsWith('{') && l.includes('"evaluation"')) evaluation = JSON.parse(l).evaluation;
};
// not a terminal, so the JSON log lines come too; each whole line to onLine as it is written
const stream = {
  isTTY: false,
  write(chunk) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) onLine(l);
    return true;
  },
};
const r = await batch.runBatchDetailed({ configPath, outDir, memoryLimit: memoryLimit || undefined, asOf: asOf || undefined, full: full === 'full', stream });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  ms, cpuS: (cpu.user + cpu.system) / 1e6, exitCode: r.exitCode, error: r.error ?? null, peakMB: process.resourceUsage().maxRSS / 1024,
  steps, peaks, evaluation, asOf: r.summary?.asOf ?? null, from,
}));
