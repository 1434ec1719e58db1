import type { Queryable } from '../../../core/db/port.js';
import type { VerificationScheme } from '../verify/index.js';
import type { Handshake, StoredRule, ValueFrom } from './config.js';

export type SourceRow = {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  connection_id: string | null;
  token_hash: string;
  token_sealed: string;
  previous_token_hash: string | null;
  previous_token_expires_at: Date | null;
  verification: VerificationScheme;
  dedup_key: ValueFrom | null;
  dedup_window_seconds: number;
  event_type_from: ValueFrom | null;
  max_body_bytes: number;
  content_types: string[];
  response_mode: 'async' | 'sync';
  sync_timeout_ms: number;
  rules: StoredRule[];
  enabled: boolean;
  handshake: Handshake | null;
  rejected_count: string | number;
  last_rejected_at: Date | null;
  last_rejection: string | null;
  created_at: Date;
  updated_at: Date;
};

/** The columns a user changes (everything else is the token, counters and timestamps). */
export type SourceFields = Pick<
  SourceRow,
  | 'name'
  | 'description'
  | 'verification'
  | 'dedup_key'
  | 'dedup_window_seconds'
  | 'event_type_from'
  | 'max_body_bytes'
  | 'content_types'
  | 'response_mode'
  | 'sync_timeout_ms'
  | 'rules'
  | 'enabled'
  | 'handshake'
>;

export type SourceSecretRow = { id: string; source_id: string; created_at: Date; expires_at: Date | null };

const COLUMNS = `id, tenant_id, name, description, connection_id, token_hash, token_sealed, previous_token_hash,
  previous_token_expires_at, verification, dedup_key, dedup_window_seconds, event_type_from, max_body_bytes,
  content_types, response_mode, sync_timeout_ms, rules, enabled, handshake, rejected_count, last_rejected_at,
  last_rejection, created_at, updated_at`;

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

export async function insertSource(
  q: Queryable,
  row: SourceFields & Pick<SourceRow, 'id' | 'tenant_id' | 'connection_id' | 'token_hash' | 'token_sealed'>,
): Promise<SourceRow> {
  const { rows } = await q.query<SourceRow>(
    `insert into inbound_sources (id, tenant_id, connection_id, token_hash, token_sealed, name, description,
       verification, dedup_key, dedup_window_seconds, event_type_from, max_body_bytes, content_types, response_mode,
       sync_timeout_ms, rules, enabled, handshake)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11::jsonb, $12, $13::text[], $14, $15, $16::jsonb, $17,
       $18)
     returning ${COLUMNS}`,
    [row.id, row.tenant_id, row.connection_id, row.token_hash, row.token_sealed, ...fieldValues(row)],
  );
  return rows[0] as SourceRow;
}

function fieldValues(f: SourceFields): unknown[] {
  return [
    f.name,
    f.description,
    json(f.verification),
    json(f.dedup_key),
    f.dedup_window_seconds,
    json(f.event_type_from),
    f.max_body_bytes,
    f.content_types,
    f.response_mode,
    f.sync_timeout_ms,
    json(f.rules),
    f.enabled,
    f.handshake,
  ];
}

