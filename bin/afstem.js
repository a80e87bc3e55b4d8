#!/usr/bin/env node
// The afstem command. It runs the compiled JavaScript in dist/ (built from src/ by `npm ci`'s prepare script, with
// tsc), so it starts fast; when a source file is newer than the build (a developer's edit), it runs the TypeScript
// sources through tsx instead, so what runs is always what is in src/ (./build.js). A Node older than package.json's
// engines.node is refused first (./node-check.js).
import { enginesRange, nodeProblem } from './node-check.js';

const tooOld = nodeProblem(process.versions.node, enginesRange());
if (tooOld) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(2);
}

process.env.TZ ??= 'Europe/Copenhagen';
const { importBuilt } = await import('./build.js');
const { module } = await importBuilt('cli');
process.exitCode = await module.main(process.argv.slice(2));
