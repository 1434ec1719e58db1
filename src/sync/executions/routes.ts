import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { channels } from '../../core/db/channels.js';
import type { Db } from '../../core/db/port.js';
import { ApiError } from '../../core/errors.js';
import { defineRoute } from '../../core/http/route.js';
import {
  decodeCursor,
  idParams,
  page,
  pageQuery,
  statusListQuery,
  timestamp,
  toPage,
} from '../../core/http/schemas.js';
import { publishEvent } from '../../events/publish.js';
import { executionSchema, presentExecution } from '../configs/present.js';
import { executionEvent } from '../run/events.js';
import { finishExecution } from '../run/sql.js';
import { executionStatuses, getExecution, listExecutions, listLogs, listRejected, insertLogs } from './sql.js';

const afterQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .describe('Entries after this id (the `next_after` of the last page)'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const logSchema = z
  .object({ id: z.string(), at: timestamp, level: z.string(), stream: z.string().nullable(), message: z.string() })
  .meta({ id: 'SyncLogEntry' });

const rejectedSchema = z
  .object({
    id: z.string(),
    stream: z.string(),
    record_key: z.string().nullable(),
    record: z.unknown(),
    reason: z.string(),
    at: timestamp,
  })
  .meta({ id: 'SyncRejectedRecord' });

export function syncExecutionRoutes(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function mustGet(tenantId: string, id: string) {
    const row = await getExecution(db, tenantId, id);
    if (!row) throw new ApiError('not_found', `Sync run ${id} does not exist.`);
    return row;
  }

  return [
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/executions',
      operationId: 'listSyncExecutions',
      summary: 'List sync runs, newest first, with counts and duration',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      schema: {
        querystring: pageQuery.extend({
          sync_id: z.string().max(100).optional(),
          status: statusListQuery(executionStatuses).optional(),
        }),
        response: { 200: page(executionSchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listExecutions(db, tenantId, {
          ...(query.sync_id ? { configId: query.sync_id } : {}),
          ...(query.status ? { statuses: query.status.split(',') } : {}),
          beforeId: decodeCursor(query.cursor)?.id,
          limit: query.limit,
        });
        const now = clock.now();
        return toPage(rows, query.limit, (r) => presentExecution(r, now));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/executions/:id',
      operationId: 'getSyncExecution',
      summary: 'Get a sync run with its per-stream progress',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: { params: idParams, response: { 200: executionSchema } },
      async handler({ params, tenantId }) {
        return presentExecution(await mustGet(tenantId, params.id), clock.now());
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/executions/:id/logs',
      operationId: 'listSyncExecutionLogs',
      summary: 'A sync run’s log, oldest first; follow it by asking again with `after`',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: {
        params: idParams,
        querystring: afterQuery,
        response: {
          200: z.object({ data: z.array(logSchema), next_after: z.string().nullable(), finished: z.boolean() }),
        },
      },
      async handler({ params, query, tenantId }) {
        const execution = await mustGet(tenantId, params.id);
        const rows = await listLogs(db, params.id, {
          ...(query.after ? { afterId: query.after } : {}),
          limit: query.limit,
        });
        const data = rows.slice(0, query.limit).map((r) => ({ ...r, at: r.at.toISOString() }));
        return {
          data,
          next_after: data.at(-1)?.id ?? query.after ?? null,
          finished: !['pending', 'running'].includes(execution.status),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/syncs/executions/:id/rejected',
      operationId: 'listSyncRejectedRecords',
      summary: 'The records a sync run rejected (a mapping or the target refused them), with the reasons',
      tags: ['Syncs'],
      access: { capability: 'view_syncs' },
      errors: ['not_found'],
      schema: {
        params: idParams,
        querystring: afterQuery,
        response: { 200: z.object({ data: z.array(rejectedSchema), next_after: z.string().nullable() }) },
      },
      async handler({ params, query, tenantId }) {
        await mustGet(tenantId, params.id);
        const rows = await listRejected(db, params.id, {
          ...(query.after ? { afterId: query.after } : {}),
          limit: query.limit,
        });
        const more = rows.length > query.limit;
        const data = rows.slice(0, query.limit).map((r) => ({ ...r, at: r.at.toISOString() }));
        return { data, next_after: more ? (data.at(-1)?.id ?? null) : null };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/syncs/executions/:id/cancel',
      operationId: 'cancelSyncExecution',
      summary: 'Cancel a sync run: a waiting run at once, a running one after the batch in hand',
      tags: ['Syncs'],
      access: { capability: 'run_syncs' },
      audit: { action: 'sync.cancel', targetType: 'sync_execution' },
      errors: ['not_found', 'conflict'],
      status: 202,
      schema: { params: idParams, response: { 202: executionSchema } },
      async handler({ params, tenantId, transaction, audit }) {
        return transaction(async (tx) => {
          const { rows } = await tx.query<{ status: string }>(
            'select status from sync_executions where tenant_id = $1 and id = $2 for update',
            [tenantId, params.id],
          );
          const status = rows[0]?.status;
          if (!status) throw new ApiError('not_found', `Sync run ${params.id} does not exist.`);
          audit.target(params.id, { status });
          if (status === 'pending') {
            const row = await finishExecution(tx, {
              id: params.id,
              owner: null,
              status: 'cancelled',
              errorCode: 'cancelled',
              error: 'Cancelled before it started.',
              now: clock.now(),
            });
            if (row) {
              await insertLogs(tx, row.id, [{ level: 'info', stream: null, message: 'Cancelled before it started.' }]);
              await publishEvent(tx, executionEvent(row));
              return presentExecution(row, clock.now());
            }
          }
          if (status !== 'running') throw new ApiError('conflict', `Sync run ${params.id} already ended (${status}).`);
          await tx.query('update sync_executions set cancel_requested = true where id = $1', [params.id]);
          await db.notify(tx, channels.syncCancel, params.id);
          const row = await getExecution(tx, tenantId, params.id);
          return presentExecution(row as NonNullable<typeof row>, clock.now());
        });
      },
    }),
  ];
}
