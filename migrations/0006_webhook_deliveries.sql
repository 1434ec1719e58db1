-- Outbound webhook delivery: one delivery per event × subscribed endpoint, its attempts, and each endpoint's health.
-- The deliveries table is the dispatcher's queue: workers on any node claim due rows with FOR UPDATE SKIP LOCKED.

-- An optional payload filter: an SQL/JSON path predicate evaluated against {"type": …, "data": …}, e.g.
-- `$.data.amount > 100 && $.type starts with "invoice."`. A false or non-boolean result skips the delivery.
alter table webhook_endpoints add column filter text;

-- Custom header values can be credentials (a receiver's bearer token): sealed in the tenant's vault like any secret,
-- only their names in clear.
alter table webhook_endpoints drop column headers;
alter table webhook_endpoints add column header_names text[] not null default '{}';
alter table webhook_endpoints add column headers_sealed text;

-- Health, shared by every node. `failing_since` is when the current unbroken run of failures began (null after a
-- success); after `consecutive_failures` reaches the breaker threshold the circuit opens until `circuit_open_until`,
-- then one half-open probe decides whether it closes. An endpoint failing for the whole disable period is disabled.
alter table webhook_endpoints add column failing_since timestamptz;
alter table webhook_endpoints add column consecutive_failures integer not null default 0;
alter table webhook_endpoints add column circuit_open_until timestamptz;
alter table webhook_endpoints add column circuit_opens integer not null default 0;
-- 429 / 502 / 504 / timeouts pause the whole endpoint until then (Retry-After, or the throttle penalty).
alter table webhook_endpoints add column throttled_until timestamptz;

-- FIFO by ordering key: events published with the same key reach an endpoint with `ordering = 'key'` in order.
alter table events add column ordering_key text;

create table webhook_deliveries (
  id text primary key,
  tenant_id text not null references tenants (id) on delete cascade,
  endpoint_id text not null references webhook_endpoints (id) on delete cascade,
  event_id text not null references events (id) on delete cascade,
  event_type text not null,
  -- pending: waiting for its next attempt; dispatched: an attempt is in flight under a lease;
  -- delivered / failed (retries exhausted or endpoint gone) / skipped (endpoint disabled, filter excluded it).
  status text not null check (status in ('pending', 'dispatched', 'delivered', 'failed', 'skipped')),
  -- The FIFO lane: null for unordered endpoints; the endpoint id or the event's ordering key otherwise.
  ordering_key text,
  attempt_count integer not null default 0,
  -- Attempt number within the current retry schedule (a manual retry or a replay starts the schedule again).
  schedule_attempt integer not null default 0,
  next_attempt_at timestamptz,
  lease_until timestamptz,
  last_status_code integer,
  last_error text,
  skip_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  delivered_at timestamptz,
  unique (endpoint_id, event_id)
);
-- The dispatcher's probe for due work, per endpoint; and for leases that expired with their node.
create index webhook_deliveries_due on webhook_deliveries (endpoint_id, next_attempt_at, id) where status = 'pending';
create index webhook_deliveries_leased on webhook_deliveries (lease_until) where status = 'dispatched';
-- FIFO lanes: the oldest unfinished delivery of a lane.
create index webhook_deliveries_lane on webhook_deliveries (endpoint_id, ordering_key, event_id)
  where ordering_key is not null and status in ('pending', 'dispatched');
-- The delivery log, newest first, per tenant and per endpoint; and the retention purge.
create index webhook_deliveries_tenant on webhook_deliveries (tenant_id, id desc);
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id desc);
create index webhook_deliveries_event on webhook_deliveries (event_id);
create index webhook_deliveries_created on webhook_deliveries (created_at);

create table webhook_attempts (
  id text primary key,
  delivery_id text not null references webhook_deliveries (id) on delete cascade,
  tenant_id text not null,
  endpoint_id text not null,
  attempt_number integer not null,
  -- scheduled (the dispatcher), manual (POST …/retry), replay.
  trigger text not null check (trigger in ('scheduled', 'manual', 'replay')),
  started_at timestamptz not null,
  duration_ms integer not null,
  -- delivered, failed, throttled (429/502/504/timeout), gone (410), blocked (SSRF guard), skipped.
  outcome text not null,
  status_code integer,
  error text,
  -- The receiver's response headers and body, the body cut at 64 KiB (utf-8; undecodable bytes replaced).
  response_headers jsonb,
  response_body text,
  response_truncated boolean not null default false,
  request_url text not null
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, attempt_number);
create index webhook_attempts_started on webhook_attempts (started_at);

-- What the next attempt is (shown on the attempt it makes): the schedule, a manual retry, or a replay.
alter table webhook_deliveries add column next_trigger text not null default 'scheduled'
  check (next_trigger in ('scheduled', 'manual', 'replay'));

-- New deliveries wake the dispatchers: events are published inside other features' transactions, which hold a
-- connection but not the Db handle that names the notification channel, so the channel comes from the session's
-- `switchyard.namespace` setting (set by both database adapters). Notifications are sent on commit, once per
-- transaction.
create function webhook_deliveries_wake() returns trigger language plpgsql as $$
begin
  perform pg_notify(coalesce(nullif(current_setting('switchyard.namespace', true), ''), 'switchyard')
    || '_webhook_deliveries', '');
  return null;
end
$$;
create trigger webhook_deliveries_wake after insert on webhook_deliveries
  for each statement execute function webhook_deliveries_wake();
