// The source layout rules: no TypeScript file under src/, sample-data/, bench/ or bin/ is longer than 400 lines; the
// layers of src/ only look down (LAYERS below, top to bottom: every relative import of a module, static, dynamic or
// type-only, goes to its own layer or one below) and no modules import each other in a circle; and cli.ts imports no
// command statically, so `afstem --help` starts without loading DuckDB.
// Checked against the code before the layers were declared: the order found pipeline/batch.ts importing outputs/,
// report/ and handling/, outputs/ importing report/ and export/, db.ts, lock.ts and config.ts importing upward, and
// three circles (15 modules through pipeline/batch.ts and report/; pipeline/lifecycle ↔ handling; ingest/load ↔
// ingest/batch-read).
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

/**
 * The layers of src/, top to bottom (README.md "How it is built" quotes this list). A module may import a module of
 * its own layer or of a layer below; `*.ts` is every other file directly in src/ (the foundations).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli.ts'],
  ['commands/'],
  ['serve/', 'run/'],
  ['report/', 'export/'],
  ['outputs/'],
  ['handling/'],
  ['pipeline/'],
  ['ingest/'],
  ['schema/', '*.ts'],
];

const SRC = path.join(ROOT, 'src');

/** The layer of a module under src/ (0 the top), or -1 when the order names no place for it. */
function layerOf(file: string): number {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  const dir = rel.includes('/') ? `${rel.slice(0, rel.indexOf('/'))}/` : null;
  return LAYERS.findIndex((l) => (dir ? l.includes(dir) : l.includes(rel) || (l.includes('*.ts') && !LAYERS.some((m) => m.includes(rel)))));
}

/** Every module under src/ with the modules under src/ it imports (relative specifiers, resolved). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of typeScriptFiles(SRC)) {
    graph.set(f, imports(f).filter((i) => i.spec.startsWith('.')).map((i) => path.resolve(path.dirname(f), i.spec)));
  }
  return graph;
}

/** The circles of a graph: for each, its modules in import order, the first repeated at the end (a DFS). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const to of graph.get(f) ?? []) {
      if (!graph.has(to)) continue;
      if (state.get(to) === 'open') found.push([...stack.slice(stack.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return found;
}

const rel = (f: string) => path.relative(ROOT, f);

describe('layers that only look down', () => {
  const COMMANDS = path.join(SRC, 'commands');
  const graph = importGraph();

  it('reads the imports of a file, static, dynamic and type-only', () => {
    const waves = imports(path.join(COMMANDS, 'waves.ts')).map((i) => i.spec);
    expect(waves).toContain('../outputs/waves.ts');
    expect(imports(path.join(SRC, 'cli.ts')).filter((i) => i.dynamic).map((i) => i.spec)).toContain('./commands/run.ts');
    expect(imports(path.join(SRC, 'report', 'section.ts')).map((i) => i.spec)).toContain('../db.ts'); // import type { Row }
  });

  it('places every module of src/ in a layer', () => {
    expect(layerOf(path.join(SRC, 'cli.ts'))).toBe(0);
    expect(layerOf(path.join(SRC, 'db.ts'))).toBe(LAYERS.length - 1);
    expect(layerOf(path.join(SRC, 'run', 'batch.ts'))).toBe(2);
    expect([...graph.keys()].filter((f) => layerOf(f) < 0).map(rel)).toEqual([]);
  });

  it('every relative import goes to the same layer or a lower one', () => {
    const upward = [...graph].flatMap(([f, tos]) =>
      tos.filter((to) => graph.has(to) && layerOf(to) < layerOf(f)).map((to) => `${rel(f)} imports ${rel(to)}`));
    expect(upward).toEqual([]);
  });

  it('finds a circle and an upward import where there is one', () => {
    const a = path.join(SRC, 'pipeline', 'a.ts');
    const b = path.join(SRC, 'pipeline', 'b.ts');
    expect(circles(new Map([[a, [b]], [b, [a]]])).map((c) => c.map(rel))).toEqual([['src/pipeline/a.ts', 'src/pipeline/b.ts', 'src/pipeline/a.ts']]);
    expect(layerOf(path.join(SRC, 'report', 'build.ts'))).toBeLessThan(layerOf(path.join(SRC, 'pipeline', 'catalog.ts')));
  });

  it('no modules import each other in a circle', () => {
    expect(circles(graph).map((c) => c.map(rel).join(' → '))).toEqual([]);
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
