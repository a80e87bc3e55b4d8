// A batch that dies by SIGKILL between the two renames of moveIntoPlace (src/outputs/folder.ts): the previous outputs
// are moved aside, and the process is killed as it moves the new ones in (a power cut, the OOM killer).
//   node --import tsx die-in-move.ts <config> <out> <asOf>
import fs from 'node:fs';
import { runBatchDetailed } from '../../src/run/batch.ts';

const [config, out, asOf] = process.argv.slice(2);
const rename = fs.renameSync;
fs.renameSync = ((from: fs.PathLike, to: fs.PathLike) => {
  // the work folder going into place while the old outputs are aside
  if (String(from).includes('.tmp-') && String(to) === out && !fs.existsSync(out)) process.kill(process.pid, 'SIGKILL');
  rename(from, to);
}) as typeof fs.renameSync;
await runBatchDetailed({ configPath: config, outDir: out, asOf, stream: { write: () => true } as unknown as NodeJS.WritableStream });
process.exit(99); // never reached when the outputs are moved into place over earlier ones
