import { z } from 'zod';
import type { Db } from '../../core/db/port.js';
import { isUniqueViolation } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import type { EventTypeCache } from './cache.js';
import { decodeCursor, iso, page, pageQuery, timestamp } from '../../core/http/schemas.js';
import { isPlatformEventType, platformEventTypes } from './platform.js';
import { eventTypeName } from './publishable.js';
import { schemaProblems } from './schema-check.js';
import { getEventType, insertEventType, listEventTypes, updateEventType, type EventTypeRow } from './sql.js';

const jsonSchemaDocument = z
  .record(z.string(), z.unknown())
  .describe('A JSON Schema (draft 2020-12 keywords as ajv supports them) the event `data` must match');

export const eventTypeSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    schema: z.record(z.string(), z.unknown()).nullable(),
    built_in: z.boolean().describe('A platform event type: read-only, published by Switchyard itself'),
    archived_at: timestamp.nullable(),
    created_at: timestamp.nullable(),
    updated_at: timestamp.nullable(),
  })
  .meta({ id: 'EventType', description: 'An event type endpoints subscribe to.' });

type EventTypeView = z.input<typeof eventTypeSchema>;

function present(row: EventTypeRow): EventTypeView {
  return {
    name: row.name,
    description: row.description,
    schema: row.schema,
    built_in: false,
    archived_at: iso(row.archived_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

function presentPlatform(name: string): EventTypeView {
  const description = platformEventTypes[name] ?? '';
  return { name, description, schema: null, built_in: true, archived_at: null, created_at: null, updated_at: null };
}

function assertValidSchema(schema: Record<string, unknown> | null | undefined): void {
  if (!schema) return;
  const errors = schemaProblems(schema, 'body.schema');
  if (errors.length > 0) throw new ApiError('validation_failed', 'The schema is not a valid JSON Schema.', { errors });
}

function refuseBuiltIn(name: string): void {
  if (isPlatformEventType(name))
    throw new ApiError('conflict', `${name} is a built-in platform event type and cannot be changed.`);
}

const nameParams = z.object({ name: eventTypeName });

export function eventTypeRoutes(deps: { db: Db; eventTypes: EventTypeCache }) {
  const { db, eventTypes } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/event-types',
      operationId: 'createEventType',
      summary: 'Define an event type (optionally with a JSON Schema for its payload)',
      tags: ['Events'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'event_type.create', targetType: 'event_type' },
      errors: ['already_exists', 'conflict', 'malformed_json', 'body_too_large'],
      schema: {
        body: z.strictObject({
          name: eventTypeName,
          description: z.string().max(1000).default(''),
          schema: jsonSchemaDocument.optional(),
        }),
        response: { 201: eventTypeSchema },
      },
      async handler({ body, tenantId, transaction, audit }) {
        refuseBuiltIn(body.name);
        assertValidSchema(body.schema);
        try {
          const row = await transaction(async (tx) => {
            const inserted = await insertEventType(tx, {
              tenant_id: tenantId,
              name: body.name,
              description: body.description,
              schema: body.schema ?? null,
            });
            audit.target(inserted.name, { name: inserted.name, schema: inserted.schema !== null });
            return inserted;
          });
          return present(row);
        } catch (error) {
          if (isUniqueViolation(error)) throw new ApiError('already_exists', `Event type ${body.name} already exists.`);
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/event-types',
      operationId: 'listEventTypes',
      summary: 'List event types: the built-in platform types and the tenant’s own',
      tags: ['Events'],
      access: { capability: 'view_webhooks' },
      schema: {
        querystring: pageQuery.extend({
          include_archived: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
        }),
        response: { 200: page(eventTypeSchema) },
      },
      async handler({ query, tenantId }) {
        // A tenant has tens of types, not thousands: merge both lists in memory, ordered by name.
        const rows = await listEventTypes(db, tenantId, { includeArchived: query.include_archived });
        const all = [...Object.keys(platformEventTypes).map(presentPlatform), ...rows.map(present)].sort((a, b) =>
          a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
        );
        const after = decodeCursor(query.cursor)?.id;
        const rest = after === undefined ? all : all.filter((t) => t.name > after);
        const data = rest.slice(0, query.limit);
        const last = data.at(-1);
        const more = rest.length > query.limit && last !== undefined;
        return {
          data,
          next_cursor: more ? Buffer.from(JSON.stringify({ id: last.name })).toString('base64url') : null,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/event-types/:name',
      operationId: 'getEventType',
      summary: 'Get an event type',
      tags: ['Events'],
      access: { capability: 'view_webhooks' },
      errors: ['not_found'],
      schema: { params: nameParams, response: { 200: eventTypeSchema } },
      async handler({ params, tenantId }) {
        if (isPlatformEventType(params.name)) return presentPlatform(params.name);
        const row = await getEventType(db, tenantId, params.name);
        if (!row) throw new ApiError('not_found', `Event type ${params.name} does not exist.`);
        return present(row);
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/event-types/:name',
      operationId: 'updateEventType',
      summary: 'Change an event type’s description or schema, or unarchive it',
      tags: ['Events'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'event_type.update', targetType: 'event_type' },
      errors: ['not_found', 'conflict', 'malformed_json', 'body_too_large'],
      schema: {
        params: nameParams,
        body: z.strictObject({
          description: z.string().max(1000).optional(),
          schema: jsonSchemaDocument.nullable().optional().describe('null removes the schema'),
          archived: z.boolean().optional(),
        }),
        response: { 200: eventTypeSchema },
      },
      async handler({ params, body, tenantId, transaction, audit }) {
        refuseBuiltIn(params.name);
        assertValidSchema(body.schema);
        return transaction(async (tx) => {
          const row = await updateEventType(tx, tenantId, params.name, body);
          if (!row) throw new ApiError('not_found', `Event type ${params.name} does not exist.`);
          await eventTypes.changed(tx, tenantId, row.name);
          audit.target(row.name, {
            ...(body.description !== undefined ? { description: body.description } : {}),
            ...(body.schema !== undefined ? { schema: body.schema === null ? 'removed' : 'replaced' } : {}),
            ...(body.archived !== undefined ? { archived: body.archived } : {}),
          });
          return present(row);
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/event-types/:name',
      operationId: 'archiveEventType',
      summary: 'Archive an event type',
      description:
        'An archived type accepts no new events and no new subscriptions; its past events keep it. Unarchive with PATCH.',
      tags: ['Events'],
      access: { capability: 'manage_webhooks' },
      audit: { action: 'event_type.archive', targetType: 'event_type' },
      errors: ['not_found', 'conflict'],
      schema: { params: nameParams, response: { 200: eventTypeSchema } },
      async handler({ params, tenantId, transaction, audit }) {
        refuseBuiltIn(params.name);
        return transaction(async (tx) => {
          const row = await updateEventType(tx, tenantId, params.name, { archived: true });
          if (!row) throw new ApiError('not_found', `Event type ${params.name} does not exist.`);
          await eventTypes.changed(tx, tenantId, row.name);
          audit.target(row.name, { archived: true });
          return present(row);
        });
      },
    }),
  ];
}
