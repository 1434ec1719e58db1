import type { Logger } from 'pino';
import type { Outbound } from '../../connections/outbound.js';
import type { Clock } from '../../core/clock.js';
import { channels } from '../../core/db/channels.js';
import type { Db } from '../../core/db/port.js';
import { createGroupCommit } from '../../core/group-commit.js';
import { BlockedAddressError } from '../../core/net/ssrf.js';
import type { Vault } from '../../vault/vault.js';
import { classifyResponse, nextAttemptAt } from '../retry-schedule.js';
import { signatureHeaders } from '../signing.js';
import {
  claimDeliveries,
  dueEndpoints,
  recoverExpiredLeases,
  skipDisabled,
  takeProbe,
  type ClaimedDelivery,
  type ClaimLimit,
  type DueEndpoint,
} from './claim.js';
import { recordDelivered, recordFailure, type AttemptKind, type AttemptRecord, type HealthPolicy } from './record.js';
import { createTargets, type Target } from './targets.js';

export type DispatcherOptions = HealthPolicy & {
  timeoutMs: number;
  retryDelaysMs: readonly number[];
  retryJitter: number;
  /** Attempts in flight on this node. */
  concurrency: number;
  /** Attempts in flight on this node to one endpoint (1 for an endpoint with FIFO ordering). */
  endpointConcurrency: number;
  /** Look for due work this often even without a wake-up (retries coming due, missed notifications). */
  pollMs: number;
  /** Throttled endpoints (429/502/504/timeout) without a usable Retry-After wait this long. */
  throttlePenaltyMs: number;
  /** A Retry-After longer than this is cut to it. */
  maxRetryAfterMs: number;
  /** User-Agent of every delivery. */
  userAgent: string;
  /** Jitter source (tests pass a constant). */
  random?: () => number;
};

export type DispatcherDeps = { db: Db; vault: Vault; outbound: Outbound; clock: Clock; log: Logger };

export const dispatcherDefaults = {
  pollMs: 1000,
  throttlePenaltyMs: 30_000,
  maxRetryAfterMs: 3_600_000,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  breakerMaxCooldownMs: 10 * 60_000,
} as const;

const RESPONSE_BODY_LIMIT = 64 * 1024;
const LEASE_RECOVERY_EVERY_MS = 5000;
const MAX_CLAIM_PER_ENDPOINT = 100;

/**
 * The outbound webhook dispatcher. Every node runs one over the shared deliveries table:
 * - woken by the deliveries' insert trigger (LISTEN/NOTIFY, in-process on PGlite), by its own finished attempts, and
 *   by a poll for retries coming due;
 * - claims with `FOR UPDATE SKIP LOCKED` under a lease longer than the request timeout, so nodes never send one
 *   delivery at once, and a node that dies mid-attempt leaves deliveries that come due again when the lease ends;
 * - caps attempts in flight per node and per endpoint, so a slow or dead endpoint holds only its own slots;
 * - applies each endpoint's rate limit (per node) and FIFO lanes (one delivery in flight per lane, cluster-wide);
 * - skips an endpoint whose breaker is open or that is throttled, except for one half-open probe.
 */
