#!/usr/bin/env node
// The afstem command. TypeScript runs through tsx, so `npx afstem …` works right after `npm ci`.
import { register } from 'tsx/esm/api';

process.env.TZ ??= 'Europe/Copenhagen';
register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
