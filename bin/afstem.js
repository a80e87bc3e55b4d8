#!/usr/bin/env node
// The afstem command. It runs the compiled JavaScript in dist/ (built from src/ by `npm ci`'s prepare script, with
// tsc), so it starts fast; when a source file is newer than the build (a developer's edit), it runs the TypeScript
// sources through tsx instead, so what runs is always what is in src/. A Node older than package.json's
// engines.node is refused first (./node-check.js).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { enginesRange, nodeProblem } from './node-check.js';

const tooOld = nodeProblem(process.versions.node, enginesRange());
if (tooOld) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(2);
}

process.env.TZ ??= 'Europe/Copenhagen';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsCurrent() {
  try {
    return fs.statSync(built).mtimeMs >= newestSource(path.join(root, 'src'));
  } catch {
    return false;
  }
}

let main;
if (process.env.AFSTEM_FROM_SOURCE !== '1' && buildIsCurrent()) {
  ({ main } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(pathToFileURL(path.join(root, 'src', 'cli.ts')).href));
}
process.exitCode = await main(process.argv.slice(2));
