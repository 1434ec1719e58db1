import { SwitchyardError } from '../../../api.js';
import type { FusionRule, Operator, Pick, RateLimitPolicy, Route, RouteInput, Strategy } from '../types.js';

/** A provider in the route's order; `licence` overrides the connector's data licence for this route. */
export type ProviderDraft = {
  connectionId: string;
  weight: string;
  licence: 'default' | 'redistributable' | 'restricted';
};
/** "When <field> <op> <value>, use these providers". */
export type ConditionDraft = { field: string; op: Operator; value: string; use: string[] };
/** A field's fusion rule as typed; `pick: ''` leaves the field to the "*" rule. */
export type FusionDraft = { pick: Pick | ''; prefer: string; tolerancePercent: string; recencyField: string };

export type RouteForm = {
  name: string;
  description: string;
  capability: string;
  enabled: boolean;
  strategy: Strategy;
  providers: ProviderDraft[];
  conditions: ConditionDraft[];
  onRateLimit: RateLimitPolicy;
  queueMaxWait: string;
  retry: { attempts: string; honourRetryAfter: boolean; maxWaitMs: string; budgetPercent: string };
  breaker: {
    failureRatePercent: string;
    minRequests: string;
    windowSeconds: string;
    consecutiveFailures: string;
    cooldownSeconds: string;
  };
  timeoutMs: string;
  /** Keyed by record field; "*" is every field without a rule of its own. */
  fusion: Record<string, FusionDraft>;
};

/** The API's defaults, shown in the form so that what is saved is what is seen. */
const defaults = {
  queueMaxWait: 600,
  retry: { attempts: 2, honour_retry_after: true, max_wait_ms: 10_000, budget_percent: 20 },
  breaker: { failure_rate: 0.5, min_requests: 5, window_seconds: 60, consecutive_failures: 3, cooldown_seconds: 15 },
  timeoutMs: 10_000,
};

const fusionDraftOf = (rule: FusionRule | undefined): FusionDraft => ({
  pick: rule?.pick ?? '',
  prefer: rule?.order?.[0] ?? '',
  tolerancePercent: rule?.tolerance === undefined ? '' : String(rule.tolerance * 100),
  recencyField: rule?.recency_field ?? '',
});

function conditionDraftOf(condition: { when: Record<string, unknown>; use: string[] }): ConditionDraft {
  const [field = '', test] = Object.entries(condition.when)[0] ?? [];
  if (test !== null && typeof test === 'object' && !Array.isArray(test)) {
    const [op, value] = Object.entries(test)[0] ?? ['$eq', ''];
    return {
      field,
      op: op as Operator,
      value: Array.isArray(value) ? value.join(', ') : String(value),
      use: condition.use,
    };
  }
  return { field, op: '$eq', value: String(test ?? ''), use: condition.use };
}

/**
 * The form for a route (or a new one of `capability`). A route reads back each provider's licence in effect; it is an
 * override only where it differs from what the connector declares (`declared`, by connector slug).
 */
export function initialForm(
  route: Route | undefined,
  capability: string,
  declared: (connector: string) => boolean | undefined = () => undefined,
): RouteForm {
  const retry = route?.retry ?? defaults.retry;
  const breaker = route?.breaker ?? defaults.breaker;
  const fusion: Record<string, FusionDraft> = { '*': { ...fusionDraftOf(undefined), pick: 'priority' } };
  for (const [field, rule] of Object.entries(route?.fusion?.fields ?? {})) fusion[field] = fusionDraftOf(rule);
  return {
    name: route?.name ?? '',
    description: route?.description ?? '',
    capability: route?.capability ?? capability,
    enabled: route?.enabled ?? true,
    strategy: route?.strategy ?? 'fallback',
    providers: (route?.providers ?? []).map((p) => ({
      connectionId: p.connection_id,
      weight: String(p.weight ?? 1),
      licence:
        p.redistributable === declared(p.connector) ? 'default' : p.redistributable ? 'redistributable' : 'restricted',
    })),
    conditions: (route?.conditions ?? []).map(conditionDraftOf),
    onRateLimit: route?.on_rate_limit ?? 'fallback',
    queueMaxWait: String(route?.queue?.max_wait_seconds ?? defaults.queueMaxWait),
    retry: {
      attempts: String(retry.attempts),
      honourRetryAfter: retry.honour_retry_after,
      maxWaitMs: String(retry.max_wait_ms),
      budgetPercent: String(retry.budget_percent),
    },
    breaker: {
      failureRatePercent: String(breaker.failure_rate * 100),
      minRequests: String(breaker.min_requests),
      windowSeconds: String(breaker.window_seconds),
      consecutiveFailures: String(breaker.consecutive_failures),
      cooldownSeconds: String(breaker.cooldown_seconds),
    },
    timeoutMs: String(route?.timeout_ms ?? defaults.timeoutMs),
    fusion,
  };
}

