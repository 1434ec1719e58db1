-- Outbound webhooks: the event types a tenant defines, the endpoints that subscribe to them, and the endpoints'
-- signing secrets. Deliveries and attempts come with the dispatcher.

-- A tenant's own event types. Platform types (connection.*) are not stored: they are a list in the code.
create table event_types (
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null check (name ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  description text not null default '',
  -- A JSON Schema the payload (`data`) of a published event must match; null accepts any object.
  schema jsonb,
  -- Archived types accept no new events and stay listed (with archived_at) so old events keep their meaning.
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, name)
);

create table webhook_endpoints (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  url text not null,
  description text not null default '',
  -- The event types it receives; empty means every type.
  event_types text[] not null default '{}',
  -- Custom request headers (name → value); hop-by-hop and webhook-* names are refused by the API.
  headers jsonb not null default '{}'::jsonb,
  rate_limit_per_second integer check (rate_limit_per_second is null or rate_limit_per_second > 0),
  ordering text not null default 'none' check (ordering in ('none', 'endpoint', 'key')),
  enabled boolean not null default true,
  disabled_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_endpoints_tenant on webhook_endpoints (tenant_id, id desc);

-- Signing secrets. An endpoint signs with every secret that has not expired, so a rotation overlaps old and new.
create table webhook_endpoint_secrets (
  id text primary key,
  endpoint_id text not null references webhook_endpoints (id) on delete cascade,
  kind text not null check (kind in ('hmac', 'ed25519')),
  -- The whsec_ secret or the whsk_ private key, sealed in the tenant's vault.
  secret_sealed text not null,
  -- The whpk_ public key of an ed25519 pair (not secret); null for hmac.
  public_key text,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  check ((kind = 'ed25519') = (public_key is not null))
);
create index webhook_endpoint_secrets_endpoint on webhook_endpoint_secrets (endpoint_id, created_at);

-- Listing events by time range (GET /v1/events?since=…&until=…).
create index events_tenant_created on events (tenant_id, created_at desc, id desc);
