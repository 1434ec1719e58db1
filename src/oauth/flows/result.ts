import { insertAuditEntry } from '../../audit/sql.js';
import type { Queryable } from '../../core/db/port.js';
import { ApiError, type ErrorCode } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { FlowRow } from './sql.js';
import { OAuthRefusal, OAuthUnavailable } from '../protocol.js';

/** How a callback ends when it does not succeed (the error page), and the audit entry either way. */

export type CallbackFailed = {
  ok: false;
  code: ErrorCode;
  status: number;
  title: string;
  detail: string;
  flow?: FlowRow;
};

const auditAction = {
  create: 'connection.create',
  reauthorize: 'connection.reauthorize',
  connect_user: 'connection.connect_user',
};

const titles: Partial<Record<ErrorCode, string>> = {
  oauth_state_invalid: 'This authorization link is no longer valid',
  oauth_refused: 'The authorization was not granted',
  oauth_unavailable: 'The authorization server could not be reached',
  destination_blocked: 'The authorization server’s address is not allowed',
  connection_test_failed: 'The connection test failed',
  oauth_client_missing: 'No OAuth app is configured',
  forbidden: 'Not allowed',
};

/** Expected failures as values for the error page; anything else is a bug and is thrown on. */
export function failure(error: unknown, flow?: FlowRow): CallbackFailed {
  let code: ErrorCode;
  let detail: string;
  let status: number;
  if (error instanceof OAuthRefusal) {
    code = 'oauth_refused';
    status = 400;
    detail =
      error.error === 'access_denied'
        ? `The vendor reports that access was denied${error.description ? `: ${error.description}` : '.'}`
        : `The vendor refused the authorization (${error.error})${error.description ? `: ${error.description}` : '.'}`;
  } else if (error instanceof OAuthUnavailable) {
    code = 'oauth_unavailable';
    status = 502;
    detail = `The vendor's token endpoint could not be reached: ${error.message}`;
  } else if (error instanceof ApiError) {
    code = error.code;
    status = error.status;
    detail = error.detail;
  } else {
    throw error;
  }
  return { ok: false, code, status, title: titles[code] ?? 'Could not connect', detail, ...(flow ? { flow } : {}) };
}

export async function writeAudit(
  q: Queryable,
  flow: FlowRow,
  principal: Principal | undefined,
  e: {
    /** The flow's own action (connection.create, …) unless another is named. */
    action?: string;
    requestId: string;
    statusCode: number;
    outcome: 'success' | 'failure' | 'denied';
    targetId: string | undefined;
    errorCode?: string;
    diff: Record<string, unknown>;
  },
): Promise<void> {
  await insertAuditEntry(q, {
    tenantId: flow.tenant_id,
    // A principal that no longer resolves (a revoked key) is still named: the entry records who started the flow.
    actor: principal ?? {
      kind: flow.principal_type,
      id: flow.principal_id,
      label: flow.principal_id,
      tenantId: flow.tenant_id,
      homeTenantId: flow.tenant_id,
      tenant: { name: '', slug: '', features: [] },
      role: '',
      capabilities: new Set(),
      superuser: false,
      via: 'bearer',
    },
    action: e.action ?? auditAction[flow.purpose],
    targetType: 'connection',
    targetId: e.targetId,
    outcome: e.outcome,
    statusCode: e.statusCode,
    errorCode: e.errorCode,
    requestId: e.requestId,
    diff: e.diff,
  });
}
