// The Node versions afstem runs on: package.json's `engines.node` (">=20.15.0": discrepancies.xlsx is zipped with
// zlib.crc32, which Node has from 20.15). bin/afstem.js checks it before it loads anything else, so an older Node
// stops at once with a clear message (exit 2, like a bad configuration) instead of failing every night with exit 1.
// Plain JavaScript that any Node runs.
import fs from 'node:fs';

/** The version numbers of "20.15.0" or "v20.15" as [major, minor, patch]. */
function parts(version) {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(String(version).trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
}

/** The lowest version of a range ">=X.Y.Z" (the only form package.json uses). */
export function minimumOf(range) {
  const m = /^>=\s*(v?\d+(?:\.\d+){0,2})$/.exec(String(range).trim());
  if (!m) throw new Error(`package.json engines.node: expected ">=X.Y.Z", got "${range}"`);
  return m[1].replace(/^v/, '');
}

/** Why this Node cannot run afstem, or null when it can. */
export function nodeProblem(version, range) {
  const min = minimumOf(range);
  const have = parts(version);
  const want = parts(min);
  if (!have) return `afstem: cannot read the Node version "${version}"; afstem needs Node ${min} or later`;
  for (let i = 0; i < 3; i++) {
    if (have[i] > want[i]) return null;
    if (have[i] < want[i]) {
      return `afstem: Node ${String(version).replace(/^v/, '')} is too old: afstem needs Node ${min} or later ` +
        `(package.json engines.node "${range}"); install a newer Node 20 (20.15 or later) or Node 22`;
    }
  }
  return null;
}

/** engines.node of package.json beside bin/. */
export function enginesRange() {
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return pkg.engines.node;
}
