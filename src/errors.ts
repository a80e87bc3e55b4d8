// One error type that carries its exit code (FORMATS.md §7: 2 bad configuration, bad arguments or a batch already
// running; 1 anything unexpected). cli.ts catches it once; anything else is unexpected (exit 1).
export class AfstemError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'AfstemError';
  }
}

/** Bad arguments or a bad setting the user can fix: exit code 2. */
export class UsageError extends AfstemError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

const MEMORY_LIMIT = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** Checks a `--memory-limit` value (DuckDB's memory_limit: `1536MB`, `2GB`, `1.5 GiB`). */
export function checkMemoryLimit(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (!MEMORY_LIMIT.test(v)) {
    throw new UsageError(`--memory-limit "${value}" is not a memory size: give a number and a unit, such as 1536MB, 2GB or 1.5GiB`);
  }
  return v;
}

/**
 * What an operator can do when DuckDB ran out of its working memory (its own hint speaks of SET memory_limit, which an
 * operator of afstem does not type): a larger `--memory-limit`. Null for any other failure.
 */
export function outOfMemoryHint(message: string, limit: string): string | null {
  if (!/Out of Memory Error/.test(message)) return null;
  return `DuckDB's working memory (${limit}) was not enough: run again with a larger --memory-limit; the process needs about 0.7 GB more than the limit`;
}
