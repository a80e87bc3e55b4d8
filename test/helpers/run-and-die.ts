// A batch that dies by SIGKILL just before one of its output steps (as a killed run would), for the atomic-write
// tests: node --import tsx run-and-die.ts <config> <out> <asOf> <step>
import { runBatchDetailed } from '../../src/run/batch.ts';

const [config, out, asOf, at] = process.argv.slice(2);
await runBatchDetailed({
  configPath: config,
  outDir: out,
  asOf,
  stream: { write: () => true } as unknown as NodeJS.WritableStream,
  beforeStep: (name) => {
    if (name === at) process.kill(process.pid, 'SIGKILL');
  },
});
process.exit(99); // never reached when the step exists
