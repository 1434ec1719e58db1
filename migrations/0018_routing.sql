-- Provider routing (src/routing): a tenant's features (what its subscription turns on, e.g. seed 000's
-- financial_data), routes that serve a capability from several connections, each connection's circuit breaker and
-- rate-limit state shared by every route and node, the durable queue of requests waiting for a rate-limit window to
-- reset, and the log of routed calls.
alter table tenants add column features text[] not null default '{}';

create table routes (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  name text not null,
  description text,
  capability text not null,
  enabled boolean not null default true,
  strategy text not null,
  on_rate_limit text not null,
  -- [{connection_id, weight, redistributable}], in priority order.
  providers jsonb not null,
  -- [{when: {field: condition}, use: [connection_id]}]: the first that matches the query picks the providers.
  conditions jsonb not null default '[]',
  -- {queue, retry, breaker, timeout_ms}
  settings jsonb not null default '{}',
  fusion jsonb,
  -- Sticky failover: the provider serving the route since the ones before it failed, and when one of those is
  -- tried again (a probe); null while the route is served in its own order.
  sticky_connection_id text,
  sticky_since timestamptz,
  sticky_probe_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, name)
);

-- Per connection, for every route that uses it: its circuit breaker (closed, or open until a probe is due; one probe
-- at a time holds probe_until) and the vendor's last rate-limit or quota signal, which keeps it out of use until the
-- window resets.
create table provider_health (
  connection_id text primary key references connections (id) on delete cascade,
  tenant_id text not null references tenants (id) on delete cascade,
  breaker text not null default 'closed',
  opened_at timestamptz,
  probe_at timestamptz,
  probe_until timestamptz,
  last_failure text,
  limited_until timestamptz,
  -- retry_after_reset | quota_exhausted
  limit_meaning text,
  limit_scope text,
  limit_reason text,
  updated_at timestamptz not null default now()
);
create index provider_health_tenant on provider_health (tenant_id);

-- Requests held until a provider's window resets (on_rate_limit: queue). The row is the job: the routing queue
-- worker claims due rows in the order they came, serves them, and records the answer for the caller waiting on it
-- (or polling GET /v1/routes/requests/{id}).
create table route_requests (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  route_id text not null references routes (id) on delete cascade,
  query jsonb not null,
  -- queued | running | served | failed | expired
  state text not null default 'queued',
  not_before timestamptz not null,
  deadline timestamptz not null,
  lease_until timestamptz,
  tries integer not null default 0,
  result jsonb,
  problem jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index route_requests_due on route_requests (not_before, id) where state = 'queued';
create index route_requests_running on route_requests (lease_until) where state = 'running';
create index route_requests_route on route_requests (route_id, id) where state in ('queued', 'running');

create table route_calls (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  route_id text not null references routes (id) on delete cascade,
  at timestamptz not null default now(),
  connection_id text,
  -- ok | fallback | fused | rate_limited | queued | expired | failed | no_data
  outcome text not null,
  reason text not null,
  latency_ms integer not null,
  attempts jsonb not null default '[]'
);
create index route_calls_route on route_calls (route_id, id desc);
create index route_calls_at on route_calls (route_id, at);

-- The connection request log also records the calls routes make, as kind 'route'.
alter table connection_requests drop constraint connection_requests_kind_check;
alter table connection_requests add constraint connection_requests_kind_check
  check (kind in ('proxy', 'test', 'sync', 'route'));