export function createDispatcher(deps: DispatcherDeps, options: DispatcherOptions) {
  const { db, clock, log } = deps;
  const targets = createTargets(deps);
  // Claim to record takes at most the request timeout plus a database write: the lease covers twice that, or the
  // timeout plus five seconds when the timeout is short.
  const leaseMs = options.timeoutMs + Math.max(options.timeoutMs, 5000);
  const perEndpoint = new Map<string, number>();
  const running = new Set<Promise<void>>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  let inFlight = 0;
  let stopped = true;
  let draining = false;
  let pumping: Promise<void> | undefined;
  let again = false;
  let lastRecovery = 0;
  let timer: NodeJS.Timeout | undefined;
  let soon: NodeJS.Timeout | undefined;
  // Discovery (which endpoints have due work) costs an index probe per endpoint; it runs on a notification, the poll
  // and at start. Between, finished attempts free slots and the pass claims more for the endpoints whose last claim
  // came back full (`active`): a busy endpoint is fed without rediscovering every endpoint per attempt.
  let discover = true;
  const active = new Map<string, DueEndpoint>();
  // What the last discovery said of each endpoint with work, kept while its attempts run: a FIFO lane opens when
  // its head finishes, which no notification announces, so the finished attempt puts its endpoint back in `active`.
  const known = new Map<string, DueEndpoint>();
  const unlisten: (() => Promise<void>)[] = [];

  /** Run a pass now, or right after the one in progress; `discover` also looks for endpoints with new work. */
  function wake(options: { discover?: boolean } = { discover: true }): void {
    if (options.discover !== false) discover = true;
    if (stopped || draining) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = pump()
      .then(() => undefined)
      .catch((error: unknown) => log.error({ err: error }, 'webhook dispatcher pass failed'))
      .finally(() => {
        pumping = undefined;
        if (again) {
          again = false;
          wake({ discover: false });
        }
      });
  }

  /**
   * Wake within a millisecond, once: attempts finishing and commits notifying in a burst share one pass (and one
   * claim query) instead of one each.
   */
  function wakeSoon(options: { discover: boolean }): void {
    if (options.discover) discover = true;
    if (soon || stopped || draining) return;
    soon = setTimeout(() => {
      soon = undefined;
      wake({ discover: false });
    }, 1);
  }

  /** Claim what is due and start the attempts; returns the number started. */
  async function pump(): Promise<number> {
    const now = clock.now();
    if (now.getTime() - lastRecovery >= LEASE_RECOVERY_EVERY_MS) {
      lastRecovery = now.getTime();
      const recovered = await recoverExpiredLeases(db, now);
      if (recovered > 0) log.warn({ deliveries: recovered }, 'webhook deliveries whose lease expired are due again');
    }
    if (inFlight >= options.concurrency) return 0;
    if (discover) {
      discover = false;
      const due = await dueEndpoints(db, now);
      active.clear();
      for (const id of known.keys()) if (!perEndpoint.has(id)) known.delete(id);
      for (const endpoint of due) {
        active.set(endpoint.id, endpoint);
        known.set(endpoint.id, endpoint);
      }
      const disabled = due.filter((e) => !e.enabled).map((e) => e.id);
      if (disabled.length > 0) await skipDisabled(db, disabled, now);
      for (const id of disabled) active.delete(id);
    }
    if (active.size === 0) return 0;
    const limits = new Map<string, ClaimLimit>();
    let free = options.concurrency - inFlight;
    for (const endpoint of shuffle([...active.values()])) {
      if (free <= 0) break;
      const limit = await claimLimit(endpoint, now, free);
      if (limit.limit > 0) {
        limits.set(endpoint.id, limit);
        free -= limit.limit;
      }
    }
    const claimed = await claimDeliveries(db, limits, now, new Date(now.getTime() + leaseMs));
    for (const delivery of claimed) start(delivery);
    // An endpoint whose claim came back short has nothing more due (until the next discovery); a full claim means
    // more may be due: look again once this pass is done (slots permitting).
    const counts = new Map<string, number>();
    for (const d of claimed) counts.set(d.endpoint_id, (counts.get(d.endpoint_id) ?? 0) + 1);
    for (const [id, { limit }] of limits) {
      if ((counts.get(id) ?? 0) < limit) active.delete(id);
      else again = true;
    }
    return claimed.length;
  }

  async function claimLimit(endpoint: DueEndpoint, now: Date, free: number): Promise<ClaimLimit> {
    const busy = perEndpoint.get(endpoint.id) ?? 0;
    const cap = endpoint.ordering === 'endpoint' ? 1 : options.endpointConcurrency;
    // Half-open: one probe, cluster-wide, and only when nothing of this endpoint is in flight here.
    const halfOpen = endpoint.circuit_open_until !== null;
    let limit = halfOpen ? (busy > 0 ? 0 : 1) : Math.min(cap - busy, free, MAX_CLAIM_PER_ENDPOINT);
    if (limit > 0 && endpoint.rate_limit_per_second !== null) limit = takeTokens(endpoint, now, limit);
    if (limit <= 0) return { limit: 0, probe: false };
    if (halfOpen && !(await takeProbe(db, endpoint.id, now, new Date(now.getTime() + leaseMs))))
      return { limit: 0, probe: false };
    return { limit, probe: halfOpen };
  }

  /** A token bucket per endpoint (per node): `rate` tokens a second, bursts up to one second's worth. */
  function takeTokens(endpoint: DueEndpoint, now: Date, wanted: number): number {
    const rate = endpoint.rate_limit_per_second as number;
    const bucket = buckets.get(endpoint.id) ?? { tokens: rate, at: now.getTime() };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now.getTime() - bucket.at) / 1000) * rate);
    bucket.at = now.getTime();
    const taken = Math.min(wanted, Math.floor(bucket.tokens));
    bucket.tokens -= taken;
    buckets.set(endpoint.id, bucket);
    if (taken < wanted) {
      // Come back when the next token is there.
      const wait = Math.ceil(((1 - (bucket.tokens % 1)) / rate) * 1000);
      setTimeout(() => wake({ discover: false }), wait).unref();
    }
    return taken;
  }

  function start(delivery: ClaimedDelivery): void {
    inFlight++;
    perEndpoint.set(delivery.endpoint_id, (perEndpoint.get(delivery.endpoint_id) ?? 0) + 1);
    let released = false;
    /** The endpoint's slot: held while the request is out, and until the outcome is stored unless it may go sooner. */
    const release = () => {
      if (released) return;
      released = true;
      const left = (perEndpoint.get(delivery.endpoint_id) ?? 1) - 1;
      if (left > 0) perEndpoint.set(delivery.endpoint_id, left);
      else perEndpoint.delete(delivery.endpoint_id);
      wakeSoon({ discover: false });
    };
    const run = attempt(delivery, release)
      .catch((error: unknown) =>
        log.error({ err: error, delivery: delivery.id }, 'webhook attempt could not be recorded; its lease will end'),
      )
      .finally(() => {
        inFlight--;
        release();
        const endpoint = known.get(delivery.endpoint_id);
        if (endpoint && endpoint.ordering !== 'none') active.set(endpoint.id, endpoint);
        running.delete(run);
        wakeSoon({ discover: false });
      });
    running.add(run);
  }

  // Successful attempts are written in groups: everything that finished while the previous group was committing.
  const recordSuccess = createGroupCommit<AttemptRecord, void>(
    async (records) => {
      await recordDelivered(db, records, clock.now());
      return records.map(() => undefined);
    },
    { max: 256 },
  );

  /**
   * One attempt and its record. `release` frees the endpoint's slot early, once a delivery succeeded on an endpoint
   * without FIFO ordering: the endpoint's cap counts requests out to it, and the group commit of successes (which
   * waits for the group before it) must not stall the next request. A FIFO lane opens only once its head is stored,
   * and a failure must reach the endpoint's health (breaker, throttle) before more is sent, so those hold the slot.
   */
  async function attempt(delivery: ClaimedDelivery, release: () => void): Promise<void> {
    const target = await targets.get(delivery.endpoint_id);
    if (!target) return; // Deleted meanwhile: its deliveries went with it.
    const startedAt = clock.now();
    const began = performance.now();
    const result = await send(target, delivery, startedAt);
    const durationMs = performance.now() - began;
    const now = clock.now();
    const record: AttemptRecord = { delivery, url: target.url, startedAt, durationMs, ...result };
    if (result.kind !== 'delivered' && result.kind !== 'gone') {
      record.nextAttemptAt = nextAttemptAt(delivery.schedule_attempt + 1, now, {
        delaysMs: options.retryDelaysMs,
        jitter: options.retryJitter,
        ...(options.random ? { random: options.random } : {}),
        minDelayMs: result.minDelayMs,
      });
    }
    if (result.kind === 'delivered') {
      if (known.get(delivery.endpoint_id)?.ordering === 'none') release();
      await recordSuccess(record);
      return;
    }
    const disabled = await recordFailure(db, record, now, options);
    if (disabled) {
      targets.forget(delivery.endpoint_id);
      log.warn({ endpoint: delivery.endpoint_id, kind: result.kind }, 'webhook endpoint disabled');
    }
  }

  async function send(
    target: Target,
    delivery: ClaimedDelivery,
    startedAt: Date,
  ): Promise<Omit<AttemptRecord, 'delivery' | 'url' | 'startedAt' | 'durationMs'> & { minDelayMs: number }> {
    const body = Buffer.from(
      `{"type":${JSON.stringify(delivery.event_type)},"timestamp":${JSON.stringify(
        new Date(delivery.event_created_at).toISOString(),
      )},"data":${delivery.data_text}}`,
    );
    let signed;
    try {
      signed = signatureHeaders({ id: delivery.event_id, timestamp: startedAt, body, secrets: target.secrets });
    } catch (error) {
      return { kind: 'failed', error: `not signed: ${(error as Error).message}`, minDelayMs: 0 };
    }
    const headers = {
      ...target.headers,
      'content-type': 'application/json',
      'user-agent': options.userAgent,
      ...signed,
    };
    let response;
    try {
      response = await deps.outbound.send(
        { method: 'POST', url: new URL(target.url), headers, body },
        { timeoutMs: options.timeoutMs, maxBytes: RESPONSE_BODY_LIMIT },
      );
    } catch (error) {
      const blocked = findBlocked(error);
      if (blocked) return { kind: 'blocked', error: `destination_blocked: ${blocked.message}`, minDelayMs: 0 };
      const outcome = classifyResponse({ error }, startedAt, options);
      return {
        kind: outcome.kind === 'throttle' ? 'throttled' : 'failed',
        error: describeError(error, options.timeoutMs),
        ...(outcome.kind === 'throttle' ? { throttleMs: outcome.minDelayMs } : {}),
        minDelayMs: 'minDelayMs' in outcome ? outcome.minDelayMs : 0,
      };
    }
    const outcome = classifyResponse({ status: response.status, headers: response.headers }, clock.now(), options);
    const kinds: Record<typeof outcome.kind, AttemptKind> = {
      delivered: 'delivered',
      disable_endpoint: 'gone',
      throttle: 'throttled',
      retry: 'failed',
    };
    return {
      kind: kinds[outcome.kind],
      statusCode: response.status,
      responseHeaders: response.headers,
      responseBody: response.body.toString('utf8'),
      responseTruncated: response.truncated,
      ...(outcome.kind === 'delivered'
        ? {}
        : {
            error:
              outcome.kind === 'retry' && outcome.reason === 'redirect'
                ? 'redirect (not followed)'
                : `HTTP ${response.status}`,
          }),
      ...(outcome.kind === 'throttle' ? { throttleMs: outcome.minDelayMs } : {}),
      minDelayMs: 'minDelayMs' in outcome ? outcome.minDelayMs : 0,
    };
  }

  return {
    async start(): Promise<void> {
      if (!stopped) return;
      stopped = false;
      if (db.kind === 'pglite') {
        // One process owns an embedded database: anything still dispatched was in flight when it last stopped.
        const orphaned = await recoverExpiredLeases(db, 'all');
        if (orphaned > 0)
          log.warn({ deliveries: orphaned }, 'webhook deliveries in flight at the last stop are due again');
      }
      await targets.start();
      unlisten.push(targets.stop);
      unlisten.push(await db.listen(channels.webhookDeliveries, () => wakeSoon({ discover: true })));
      timer = setInterval(() => wake({ discover: true }), options.pollMs);
      timer.unref();
      wake();
    },
    wake: () => wake({ discover: true }),
    /**
     * For tests: run passes until nothing is due and nothing is in flight (with the clock where the test put it).
     * Works started or not.
     */
    async drain(): Promise<void> {
      draining = true;
      try {
        if (pumping) await pumping;
        for (;;) {
          discover = true;
          const started = await pump();
          if (running.size > 0) await Promise.all(running);
          else if (started === 0) break;
        }
      } finally {
        draining = false;
        again = false;
      }
    },
    /**
     * Stop claiming, then wait up to `graceMs` for attempts in flight. Attempts still running after it are abandoned
     * with the process: their leases end and another node (or the next start) sends them again.
     */
    async stop(graceMs = Number.POSITIVE_INFINITY): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      if (soon) clearTimeout(soon);
      for (const off of unlisten.splice(0)) await off();
      if (pumping) await pumping;
      if (running.size === 0) return;
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(running),
        new Promise<void>((resolve) => {
          if (Number.isFinite(graceMs)) grace = setTimeout(resolve, graceMs);
        }),
      ]);
      if (grace) clearTimeout(grace);
    },
    /** Attempts in flight on this node. */
    inFlight: () => inFlight,
    /** Forget cached endpoints (tests that edit rows directly). */
    forgetTargets: () => targets.clear(),
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

