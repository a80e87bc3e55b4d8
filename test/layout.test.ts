// The source layout rule: no TypeScript file under src/, sample-data/, bench/ or bin/ is longer than 400 lines.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAX_LINES = 400;
const SKIP = new Set(['node_modules', 'data', 'inbox']);

function typeScriptFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP.has(e.name)) out.push(...typeScriptFiles(p));
    } else if (/\.(ts|mts|cts)$/.test(e.name)) out.push(p);
  }
  return out;
}

function lineCount(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source layout', () => {
  const files = ['src', 'sample-data', 'bench', 'bin'].flatMap((d) => typeScriptFiles(path.join(ROOT, d)));

  it('finds the TypeScript sources it checks', () => {
    expect(files.some((f) => f.endsWith(path.join('src', 'cli.ts')))).toBe(true);
    expect(files.some((f) => f.startsWith(path.join(ROOT, 'sample-data')))).toBe(true);
  });

  it(`keeps every TypeScript file under src/, sample-data/, bench/ and bin/ at ${MAX_LINES} lines or fewer`, () => {
    const tooLong = files
      .map((f) => ({ file: path.relative(ROOT, f), lines: lineCount(f) }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.file}: ${f.lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
