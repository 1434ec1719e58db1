/** The routing API's shapes (issue 23's contract), as the console reads and writes them. */
export type ProviderRef = { connection_id: string; connector: string };

export type Capability = {
  name: string;
  title: string;
  description: string;
  feature: string;
  enabled: boolean;
  many: boolean;
  key: string[];
  query_schema: JsonSchema;
  record_schema: JsonSchema;
  providers: { connector: string; name: string; availability: string; redistributable: boolean }[];
};

export type JsonSchema = {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  default?: unknown;
  examples?: unknown[];
};

export type Strategy = 'single' | 'fallback' | 'loadbalance' | 'conditional' | 'fusion';
export type RateLimitPolicy = 'strict' | 'fallback' | 'queue';
export type Pick =
  'priority' | 'first_non_null' | 'most_recent' | 'min' | 'max' | 'mean' | 'median' | 'consensus' | 'union';
export type Operator = '$eq' | '$ne' | '$in' | '$nin' | '$gt' | '$gte' | '$lt' | '$lte' | '$regex';

export type FusionRule = { pick: Pick; order?: string[]; tolerance?: number; recency_field?: string };

export type RouteInput = {
  name: string;
  description?: string;
  capability: string;
  enabled?: boolean;
  strategy: Strategy;
  providers: { connection_id: string; weight?: number; redistributable?: boolean }[];
  conditions?: { when: Record<string, unknown>; use: string[] }[];
  on_rate_limit: RateLimitPolicy;
  queue?: { max_wait_seconds: number };
  retry?: { attempts: number; honour_retry_after: boolean; max_wait_ms: number; budget_percent: number };
  breaker?: {
    failure_rate: number;
    min_requests: number;
    window_seconds: number;
    consecutive_failures: number;
    cooldown_seconds: number;
  };
  timeout_ms?: number;
  fusion?: { fields: Record<string, FusionRule> };
};

export type Route = Omit<RouteInput, 'providers' | 'description' | 'fusion'> & {
  id: string;
  enabled: boolean;
  description: string | null;
  providers: {
    connection_id: string;
    connector: string;
    /** The connection's name. */
    name: string;
    weight: number;
    /** Its connector's licence, or the route's override. */
    redistributable: boolean;
  }[];
  fusion: { fields: Record<string, FusionRule> } | null;
  /** Served by this fallback since its primary failed, until a probe finds the primary well. */
  sticky?: { connection_id: string; since: string } | null;
  created_at: string;
  updated_at: string;
};

export type AttemptOutcome = 'ok' | 'empty' | 'rate_limited' | 'quota_exhausted' | 'failed' | 'timeout' | 'skipped';
export type Attempt = ProviderRef & { outcome: AttemptOutcome; reason: string; status?: number; latency_ms: number };

/** One provider gave the field; or it was computed from several (an aggregate, or a field of many records). */
export type FieldProvenance = ProviderRef | { connection_ids: string[] };
export type FusionConflict = {
  field: string;
  /** Which record (its key fields), when the answer is a list. */
  key?: Record<string, unknown>;
  values: { connection_id: string; value: unknown }[];
};

export type Fusion = {
  provenance: Record<string, FieldProvenance>;
  conflicts: FusionConflict[];
  redistributable: boolean;
  tainted_fields: string[];
};

export type QueryAnswer = {
  data: Record<string, unknown> | Record<string, unknown>[] | null;
  provider: ProviderRef | null;
  reason: string;
  attempts: Attempt[];
  queued_ms?: number;
  fusion?: Fusion;
};

export type BreakerState = 'closed' | 'open' | 'half_open';
export type ProviderHealth = ProviderRef & {
  eligible: boolean;
  why: string;
  breaker: { state: BreakerState; opened_at: string | null; probe_at: string | null };
  quota: { exhausted_until: string; reason: string } | null;
  rate_limited_until: string | null;
  sticky: boolean;
  condition_matched?: boolean;
  /** The provider's last failure, in its own words. */
  last_failure?: string | null;
};

export type Explanation = {
  would_use: ProviderRef | null;
  reason: string;
  providers: ProviderHealth[];
  queue_length: number;
};

export type RouteHealth = { providers: ProviderHealth[]; queue_length: number; calls_last_hour: number };

export type CallOutcome = 'ok' | 'fallback' | 'fused' | 'rate_limited' | 'queued' | 'expired' | 'failed' | 'no_data';
export type RouteCall = {
  /** Null when nobody answered, or for a fused answer. */
  connection_id: string | null;
  connector: string | null;
  id: string;
  at: string;
  outcome: CallOutcome;
  reason: string;
  latency_ms: number;
  attempts: Attempt[];
};

export type RouteStats = {
  providers: (ProviderRef & {
    calls: number;
    ok: number;
    failed: number;
    rate_limited: number;
    p50_ms: number | null;
    p95_ms: number | null;
  })[];
  buckets: {
    at: string;
    ok: number;
    fallback: number;
    fused?: number;
    failed: number;
    rate_limited: number;
    queued: number;
  }[];
};

export type Page<T> = { data: T[]; next_cursor: string | null };
