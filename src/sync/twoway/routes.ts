import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import { decodeCursor, idParams, iso, isoRequired, timestamp, toPage } from '../../core/http/schemas.js';
import { getConfig } from '../configs/sql.js';
import { enqueueRun } from '../executions/enqueue.js';
import { getConflict, listConflicts, resolveConflict, type ConflictRow } from './sql.js';

/**
 * `/v1/syncs/conflicts`: the two-way syncs' conflicts inbox. A conflict is a record both sides changed, in a field, to
 * different values, under the manual policy (or deleted on one side and edited on the other). While it is open the
 * record is written to neither side; resolving it (take A's values, B's, or values given) has the next run write them
 * to both sides, and the resolve starts that run.
 */
const conflictSchema = z
  .object({
    id: z.string(),
    sync_id: z.string(),
    sync_name: z.string(),
    stream: z.string(),
    a_id: z.string().describe('The record’s id on side A (the source)'),
    b_id: z.string().describe('Its id on side B (the target)'),
    fields: z.array(
      z.object({
        field: z.string().describe('The field (side B’s name; `_deleted` for a delete against an edit)'),
        a: z.unknown().describe('Side A’s value'),
        b: z.unknown().describe('Side B’s value'),
        base: z.unknown().describe('The value both had at the last sync'),
      }),
    ),
    state: z.enum(['open', 'resolved', 'applied']),
    resolution: z
      .object({ take: z.enum(['a', 'b', 'values']), values: z.record(z.string(), z.unknown()).optional() })
      .nullable(),
    created_at: timestamp,
    resolved_at: timestamp.nullable(),
    resolved_by: z.string().nullable(),
  })
  .meta({ id: 'SyncConflict' });

function present(row: ConflictRow & { sync_name: string }): z.input<typeof conflictSchema> {
  return {
    id: row.id,
    sync_id: row.config_id,
    sync_name: row.sync_name,
    stream: row.stream,
    a_id: row.a_id,
    b_id: row.b_id,
    fields: row.fields,
    state: row.state,
    resolution: row.resolution,
    created_at: isoRequired(row.created_at),
    resolved_at: iso(row.resolved_at),
    resolved_by: row.resolved_by,
  };
}

export function conflictRoutes(deps: { db: Db; clock: Clock }) {
  const { db } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/conflicts',
      operationId: 'listSyncConflicts',
      summary: 'The two-way conflicts inbox, newest first',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      schema: {
        querystring: z.object({
          sync_id: z.string().max(100).optional(),
          state: z.enum(['open', 'resolved', 'applied']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
        }),
        response: { 200: z.object({ data: z.array(conflictSchema), next_cursor: z.string().nullable() }) },
      },
      async handler({ query, tenantId }) {
        const before = decodeCursor(query.cursor)?.id;
        const rows = await listConflicts(db, tenantId, {
          limit: query.limit,
          ...(query.sync_id ? { configId: query.sync_id } : {}),
          ...(query.state ? { state: query.state } : {}),
          ...(before ? { beforeId: before } : {}),
        });
        return toPage(rows, query.limit, present);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/conflicts/:id',
      operationId: 'getSyncConflict',
      summary: 'One conflict: each field’s value on both sides and at the last sync',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: conflictSchema } },
      async handler({ params, tenantId }) {
        const row = await getConflict(db, tenantId, params.id);
        if (!row) throw new ApiError('not_found', `Conflict ${params.id} does not exist.`);
        return present(row);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/conflicts/:id/resolve',
      operationId: 'resolveSyncConflict',
      summary: 'Resolve a conflict: take side A’s values, side B’s, or the values given; the next run writes them',
      tags: ['Syncs'],
      access: { capability: 'run_syncs' },
      audit: { action: 'sync.conflict_resolve', targetType: 'sync_conflict' },
      errors: ['not_found', 'conflict', 'malformed_json'],
      schema: {
        params: idParams,
        body: z
          .strictObject({
            take: z.enum(['a', 'b', 'values']),
            values: z
              .record(z.string().min(1).max(500), z.unknown())
              .optional()
              .describe('take: values — the value of each conflicting field'),
          })
          .refine((b) => b.take !== 'values' || b.values !== undefined, 'take "values" needs values'),
        response: { 200: conflictSchema },
      },
      async handler({ params, body, principal, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const row = await getConflict(tx, tenantId, params.id);
          if (!row) throw new ApiError('not_found', `Conflict ${params.id} does not exist.`);
          if (body.take === 'values') {
            const fields = new Set(row.fields.map((f) => f.field));
            const unknown = Object.keys(body.values ?? {}).filter((f) => !fields.has(f));
            if (unknown.length)
              throw new ApiError('validation_failed', 'Give values only for the conflicting fields.', {
                errors: unknown.map((f) => ({ path: `body.values.${f}`, message: 'not a field of this conflict' })),
              });
          }
          const resolution = { take: body.take, ...(body.values ? { values: body.values } : {}) };
          if (!(await resolveConflict(tx, row.id, resolution, principal.id)))
            throw new ApiError('conflict', `Conflict ${row.id} is ${row.state} already.`);
          const config = await getConfig(tx, tenantId, row.config_id);
          if (config?.enabled)
            await enqueueRun(db, tx, config, {
              trigger: 'manual',
              triggeredBy: principal.id,
              streams: [],
              fullRefresh: false,
              overlap: 'queue_one',
            });
          audit.target(row.id, { sync: row.config_id, take: body.take });
          const after = await getConflict(tx, tenantId, row.id);
          return present(after as ConflictRow & { sync_name: string });
        });
      },
    }),
  ];
}
