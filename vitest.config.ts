import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'sdk/**/*.test.ts', 'connect/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than the CPUs, which on a 2-CPU machine runs every file one after the
    // other while the second CPU mostly idles: at least two.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // Test files share their worker's module graph instead of re-importing the server (fastify, zod schemas,
    // PGlite) for each of them, and a worker's in-memory PGlite (test/helpers/db.ts): about 7 s of CPU per file.
    // Tests stay apart by construction: each has its own schema and app, and every file closes what it started.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
