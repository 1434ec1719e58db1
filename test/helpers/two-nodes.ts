import { afterEach, beforeEach } from 'vitest';
import { randomToken } from '../../src/core/ids.js';
import { generateMasterKey } from '../../src/vault/keyring.js';
import { testClient, type TestClient } from './api.js';
import { testDatabaseUrl } from './db.js';
import { liveFixture } from './live.js';
import { createScratchDatabase, startServeProcess, type ServeProcess } from './serve-process.js';

export type TwoNodes = {
  a: ServeProcess;
  b: ServeProcess;
  /** The database both nodes use. */
  databaseUrl: string;
  masterKey: string;
  /** The bootstrap superuser's token (SWITCHYARD_ADMIN_TOKEN). */
  adminToken: string;
  /** The typed SDK client of a node, over its port, as the bootstrap superuser or as `token`. */
  client(node: ServeProcess, token?: string): TestClient;
};

/**
 * Before each test, two `switchyard serve` processes on one new database of the test PostgreSQL server, started
 * together (so both race to migrate and bootstrap) and healthy, with `env` on top of what they need; after it, both
 * stopped and the database dropped. PGlite is one process: call it inside a `describe.skipIf` for PGlite runs.
 * Returns the live nodes: read them inside tests.
 */
export function useTwoNodes(env: Record<string, string> = {}): TwoNodes {
  const cleanup: (() => Promise<unknown>)[] = [];
  const nodes = liveFixture<TwoNodes>('the two nodes');
  beforeEach(async () => {
    const database = await createScratchDatabase(testDatabaseUrl());
    cleanup.push(() => database.drop());
    const masterKey = generateMasterKey();
    const adminToken = randomToken('syk_');
    const nodeEnv = {
      DATABASE_URL: database.url,
      SWITCHYARD_MASTER_KEY: masterKey,
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      SWITCHYARD_LOG_LEVEL: 'warn',
      ...env,
    };
    const [a, b] = await Promise.all([startServeProcess(nodeEnv), startServeProcess(nodeEnv)]);
    cleanup.push(
      () => a.stop(),
      () => b.stop(),
    );
    await Promise.all([a.waitHealthy(), b.waitHealthy()]);
    const client = (node: ServeProcess, token = adminToken) => testClient({ baseUrl: node.url, token });
    nodes.set({ a, b, databaseUrl: database.url, masterKey, adminToken, client });
  });
  afterEach(async () => {
    nodes.set(undefined);
    while (cleanup.length) await cleanup.pop()?.();
  });
  return nodes.view;
}
