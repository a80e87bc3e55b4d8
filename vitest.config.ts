import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The one place for time limits (no test or hook sets its own): sized for a 2-core machine busy with other work,
    // where a set-up runs up to ten times slower than on a quiet one (the slowest, masking's and separation's, ~30 s
    // quiet). A limit is only a stop for a hang: no test asserts on how long anything took.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // the calendar tables every new database builds, built once for the suite (test/helpers/context-seed.ts)
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // every core: vitest's default on a 2-core machine is one worker (cores − 1), and a test spends much of its time
    // waiting (fsync of its database files, child processes, Chromium), not computing
    maxWorkers: availableParallelism(),
    // one DuckDB thread per database: the workers already keep the cores busy, and two threads per database on top of
    // them cost 15 % more CPU (test/rules, test/hostile/inbox, test/incremental/items: 137 s against 116 s)
    env: { TZ: 'Europe/Copenhagen', AFSTEM_DUCKDB_THREADS: '1' },
  },
});
