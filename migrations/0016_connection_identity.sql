-- Connections that know whom they belong to in the product that embeds Switchyard: a caller-chosen key (unique per
-- tenant, so the product addresses a connection by its own id), the end user (id, email, display name,
-- organisation), tags and metadata. `create_fingerprint` makes a repeated create with the same key idempotent.
alter table connections
  add column key text,
  add column end_user jsonb,
  add column end_user_id text generated always as (end_user ->> 'id') stored,
  add column tags text[] not null default '{}',
  add column metadata jsonb not null default '{}'::jsonb,
  add column create_fingerprint text,
  add column connect_session_id text;
create unique index connections_key on connections (tenant_id, key) where key is not null;
create index connections_end_user on connections (tenant_id, end_user_id) where end_user_id is not null;
create index connections_tags on connections using gin (tags);

-- A connect session: a product's backend lets one of its end users connect accounts through the hosted Connect UI,
-- holding only the session's token (its SHA-256 is stored). It acts with the authority of the principal that made
-- it, limited to the connectors it names; it is used up by the connection it makes.
create table connect_sessions (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  token_hash text not null unique,
  principal_type text not null check (principal_type in ('api_key', 'user')),
  principal_id text not null,
  end_user jsonb not null,
  connectors jsonb not null,
  tags text[] not null default '{}',
  metadata jsonb not null default '{}'::jsonb,
  allowed_origins text[] not null,
  branding jsonb not null default '{}'::jsonb,
  reconnect_connection_id text references connections (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  connection_id text,
  created_at timestamptz not null default now()
);
create index connect_sessions_tenant on connect_sessions (tenant_id, id desc);
create index connect_sessions_expires on connect_sessions (expires_at);

-- A flow carries the identity its connection will have (from POST /v1/oauth/authorize or a connect session).
alter table oauth_flows
  add column identity jsonb not null default '{}'::jsonb,
  add column connect_session_id text references connect_sessions (id) on delete cascade;