export async function updateSource(q: Queryable, id: string, f: SourceFields): Promise<SourceRow> {
  const { rows } = await q.query<SourceRow>(
    `update inbound_sources set name = $2, description = $3, verification = $4::jsonb, dedup_key = $5::jsonb,
       dedup_window_seconds = $6, event_type_from = $7::jsonb, max_body_bytes = $8, content_types = $9::text[],
       response_mode = $10, sync_timeout_ms = $11, rules = $12::jsonb, enabled = $13, handshake = $14,
       updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, ...fieldValues(f)],
  );
  return rows[0] as SourceRow;
}

export async function getSource(q: Queryable, tenantId: string, id: string): Promise<SourceRow | undefined> {
  const { rows } = await q.query<SourceRow>(`select ${COLUMNS} from inbound_sources where tenant_id = $1 and id = $2`, [
    tenantId,
    id,
  ]);
  return rows[0];
}

export async function lockSource(q: Queryable, tenantId: string, id: string): Promise<SourceRow | undefined> {
  const { rows } = await q.query<SourceRow>(
    `select ${COLUMNS} from inbound_sources where tenant_id = $1 and id = $2 for update`,
    [tenantId, id],
  );
  return rows[0];
}

export async function listSources(
  q: Queryable,
  tenantId: string,
  opts: { beforeId?: string; limit: number; connectionId?: string },
): Promise<SourceRow[]> {
  const { rows } = await q.query<SourceRow>(
    `select ${COLUMNS} from inbound_sources
     where tenant_id = $1 and ($2::text is null or id < $2) and ($3::text is null or connection_id = $3)
     order by id desc limit $4`,
    [tenantId, opts.beforeId ?? null, opts.connectionId ?? null, opts.limit + 1],
  );
  return rows;
}

export async function deleteSource(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query(`delete from inbound_sources where tenant_id = $1 and id = $2`, [tenantId, id]);
  return rowCount > 0;
}

/**
 * The source a public token names: the current token, or the previous one within its grace period. A disabled
 * tenant's sources are not found: its URLs answer exactly as unknown ones do.
 */
export async function findSourceByTokenHash(q: Queryable, hash: string): Promise<SourceRow | undefined> {
  const { rows } = await q.query<SourceRow>(
    `select ${COLUMNS} from inbound_sources s
     where (token_hash = $1 or (previous_token_hash = $1 and previous_token_expires_at > now()))
       and not exists (select 1 from tenants t where t.id = s.tenant_id and t.disabled_at is not null)`,
    [hash],
  );
  return rows[0];
}

export async function replaceToken(
  q: Queryable,
  id: string,
  next: { hash: string; sealed: string; graceSeconds: number },
): Promise<SourceRow> {
  const { rows } = await q.query<SourceRow>(
    `update inbound_sources set previous_token_hash = case when $4 > 0 then token_hash end,
       previous_token_expires_at = case when $4 > 0 then now() + make_interval(secs => $4) end,
       token_hash = $2, token_sealed = $3, updated_at = now()
     where id = $1 returning ${COLUMNS}`,
    [id, next.hash, next.sealed, next.graceSeconds],
  );
  return rows[0] as SourceRow;
}

export async function insertSourceSecret(
  q: Queryable,
  row: { id: string; source_id: string; secret_sealed: string },
): Promise<SourceSecretRow> {
  const { rows } = await q.query<SourceSecretRow>(
    `insert into inbound_source_secrets (id, source_id, secret_sealed) values ($1, $2, $3)
     returning id, source_id, created_at, expires_at`,
    [row.id, row.source_id, row.secret_sealed],
  );
  return rows[0] as SourceSecretRow;
}

/** Live secrets (not expired) of some sources, with their sealed values, oldest first. */
export async function listSourceSecrets(
  q: Queryable,
  sourceIds: string[],
): Promise<(SourceSecretRow & { secret_sealed: string })[]> {
  if (sourceIds.length === 0) return [];
  const { rows } = await q.query<SourceSecretRow & { secret_sealed: string }>(
    `select id, source_id, secret_sealed, created_at, expires_at from inbound_source_secrets
     where source_id = any($1::text[]) and (expires_at is null or expires_at > now())
     order by created_at, id`,
    [sourceIds],
  );
  return rows;
}

/** Start the overlap of a rotation: live secrets expire `seconds` from now (0: at once). */
export async function expireSourceSecrets(q: Queryable, sourceId: string, seconds: number): Promise<number> {
  const { rowCount } = await q.query(
    `update inbound_source_secrets set expires_at = now() + make_interval(secs => $2)
     where source_id = $1 and (expires_at is null or expires_at > now() + make_interval(secs => $2))`,
    [sourceId, seconds],
  );
  return rowCount;
}
