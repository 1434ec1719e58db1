import type { Logger } from 'pino';
import type { Db } from '../../core/db/port.js';
import { TokenRefreshError } from './failures.js';
import type { Refresher } from './refresher.js';

type DueRow = { connection_id: string; tenant_id: string; user_id: string | null };

/**
 * The background refresh: credentials whose access token expires within the margin, and those not refreshed for
 * the idle period (a refresh token unused for long may be dropped by the vendor: Google after six months, others
 * sooner). Each goes through the refresher, so the lease keeps every node running this at once to one refresh per
 * credential; credentials leased right now, of connections whose grant is known dead, or of a user whose grant is,
 * are left out, as are those whose last refresh request got no answer (only an explicit refresh resends it) and
 * those of a disabled tenant (nothing of it runs until it is enabled again). Returns how many were refreshed.
 */
export async function refreshDueCredentials(
  deps: { db: Db; refresher: Refresher; log: Logger },
  now: Date,
  limit = 100,
): Promise<number> {
  const { marginMs, idleMs } = deps.refresher.options;
  const { rows } = await deps.db.query<DueRow>(
    `select cc.connection_id, c.tenant_id, cc.user_id
     from connection_credentials cc join connections c on c.id = cc.connection_id
       join tenants t on t.id = c.tenant_id
     where c.auth_method = 'oauth2' and c.state not in ('auth_revoked', 'auth_expired') and t.disabled_at is null
       and (cc.lease_until is null or cc.lease_until < now()) and cc.refresh_sent_at is null
       and coalesce(cc.last_refresh_error, '') !~ '^(revoked|expired):'
       and ((cc.expires_at is not null and cc.expires_at < $1) or coalesce(cc.refreshed_at, cc.updated_at) < $2)
     order by cc.expires_at nulls last
     limit $3`,
    [new Date(now.getTime() + marginMs), new Date(now.getTime() - idleMs), limit],
  );
  let refreshed = 0;
  for (const row of rows) {
    try {
      if (await deps.refresher.refreshIfDue(row.tenant_id, row.connection_id, row.user_id)) refreshed++;
    } catch (error) {
      // Recorded on the credential (and the connection) by the refresher; one failure must not stop the others.
      if (!(error instanceof TokenRefreshError)) {
        deps.log.error({ err: error, connectionId: row.connection_id }, 'background token refresh failed');
      }
    }
  }
  return refreshed;
}
