// The `ignore` patterns of FORMATS.md §6: globs relative to the inbox, matched against a path with forward slashes.
// `*` matches any run of characters inside one path segment (never a `/`), `?` one character of a segment, and a
// segment that is `**` alone matches zero or more whole segments (`999/**` matches `999/a.csv`, `999/x/y.csv` and
// the folder `999` itself). Every other character stands for itself; matching is case-sensitive, as the file system is.

/** Whether `pattern` matches the inbox-relative `relPath` (forward slashes, no leading `/`). */
export function globMatch(pattern: string, relPath: string): boolean {
  const pats = pattern.split('/');
  const segs = relPath.split('/');
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = i * (segs.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === pats.length) result = j === segs.length;
    else if (pats[i] === '**') {
      result = false;
      for (let k = j; k <= segs.length && !result; k++) result = match(i + 1, k);
    } else result = j < segs.length && segmentMatch(pats[i], segs[j]) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

function segmentMatch(pattern: string, segment: string): boolean {
  let source = '^';
  for (const ch of pattern) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[\\^$.|+(){}[\]]/g, '\\$&');
  }
  return new RegExp(`${source}$`, 'su').test(segment);
}

/** Why a pattern cannot be used, or null: patterns are relative to the inbox and stay inside it. */
export function globProblem(pattern: string): string | null {
  if (pattern.trim() === '') return 'an empty pattern';
  if (pattern.startsWith('/')) return 'the pattern must be relative to the inbox (no leading "/")';
  if (pattern.includes('\\')) return 'use "/" between folders, not "\\"';
  if (pattern.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return 'the pattern must not hold "." or ".." segments or an empty segment ("//")';
  }
  return null;
}
