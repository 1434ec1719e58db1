-- OAuth 2.0: the apps tenants register per connector, authorization flows in progress, and what refreshing tokens
-- needs on each credential (a lease so that one node at a time refreshes it, failure counts, use and refresh times).

-- A tenant's own OAuth app for a connector (tenant template / BYOP, or a hybrid connector's override).
create table oauth_clients (
  tenant_id text not null references tenants (id) on delete cascade,
  connector_slug text not null references connectors (slug) on delete cascade,
  client_id text not null,
  -- Sealed in the tenant's vault; null for a public client (PKCE only).
  client_secret_sealed text,
  updated_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, connector_slug)
);

-- An authorization flow between POST /v1/oauth/authorize and the callback. The state itself is never stored, only
-- its SHA-256; a flow is used once (used_at) and expires after 10 minutes.
create table oauth_flows (
  id text primary key,
  state_hash text not null unique,
  tenant_id text not null references tenants (id) on delete cascade,
  principal_type text not null check (principal_type in ('api_key', 'user')),
  principal_id text not null,
  connector_slug text not null references connectors (slug) on delete cascade,
  auth_method text not null,
  -- What the flow is for: a new connection, re-authorizing one (new scopes, renewed consent), or a user's own
  -- credential under a user-level connection.
  purpose text not null check (purpose in ('create', 'reauthorize', 'connect_user')),
  connection_id text references connections (id) on delete cascade,
  level text not null check (level in ('app', 'user')),
  name text,
  description text,
  config jsonb not null default '{}'::jsonb,
  scopes text[] not null default '{}',
  code_verifier_sealed text,
  redirect_uri text not null,
  return_to text,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index oauth_flows_expires on oauth_flows (expires_at);

alter table connections add column scopes_requested text[] not null default '{}';

alter table connection_credentials
  add column refresh_expires_at timestamptz,
  add column lease_owner text,
  add column lease_until timestamptz,
  add column refreshed_at timestamptz,
  add column last_used_at timestamptz,
  add column refresh_failures integer not null default 0,
  add column last_refresh_error text;
create index connection_credentials_expiry on connection_credentials (expires_at) where expires_at is not null;
