import { z } from 'zod';
import { isUniqueViolation, SqlState, sqlState, type Queryable } from '../../core/db/port.js';
import { ApiError, notFound, type FieldError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { availabilities, categories, managementPatterns, type Manifest } from '../manifest/manifest.js';
import { connectorDetailSchema, presentDetail } from '../present.js';
import { manifestHash } from '../registry.js';
import {
  countConnectionsOf,
  deleteCustomConnector,
  getSystemConnection,
  insertCustomConnector,
  presentationFields,
  replaceCustomManifest,
  updateConnectorPresentation,
  updateConnectorSettings,
  type ConnectorRow,
  type PresentationField,
  type PresentationOverrides,
} from '../sql.js';
import { validateManifest } from '../manifest/validate.js';
import { slugParams, type CatalogDeps } from './common.js';

const manifestBody = z
  .record(z.string(), z.unknown())
  .describe('A connector manifest as JSON, checked against connectors/manifest.schema.json like a manifest file');

/**
 * Validate a manifest sent in a request with the validator the manifest files go through (JSON is YAML), so a
 * custom entry meets exactly the rules a built-in one does. Problems come back with their JSON pointer under `at`.
 */
export function manifestFromBody(value: unknown, at: string): Manifest {
  const { manifest, problems } = validateManifest('request body', JSON.stringify(value));
  if (manifest) return manifest;
  const errors: FieldError[] = problems.map((p) => ({
    path: p.path.startsWith('/') && p.path !== '/' ? `${at}${p.path}` : at,
    message: p.problem,
  }));
  throw new ApiError(
    'validation_failed',
    errors.length === 1 ? `${errors[0]?.path}: ${errors[0]?.message}` : `The manifest has ${errors.length} problems`,
    { errors },
  );
}

const words = z.array(z.string().trim().min(1).max(60)).max(30);

/** Each field: a value overrides the manifest's, `null` drops the override (the manifest's value shows again). */
const presentationBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).nullable().optional(),
    description: z.string().trim().min(1).max(1000).nullable().optional(),
    category: z.enum(categories).nullable().optional(),
    complexity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    popularity: z.number().int().min(0).max(100).nullable().optional().describe('0–100; 80 and above: "Popular"'),
    features: words.nullable().optional(),
    data_types: words.nullable().optional(),
  })
  .describe(
    'How the entry presents itself in the library, built-in or custom: each value overrides the manifest’s and ' +
      'survives its updates; `null` goes back to the manifest’s',
  );

function splitPresentation(body: z.output<typeof presentationBody>) {
  const set: Record<string, unknown> = {};
  const clear: PresentationField[] = [];
  for (const field of presentationFields) {
    const value = body[field];
    if (value === null) clear.push(field);
    else if (value !== undefined) set[field] = value;
  }
  return { set: set as PresentationOverrides, clear };
}

function diffOf(before: ConnectorRow, after: ConnectorRow): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  const compare = (key: string, from: unknown, to: unknown) => {
    if (from !== to) diff[key] = { from, to };
  };
  compare('availability', before.availability, after.availability);
  compare('management', before.management, after.management);
  compare('retired', before.retired_at !== null, after.retired_at !== null);
  compare('manifest_hash', before.manifest_hash, after.manifest_hash);
  for (const field of presentationFields) {
    // Arrays compare by content; the scalars as they are.
    const from = before.manifest[field];
    const to = after.manifest[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) diff[field] = { from, to };
  }
  return diff;
}

