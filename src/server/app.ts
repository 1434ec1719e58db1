import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { withConnectionKeys } from '../connections/identity.js';
import { connectRoutes } from '../connect/routes.js';
import { connectPageRoutes } from '../connect/page.js';
import { apiKeyRoutes } from '../access/api-keys/routes.js';
import { createAuth, type Auth } from '../access/authenticate.js';
import { roleRoutes } from '../access/roles/routes.js';
import { sessionRoutes } from '../access/sessions/routes.js';
import { tenantRoutes } from '../access/tenants/routes.js';
import { userRoutes } from '../access/users/routes.js';
import { auditRoutes } from '../audit/routes.js';
import { createProxy, type Proxy } from '../connections/proxy/proxy.js';
import { proxyRoutes, registerProxyRoutes } from '../connections/proxy/routes.js';
import { createRequestLog } from '../connections/request-log.js';
import { createRefresher, type Refresher } from '../oauth/refresh/refresher.js';
import { refreshRoutes } from '../oauth/refresh/routes.js';
import { connectionRoutes } from '../connections/routes.js';
import { secretDestinationCheck } from '../connections/secret-destinations.js';
import { connectClientCredentials } from '../oauth/flows/client-credentials.js';
import { createOAuthProtocol } from '../oauth/protocol.js';
import { createRevoker } from '../oauth/revoke/revoke.js';
import { oauthRoutes } from '../oauth/routes.js';
import type { ConnectionDeps } from '../connections/service-common.js';
import { createRegistry, type Registry } from '../catalog/registry.js';
import { connectorRoutes } from '../catalog/routes.js';
import { insertAuditEntry } from '../audit/sql.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/port.js';
import { createHttpMetrics } from '../core/http/metrics.js';
import { registerRoutes, registerStreamedBodyRoutes, type RouteRuntime } from '../core/http/register.js';
import { linkRoutes } from '../files/link-routes.js';
import { createLinkSigner } from '../files/links.js';
import { fileRoutes } from '../files/routes.js';
import { createFileStore, type FileStore } from '../files/store.js';
import { fileContentRoutes, uploadRoutes } from '../files/upload-routes.js';
import { versionRoutes } from '../files/version-routes.js';
import type { RouteDef } from '../core/http/route.js';
import { createRateLimiter } from '../core/http/rate-limit.js';
import { createHttpServer } from '../core/http/server.js';
import { createOutbound } from '../core/net/http-client.js';
import { consoleDir, packageRoot } from '../core/paths.js';
import type { Keyring } from '../vault/keyring.js';
import { vaultSystemRoutes } from '../vault/routes.js';
import { secretRoutes } from '../vault/secrets/routes.js';
import { createVault, type Vault } from '../vault/vault.js';
import { eventRoutes } from '../events/routes.js';
import { deliveryRoutes } from '../webhooks/deliveries/routes.js';
import { endpointRoutes } from '../webhooks/endpoints/routes.js';
import { eventTypeRoutes } from '../events/types/routes.js';
import { createEventTypeCache } from '../events/types/cache.js';
import { createIngestWriter } from '../webhooks/inbound/ingest/writer.js';
import { ingestRoutes, registerIngestRoutes } from '../webhooks/inbound/ingest/route.js';
import { createSourceCache } from '../webhooks/inbound/sources/cache.js';
import { sealClearForwardHeaders } from '../webhooks/inbound/sources/forward-headers.js';
import { sourceRoutes } from '../webhooks/inbound/sources/routes.js';
import { inboundEventRoutes } from '../webhooks/inbound/events/routes.js';
import { syncConfigRoutes } from '../sync/configs/routes.js';
import { syncExecutionRoutes } from '../sync/executions/routes.js';
import { createEndpoints } from '../sync/run/open.js';
import { recordRoutes } from '../sync/records/routes.js';
import { importRoutes } from '../sync/imports/routes.js';
import { conflictRoutes } from '../sync/twoway/routes.js';
import { opsRoutes } from './ops-routes.js';
import { createWorkers, routeQueueSettings, storageTransferSettings, type Workers } from './workers.js';
import { storageRoutes } from '../storage/routes.js';
import { createTransfers, type Transfers } from '../storage/transfers.js';
import { capabilityCatalog } from '../catalog/capabilities.js';
import { routingRoutes } from '../routing/routes.js';
import { createRouting, type Routing } from '../routing/service.js';

export const version: string = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).version;

export type AppOptions = {
  config: Config;
  db: Db;
  log: Logger;
  keyring: Keyring;
  clock?: Clock;
  /** Validate every response against its schema with zod (tests); off, responses use compiled serialisers. */
  validateResponses?: boolean;
  /** Node process metrics in /metrics (off in most tests: each registry starts its own collectors). */
  processMetrics?: boolean;
};

