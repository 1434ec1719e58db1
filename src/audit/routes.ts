import { z } from 'zod';
import type { Db } from '../core/db/port.js';
import { defineRoute } from '../core/http/route.js';
import { dateTimeQuery, decodeCursor, isoRequired, page, pageQuery, timestamp, toPage } from '../core/http/schemas.js';
import { listAuditEntries, type AuditRow } from './sql.js';

export const auditEntrySchema = z
  .object({
    id: z.string(),
    actor: z.object({
      type: z.enum(['user', 'api_key', 'system']),
      id: z.string().nullable(),
      label: z.string().nullable(),
    }),
    action: z.string(),
    target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
    outcome: z.enum(['success', 'failure', 'denied']),
    status_code: z.number().int().nullable(),
    error_code: z.string().nullable(),
    request_id: z.string().nullable(),
    diff: z.record(z.string(), z.unknown()),
    created_at: timestamp,
  })
  .meta({ id: 'AuditEntry' });

function present(row: AuditRow): z.input<typeof auditEntrySchema> {
  return {
    id: row.id,
    actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    outcome: row.outcome,
    status_code: row.status_code,
    error_code: row.error_code,
    request_id: row.request_id,
    diff: row.diff,
    created_at: isoRequired(row.created_at),
  };
}

export function auditRoutes(deps: { db: Db }) {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/audit',
      operationId: 'listAuditEntries',
      summary: 'List activity-log entries, newest first',
      description:
        'Filters combine with AND. `action` accepts an exact action or a prefix ending in `.*` (e.g. `api_key.*`).',
      tags: ['Audit'],
      access: { capability: 'view_audit' },
      schema: {
        querystring: pageQuery.extend({
          actor: z.string().max(100).optional().describe('Actor id (user or API key)'),
          action: z.string().max(100).optional(),
          target_type: z.string().max(100).optional(),
          target_id: z.string().max(200).optional(),
          outcome: z.enum(['success', 'failure', 'denied']).optional(),
          since: dateTimeQuery.optional().describe('Inclusive lower bound (ISO 8601)'),
          until: dateTimeQuery.optional().describe('Exclusive upper bound (ISO 8601)'),
        }),
        response: { 200: page(auditEntrySchema) },
      },
      async handler({ query, tenantId }) {
        const rows = await listAuditEntries(deps.db, tenantId, {
          actorId: query.actor,
          action: query.action,
          targetType: query.target_type,
          targetId: query.target_id,
          outcome: query.outcome,
          since: query.since ? new Date(query.since) : undefined,
          until: query.until ? new Date(query.until) : undefined,
          beforeId: decodeCursor(query.cursor)?.id,
          limit: query.limit,
        });
        return toPage(rows, query.limit, present);
      },
    }),
  ];
}
