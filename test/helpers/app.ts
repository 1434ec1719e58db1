import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { issueApiKey } from '../../src/access/api-keys/keys.js';
import { bootstrap } from '../../src/access/bootstrap.js';
import { createTenant } from '../../src/access/tenants/tenants.js';
import type { Clock } from '../../src/core/clock.js';
import { loadConfig, type Config } from '../../src/core/config.js';
import type { Db } from '../../src/core/db/port.js';
import { randomToken } from '../../src/core/ids.js';
import { loggerOptions } from '../../src/core/logger.js';
import { buildApp, type App } from '../../src/server/app.js';
import { generateMasterKey, keyringFromText, type Keyring } from '../../src/vault/keyring.js';
import { injectClient, type TestClient } from './api.js';
import { createTestDb, type TestDb } from './db.js';

export type Json = Record<string, unknown> & { [key: string]: unknown };

export type TestRequest = {
  method?: InjectOptions['method'];
  url: string;
  /** Bearer token; defaults to the bootstrap superuser's. Pass null for no Authorization header. */
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
};

export type TestResponse = LightMyRequestResponse & { body: string; data: Json };

export type TestApp = {
  app: FastifyInstance;
  built: App;
  db: Db;
  testDb: TestDb;
  config: Config;
  keyring: Keyring;
  masterKey: string;
  /** The bootstrap superuser's token (an administrator key in the default tenant). */
  adminToken: string;
  tenantId: string;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  /** The typed SDK client over `app.inject()`, as the bootstrap superuser (see test/helpers/api.ts). */
  api: TestClient;
  /** The typed SDK client as `token` (no Authorization header when null), in `tenant` when given (superusers). */
  apiAs(token: string | null, options?: { tenant?: string }): TestClient;
  /** An untyped request, for what the typed client cannot send: malformed JSON, wrong types, odd headers. */
  request(req: TestRequest): Promise<TestResponse>;
  /** Issue an API key with a role directly (no HTTP): the fixture for role-based tests. */
  keyWithRole(role: string, tenantId?: string): Promise<{ token: string; id: string }>;
  /** Create another tenant with an administrator key in it. */
  otherTenant(slug?: string): Promise<{ tenantId: string; token: string }>;
  close(): Promise<void>;
};

export async function createTestApp(
  options: { config?: Partial<Config>; clock?: Clock; processMetrics?: boolean; masterKey?: string } = {},
): Promise<TestApp> {
  const testDb = await createTestDb();
  const { db } = testDb;
  const config: Config = {
    ...// Every request logged, so tests that inspect logs (secret leaks) see every line.
    loadConfig({ SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', SWITCHYARD_ACCESS_LOG: 'all' }),
    // The files store in a directory of this app's own, removed with it.
    filesDir: fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-files-')),
    ...options.config,
  };
  const logs: string[] = [];
  const log = pino(loggerOptions('info'), { write: (line: string) => void logs.push(line) });
  const masterKey = options.masterKey ?? generateMasterKey();
  const keyring = keyringFromText(masterKey, 'environment', 'test master key');
  const adminToken = randomToken('syk_');
  const built = await buildApp({
    config,
    db,
    log,
    keyring,
    processMetrics: options.processMetrics ?? false,
    validateResponses: true,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const boot = await bootstrap(db, built.vault, adminToken);
  if (!boot.created) throw new Error('bootstrap did not run on a fresh schema');
  const app = built.app;

  const request = async (req: TestRequest): Promise<TestResponse> => {
    const token = req.token === undefined ? adminToken : req.token;
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...req.headers };
    const res = await app.inject({
      method: req.method ?? 'GET',
      url: req.url,
      headers,
      ...(req.cookies ? { cookies: req.cookies } : {}),
      ...(req.body !== undefined
        ? typeof req.body === 'string'
          ? { payload: req.body }
          : { payload: req.body as object }
        : {}),
    });
    let data: Json = {};
    try {
      data = res.body ? (JSON.parse(res.body) as Json) : {};
    } catch {
      data = {};
    }
    return Object.assign(res, { data });
  };

  return {
    app,
    built,
    db,
    testDb,
    config,
    keyring,
    masterKey,
    adminToken,
    tenantId: boot.tenantId,
    logs,
    api: injectClient(app, adminToken),
    apiAs: (token, options) => injectClient(app, token, options),
    request,
    async keyWithRole(role, tenantId = boot.tenantId) {
      const { row, token } = await issueApiKey(db, { tenantId, name: `${role} key`, role });
      return { token, id: row.id };
    },
    async otherTenant(slug = `other-${Math.random().toString(36).slice(2, 8)}`) {
      const tenant = await db.transaction((tx) => createTenant(tx, built.vault, { name: slug, slug }));
      const { token } = await issueApiKey(db, { tenantId: tenant.id, name: 'other admin', role: 'administrator' });
      return { tenantId: tenant.id, token };
    },
    async close() {
      await built.close();
      await testDb.drop();
      fs.rmSync(config.filesDir, { recursive: true, force: true });
    },
  };
}
