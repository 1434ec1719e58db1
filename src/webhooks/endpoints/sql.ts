import type { Queryable } from '../../core/db/port.js';

export type EndpointRow = {
  id: string;
  tenant_id: string;
  url: string;
  description: string;
  event_types: string[];
  /** Names of the custom headers; their values are sealed in `headers_sealed` (see secrets.ts). */
  header_names: string[];
  headers_sealed: string | null;
  rate_limit_per_second: number | null;
  ordering: 'none' | 'endpoint' | 'key';
  enabled: boolean;
  disabled_reason: string | null;
  filter: string | null;
  failing_since: Date | null;
  consecutive_failures: number;
  circuit_open_until: Date | null;
  created_at: Date;
  updated_at: Date;
};

export type EndpointFields = Pick<
  EndpointRow,
  | 'url'
  | 'description'
  | 'event_types'
  | 'header_names'
  | 'headers_sealed'
  | 'rate_limit_per_second'
  | 'ordering'
  | 'enabled'
  | 'disabled_reason'
  | 'filter'
>;

export type EndpointSecretRow = {
  id: string;
  endpoint_id: string;
  kind: 'hmac' | 'ed25519';
  public_key: string | null;
  created_at: Date;
  expires_at: Date | null;
};

const COLUMNS =
  'id, tenant_id, url, description, event_types, header_names, headers_sealed, rate_limit_per_second, ordering, enabled, disabled_reason, ' +
  'filter, failing_since, consecutive_failures, circuit_open_until, created_at, updated_at';
const SECRET_COLUMNS = 'id, endpoint_id, kind, public_key, created_at, expires_at';

export async function insertEndpoint(
  q: Queryable,
  row: { id: string; tenant_id: string } & EndpointFields,
): Promise<EndpointRow> {
  const { rows } = await q.query<EndpointRow>(
    `insert into webhook_endpoints
       (id, tenant_id, url, description, event_types, header_names, rate_limit_per_second, ordering, enabled,
        disabled_reason, filter, headers_sealed)
     values ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9, $10, $11, $12) returning ${COLUMNS}`,
    [
      row.id,
      row.tenant_id,
      row.url,
      row.description,
      row.event_types,
      row.header_names,
      row.rate_limit_per_second,
      row.ordering,
      row.enabled,
      row.disabled_reason,
      row.filter,
      row.headers_sealed,
    ],
  );
  return rows[0] as EndpointRow;
}

export async function getEndpoint(q: Queryable, tenantId: string, id: string): Promise<EndpointRow | undefined> {
  const { rows } = await q.query<EndpointRow>(
    `select ${COLUMNS} from webhook_endpoints where tenant_id = $1 and id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/** Lock the row: concurrent edits and rotations of one endpoint apply one after the other. */
export async function lockEndpoint(q: Queryable, tenantId: string, id: string): Promise<EndpointRow | undefined> {
  const { rows } = await q.query<EndpointRow>(
    `select ${COLUMNS} from webhook_endpoints where tenant_id = $1 and id = $2 for update`,
    [tenantId, id],
  );
  return rows[0];
}

export async function listEndpoints(
  q: Queryable,
  tenantId: string,
  options: { beforeId?: string | undefined; limit: number },
): Promise<EndpointRow[]> {
  const { rows } = await q.query<EndpointRow>(
    `select ${COLUMNS} from webhook_endpoints where tenant_id = $1 and ($2::text is null or id < $2)
     order by id desc limit $3`,
    [tenantId, options.beforeId ?? null, options.limit + 1],
  );
  return rows;
}

/**
 * Save an edit. Enabling an endpoint (again) also clears its health record: whoever re-enables it has looked at it,
 * so it starts with a closed circuit and a fresh failure clock.
 */
export async function updateEndpoint(q: Queryable, id: string, fields: EndpointFields): Promise<EndpointRow> {
  const { rows } = await q.query<EndpointRow>(
    `update webhook_endpoints set url = $2, description = $3, event_types = $4::text[], header_names = $5::text[],
       rate_limit_per_second = $6, ordering = $7, enabled = $8, disabled_reason = $9, filter = $10,
       headers_sealed = $11,
       failing_since = case when $8 and not enabled then null else failing_since end,
       consecutive_failures = case when $8 and not enabled then 0 else consecutive_failures end,
       circuit_open_until = case when $8 and not enabled then null else circuit_open_until end,
       updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [
      id,
      fields.url,
      fields.description,
      fields.event_types,
      fields.header_names,
      fields.rate_limit_per_second,
      fields.ordering,
      fields.enabled,
      fields.disabled_reason,
      fields.filter,
      fields.headers_sealed,
    ],
  );
  return rows[0] as EndpointRow;
}

export async function deleteEndpoint(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query('delete from webhook_endpoints where tenant_id = $1 and id = $2', [tenantId, id]);
  return rowCount > 0;
}

export async function insertEndpointSecret(
  q: Queryable,
  row: Omit<EndpointSecretRow, 'created_at' | 'expires_at'> & { secret_sealed: string },
): Promise<EndpointSecretRow> {
  const { rows } = await q.query<EndpointSecretRow>(
    `insert into webhook_endpoint_secrets (id, endpoint_id, kind, secret_sealed, public_key)
     values ($1, $2, $3, $4, $5) returning ${SECRET_COLUMNS}`,
    [row.id, row.endpoint_id, row.kind, row.secret_sealed, row.public_key],
  );
  return rows[0] as EndpointSecretRow;
}

/** The secrets an endpoint still signs with (not expired), oldest first. */
export async function listLiveSecrets(q: Queryable, endpointIds: string[]): Promise<EndpointSecretRow[]> {
  if (endpointIds.length === 0) return [];
  const { rows } = await q.query<EndpointSecretRow>(
    `select ${SECRET_COLUMNS} from webhook_endpoint_secrets
     where endpoint_id = any($1::text[]) and (expires_at is null or expires_at > now())
     order by created_at, id`,
    [endpointIds],
  );
  return rows;
}

/** Give every live secret of the endpoint an expiry no later than `seconds` from now. */
export async function expireLiveSecrets(q: Queryable, endpointId: string, seconds: number): Promise<number> {
  const { rowCount } = await q.query(
    `update webhook_endpoint_secrets
     set expires_at = least(coalesce(expires_at, 'infinity'::timestamptz), now() + make_interval(secs => $2))
     where endpoint_id = $1 and (expires_at is null or expires_at > now())`,
    [endpointId, seconds],
  );
  return rowCount;
}