/** A number from a text box; an empty or unreadable one is sent as it is, for the API to name the problem. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

type Condition = RouteInput['conditions'][number];
type Test = Condition['when'][string];

/** A value as typed: a number when it reads as one (a price), else the text (an exchange code, a date). */
const scalarOf = (text: string): string | number => {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t;
};

function testOf(c: ConditionDraft): Test {
  const list = c.value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  switch (c.op) {
    case '$eq':
      return scalarOf(c.value);
    case '$in':
      return { $in: list.map(scalarOf) };
    case '$nin':
      return { $nin: list.map(scalarOf) };
    case '$regex':
      return { $regex: c.value };
    case '$ne':
      return { $ne: scalarOf(c.value) };
    default:
      return { [c.op]: scalarOf(c.value) };
  }
}

const conditionOf = (c: ConditionDraft): Condition => ({ when: { [c.field]: testOf(c) }, use: c.use });

function fusionRuleOf(draft: FusionDraft, order: string[]): FusionRule | undefined {
  if (!draft.pick) return undefined;
  const rule: FusionRule = { pick: draft.pick };
  if (draft.prefer) rule.order = [draft.prefer, ...order.filter((id) => id !== draft.prefer)];
  if (draft.pick === 'consensus' && draft.tolerancePercent.trim() !== '') {
    rule.tolerance = numberOf(draft.tolerancePercent) / 100;
  }
  if (draft.pick === 'most_recent' && draft.recencyField) rule.recency_field = draft.recencyField;
  return rule;
}

/** The body the API takes: the route as the form shows it, each setting of the chosen strategy only. */
export function bodyOf(form: RouteForm): RouteInput {
  const order = form.providers.map((p) => p.connectionId);
  const body: RouteInput = {
    name: form.name.trim(),
    description: form.description,
    capability: form.capability,
    enabled: form.enabled,
    strategy: form.strategy,
    providers: form.providers.map((p) => ({
      connection_id: p.connectionId,
      weight: form.strategy === 'loadbalance' ? numberOf(p.weight) : 1,
      ...(p.licence === 'default' ? {} : { redistributable: p.licence === 'redistributable' }),
    })),
    on_rate_limit: form.onRateLimit,
    conditions: form.strategy === 'conditional' ? form.conditions.map(conditionOf) : [],
    queue: { max_wait_seconds: numberOf(form.queueMaxWait) },
    retry: {
      attempts: numberOf(form.retry.attempts),
      honour_retry_after: form.retry.honourRetryAfter,
      max_wait_ms: numberOf(form.retry.maxWaitMs),
      budget_percent: numberOf(form.retry.budgetPercent),
    },
    breaker: {
      failure_rate: numberOf(form.breaker.failureRatePercent) / 100,
      min_requests: numberOf(form.breaker.minRequests),
      window_seconds: numberOf(form.breaker.windowSeconds),
      consecutive_failures: numberOf(form.breaker.consecutiveFailures),
      cooldown_seconds: numberOf(form.breaker.cooldownSeconds),
    },
    timeout_ms: numberOf(form.timeoutMs),
  };

  if (form.strategy === 'fusion') {
    const fields: Record<string, FusionRule> = {};
    for (const [field, draft] of Object.entries(form.fusion)) {
      const rule = fusionRuleOf(draft, order);
      if (rule) fields[field] = rule;
    }
    body.fusion = { fields };
  }
  return body;
}

/** The messages of the API's field problems under a path (`body.breaker`), for the part of the form they concern. */
export function problemsAt(error: unknown, ...prefixes: string[]): string[] {
  if (!(error instanceof SwitchyardError)) return [];
  return (error.problem.errors ?? [])
    .filter((e) => prefixes.some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}/`)))
    .map((e) => `${e.path.replace(/^body[./]/, '')}: ${e.message}`);
}
