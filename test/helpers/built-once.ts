// A folder that several test files build the same way (an installation with its database after a real run), built
// once and copied for each of them. It is kept under the OS temp dir (never in the repository), named by a hash of
// everything it may depend on: the fixture's own name and parameters, every file under src/, reports/ and the
// queries the run reads (AFSTEM_QUERIES_DIR when set, as the mutation tool sets it), the test helpers and sample data
// the caller names, Node's and DuckDB's versions. A change to any of them builds it again. Each caller gets its own
// copy in a new temporary folder, so a test may write to it freely; the folder must therefore hold relative paths only
// (a configuration whose inbox and database are relative to it).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function hashTree(h: ReturnType<typeof createHash>, dir: string): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) hashTree(h, p);
    else if (e.isFile()) h.update(path.relative(dir, p)).update('\0').update(fs.readFileSync(p)).update('\0');
  }
}

function key(name: string, params: string, inputs: readonly string[]): string {
  const h = createHash('sha256').update(name).update('\0').update(params).update('\0').update(process.version);
  h.update(fs.readFileSync(path.join(ROOT, 'node_modules/@duckdb/node-api/package.json')));
  const queries = process.env.AFSTEM_QUERIES_DIR ? path.resolve(process.env.AFSTEM_QUERIES_DIR) : path.join(ROOT, 'queries');
  for (const p of [path.join(ROOT, 'src'), path.join(ROOT, 'reports'), queries, path.join(ROOT, 'test/helpers/built-once.ts'), ...inputs.map((i) => path.resolve(ROOT, i))]) {
    h.update(`\0${p === queries ? 'queries' : path.relative(ROOT, p)}\0`);
    if (fs.statSync(p).isDirectory()) hashTree(h, p);
    else h.update(fs.readFileSync(p));
  }
  return h.digest('hex').slice(0, 20);
}

/**
 * A new temporary folder (named `afstem-<prefix>-…`) holding a copy of the folder `build` made, built at most once
 * for the same inputs. `inputs`: files and folders (relative to the repository) the build reads besides src/,
 * reports/ and the queries; `params`: what else it depends on (its arguments, as text).
 */
export async function builtOnce(prefix: string, inputs: readonly string[], params: string, build: (dir: string) => Promise<void>): Promise<string> {
  const cache = path.join(os.tmpdir(), 'afstem-test-cache', `${prefix}-${key(prefix, params, inputs)}`);
  if (!fs.existsSync(cache)) {
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    const tmp = fs.mkdtempSync(`${cache}.tmp-`);
    try {
      await build(tmp);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw new Error(`the shared fixture ${prefix} could not be built (in ${tmp}): ${(e as Error).message}`, { cause: e });
    }
    try {
      // into place whole: a test file reading it never sees a half-built folder; when another process was quicker,
      // its folder (built from the same inputs) stays
      fs.renameSync(tmp, cache);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `afstem-${prefix}-`));
  fs.cpSync(cache, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}
