import type { CapabilityDefinition as Capability, CapabilityCatalog } from '../catalog/capabilities.js';
import type { Manifest } from '../catalog/manifest/manifest.js';
import type { Registry } from '../catalog/registry.js';
import type { Proxy } from '../connections/proxy/proxy.js';
import { backoffMs, sleep } from '../connections/proxy/retry.js';
import type { Clock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';
import { matchesCondition } from './conditions.js';
import { fuse } from './fusion.js';
import type { ProviderHealth, ProviderStatus } from './health.js';
import { planProviderRequest, readProviderAnswer, type ProviderOutcome } from './provider.js';
import type { RouteRow, StoredProvider } from './sql.js';

export type AttemptOutcome = 'ok' | 'empty' | 'rate_limited' | 'quota_exhausted' | 'failed' | 'timeout' | 'skipped';

export type Attempt = {
  connection_id: string;
  connector: string;
  outcome: AttemptOutcome;
  reason: string;
  status?: number;
  latency_ms: number;
};

export type ProviderRef = { connection_id: string; connector: string };

/** What a routed call answers (the body of `POST /v1/routes/{name}/query`). */
export type RouteAnswer = {
  data: unknown;
  provider: ProviderRef | null;
  reason: string;
  attempts: Attempt[];
  queued_ms?: number;
  fusion?: {
    provenance: Record<string, unknown>;
    conflicts: unknown[];
    redistributable: boolean;
    tainted_fields: string[];
  };
};

/** How a call ended: an answer, or a wait for a window to reset (on_rate_limit: queue). Failures throw ApiError. */
export type Served =
  | { kind: 'answer'; answer: RouteAnswer; outcome: 'ok' | 'fallback' | 'fused' }
  | { kind: 'queue'; notBefore: number; reason: string; attempts: Attempt[] };

/** A provider as the explain view shows it. */
export type ProviderView = ProviderRef & {
  eligible: boolean;
  why: string;
  breaker: ProviderStatus['breaker'];
  quota: { exhausted_until: string; reason: string } | null;
  rate_limited_until: string | null;
  sticky: boolean;
  condition_matched?: boolean;
};

export type RouterDeps = {
  clock: Clock;
  proxy: Pick<Proxy, 'call'>;
  registry: Pick<Registry, 'get'>;
  capabilities: CapabilityCatalog;
  health: ProviderHealth;
  /** The route's sticky failover moved (or ended): write it, for every node. */
  stick(route: RouteRow, sticky: { connectionId: string; probeAt: Date } | null): Promise<void>;
  /** Take the sticky route's next probe of the providers before its sticky one (one request, one node). */
  claimStickyProbe(route: RouteRow, nextAt: Date): Promise<boolean>;
};

/** A provider call that got no vendor answer; `sent`: the request may have reached the vendor. */
type NoAnswer = { kind: 'timeout' | 'unusable' | 'error'; reason: string; sent: boolean };

type Call = {
  route: RouteRow;
  capability: Capability;
  query: Record<string, unknown>;
  attempts: Attempt[];
  /** Earliest reset among the providers found rate-limited, with the vendor's reason. */
  limited?: { until: number; reason: string };
};

/** Proxy refusals that say the connection cannot be used, not that the vendor failed: skip it, breaker untouched. */
const UNUSABLE = new Set([
  'connection_paused',
  'connection_unusable',
  'not_connected',
  'not_found',
  'destination_blocked',
  'oauth_refresh_unconfirmed',
  'connector_unavailable',
  'connector_maintenance',
  'capability_not_served',
]);

/**
 * The routing engine: serves a capability through a route's providers. Per provider, in the order the strategy
 * gives: skip it while the vendor's window or quota is spent (its last signal) or its breaker is open (one request
 * probes once the cooldown ends); call it through the proxy (credentials, SSRF guard, request log); read the answer
 * with the connector's capability mapping (a limit in a 200 body, a truncated or malformed answer, records that do
 * not fit the standard model); retry a retryable failure or a short Retry-After within the retry budget; and on a
 * rate limit follow the route's policy — strict fails with the vendor's reason, fallback moves on, queue holds the
 * request until the window resets. A route that fell over from failures sticks to its fallback until a probe finds
 * the primary well again.
 */
export function createRouter(deps: RouterDeps) {
  const { clock, health } = deps;
  const now = () => clock.now().getTime();

  async function manifestOf(connector: string): Promise<{ manifest?: Manifest; unavailable?: string }> {
    const row = await deps.registry.get(connector);
    if (!row) return { unavailable: `connector ${connector} is not in the registry` };
    if (row.availability !== 'active' && row.availability !== 'deprecated')
      return { unavailable: `${row.manifest.name} is ${row.availability.replace('_', ' ')}` };
    return { manifest: row.manifest };
  }

  /** The providers the strategy and conditions give this query, in the order to try them. */
  function candidates(route: RouteRow, query: Record<string, unknown>): { list: StoredProvider[]; matched?: number } {
    let list = route.providers;
    let matched: number | undefined;
    if (route.strategy === 'conditional' || route.conditions.length > 0) {
      const index = route.conditions.findIndex((c) => matchesCondition(c.when, query));
      if (index >= 0) {
        matched = index;
        const use = (route.conditions[index] as { use: string[] }).use;
        list = use.flatMap((id) => route.providers.filter((p) => p.connection_id === id));
      }
    }
    if (route.strategy === 'single') return { list: list.slice(0, 1), ...(matched === undefined ? {} : { matched }) };
    if (route.strategy === 'loadbalance' && list.length > 1) {
      const total = list.reduce((sum, p) => sum + p.weight, 0);
      let pick = Math.random() * total;
      const first = list.find((p) => (pick -= p.weight) < 0) ?? list[0];
      list = [first as StoredProvider, ...list.filter((p) => p !== first)];
    }
    return { list, ...(matched === undefined ? {} : { matched }) };
  }

  const rounded = (ms: number) => Math.round(ms * 100) / 100;

  function skip(call: Call, p: StoredProvider, outcome: AttemptOutcome, reason: string) {
    call.attempts.push({ connection_id: p.connection_id, connector: p.connector, outcome, reason, latency_ms: 0 });
  }

  function noteLimit(call: Call, until: number, reason: string) {
    if (!call.limited || until < call.limited.until) call.limited = { until, reason };
  }

  /** One call of one provider: the proxy, then the connector's reading of the answer. */
  async function attempt(
    call: Call,
    p: StoredProvider,
    manifest: Manifest,
    requestId: string | undefined,
  ): Promise<{ outcome: ProviderOutcome | NoAnswer; ms: number }> {
    const started = performance.now();
    try {
      const plan = planProviderRequest(manifest, call.route.capability, call.query);
      const answer = await deps.proxy.call({
        tenantId: call.route.tenant_id,
        connectionId: p.connection_id,
        method: plan.method,
        path: plan.path,
        ...(plan.query ? { query: plan.query } : {}),
        ...(plan.headers ? { headers: plan.headers } : {}),
        ...(plan.body !== undefined ? { body: plan.body } : {}),
        timeoutMs: call.route.settings.timeout_ms,
        retries: 0,
        kind: 'route',
        ...(requestId ? { requestId } : {}),
      });
      const outcome = readProviderAnswer(manifest, call.capability, answer, now(), call.query);
      return { outcome, ms: performance.now() - started };
    } catch (error) {
      const ms = performance.now() - started;
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'rate_budget_exhausted') {
        const wait = Number(error.headers['retry-after'] ?? 1) * 1000;
        return {
          outcome: {
            kind: 'rate_limited',
            signal: { meaning: 'retry_after_reset', resetAt: now() + wait, reason: error.detail },
          },
          ms,
        };
      }
      // The proxy says whether the request may have reached the vendor; a vendor failure that does not say may have.
      const said = error.extensions.may_have_been_sent;
      const sent =
        typeof said === 'boolean' ? said : error.code === 'upstream_timeout' || error.code === 'upstream_unreachable';
      if (error.code === 'upstream_timeout') return { outcome: { kind: 'timeout', reason: error.detail, sent }, ms };
      if (UNUSABLE.has(error.code))
        return { outcome: { kind: 'unusable', reason: `${error.code}: ${error.detail}`, sent: false }, ms };
      return { outcome: { kind: 'error', reason: `${error.code}: ${error.detail}`, sent }, ms };
    }
  }

  /**
   * Whether a provider may have acted on a call it gave no usable answer to: it was sent and the answer never came
   * (a timeout, a connection cut), or the vendor answered 2xx — it accepted — in a way that cannot be read. A vendor
   * that answered an error status, a rate limit, or a connection refused before sending did not act.
   */
  const mayHaveActed = (outcome: Extract<ProviderOutcome, { kind: 'failed' }> | NoAnswer) =>
    outcome.kind === 'failed'
      ? outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300
      : outcome.sent;

  type Tried =
    | { kind: 'ok'; records: Record<string, unknown>[] }
    | { kind: 'empty' }
    | { kind: 'limited'; until: number; reason: string }
    | { kind: 'failed' }
    | { kind: 'skipped' };

  /** Use one provider: health checks, the call, its retries. Records every attempt on `call`. */
  async function tryProvider(call: Call, p: StoredProvider, requestId: string | undefined): Promise<Tried> {
    const { settings } = call.route;
    const { manifest, unavailable } = await manifestOf(p.connector);
    if (!manifest) {
      skip(call, p, 'skipped', unavailable ?? 'unavailable');
      return { kind: 'skipped' };
    }
    const status = await health.status(p.connection_id);
    if (status.limit) {
      const exhausted = status.limit.meaning === 'quota_exhausted';
      skip(
        call,
        p,
        exhausted ? 'quota_exhausted' : 'rate_limited',
        `${exhausted ? 'quota exhausted' : 'rate-limited'} until ${new Date(status.limit.until).toISOString()}: ${status.limit.reason}`,
      );
      noteLimit(call, status.limit.until, status.limit.reason);
      return { kind: 'limited', until: status.limit.until, reason: status.limit.reason };
    }
    let probe = false;
    if (status.breaker.state !== 'closed') {
      probe = status.probeDue && (await health.claimProbe(p.connection_id, settings.timeout_ms));
      if (!probe) {
        skip(
          call,
          p,
          'skipped',
          `circuit breaker open${status.breaker.probe_at ? ` until ${status.breaker.probe_at}` : ''} (${status.last_failure ?? 'failures'})`,
        );
        return { kind: 'skipped' };
      }
    }
    health.called(p.connection_id);
    for (let retry = 0; ; retry++) {
      const { outcome, ms } = await attempt(call, p, manifest, requestId);
      const record = (o: AttemptOutcome, reason: string, status?: number) =>
        call.attempts.push({
          connection_id: p.connection_id,
          connector: p.connector,
          outcome: o,
          reason: probe ? `probe: ${reason}` : reason,
          ...(status === undefined ? {} : { status }),
          latency_ms: rounded(ms),
        });
      switch (outcome.kind) {
        case 'ok':
          record('ok', 'answered');
          await health.succeeded(p.connection_id, probe);
          return { kind: 'ok', records: outcome.records };
        case 'empty':
          record('empty', outcome.reason);
          await health.succeeded(p.connection_id, probe);
          return { kind: 'empty' };
        case 'unusable':
          record('skipped', outcome.reason);
          return { kind: 'skipped' };
        case 'rate_limited': {
          const { signal } = outcome;
          const exhausted = signal.meaning === 'quota_exhausted';
          record(exhausted ? 'quota_exhausted' : 'rate_limited', signal.reason);
          const wait = signal.resetAt - now();
          // A short window (Retry-After: 2) is waited out on the same provider, within the retry budget; a spent
          // quota, or a wait longer than allowed, marks the provider for every route until the reset.
          if (
            !exhausted &&
            settings.retry.honour_retry_after &&
            retry < settings.retry.attempts &&
            wait <= settings.retry.max_wait_ms &&
            health.retryAllowed(p.connection_id, settings.retry.budget_percent)
          ) {
            await sleep(Math.max(0, wait));
            continue;
          }
          await health.limited(call.route.tenant_id, p.connection_id, {
            until: signal.resetAt,
            meaning: signal.meaning,
            ...(signal.scope ? { scope: signal.scope } : {}),
            reason: signal.reason,
          });
          noteLimit(call, signal.resetAt, signal.reason);
          return { kind: 'limited', until: signal.resetAt, reason: signal.reason };
        }
        default: {
          const failure =
            outcome.kind === 'failed'
              ? { o: 'failed' as const, reason: `${outcome.failure}: ${outcome.reason}`, status: outcome.status }
              : { o: outcome.kind === 'timeout' ? ('timeout' as const) : ('failed' as const), reason: outcome.reason };
          record(failure.o, failure.reason, failure.status);
          const opened = await health.failed(
            call.route.tenant_id,
            p.connection_id,
            settings.breaker,
            failure.reason,
            probe,
          );
          // A capability that is not idempotent (a send) is asked once more, here or elsewhere, only when the vendor
          // surely did not act: otherwise the message may go out twice. The caller is told it may have been sent.
          if (!call.capability.idempotent && mayHaveActed(outcome)) throw mayHaveBeenSent(call, p, failure.reason);
          // Credentials and plan refusals do not get better by asking again.
          const retryable =
            outcome.kind !== 'failed' || outcome.failure === 'status' || outcome.failure === 'malformed';
          if (
            !opened &&
            retryable &&
            retry < settings.retry.attempts &&
            health.retryAllowed(p.connection_id, settings.retry.budget_percent)
          ) {
            await sleep(Math.min(backoffMs(retry), settings.retry.max_wait_ms));
            continue;
          }
          return { kind: 'failed' };
        }
      }
    }
  }

  function mayHaveBeenSent(call: Call, p: ProviderRef, reason: string): ApiError {
    return new ApiError(
      'providers_unavailable',
      `${p.connector} may have acted on this ${call.capability.name} call without a usable answer (${reason}); it ` +
        'was not repeated, nor sent through another provider, so as not to do it twice. Check with the provider ' +
        'before sending it again.',
      { attempts: call.attempts, may_have_been_sent: true, connection_id: p.connection_id },
    );
  }

  function rateLimitedError(call: Call, p?: ProviderRef): ApiError {
    const until = call.limited?.until ?? now() + 1000;
    const seconds = Math.max(1, Math.ceil((until - now()) / 1000));
    return new ApiError(
      'provider_rate_limited',
      `${p ? `${p.connector}: ` : ''}${call.limited?.reason ?? 'rate limit reached'} (resets ${new Date(until).toISOString()}).`,
      { attempts: call.attempts, retry_at: new Date(until).toISOString() },
      { 'retry-after': String(seconds) },
    );
  }

  /** Every provider tried and none answered: a rate limit, no data, or a failure, in that order of telling. */
  function exhausted(call: Call, sawEmpty: boolean): Served {
    const policy = call.route.on_rate_limit;
    if (sawEmpty) throw new ApiError('no_data', 'No provider has data for this query.', { attempts: call.attempts });
    if (call.limited && policy === 'queue')
      return { kind: 'queue', notBefore: call.limited.until, reason: call.limited.reason, attempts: call.attempts };
    if (call.limited) throw rateLimitedError(call);
    throw new ApiError(
      'providers_unavailable',
      `No provider of route ${call.route.name} could answer: ${call.attempts.map((a) => `${a.connector} ${a.outcome} (${a.reason})`).join('; ') || 'none is configured'}.`,
      { attempts: call.attempts },
      { 'retry-after': '5' },
    );
  }

  async function serveInOrder(call: Call, list: StoredProvider[], requestId: string | undefined): Promise<Served> {
    const { route } = call;
    let start = 0;
    let probingSticky = false;
    const stickyAt = route.sticky_connection_id
      ? list.findIndex((p) => p.connection_id === route.sticky_connection_id)
      : -1;
    if (stickyAt > 0) {
      const probeDue = (route.sticky_probe_at?.getTime() ?? 0) <= now();
      probingSticky =
        probeDue &&
        (await deps.claimStickyProbe(route, new Date(now() + route.settings.breaker.cooldown_seconds * 1000)));
      if (!probingSticky) {
        start = stickyAt;
        for (const p of list.slice(0, stickyAt))
          skip(call, p, 'skipped', `sticky failover: served by ${route.sticky_connection_id} until a probe succeeds`);
      }
    }
    let sawEmpty = false;
    let failedBefore = false;
    for (let i = start; i < list.length; i++) {
      const p = list[i] as StoredProvider;
      const tried = await tryProvider(call, p, requestId);
      if (tried.kind === 'ok') {
        const stickTo = failedBefore ? p.connection_id : null;
        const first = i === 0;
        if (stickTo && route.sticky_connection_id !== stickTo)
          await deps.stick(route, {
            connectionId: stickTo,
            probeAt: new Date(now() + route.settings.breaker.cooldown_seconds * 1000),
          });
        else if (first && route.sticky_connection_id) await deps.stick(route, null);
        const data = call.capability.many ? tried.records : (tried.records[0] ?? null);
        const reason = first
          ? probingSticky
            ? 'primary: probe succeeded, back from sticky failover'
            : 'primary'
          : call.attempts
              .filter((a) => a.outcome !== 'ok')
              .map((a) => `${a.connector} ${a.outcome} (${a.reason.slice(0, 120)})`)
              .join('; ');
        return {
          kind: 'answer',
          outcome: first ? 'ok' : 'fallback',
          answer: {
            data,
            provider: { connection_id: p.connection_id, connector: p.connector },
            reason: first ? reason : `fallback: ${reason}`,
            attempts: call.attempts,
          },
        };
      }
      if (tried.kind === 'empty') sawEmpty = true;
      if (tried.kind === 'failed') failedBefore = true;
      if (tried.kind === 'limited') {
        if (route.on_rate_limit === 'strict') throw rateLimitedError(call, p);
        if (route.on_rate_limit === 'queue')
          return { kind: 'queue', notBefore: tried.until, reason: tried.reason, attempts: call.attempts };
      }
    }
    return exhausted(call, sawEmpty);
  }

  async function serveFused(call: Call, list: StoredProvider[], requestId: string | undefined): Promise<Served> {
    const { route } = call;
    const answers: { p: StoredProvider; records: Record<string, unknown>[]; at: number }[] = [];
    const perProvider = await Promise.all(
      list.map(async (p) => {
        const own: Call = { ...call, attempts: [] };
        const tried = await tryProvider(own, p, requestId);
        if (own.limited) noteLimit(call, own.limited.until, own.limited.reason);
        return { p, tried, attempts: own.attempts };
      }),
    );
    let sawEmpty = false;
    for (const { p, tried, attempts } of perProvider) {
      call.attempts.push(...attempts);
      if (tried.kind === 'ok') answers.push({ p, records: tried.records, at: now() });
      if (tried.kind === 'empty') sawEmpty = true;
    }
    if (answers.length === 0) {
      if (call.limited && route.on_rate_limit === 'strict') throw rateLimitedError(call);
      return exhausted(call, sawEmpty);
    }
    const licences = await Promise.all(answers.map(({ p }) => redistributable(p)));
    const fused = fuse({
      key: call.capability.key,
      many: call.capability.many,
      answers: answers.map(({ p, records, at }, i) => ({
        connection_id: p.connection_id,
        connector: p.connector,
        redistributable: licences[i] as boolean,
        records,
        fetched_at: at,
      })),
      rules: route.fusion ?? { fields: {} },
    });
    return {
      kind: 'answer',
      outcome: 'fused',
      answer: {
        data: fused.data,
        provider: null,
        reason: `fused from ${answers.map(({ p }) => p.connector).join(', ')}${answers.length < list.length ? ` (${list.length - answers.length} of ${list.length} did not answer)` : ''}`,
        attempts: call.attempts,
        fusion: {
          provenance: fused.provenance,
          conflicts: fused.conflicts,
          redistributable: fused.redistributable,
          tainted_fields: fused.tainted_fields,
        },
      },
    };
  }

  /** Whether a provider's data may be passed on: the route's word, else its connector's data licence. */
  async function redistributable(p: StoredProvider): Promise<boolean> {
    if (p.redistributable !== undefined) return p.redistributable;
    const row = await deps.registry.get(p.connector);
    return row?.manifest.data_licence?.redistributable ?? true;
  }

  function callFor(route: RouteRow, query: Record<string, unknown>): Call {
    const capability = deps.capabilities.get(route.capability);
    if (!capability)
      throw new ApiError('validation_failed', `The route serves ${route.capability}, which is not a known capability.`);
    return { route, capability, query, attempts: [] };
  }

  return {
    /** Serve a query through a route (the query already checked against the capability's query schema). */
    async serve(
      route: RouteRow,
      query: Record<string, unknown>,
      options: { requestId?: string } = {},
    ): Promise<Served> {
      const call = callFor(route, query);
      const { list } = candidates(route, query);
      if (list.length === 0) return exhausted(call, false);
      return route.strategy === 'fusion'
        ? serveFused(call, list, options.requestId)
        : serveInOrder(call, list, options.requestId);
    },

    /** Which provider would answer now, and why — without calling any. */
    async explain(
      route: RouteRow,
      query: Record<string, unknown>,
    ): Promise<{
      would_use: ProviderRef | null;
      reason: string;
      providers: ProviderView[];
    }> {
      const { list, matched } = candidates(route, query);
      const inPlay = new Set(list.map((p) => p.connection_id));
      const stickyAt = route.sticky_connection_id
        ? list.findIndex((p) => p.connection_id === route.sticky_connection_id)
        : -1;
      const stickyProbeDue = stickyAt > 0 && (route.sticky_probe_at?.getTime() ?? 0) <= now();
      const views: ProviderView[] = [];
      let pick: { p: StoredProvider; why: string } | undefined;
      for (const p of route.providers) {
        const status = await health.status(p.connection_id);
        const { unavailable } = await manifestOf(p.connector);
        const index = list.findIndex((c) => c.connection_id === p.connection_id);
        let why: string;
        if (!inPlay.has(p.connection_id))
          why = matched !== undefined ? `not used by condition ${matched + 1}` : 'not used by this strategy';
        else if (unavailable) why = unavailable;
        else if (status.limit)
          why = `${status.limit.meaning === 'quota_exhausted' ? 'quota exhausted' : 'rate-limited'} until ${new Date(status.limit.until).toISOString()}: ${status.limit.reason}`;
        else if (status.breaker.state === 'open') why = `circuit breaker open until ${status.breaker.probe_at}`;
        else if (stickyAt > 0 && index < stickyAt && !stickyProbeDue)
          why = `sticky failover to ${route.sticky_connection_id} until ${route.sticky_probe_at?.toISOString()}`;
        else why = status.breaker.state === 'half_open' ? 'breaker half-open: this call would be the probe' : 'ready';
        const eligible = why === 'ready' || why.startsWith('breaker half-open');
        if (eligible && !pick && route.strategy !== 'fusion')
          pick = {
            p,
            why: index === 0 ? 'primary' : `fallback (${views.map((v) => `${v.connector}: ${v.why}`).join('; ')})`,
          };
        views.push({
          connection_id: p.connection_id,
          connector: p.connector,
          eligible,
          why,
          breaker: status.breaker,
          quota:
            status.limit?.meaning === 'quota_exhausted'
              ? { exhausted_until: new Date(status.limit.until).toISOString(), reason: status.limit.reason }
              : null,
          rate_limited_until:
            status.limit?.meaning === 'retry_after_reset' ? new Date(status.limit.until).toISOString() : null,
          sticky: route.sticky_connection_id === p.connection_id,
          ...(matched !== undefined ? { condition_matched: inPlay.has(p.connection_id) } : {}),
        });
      }
      if (route.strategy === 'fusion') {
        const fusing = views.filter((v) => v.eligible);
        return {
          would_use: null,
          reason: fusing.length
            ? `fusion of ${fusing.map((v) => v.connector).join(', ')}`
            : 'no provider is ready: the call would fail or queue',
          providers: views,
        };
      }
      return {
        would_use: pick ? { connection_id: pick.p.connection_id, connector: pick.p.connector } : null,
        reason: pick
          ? pick.why
          : route.on_rate_limit === 'queue' && views.some((v) => v.quota || v.rate_limited_until)
            ? 'every provider is rate-limited: the call would wait in the queue for the reset'
            : 'no provider is ready: the call would fail',
        providers: views,
      };
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
