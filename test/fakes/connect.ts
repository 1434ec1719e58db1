import { expect } from 'vitest';
import type { Manifest } from '../../src/catalog/manifest/manifest.js';
import { manifestHash } from '../../src/catalog/registry.js';
import { insertCustomConnector } from '../../src/catalog/sql.js';
import { createRestSource, type RestSourceOptions } from '../../src/sync/sources/rest/index.js';
import { createRestPushTarget } from '../../src/sync/targets/rest-push.js';
import type {
  ReadMode,
  SourceBatch,
  StreamState,
  SyncRecord,
  SyncSource,
  SyncTarget,
  WriteOutcome,
} from '../../src/sync/engine/types.js';
import { manifestAt, shippedManifest } from '../conformance/harness.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { insertOAuthConnection } from '../helpers/oauth-connection.js';

export type VendorConnection = {
  t: TestApp;
  connectionId: string;
  manifest: Manifest;
  source(options?: Partial<RestSourceOptions>): SyncSource;
  /** The connection's streams as an outbound-push target (their manifest `write` endpoints). */
  target(): SyncTarget;
};

/**
 * A running app with the SHIPPED manifest of `slug` pointed at a local fake (every vendor URL rewritten, as the
 * conformance tests do) and a connection to it: an API-key one through the API, or an OAuth one stored as the
 * callback would. `source()` reads it through the app's own proxy call.
 */
export async function connectVendor(
  slug: string,
  fakeUrl: string,
  how:
    | { auth_method: string; credentials: Record<string, string>; config?: Record<string, unknown> }
    | { oauth: Record<string, unknown> },
): Promise<VendorConnection> {
  const manifest = manifestAt(shippedManifest(slug), fakeUrl);
  const t = await createTestApp();
  await t.db.transaction(async (tx) => {
    await tx.query('delete from connectors where slug = $1', [slug]);
    await insertCustomConnector(tx, manifest, manifestHash(manifest));
    await t.built.registry.invalidate(tx);
  });
  let connectionId: string;
  let config: Record<string, unknown>;
  if ('oauth' in how) {
    const client = await t.request({
      method: 'PUT',
      url: `/v1/oauth/clients/${slug}`,
      body: { client_id: 'sync-client', client_secret: 'sync-secret' },
    });
    expect(client.statusCode, client.body).toBeLessThan(300);
    config = how.oauth;
    connectionId = await insertOAuthConnection(
      { db: t.db, vault: t.built.vault },
      {
        tenantId: t.tenantId,
        slug,
        name: `${manifest.name} (sync)`,
        tokens: { access_token: 'sync-access', refresh_token: 'sync-refresh', token_type: 'Bearer', extra: {} },
        config,
      },
    );
  } else {
    config = how.config ?? {};
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: slug, auth_method: how.auth_method, credentials: how.credentials, config, validate: false },
    });
    expect(res.statusCode, res.body).toBe(201);
    connectionId = res.data.id as string;
  }
  return {
    t,
    connectionId,
    manifest,
    source: (options = {}) =>
      createRestSource({
        call: t.built.proxy.call,
        tenantId: t.tenantId,
        connectionId,
        manifest,
        config,
        requestId: 'exec_test',
        ...options,
      }),
    target: () =>
      createRestPushTarget({ call: t.built.proxy.call, tenantId: t.tenantId, connectionId, manifest, config }),
  };
}

/** Push records to a stream as a sync run writes a batch (one run id per call unless `executionId` says). */
export async function push(
  conn: VendorConnection,
  stream: string,
  records: SyncRecord[],
  executionId = `exec_push_${Math.random().toString(36).slice(2)}`,
): Promise<WriteOutcome> {
  const spec = conn.manifest.streams.find((s) => s.name === stream);
  return writeThrough(conn.target(), stream, spec?.primary_key ?? ['id'], records, executionId);
}

/** Open a writer of `target` on a stream, as a sync run does, and write one batch through it. */
export async function writeThrough(
  target: SyncTarget,
  stream: string,
  primaryKey: string[],
  records: SyncRecord[],
  executionId: string,
): Promise<WriteOutcome> {
  const writer = await target.open({
    name: stream,
    primaryKey,
    fields: [],
    fullRefresh: false,
    executionId,
    deletion: { mode: 'none', maxDeleteShare: 1 },
    signal: new AbortController().signal,
    log: () => {},
  });
  return writer.write(records);
}

/**
 * A webhook sender that delivers into the app in-process (no port), as the vendor would post to `path`: answers
 * the platform's HTTP status.
 */
export const deliverInto =
  (t: TestApp, path: string) =>
  async (d: { headers: Record<string, string>; body: string }): Promise<number> =>
    (await t.request({ method: 'POST', url: path, token: null, body: d.body, headers: d.headers })).statusCode;

export type Drained = { records: SyncRecord[]; batches: SourceBatch[]; state: StreamState | null; error?: unknown };

/**
 * Read a stream as the runner would: batch by batch, keeping the last checkpoint a batch gave. `stopAfter` ends the
 * read after that many batches (a run killed there); a failure is returned, with what was read before it.
 */
export async function drain(
  source: SyncSource,
  stream: string,
  mode: ReadMode,
  state: StreamState | null = null,
  options: { lookbackSeconds?: number; stopAfter?: number; batchSize?: number } = {},
): Promise<Drained> {
  const spec = (await source.discover()).find((s) => s.name === stream);
  if (!spec) throw new Error(`no stream ${stream}`);
  const out: Drained = { records: [], batches: [], state };
  try {
    for await (const batch of source.read({
      stream: spec,
      mode,
      state,
      lookbackSeconds: options.lookbackSeconds ?? 0,
      batchSize: options.batchSize ?? 100,
      signal: new AbortController().signal,
      log: () => {},
    })) {
      out.batches.push(batch);
      out.records.push(...batch.records);
      if (batch.state !== undefined) out.state = batch.state;
      if (options.stopAfter !== undefined && out.batches.length >= options.stopAfter) break;
    }
  } catch (error) {
    out.error = error;
  }
  return out;
}

/** The primary keys of records, as strings, in order. */
export const idsOf = (records: SyncRecord[], key = 'id') => records.map((r) => String(r[key]));
