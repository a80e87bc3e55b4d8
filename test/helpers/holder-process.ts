// Starts ./lock-holder.ts in a child process: it holds afstem's lock (with the run id given) and the database open,
// like a running batch, until it is killed. Resolves when the child says it is ready; the caller ends it by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export async function startLockHolder(database: string, runId: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lock-holder.ts'), database, runId], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
    });
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw e;
  }
  return child;
}
