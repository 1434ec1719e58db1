import { z } from 'zod';
import { ApiError, notFound } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { searchLibrary } from '../library.js';
import { availabilities, categories } from '../manifest/manifest.js';
import {
  authTypes,
  connectorDetailSchema,
  connectorSummarySchema,
  presentDetail,
  presentSummary,
  type Category,
} from '../present.js';
import { getSystemConnection, systemConnectionSlugs } from '../sql.js';
import { slugParams, type CatalogDeps } from './common.js';

const byCategorySchema = z.object(
  Object.fromEntries(categories.map((c) => [c, z.number().int()])) as Record<Category, z.ZodNumber>,
);

const librarySchema = z
  .object({
    data: z.array(connectorSummarySchema),
    counts: z.object({
      total: z.number().int().describe('Entries in `data`'),
      by_category: byCategorySchema.describe(
        'Per category, the entries every filter except `category` leaves (what each category chip would show)',
      ),
    }),
  })
  .meta({ id: 'ConnectorLibrary' });

export function libraryRoutes(deps: CatalogDeps) {
  const { db, registry, publicUrl } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/connectors',
      operationId: 'listConnectors',
      summary: 'Browse the connector library (search, filters, counts per category)',
      description:
        'Most popular first, then by name. Retired entries are left out unless a superuser asks for them with ' +
        '`include_retired=true`.',
      tags: ['Connectors'],
      access: { capability: 'browse_connector_library' },
      schema: {
        querystring: z.object({
          q: z.string().max(200).optional().describe('Words to find in the name, description, category or slug'),
          category: z.enum(categories).optional(),
          auth: z.enum(authTypes).optional().describe('Only connectors offering this auth method'),
          availability: z.enum(availabilities).optional(),
          include_retired: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true')
            .describe('Superusers only'),
        }),
        response: { 200: librarySchema },
      },
      async handler({ query, principal }) {
        if (query.include_retired && !principal.capabilities.has('manage_registry')) {
          throw new ApiError('forbidden', 'Only a superuser can list retired connectors.', {
            missing_capability: 'manage_registry',
          });
        }
        const [rows, withSystem] = [await registry.list(), await systemConnectionSlugs(db)];
        const result = searchLibrary(rows, {
          q: query.q,
          category: query.category,
          auth: query.auth,
          availability: query.availability,
          includeRetired: query.include_retired,
        });
        return {
          data: result.rows.map((row) => presentSummary(row, withSystem.has(row.slug))),
          counts: { total: result.rows.length, by_category: result.byCategory },
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/connectors/:slug',
      operationId: 'getConnector',
      summary: 'Get a connector type with its configuration form',
      description:
        'The form: config fields and, per auth method, its credential fields (which are secret), and for OAuth 2.0 ' +
        'its scopes, levels and the redirect URI to register with the vendor. Never holds a secret value.',
      tags: ['Connectors'],
      access: { capability: 'browse_connector_library' },
      errors: ['not_found'],
      schema: { params: slugParams, response: { 200: connectorDetailSchema } },
      async handler({ params }) {
        const row = await registry.get(params.slug);
        if (!row) throw notFound('Connector', params.slug);
        const systemConnection = (await getSystemConnection(db, row.slug)) !== undefined;
        return presentDetail(row, { systemConnection, publicUrl });
      },
    }),
  ];
}
