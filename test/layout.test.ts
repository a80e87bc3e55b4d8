// The source layout rules: no TypeScript file under src/, sample-data/, bench/ or bin/ is longer than 400 lines; the
// layers only look down (nothing under src/pipeline/, report/, outputs/, ingest/ or export/ imports src/commands/;
// nothing below src/serve/ imports it, and it imports no command);
// and cli.ts imports no command statically, so `afstem --help` starts without loading DuckDB.
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

/** The relative module paths a file imports (static `import … from`, `export … from`, and dynamic `import()`). */
function imports(file: string): { spec: string; dynamic: boolean }[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: { spec: string; dynamic: boolean }[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[1], dynamic: false });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[1], dynamic: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1], dynamic: true });
  return out;
}

describe('layers that only look down', () => {
  const SRC = path.join(ROOT, 'src');
  const COMMANDS = path.join(SRC, 'commands');
  const LOWER = ['pipeline', 'report', 'outputs', 'ingest', 'export'];
  const resolved = (file: string, spec: string) => path.resolve(path.dirname(file), spec);

  it('reads the imports of a file, static and dynamic', () => {
    const waves = imports(path.join(COMMANDS, 'waves.ts')).map((i) => i.spec);
    expect(waves).toContain('../outputs/waves.ts');
    expect(imports(path.join(SRC, 'cli.ts')).filter((i) => i.dynamic).map((i) => i.spec)).toContain('./commands/run.ts');
  });

  it('no module under src/pipeline, report, outputs, ingest or export imports src/commands/', () => {
    const upward = LOWER.flatMap((d) => typeScriptFiles(path.join(SRC, d)))
      .flatMap((f) => imports(f).filter((i) => i.spec.startsWith('.')).map((i) => ({ f, to: resolved(f, i.spec) })))
      .filter(({ to }) => to.startsWith(COMMANDS + path.sep))
      .map(({ f, to }) => `${path.relative(ROOT, f)} imports ${path.relative(ROOT, to)}`);
    expect(upward).toEqual([]);
  });

  it('src/serve/ is a top layer beside src/commands/: nothing below imports it, and it imports no command', () => {
    const SERVE = path.join(SRC, 'serve');
    const below = [...LOWER, 'handling'].flatMap((d) => typeScriptFiles(path.join(SRC, d)))
      .concat(fs.readdirSync(SRC).filter((f) => f.endsWith('.ts')).map((f) => path.join(SRC, f)));
    const upward = below
      .flatMap((f) => imports(f).filter((i) => i.spec.startsWith('.')).map((i) => ({ f, to: resolved(f, i.spec) })))
      .filter(({ to }) => to.startsWith(SERVE + path.sep))
      .map(({ f, to }) => `${path.relative(ROOT, f)} imports ${path.relative(ROOT, to)}`);
    expect(upward).toEqual([]);
    const sideways = typeScriptFiles(SERVE)
      .flatMap((f) => imports(f).filter((i) => i.spec.startsWith('.')).map((i) => ({ f, to: resolved(f, i.spec) })))
      .filter(({ to }) => to.startsWith(COMMANDS + path.sep))
      .map(({ f, to }) => `${path.relative(ROOT, f)} imports ${path.relative(ROOT, to)}`);
    expect(sideways).toEqual([]);
    expect(typeScriptFiles(SERVE).length).toBeGreaterThan(5);
  });

  it('cli.ts loads commands, the pipeline and DuckDB only when a command runs', () => {
    const eager = imports(path.join(SRC, 'cli.ts'))
      .filter((i) => !i.dynamic)
      .map((i) => i.spec)
      .filter((s) => !s.startsWith('node:'));
    expect(eager.sort()).toEqual(['./errors.ts', './mask.ts']);
    for (const f of ['errors.ts', 'mask.ts']) expect(imports(path.join(SRC, f)).filter((i) => !i.dynamic)).toEqual([]);
  });
});