export function registryRoutes(deps: CatalogDeps) {
  const { registry, publicUrl } = deps;
  const present = async (q: Queryable, row: ConnectorRow) =>
    presentDetail(row, { systemConnection: (await getSystemConnection(q, row.slug)) !== undefined, publicUrl });

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/connectors',
      operationId: 'createConnector',
      summary: 'Add a custom connector to the registry (superuser)',
      description:
        'The body is a manifest, validated like the files in connectors/: each problem comes back in `errors` with ' +
        'its JSON pointer under `body` (e.g. `body/auth/0/type`).',
      tags: ['Connector registry'],
      access: { capability: 'manage_registry' },
      audit: { action: 'connector.create', targetType: 'connector' },
      errors: ['already_exists', 'malformed_json', 'body_too_large'],
      schema: { body: manifestBody, response: { 201: connectorDetailSchema } },
      async handler({ body, transaction, audit }) {
        const manifest = manifestFromBody(body, 'body');
        try {
          return await transaction(async (tx) => {
            const row = await insertCustomConnector(tx, manifest, manifestHash(manifest));
            await registry.invalidate(tx);
            audit.target(row.slug, { name: manifest.name, category: manifest.category, source: 'custom' });
            return present(tx, row);
          });
        } catch (error) {
          if (isUniqueViolation(error))
            throw new ApiError('already_exists', `A connector with the slug ${manifest.slug} already exists.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/connectors/:slug',
      operationId: 'updateConnector',
      summary: 'Change a connector’s availability, management pattern, presentation or retirement (superuser)',
      description:
        'Availability, management and the presentation fields (name, description, category, complexity, ' +
        'popularity, features, data types) set here override the manifest’s and survive its updates, built-in or ' +
        'custom; `overridden` lists the presentation fields changed. `retired: true` hides the entry from the ' +
        'library and refuses new connections; existing ones keep working. A custom entry’s manifest may be ' +
        'replaced (same slug); a built-in one comes from its file.',
      tags: ['Connector registry'],
      access: { capability: 'manage_registry' },
      audit: { action: 'connector.update', targetType: 'connector' },
      errors: ['not_found', 'conflict', 'malformed_json', 'body_too_large'],
      schema: {
        params: slugParams,
        body: z.strictObject({
          availability: z.enum(availabilities).optional(),
          management: z.enum(managementPatterns).optional(),
          retired: z.boolean().optional(),
          presentation: presentationBody.optional(),
          manifest: manifestBody.optional().describe('Custom entries only: the new manifest (same slug)'),
        }),
        response: { 200: connectorDetailSchema },
      },
      async handler({ params, body, transaction, audit }) {
        if (Object.keys(body).length === 0) {
          throw new ApiError(
            'validation_failed',
            'Give at least one of availability, management, retired, presentation, manifest.',
          );
        }
        return transaction(async (tx) => {
          const before = await registry.getFresh(tx, params.slug);
          if (!before) throw notFound('Connector', params.slug);
          let after: ConnectorRow | undefined = before;
          if (body.manifest !== undefined) {
            if (before.source === 'builtin') {
              throw new ApiError(
                'conflict',
                `${before.manifest.name} is built in: its manifest comes from connectors/${before.slug}.yaml.`,
              );
            }
            const manifest = manifestFromBody(body.manifest, 'body/manifest');
            if (manifest.slug !== before.slug) {
              throw new ApiError('validation_failed', 'The manifest’s slug must stay the same.', {
                errors: [{ path: 'body/manifest/slug', message: `must be "${before.slug}"` }],
              });
            }
            after = await replaceCustomManifest(tx, manifest, manifestHash(manifest));
          }
          const { availability, management, retired } = body;
          if (availability !== undefined || management !== undefined || retired !== undefined) {
            after = await updateConnectorSettings(tx, params.slug, { availability, management, retired });
          }
          if (body.presentation !== undefined) {
            after = await updateConnectorPresentation(tx, params.slug, splitPresentation(body.presentation));
          }
          if (!after) throw notFound('Connector', params.slug);
          await registry.invalidate(tx);
          audit.target(after.slug, diffOf(before, after));
          return present(tx, after);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/connectors/:slug',
      operationId: 'deleteConnector',
      summary: 'Delete a custom connector that no connection uses (superuser)',
      description: 'Built-in connectors cannot be deleted (their file would bring them back); retire them instead.',
      tags: ['Connector registry'],
      access: { capability: 'manage_registry' },
      audit: { action: 'connector.delete', targetType: 'connector' },
      errors: ['not_found', 'conflict', 'in_use'],
      schema: { params: slugParams, response: { 204: z.undefined() } },
      async handler({ params, transaction, audit }) {
        const inUse = (n: number) =>
          new ApiError('in_use', `${n || 'Some'} connection(s) use ${params.slug}; disconnect them first.`, {
            connections: n,
          });
        try {
          await transaction(async (tx) => {
            const row = await registry.getFresh(tx, params.slug);
            if (!row) throw notFound('Connector', params.slug);
            if (row.source === 'builtin') {
              throw new ApiError(
                'conflict',
                `${row.manifest.name} is built in and cannot be deleted; retire it instead (PATCH with "retired": true).`,
              );
            }
            const connections = await countConnectionsOf(tx, row.slug);
            if (connections > 0) throw inUse(connections);
            await deleteCustomConnector(tx, row.slug);
            await registry.invalidate(tx);
            audit.target(row.slug, { name: row.manifest.name });
          });
        } catch (error) {
          // A connection created between the count and the delete: its foreign key stops the delete.
          if (sqlState(error) === SqlState.foreignKeyViolation) throw inUse(0);
          throw error;
        }
      },
    }),
  ];
}
