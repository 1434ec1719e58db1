import type { ApiPaths, Schemas } from '../../api.js';

/** The routing API's shapes as the console reads and writes them (the SDK's types, narrowed where they are open). */
export type ProviderRef = { connection_id: string; connector: string };

/** A JSON Schema of a capability's query or record, as far as the console reads one to build its controls. */
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

/** The API types the capability's schemas as open documents; they are JSON Schemas. */
export type Capability = Omit<Schemas['Capability'], 'query_schema' | 'record_schema'> & {
  query_schema: JsonSchema;
  record_schema: JsonSchema;
};

export type Route = Schemas['Route'];
export type RouteInput = Schemas['NewRouteInput'];
export type Strategy = Route['strategy'];
export type RateLimitPolicy = Route['on_rate_limit'];
export type FusionRule = Schemas['RouteFusionFieldRuleInput'];
export type Pick = FusionRule['pick'];
export type Operator = '$eq' | '$ne' | '$in' | '$nin' | '$gt' | '$gte' | '$lt' | '$lte' | '$regex';

export type Attempt = Schemas['RouteAnswer']['attempts'][number];
export type AttemptOutcome = Attempt['outcome'];

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

/** A query's answer; the API leaves the record and the fusion report open (they follow the capability). */
export type QueryAnswer = Omit<Schemas['RouteAnswer'], 'data' | 'fusion'> & {
  data: Record<string, unknown> | Record<string, unknown>[] | null;
  fusion?: Fusion;
};

export type ProviderHealth = Schemas['RouteProviderHealth'];
export type BreakerState = ProviderHealth['breaker']['state'];
export type Explanation = Schemas['RouteExplanation'];
export type RouteHealth = Schemas['RouteHealth'];
export type RouteCall = Schemas['RouteCall'];
export type RouteStats = Schemas['RouteStats'];

/** The outcomes a call in the log can have (`GET /v1/routes/{name}/calls?outcome=`). */
type CallsQuery = NonNullable<ApiPaths['/v1/routes/{name}/calls']['get']['parameters']['query']>;
export type CallOutcome = NonNullable<CallsQuery['outcome']>;