export type App = {
  app: FastifyInstance;
  vault: Vault;
  auth: Auth;
  registry: Registry;
  connections: ConnectionDeps;
  /** OAuth token refresh, for the background job `serve` runs. */
  refresher: Refresher;
  /** The API proxy; `proxy.call` is the vendor call syncs read and push through. */
  proxy: Proxy;
  /** The files store (uploads, exports, import sources). */
  files: FileStore;
  /** The background workers (outbound dispatcher, inbound processor): `serve` starts them (tests may drive them). */
  workers: Workers;
  /** Provider routing: routes, provider health, the queue (a worker) and the call log. */
  routing: Routing;
  /** Cloud storage imports and exports: the storage worker (started with the other workers). */
  storageTransfers: Transfers;
  routes: RouteDef[];
  /** True once shutdown began: /readyz answers 503 so load balancers drain this node. */
  beginShutdown(): void;
  close(): Promise<void>;
};

/**
 * Assemble the HTTP application from every capability's routes. The caller owns the database: `close()` stops the
 * app and its listeners but leaves the database open.
 */
export async function buildApp(options: AppOptions): Promise<App> {
  const { config, db, log } = options;
  const clock = options.clock ?? systemClock;
  let shuttingDown = false;
  const vault = createVault({ db, keyring: options.keyring });
  const registry = createRegistry({ db });
  await registry.seed();
  const auth = createAuth({
    db,
    clock,
    onError: (error) => log.error({ err: error }, 'authentication bookkeeping failed'),
  });
  const outbound = createOutbound({ allow: config.allowPrivateNetworks });
  const requestLog = createRequestLog({ db, log });
  const oauthProtocol = createOAuthProtocol(outbound);
  // OAuth tokens refreshed on use, one refresh per credential across every node (src/oauth/refresh/refresher.ts).
  const refresher = createRefresher(
    { db, vault, registry, outbound, clock, log, invalidate: (q, id) => connections.invalidate(q, id) },
    {
      marginMs: config.oauthRefreshMarginMs,
      idleMs: config.oauthIdleRefreshMs,
      timeoutMs: config.oauthRefreshTimeoutMs,
    },
  );
  const proxy = createProxy(
    { db, vault, registry, outbound, requestLog, tokens: refresher },
    { bodyLimit: config.proxyBodyLimit },
  );
  const files = createFileStore({
    db,
    dir: config.filesDir,
    maxBytes: config.maxFileBytes,
    clock,
    quotaBytes: config.filesQuotaBytes,
    // Bytes in a bucket when one is configured; temporary files, upload parts and the staging dir stay local. The
    // AWS SDK is loaded only then: a node without a bucket does not carry it.
    ...(config.filesS3
      ? {
          blobs: (await import('../files/blobs-s3.js')).createS3Blobs(
            config.filesS3,
            path.join(config.filesDir, 'cache'),
          ),
        }
      : {}),
  });
  const fileLinks = createLinkSigner({ keyring: () => vault.keyring, clock });
  const connections: ConnectionDeps = {
    db,
    vault,
    registry,
    outbound,
    allow: config.allowPrivateNetworks,
    sqliteDir: config.sqliteDir,
    sqliteFile: (tenantId, fileId) => files.storedPath(tenantId, fileId),
    requestLog,
    clock,
    tokens: refresher,
    // Forgotten here at once (this node's next call reloads), and on every node when the change commits.
    invalidate: (q, connectionId) => proxy.invalidate(q, connectionId),
    connectClientCredentials: (principal, input, ctx) =>
      connectClientCredentials({ ...connections, protocol: oauthProtocol }, principal, input, ctx),
  };
  const eventTypes = createEventTypeCache(db);
  const revoker = createRevoker({ db, vault, registry, outbound, log, tokens: refresher });
  const metrics = createHttpMetrics({ processMetrics: options.processMetrics ?? true });
  // The OpenAPI route needs the instance that is built from the route list it belongs to.
  const appRef: { current?: FastifyInstance } = {};
  // Every /v1/connections/:id route takes a connection's key in place of its id.
  const proxied = withConnectionKeys(db, proxyRoutes(proxy));
  const urlPolicy = { allowPrivateNetworks: config.allowPrivateNetworks, allowHttp: config.webhooksAllowHttp };
  const inboundSources = createSourceCache({ db, vault });
  const syncEndpoints = createEndpoints({
    db,
    vault,
    registry,
    proxy,
    outbound,
    files,
    allow: config.allowPrivateNetworks,
    sqliteDir: config.sqliteDir,
    transfers: {
      wake: () => storageTransfers.wake(),
      ended: (id, atMostMs, signal) => storageTransfers.ended(id, atMostMs, signal),
    },
  });
  const fileContent = fileContentRoutes({ store: files });
  // The shipped capabilities, read and compiled once per process (not per app).
  const capabilities = capabilityCatalog();
  const routing = createRouting({ db, clock, log, proxy, registry, capabilities, queue: routeQueueSettings });
  const storage = { db, registry, proxy, outbound };
  const storageTransfers = createTransfers({ ...storage, files, clock, log }, storageTransferSettings(config));
  const workers = createWorkers(
    {
      db,
      vault,
      outbound,
      eventTypes,
      clock,
      log,
      syncEndpoints,
      routeQueue: routing.queue,
      storageTransfers,
    },
    config,
    version,
  );
  const { inboundProcessor } = workers;
  const ingest = ingestRoutes({
    sources: inboundSources,
    writer: createIngestWriter(db, { onWritten: () => inboundProcessor.wake() }),
    processor: inboundProcessor,
    clock,
    bodyTimeoutMs: config.inbound.bodyTimeoutMs,
    publicUrl: config.publicUrl,
  });

  const routes: RouteDef[] = [
    ...withConnectionKeys(db, [
      ...opsRoutes({
        db,
        metrics,
        metricsPublic: config.metricsPublic,
        app: () => appRef.current as FastifyInstance,
        isShuttingDown: () => shuttingDown,
      }),
      ...sessionRoutes({
        db,
        clock,
        auth,
        sessionTtlMs: config.sessionTtlMs,
        secureCookies: config.publicUrl.startsWith('https:'),
      }),
      ...apiKeyRoutes({ db, clock, auth }),
      ...userRoutes({ db, auth }),
      ...roleRoutes({ db, auth }),
      ...tenantRoutes({ db, vault, auth }),
      ...auditRoutes({ db }),
      ...secretRoutes({ db, vault, beforeValueChange: [secretDestinationCheck(registry)] }),
      ...connectorRoutes({ db, vault, registry, publicUrl: config.publicUrl }),
      ...connectionRoutes({
        ...connections,
        beforeDisconnect: async (connection) => (await revoker.revokeConnection(connection)) ?? {},
      }),
      ...refreshRoutes(connections),
      ...oauthRoutes({ ...connections, protocol: oauthProtocol, publicUrl: config.publicUrl, auth, revoker }),
      ...vaultSystemRoutes({ db, vault }),
      ...eventTypeRoutes({ db, eventTypes }),
      ...eventRoutes({ db, eventTypes }),
      ...endpointRoutes({ db, vault, urlPolicy }),
      ...deliveryRoutes({ db, clock }),
      ...sourceRoutes({ db, vault, registry, sources: inboundSources, publicUrl: config.publicUrl, urlPolicy }),
      ...inboundEventRoutes({ db, clock, wake: () => inboundProcessor.wake() }),
      ...syncExecutionRoutes({ db, clock }),
      ...conflictRoutes({ db, clock }),
      ...syncConfigRoutes({ db, clock, catalog: syncEndpoints }),
      ...recordRoutes({ db, files }),
      ...fileRoutes({ db, store: files }),
      ...uploadRoutes({ store: files }),
      ...versionRoutes({ db, store: files }),
      ...linkRoutes({ store: files, links: fileLinks, clock }),
      ...importRoutes({ db, files, clock, catalog: syncEndpoints }),
      ...connectRoutes({ ...connections, protocol: oauthProtocol, publicUrl: config.publicUrl, auth, revoker }),
      ...connectPageRoutes({ db, consoleDir }),
      ...routingRoutes({ db, clock, routing, registry, capabilities }),
      ...storageRoutes({ ...storage, wake: () => storageTransfers.wake() }),
    ]),
    ...ingest,
    ...proxied,
    ...fileContent,
  ];

  const server = await createHttpServer({
    log,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    version,
    metrics,
    routes,
    isShuttingDown: () => shuttingDown,
    validateResponses: options.validateResponses ?? false,
    accessLog: config.accessLog,
    consoleDir,
  });
  const app = server.app;
  appRef.current = app;
  const runtime: RouteRuntime = {
    db,
    authenticate: (req) => auth.authenticate(req),
    actInTenant: (req, caller) => auth.actInTenant(req, caller),
    checkCsrf: (req, principal) => auth.checkCsrf(req, principal),
    writeAudit: insertAuditEntry,
    rateLimiter: createRateLimiter(),
    rateLimitPerMinute: config.rateLimitPerMinute,
  };
  registerRoutes(
    app,
    routes.filter((r) => !proxied.includes(r) && !ingest.includes(r) && !fileContent.includes(r)),
    runtime,
  );
  // File uploads stream their bodies to disk, past the JSON body limit.
  registerStreamedBodyRoutes(app, fileContent, runtime);
  // Inbound ingest reads raw bytes with each source's own limit and a body timeout.
  registerIngestRoutes(app, ingest, runtime);
  // The proxy streams request bodies, so its routes get a body parser (and body limit) of their own.
  registerProxyRoutes(app, proxied, runtime);
  await auth.start();
  await registry.start();
  await proxy.start();
  await files.start();
  await eventTypes.start();
  await inboundSources.start();
  await routing.start();
  // Inbound forward headers stored in clear by an earlier version are sealed before anything reads them.
  await sealClearForwardHeaders(db, vault, log);
  await app.ready();

  return {
    app,
    vault,
    auth,
    registry,
    connections,
    refresher,
    proxy,
    files,
    workers,
    routing,
    storageTransfers,
    routes,
    beginShutdown: () => {
      shuttingDown = true;
    },
    async close() {
      shuttingDown = true;
      await app.close();
      await auth.stop();
      await proxy.stop();
      await files.stop();
      await eventTypes.stop();
      await inboundSources.stop();
      await routing.stop();
      await requestLog.flush();
      await outbound.close();
      await registry.stop();
    },
  };
}
