import { expect } from 'vitest';
import type { Manifest } from '../../src/catalog/manifest/manifest.js';
import { manifestHash } from '../../src/catalog/registry.js';
import { insertCustomConnector } from '../../src/catalog/sql.js';
import { manifestAt, shippedManifest } from '../conformance/harness.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startFakeVendor, type RecordedRequest } from '../helpers/fake-vendor.js';
import { insertOAuthConnection } from '../helpers/oauth-connection.js';

export type SdkSetup = Awaited<ReturnType<typeof startSdkProxy>>;

/** How the connection holds the vendor's credential: a key through the API, or an OAuth grant with its scopes. */
export type ConnectionInput =
  { auth_method: string; credentials: Record<string, string> } | { oauth: { access_token: string; scopes: string[] } };

/**
 * What a vendor SDK is pointed at in the recipes (README, "Vendor SDKs through the proxy"): Switchyard listening on
 * loopback with the SHIPPED manifest of `slug` (its vendor URLs on a local fake, as the conformance tests install
 * it), a connection holding the vendor credential, and an editor's API key (`use_proxy`, no credential authority)
 * for the SDK to authenticate with. The fake records what the vendor really received.
 */
export async function startSdkProxy(slug: string, connection: ConnectionInput) {
  const vendor = await startFakeVendor();
  const manifest: Manifest = manifestAt(shippedManifest(slug), vendor.url);
  const t: TestApp = await createTestApp();
  await t.db.transaction(async (tx) => {
    await tx.query('delete from connectors where slug = $1', [slug]);
    await insertCustomConnector(tx, manifest, manifestHash(manifest));
    await t.built.registry.invalidate(tx);
  });
  const connectionId = await connect(t, slug, connection, 'oauth' in connection ? undefined : `${slug}-customer-1`);
  // API-key connections are addressed by the key the product chose (its own id for its customer's connection), as a
  // product embedding Switchyard would; OAuth ones by their id.
  const address = 'oauth' in connection ? connectionId : `${slug}-customer-1`;
  const { token } = await t.keyWithRole('editor');
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    t,
    vendor,
    manifest,
    /** Switchyard's own URL (http://127.0.0.1:<port>). */
    url,
    connectionId,
    /** What the connection is addressed by in URLs: the product's key for an API-key connection, else its id. */
    address,
    /** The base URL an SDK is given: the vendor API's root, behind Switchyard. */
    proxyUrl: `${url}/v1/connections/${address}/proxy`,
    /** The Switchyard API key the SDK carries as its credential. */
    token,
    /** Another connection to the same vendor; answers its id. */
    addConnection: (input: ConnectionInput) => connect(t, slug, input),
    /** The proxy base URL of a connection. */
    proxyUrlOf: (id: string) => `${url}/v1/connections/${id}/proxy`,
    /** Requests the vendor received since `from` (an index into `vendor.requests`). */
    received: (from = 0): RecordedRequest[] => vendor.requests.slice(from),
    async close() {
      await t.close();
      await vendor.close();
    },
  };
}

async function connect(t: TestApp, slug: string, connection: ConnectionInput, key?: string): Promise<string> {
  if ('oauth' in connection) {
    // The tenant's own OAuth app for the connector (PUT is idempotent: a second OAuth connection reuses it).
    const client = await t.request({
      method: 'PUT',
      url: `/v1/oauth/clients/${slug}`,
      body: { client_id: 'sdk-client', client_secret: 'sdk-secret' },
    });
    expect(client.statusCode, client.body).toBeLessThan(300);
    return insertOAuthConnection(
      { db: t.db, vault: t.built.vault },
      {
        tenantId: t.tenantId,
        slug,
        name: `${slug} (SDK)`,
        tokens: {
          access_token: connection.oauth.access_token,
          token_type: 'Bearer',
          scope: connection.oauth.scopes,
          extra: {},
        },
      },
    );
  }
  const res = await t.request({
    method: 'POST',
    url: '/v1/connections',
    body: { connector: slug, ...connection, validate: false, ...(key ? { key } : {}) },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

/**
 * What every request the vendor received must show: the connection's credential in `authorization`, the path without
 * the proxy's prefix, and the caller's Switchyard token nowhere (no header, no body).
 */
export function expectVendorSaw(requests: RecordedRequest[], vendorAuthorization: string, switchyardToken: string) {
  expect(requests.length).toBeGreaterThan(0);
  for (const r of requests) {
    expect(r.headers.authorization, r.url).toBe(vendorAuthorization);
    expect(r.url, r.url).not.toContain('/v1/connections/');
    expect(JSON.stringify(r.headers), r.url).not.toContain(switchyardToken);
    expect(r.body.toString(), r.url).not.toContain(switchyardToken);
    for (const name of Object.keys(r.headers)) expect(name, r.url).not.toMatch(/^switchyard-/);
  }
}
