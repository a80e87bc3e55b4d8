// Every file under a folder as relative path → bytes (base64): two snapshots are equal when the folder holds the
// same files with the same bytes.
import fs from 'node:fs';
import path from 'node:path';

export function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(folder, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(folder);
  return out;
}
