// DuckDB's memory limit chosen for the machine (issue 27): by default a quarter of the RAM, at most 1 GiB (what keeps the
// process within 2 GiB at 10,000,000 fees) and at least 256 MiB; a given --memory-limit wins; the allocator gives
// freed memory back. Checked on the code before
// (f98b4d6, this file copied into its tree): the first and third tests failed there (no defaultMemoryLimit; Db.open's
// default was a fixed 2GB).
import { afterEach, describe, expect, it } from 'vitest';
import { Db, defaultMemoryLimit } from '../src/db.ts';

const GiB = 1024 ** 3;
const opened: Db[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});
async function setting(opts: { memoryLimit?: string }): Promise<string> {
  const db = await Db.open(':memory:', opts);
  opened.push(db);
  return String(await db.value(`SELECT current_setting('memory_limit')`));
}

describe('DuckDB memory limit', () => {
  it('is a quarter of the RAM, at most 1 GiB and at least 256 MiB', () => {
    expect(defaultMemoryLimit(24 * GiB)).toBe('1024MiB');
    expect(defaultMemoryLimit(6 * GiB)).toBe('1024MiB');
    expect(defaultMemoryLimit(3.5 * GiB)).toBe('896MiB');
    expect(defaultMemoryLimit(4 * GiB)).toBe('1024MiB');
    expect(defaultMemoryLimit(2 * GiB)).toBe('512MiB');
    expect(defaultMemoryLimit(0.5 * GiB)).toBe('256MiB');
  });

  it('a given limit wins', async () => {
    expect(await setting({ memoryLimit: '1.5GiB' })).toBe('1.5 GiB');
  });

  it('without one, a database opens with the machine\'s default, not DuckDB\'s or a fixed 2GB', async () => {
    const chosen = await setting({});
    expect(chosen).toBe(await setting({ memoryLimit: defaultMemoryLimit() }));
    expect(chosen).not.toBe(await setting({ memoryLimit: '2GB' }));
    const mib = Number(/^(\d+)MiB$/.exec(defaultMemoryLimit())![1]);
    expect(mib).toBeLessThanOrEqual(1024);
  });

  it('lets the allocator give freed memory back (background threads, a flush after tasks above 32 MiB)', async () => {
    const db = await Db.open(':memory:', {});
    opened.push(db);
    expect(String(await db.value(`SELECT current_setting('allocator_background_threads')`))).toBe('true');
    expect(String(await db.value(`SELECT current_setting('allocator_flush_threshold')`))).toBe('32.0 MiB');
  });
});
