// The `ignore` patterns of FORMATS.md §6: globs relative to the inbox, matched by picomatch (a well-kept matcher)
// against a path with forward slashes. `*` and `?` stay inside one folder, `**` crosses folders (`999/**` matches
// `999/a.csv`, `999/x/y.csv` and the folder `999` itself), braces list alternatives (`**/*.{txt,xls}`), brackets a
// class of characters (`[0-9]`); names beginning with a dot match too; matching is case-sensitive, as the file system
// is. A pattern picomatch cannot read, or would read as something else than it says, is refused when the
// configuration is loaded (globProblem), so a mistake never silently ignores nothing, or everything.
import picomatch from 'picomatch';

const OPTIONS: picomatch.PicomatchOptions = { dot: true, strictBrackets: true };

/** Whether `pattern` matches the inbox-relative `relPath` (forward slashes, no leading `/`). */
export function globMatch(pattern: string, relPath: string): boolean {
  return picomatch(pattern, OPTIONS)(relPath);
}

/** One matcher for a list of patterns: the first pattern that matches a path, or undefined. */
export function globMatcher(patterns: readonly string[]): (relPath: string) => string | undefined {
  const tests = patterns.map((p) => ({ p, test: picomatch(p, OPTIONS) }));
  return (relPath) => tests.find((t) => t.test(relPath))?.p;
}

const OPENER: Record<string, string> = { ']': '[', '}': '{', ')': '(' };

/** Why a pattern cannot be used, or null: patterns are relative to the inbox, stay inside it, and mean what they say. */
export function globProblem(pattern: string): string | null {
  if (pattern.trim() === '') return 'an empty pattern';
  if (pattern.startsWith('/')) return 'the pattern must be relative to the inbox (no leading "/")';
  if (pattern.includes('\\')) return 'use "/" between folders, not "\\"';
  if (pattern.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return 'the pattern must not hold "." or ".." segments or an empty segment ("//")';
  }
  if (pattern.startsWith('!')) return 'a pattern that begins with "!" (all files but these) is not supported: list the files to ignore';
  if (/\[!/.test(pattern)) return 'write a class of characters not to match as [^…]: "[!…]" would match "!" itself';
  const single = /\{([^{},]*)\}/.exec(pattern);
  if (single && !single[1].includes('..')) {
    return `"{${single[1]}}" has one alternative and would match the braces themselves: give two or more, e.g. "{txt,xls}"`;
  }
  try {
    picomatch.makeRe(pattern, OPTIONS);
  } catch (e) {
    const closing = /Missing closing: "(.)"/.exec((e as Error).message)?.[1];
    return closing ? `a "${OPENER[closing] ?? closing}" without its "${closing}"` : `not a glob pattern picomatch can read (${(e as Error).message})`;
  }
  return null;
}
