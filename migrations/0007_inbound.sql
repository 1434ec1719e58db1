-- Inbound webhooks: sources (a public URL each, a verification scheme, routing rules), their secrets, the events
-- they receive (the row is both the log entry and the processing job), and the dedup window.

create table inbound_sources (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  description text not null default '',
  -- Deleting a connection deletes the sources that belong to it; their events go with them.
  connection_id text references connections (id) on delete cascade,
  -- POST /hooks/{token}: the token is 160 random bits, looked up by its SHA-256 and kept sealed for display.
  token_hash text not null unique,
  token_sealed text not null,
  -- After a rotation the previous token is accepted until previous_token_expires_at.
  previous_token_hash text unique,
  previous_token_expires_at timestamptz,
  -- The verification scheme (src/webhooks/inbound/verify/types.ts), without secrets.
  verification jsonb not null,
  -- Where the provider's delivery id and event type are read when the scheme does not say: {from, path}.
  dedup_key jsonb,
  dedup_window_seconds integer not null default 86400 check (dedup_window_seconds between 60 and 259200),
  event_type_from jsonb,
  max_body_bytes integer not null default 1048576 check (max_body_bytes between 1 and 16777216),
  -- Media types accepted (type/subtype, * wildcards allowed); JSON media types must carry valid JSON.
  content_types text[] not null default '{application/json}',
  response_mode text not null default 'async' check (response_mode in ('async', 'sync')),
  sync_timeout_ms integer not null default 10000 check (sync_timeout_ms between 100 and 30000),
  -- Ordered routing rules: [{name, when: {event_types, condition}, actions: [...]}].
  rules jsonb not null default '[]'::jsonb,
  enabled boolean not null default true,
  rejected_count bigint not null default 0,
  last_rejected_at timestamptz,
  last_rejection text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index inbound_sources_tenant on inbound_sources (tenant_id, id desc);
create index inbound_sources_connection on inbound_sources (connection_id) where connection_id is not null;

-- Verification secrets (signing secrets, passwords, API keys), sealed; several overlap during a rotation.
create table inbound_source_secrets (
  id text primary key,
  source_id text not null references inbound_sources (id) on delete cascade,
  secret_sealed text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz
);
create index inbound_source_secrets_source on inbound_source_secrets (source_id, created_at);

create table inbound_events (
  id text primary key,
  tenant_id text not null,
  source_id text not null references inbound_sources (id) on delete cascade,
  received_at timestamptz not null,
  status text not null check (status in ('received', 'processed', 'failed', 'duplicate', 'rejected')),
  event_type text,
  dedup_key text,
  -- The event a duplicate repeats (null when the original is no longer known).
  duplicate_of text,
  remote_address text,
  content_type text,
  -- Request headers; credentials (authorization, cookies, the source's API-key header) are never stored.
  headers jsonb not null default '{}'::jsonb,
  -- The raw bytes as received; null for rejected requests, whose bodies are not kept.
  body bytea,
  body_size integer not null default 0,
  -- Why a request was rejected (bad_signature, stale_timestamp, ip_not_allowed, body_too_large, …).
  rejection text,
  -- Processing: claimed with FOR UPDATE SKIP LOCKED under a lease; retried with backoff while actions fail.
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  processed_at timestamptz,
  -- Per-rule and per-action outcomes of the last processing, and the error that failed it.
  results jsonb,
  error text,
  replays integer not null default 0
);
create index inbound_events_tenant on inbound_events (tenant_id, id desc);
create index inbound_events_source on inbound_events (source_id, id desc);
-- The processing queue: only rows still to process are indexed.
create index inbound_events_due on inbound_events (next_attempt_at) where status = 'received';

-- A key is a duplicate while an unexpired row holds it; an expired row is taken over by the next event.
create table inbound_dedup (
  source_id text not null references inbound_sources (id) on delete cascade,
  key text not null,
  event_id text not null,
  expires_at timestamptz not null,
  primary key (source_id, key)
);
create index inbound_dedup_expires on inbound_dedup (expires_at);
