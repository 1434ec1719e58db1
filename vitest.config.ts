import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'sdk/**/*.test.ts', 'connect/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    // One worker more than the CPUs: a file spends much of its time waiting on the processes and servers it drives,
    // so as many workers as CPUs left about 40% of a 2-CPU machine idle through the suite; one more keeps it busy
    // (97% measured; the suite 788 s → 570–660 s on 2 CPUs, by the machine's hour). Vitest's default (one fewer than the CPUs) is worse yet.
    maxWorkers: os.availableParallelism() + 1,
    // Test files share their worker's module graph instead of re-importing the server (fastify, zod schemas) for each
    // of them. Tests stay apart by construction: each has a schema of its own on the run's PostgreSQL server (new, or
    // one an earlier test left as migrated, emptied: test/helpers/db.ts) and its own app, and every file closes what
    // it started.
    isolate: false,
    // expect.poll waits for state other processes or the page reach (a worker's delivery, a page's refetch): on a
    // loaded 2-CPU runner vitest's 1 s default timed out on state that arrived moments later (CI's console lane). A
    // condition that never holds still fails, after 10 s.
    expect: { poll: { timeout: 10_000 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
