import type { Queryable } from '../core/db/port.js';
import { newId } from '../core/ids.js';
import { normalEndUser, normalTags, type ConnectionIdentity, type EndUser } from './identity.js';

export const connectionStates = [
  'inactive',
  'testing',
  'active',
  'paused',
  'auth_expired',
  'auth_revoked',
  'error',
] as const;
export type ConnectionState = (typeof connectionStates)[number];

export type ConnectionRow = {
  id: string;
  tenant_id: string;
  connector_slug: string;
  name: string;
  description: string;
  config: Record<string, unknown>;
  auth_method: string;
  credential_source: 'tenant' | 'system';
  level: 'app' | 'user';
  state: ConnectionState;
  state_reason: string | null;
  vendor_account_id: string | null;
  vendor_account_name: string | null;
  scopes_granted: string[];
  /** OAuth: the scopes the connection asks for (read only here; set by src/oauth). */
  scopes_requested: string[];
  last_test_at: Date | null;
  last_test_outcome: Record<string, unknown> | null;
  last_delivery_at: Date | null;
  operator_of_record: string | null;
  /** Whom it belongs to in the embedding product (src/connections/identity.ts). */
  key: string | null;
  end_user: EndUser | null;
  tags: string[];
  metadata: Record<string, unknown>;
  connect_session_id: string | null;
  create_fingerprint: string | null;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = `id, tenant_id, connector_slug, name, description, config, auth_method, credential_source, level, state,
  state_reason, vendor_account_id, vendor_account_name, scopes_granted, scopes_requested, last_test_at,
  last_test_outcome, last_delivery_at, operator_of_record, key, end_user, tags, metadata, connect_session_id,
  create_fingerprint, created_at, updated_at`;

export async function insertConnection(
  q: Queryable,
  c: Pick<
    ConnectionRow,
    | 'id'
    | 'tenant_id'
    | 'connector_slug'
    | 'name'
    | 'description'
    | 'config'
    | 'auth_method'
    | 'credential_source'
    | 'level'
    | 'state'
    | 'state_reason'
    | 'vendor_account_id'
    | 'vendor_account_name'
    | 'scopes_granted'
    | 'last_test_at'
    | 'last_test_outcome'
    | 'operator_of_record'
  > & { identity?: ConnectionIdentity | undefined },
): Promise<ConnectionRow> {
  const identity = c.identity ?? {};
  const { rows } = await q.query<ConnectionRow>(
    `insert into connections (id, tenant_id, connector_slug, name, description, config, auth_method, credential_source,
       level, state, state_reason, vendor_account_id, vendor_account_name, scopes_granted, last_test_at,
       last_test_outcome, operator_of_record, key, end_user, tags, metadata, connect_session_id, create_fingerprint)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17, $18,
       $19::jsonb, $20, $21::jsonb, $22, $23)
     returning ${COLUMNS}`,
    [
      c.id,
      c.tenant_id,
      c.connector_slug,
      c.name,
      c.description,
      JSON.stringify(c.config),
      c.auth_method,
      c.credential_source,
      c.level,
      c.state,
      c.state_reason,
      c.vendor_account_id,
      c.vendor_account_name,
      c.scopes_granted,
      c.last_test_at,
      c.last_test_outcome === null ? null : JSON.stringify(c.last_test_outcome),
      c.operator_of_record,
      identity.key ?? null,
      identity.end_user ? JSON.stringify(normalEndUser(identity.end_user)) : null,
      normalTags(identity.tags),
      JSON.stringify(identity.metadata ?? {}),
      identity.connect_session_id ?? null,
      identity.create_fingerprint ?? null,
    ],
  );
  return rows[0] as ConnectionRow;
}

export async function getConnection(q: Queryable, tenantId: string, id: string): Promise<ConnectionRow | undefined> {
  const { rows } = await q.query<ConnectionRow>(`select ${COLUMNS} from connections where tenant_id = $1 and id = $2`, [
    tenantId,
    id,
  ]);
  return rows[0];
}

/** Lock the row for a state change: concurrent tests, pauses and edits of one connection serialise here. */
export async function lockConnection(q: Queryable, tenantId: string, id: string): Promise<ConnectionRow | undefined> {
  const { rows } = await q.query<ConnectionRow>(
    `select ${COLUMNS} from connections where tenant_id = $1 and id = $2 for update`,
    [tenantId, id],
  );
  return rows[0];
}

export type ConnectionSort = 'created_at' | 'name' | 'state' | 'connector' | 'last_test_at';

export async function countConnectionsByState(q: Queryable, tenantId: string): Promise<Map<string, number>> {
  const { rows } = await q.query<{ state: string; n: number }>(
    'select state, count(*)::int as n from connections where tenant_id = $1 group by state',
    [tenantId],
  );
  return new Map(rows.map((r) => [r.state, r.n]));
}

export async function listConnections(
  q: Queryable,
  tenantId: string,
  f: {
    limit: number;
    state?: string;
    connector?: string;
    search?: string;
    endUserId?: string | undefined;
    /** Connections carrying every one of these tags. */
    tags?: string[] | undefined;
    sort: ConnectionSort;
    desc: boolean;
    after?: { key: string | number | null; id: string };
  },
): Promise<(ConnectionRow & { sort_key: string })[]> {
  // Sort keys are text (timestamps as ISO strings) so one keyset comparison works for every sort column.
  const key = {
    created_at: "to_char(created_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')",
    name: 'lower(name)',
    state: 'state',
    connector: 'connector_slug',
    last_test_at: "coalesce(to_char(last_test_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '')",
  }[f.sort];
  const cmp = f.desc ? '<' : '>';
  const order = f.desc ? 'desc' : 'asc';
  const { rows } = await q.query<ConnectionRow & { sort_key: string }>(
    `select ${COLUMNS}, ${key} as sort_key from connections
     where tenant_id = $1
       and ($2::text is null or state = $2)
       and ($3::text is null or connector_slug = $3)
       and ($4::text is null or name ilike $4 or description ilike $4 or connector_slug ilike $4
            or coalesce(vendor_account_id, '') ilike $4)
       and ($5::text is null or (${key}, id) ${cmp} ($5, $6))
       and ($8::text is null or end_user_id = $8)
       and ($9::text[] is null or tags @> $9)
     order by ${key} ${order}, id ${order}
     limit $7`,
    [
      tenantId,
      f.state ?? null,
      f.connector ?? null,
      f.search ? `%${f.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null,
      f.after ? String(f.after.key ?? '') : null,
      f.after?.id ?? null,
      f.limit + 1,
      f.endUserId ?? null,
      f.tags?.length ? normalTags(f.tags) : null,
    ],
  );
  return rows;
}

export async function updateConnection(
  q: Queryable,
  id: string,
  changes: Partial<
    Pick<
      ConnectionRow,
      | 'name'
      | 'description'
      | 'config'
      | 'state'
      | 'state_reason'
      | 'vendor_account_id'
      | 'vendor_account_name'
      | 'scopes_granted'
      | 'last_test_at'
      | 'last_test_outcome'
      | 'auth_method'
      | 'credential_source'
      | 'tags'
      | 'metadata'
    >
  >,
): Promise<ConnectionRow> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  const json = new Set(['config', 'last_test_outcome', 'metadata']);
  for (const [column, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    values.push(json.has(column) ? JSON.stringify(value) : column === 'tags' ? normalTags(value as string[]) : value);
    sets.push(`${column} = $${values.length}${json.has(column) ? '::jsonb' : ''}`);
  }
  const { rows } = await q.query<ConnectionRow>(
    `update connections set ${[...sets, 'updated_at = now()'].join(', ')} where id = $1 returning ${COLUMNS}`,
    values,
  );
  return rows[0] as ConnectionRow;
}

export async function deleteConnection(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query('delete from connections where tenant_id = $1 and id = $2', [tenantId, id]);
  return rowCount > 0;
}

export type CredentialRow = {
  id: string;
  connection_id: string;
  user_id: string | null;
  sealed: string;
  expires_at: Date | null;
  scopes: string[];
};

export async function upsertCredential(
  q: Queryable,
  c: {
    id?: string;
    connection_id: string;
    user_id: string | null;
    seal: (credentialId: string) => Promise<string>;
    expires_at?: Date | null;
    scopes?: string[];
  },
): Promise<string> {
  const existing = await getCredential(q, c.connection_id, c.user_id);
  const id = existing?.id ?? c.id ?? newId('cred');
  const sealed = await c.seal(id);
  if (existing) {
    await q.query(
      'update connection_credentials set sealed = $2, expires_at = $3, scopes = $4, updated_at = now() where id = $1',
      [id, sealed, c.expires_at ?? null, c.scopes ?? existing.scopes],
    );
  } else {
    await q.query(
      'insert into connection_credentials (id, connection_id, user_id, sealed, expires_at, scopes) values ($1, $2, $3, $4, $5, $6)',
      [id, c.connection_id, c.user_id, sealed, c.expires_at ?? null, c.scopes ?? []],
    );
  }
  return id;
}

export async function getCredential(
  q: Queryable,
  connectionId: string,
  userId: string | null,
): Promise<CredentialRow | undefined> {
  const { rows } = await q.query<CredentialRow>(
    `select id, connection_id, user_id, sealed, expires_at, scopes from connection_credentials
     where connection_id = $1 and user_id is not distinct from $2`,
    [connectionId, userId],
  );
  return rows[0];
}

export async function insertStateHistory(
  q: Queryable,
  h: {
    tenantId: string;
    connectionId: string;
    from: string | null;
    to: string;
    reason: string | null;
    actorType: string;
    actorId: string | null;
  },
): Promise<void> {
  await q.query(
    `insert into connection_state_history (id, tenant_id, connection_id, from_state, to_state, reason, actor_type, actor_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [newId('csh'), h.tenantId, h.connectionId, h.from, h.to, h.reason, h.actorType, h.actorId],
  );
}

export async function listStateHistory(q: Queryable, connectionId: string, limit: number) {
  const { rows } = await q.query<{
    id: string;
    from_state: string | null;
    to_state: string;
    reason: string | null;
    actor_type: string;
    actor_id: string | null;
    created_at: Date;
  }>(
    `select id, from_state, to_state, reason, actor_type, actor_id, created_at from connection_state_history
     where connection_id = $1 order by id desc limit $2`,
    [connectionId, limit],
  );
  return rows;
}
