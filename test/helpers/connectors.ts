import type { ManifestInput, Manifest } from '../../src/catalog/manifest/manifest.js';
import { manifestHash } from '../../src/catalog/registry.js';
import { insertCustomConnector, updateConnectorSettings, upsertSystemConnection } from '../../src/catalog/sql.js';
import { validateManifest } from '../../src/catalog/manifest/validate.js';
import { PLATFORM_SCOPE } from '../../src/vault/sql.js';
import type { TestApp } from './app.js';
import { systemCredentialContext } from '../../src/vault/contexts.js';

/**
 * Connector manifests made in a test: a generic JSON API at `base_url` (config) whose test call is `GET /me`,
 * overridden per test. Validated like a file in connectors/ (JSON is YAML), so a test cannot install a manifest
 * the registry would refuse.
 */
export function testManifest(overrides: Partial<ManifestInput> & { slug: string }): Manifest {
  const input: ManifestInput = {
    schema_version: 1,
    name: overrides.slug.replace(/_/g, ' '),
    description: 'A connector made by a test.',
    category: 'Generic',
    logo: { initials: 'T', color: '#112233' },
    config: [{ key: 'base_url', label: 'Base URL', type: 'url' }],
    auth: [{ type: 'bearer', fields: [{ key: 'token', label: 'Token', secret: true }] }],
    base_url: '{{config.base_url}}',
    test: { kind: 'http', request: { method: 'GET', path: '/me' } },
    ...overrides,
  };
  const { manifest, problems } = validateManifest(`${input.slug}.yaml`, JSON.stringify(input));
  if (!manifest) throw new Error(`test manifest ${input.slug} is invalid: ${JSON.stringify(problems)}`);
  return manifest;
}

/** Add a custom connector to the registry (as a superuser would) and make every node reload it. */
export async function installConnector(t: TestApp, overrides: Partial<ManifestInput> & { slug: string }) {
  const manifest = testManifest(overrides);
  await t.db.transaction(async (tx) => {
    await insertCustomConnector(tx, manifest, manifestHash(manifest));
    await t.built.registry.invalidate(tx);
  });
  return manifest;
}

/** A superuser's availability or management override, as the catalogue routes store it. */
export async function setConnectorSettings(
  t: TestApp,
  slug: string,
  changes: Parameters<typeof updateConnectorSettings>[2],
): Promise<void> {
  await t.db.transaction(async (tx) => {
    await updateConnectorSettings(tx, slug, changes);
    await t.built.registry.invalidate(tx);
  });
}

/** The platform's credentials for a shared or hybrid connector, sealed under the platform scope. */
export async function installSystemConnection(
  t: TestApp,
  slug: string,
  authMethod: string,
  credentials: Record<string, string>,
  config: Record<string, unknown> = {},
): Promise<void> {
  await t.db.transaction(async (tx) => {
    const sealed = await t.built.vault.seal(
      tx,
      PLATFORM_SCOPE,
      systemCredentialContext(slug),
      JSON.stringify(credentials),
    );
    await upsertSystemConnection(tx, {
      connector_slug: slug,
      auth_method: authMethod,
      config,
      credentials_sealed: sealed,
      updated_by: null,
    });
  });
}