export function findBlocked(error: unknown, depth = 0): BlockedAddressError | undefined {
  if (error instanceof BlockedAddressError) return error;
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  return findBlocked((error as { cause?: unknown }).cause, depth + 1);
}

/** A short, secret-free description of a failed request for the attempt log. */
export function describeError(error: unknown, timeoutMs: number): string {
  const chain: { name?: string; code?: string; message?: string }[] = [];
  let current: unknown = error;
  for (let i = 0; i < 4 && typeof current === 'object' && current !== null; i++) {
    chain.push(current as { name?: string; code?: string; message?: string });
    current = (current as { cause?: unknown }).cause;
  }
  if (chain.some((e) => e.name === 'TimeoutError' || (e.code ?? '').includes('TIMEOUT') || e.code === 'ETIMEDOUT'))
    return `timed out after ${timeoutMs} ms`;
  const coded = chain.find((e) => typeof e.code === 'string' && e.code.startsWith('E'));
  if (coded) return `${coded.code}: ${coded.message ?? ''}`.trim();
  const socket = chain.find((e) => e.code === 'UND_ERR_SOCKET');
  if (socket) return `connection closed: ${socket.message ?? ''}`.trim();
  const first = chain[0];
  return first ? `${first.code ?? first.name ?? 'error'}: ${first.message ?? ''}`.trim() : String(error);
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
