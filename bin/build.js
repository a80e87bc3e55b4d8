// Which code runs: the compiled JavaScript in dist/ (built from src/ by `npm ci`'s prepare script, with tsc) when it
// is at least as new as every source file, else the TypeScript sources through tsx, so what runs is always what is in
// src/. Shared by bin/afstem.js and the bench (bench/nightly-once.mjs), which loads the batch the way cron's run does.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/ is current: its cli.js is no older than any .ts file under src/. */
export function buildIsCurrent() {
  try {
    return fs.statSync(path.join(root, 'dist', 'cli.js')).mtimeMs >= newestSource(path.join(root, 'src'));
  } catch {
    return false;
  }
}

/**
 * The module src/<rel>.ts as it runs: dist/<rel>.js when the build is current (and AFSTEM_FROM_SOURCE is not 1),
 * else the source through tsx. `from` says which.
 */
export async function importBuilt(rel) {
  if (process.env.AFSTEM_FROM_SOURCE !== '1' && buildIsCurrent()) {
    return { module: await import(pathToFileURL(path.join(root, 'dist', `${rel}.js`)).href), from: 'dist' };
  }
  const { register } = await import('tsx/esm/api');
  register();
  return { module: await import(pathToFileURL(path.join(root, 'src', `${rel}.ts`)).href), from: 'src' };
}
