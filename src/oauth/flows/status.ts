import { z } from 'zod';
import type { Queryable } from '../../core/db/port.js';
import { timestamp } from '../../core/http/schemas.js';
import { notFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { getFlow, type FlowRow } from './sql.js';

/**
 * Where an authorization flow stands, for whoever waits on it without being the browser that ran it: the CLI's
 * `connections connect`, a page that opened the consent popup. The flow's starter may always read it; others in the
 * tenant need `list_connections`.
 */

export const flowStatusSchema = z
  .object({
    id: z.string(),
    connector: z.string(),
    purpose: z
      .enum(['create', 'reauthorize', 'connect_user'])
      .describe('A new connection, re-authorizing one, or a user’s own account under a user-level connection'),
    level: z.enum(['app', 'user']),
    status: z
      .enum(['pending', 'completing', 'connected', 'failed', 'expired'])
      .describe(
        '`pending`: waiting for the user at the vendor; `completing`: the callback is exchanging the code and ' +
          'testing; `connected` and `failed` are final; `expired`: nobody came back before `expires_at`',
      ),
    connection_id: z
      .string()
      .nullable()
      .describe('The connection made or renewed (`connected`), or the one a re-authorization is for'),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .describe('Why it failed: the same words as the callback page'),
    created_at: timestamp,
    expires_at: timestamp,
    finished_at: timestamp.nullable(),
  })
  .meta({ id: 'OAuthFlow', description: 'An authorization flow and how it ended' });

type FlowStatus = z.input<typeof flowStatusSchema>;

function statusOf(flow: FlowRow, now: Date): FlowStatus['status'] {
  if (flow.outcome) return flow.outcome;
  if (flow.used_at) return 'completing';
  return flow.expires_at <= now ? 'expired' : 'pending';
}

export async function readFlowStatus(q: Queryable, principal: Principal, id: string, now: Date): Promise<FlowStatus> {
  const flow = await getFlow(q, principal.tenantId, id);
  const own = flow && flow.principal_type === principal.kind && flow.principal_id === principal.id;
  if (!flow || !(own || principal.capabilities.has('list_connections'))) throw notFound('OAuth flow', id);
  return {
    id: flow.id,
    connector: flow.connector_slug,
    purpose: flow.purpose,
    level: flow.level,
    status: statusOf(flow, now),
    connection_id: flow.result_connection_id ?? flow.connection_id,
    error: flow.error_code ? { code: flow.error_code, message: flow.error_message ?? '' } : null,
    created_at: flow.created_at.toISOString(),
    expires_at: flow.expires_at.toISOString(),
    finished_at: flow.finished_at?.toISOString() ?? null,
  };
}
