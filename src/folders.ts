// Folders on disk: mkdir -p that works everywhere (db.ts creates the database's folder, the run its output folders).
import fs from 'node:fs';
import path from 'node:path';

/**
 * mkdir -p without Node's `recursive: true`, which loops for ever under /proc (it keeps getting ENOENT): find the
 * nearest existing ancestor, then create each missing folder below it; throws the first error.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  let p = path.resolve(dir);
  while (!fs.existsSync(p)) {
    missing.unshift(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const m of missing) fs.mkdirSync(m);
}
