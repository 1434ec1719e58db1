import type { Logger } from 'pino';
import type { Outbound } from '../../core/net/http-client.js';
import type { Clock } from '../../core/clock.js';
import { channels } from '../../core/db/channels.js';
import { displayableText } from '../../core/db/jsonb-text.js';
import type { Db } from '../../core/db/port.js';
import { createGroupCommit } from '../../core/group-commit.js';
import { classifyRequestError } from '../../core/net/request-failure.js';
import { createWorker, type WorkerSettings } from '../../core/worker.js';
import type { Vault } from '../../vault/vault.js';
import { classifyResponse, nextAttemptAt } from '../retry-schedule.js';
import { signatureHeaders } from '../signing.js';
import { recoverExpiredLeases, type ClaimedDelivery } from './claim.js';
import { createClaimPlan } from './claim-plan.js';
import { recordDelivered, recordFailure, type AttemptKind, type AttemptRecord, type HealthPolicy } from './record.js';
import { createTargets, type Target } from './targets.js';

export type DispatcherOptions = HealthPolicy &
  WorkerSettings & {
    timeoutMs: number;
    retryDelaysMs: readonly number[];
    retryJitter: number;
    /** Attempts in flight on this node to one endpoint (1 for an endpoint with FIFO ordering). */
    endpointConcurrency: number;
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
  throttlePenaltyMs: 30_000,
  maxRetryAfterMs: 3_600_000,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
  breakerMaxCooldownMs: 10 * 60_000,
} as const;

const RESPONSE_BODY_LIMIT = 64 * 1024;

/**
 * The outbound webhook dispatcher: a leased worker (core/worker.ts) that every node runs over the shared deliveries
 * table, woken by the deliveries' insert trigger (NOTIFY), by its own finished attempts, and by a poll for retries
 * coming due. It claims under a lease longer than the request timeout, so nodes never send one delivery at once, and
 * a node that dies mid-attempt leaves deliveries that come due again when the lease ends. What it claims for which
 * endpoint (caps, FIFO lanes, rate limits, the breaker's probe) is claim-plan.ts; how an outcome is stored, record.ts.
 */
export function createDispatcher(deps: DispatcherDeps, options: DispatcherOptions) {
  const { db, clock, log } = deps;
  const targets = createTargets(deps);
  // Claim to record takes at most the request timeout plus a database write: the lease covers twice that, or the
  // timeout plus five seconds when the timeout is short.
  const leaseMs = options.timeoutMs + Math.max(options.timeoutMs, 5000);
  const plan = createClaimPlan(db, { endpointConcurrency: options.endpointConcurrency, leaseMs }, () => worker.freed());
  const worker = createWorker<ClaimedDelivery>(
    deps,
    {
      name: 'webhook deliveries',
      wakeOn: [channels.webhookDeliveries],
      claim: plan.claim,
      claimed: plan.claimed,
      run: attempt,
      settled: plan.settled,
      recover: (leaseEnded) => recoverExpiredLeases(db, leaseEnded),
      failed(error, delivery) {
        if (!delivery) log.error({ err: error }, 'webhook dispatcher pass failed');
        else
          log.error({ err: error, delivery: delivery.id }, 'webhook attempt could not be recorded; its lease will end');
      },
    },
    options,
  );

  // Successful attempts are written in groups: everything that finished while the previous group was committing.
  const recordSuccess = createGroupCommit<AttemptRecord, void>(
    async (records) => {
      await recordDelivered(db, records, clock.now());
      return records.map(() => undefined);
    },
    { max: 256 },
  );

  /**
   * One attempt and its record. Its endpoint's slot goes early once a delivery succeeded on an endpoint without FIFO
   * ordering: the endpoint's cap counts requests out to it, and the group commit of successes (which waits for the
   * group before it) must not stall the next request. A FIFO lane opens only once its head is stored, and a failure
   * must reach the endpoint's health (breaker, throttle) before more is sent, so those hold the slot until settled.
   */
  async function attempt(delivery: ClaimedDelivery): Promise<void> {
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
      if (plan.unordered(delivery.endpoint_id)) plan.release(delivery);
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
      const failure = classifyRequestError(error, { timeoutMs: options.timeoutMs });
      if (failure.kind === 'blocked') return { kind: 'blocked', error: failure.summary, minDelayMs: 0 };
      const outcome = classifyResponse({ error }, startedAt, options);
      return {
        kind: outcome.kind === 'throttle' ? 'throttled' : 'failed',
        error: failure.summary,
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
      // As decoded, a body holds no lone surrogate, but it may hold NUL, which a text column refuses: the attempt was
      // never recorded and the delivery, already received, went out again once its lease ended.
      responseBody: displayableText(response.body.toString('utf8')),
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
      await targets.start();
      await worker.start();
    },
    wake: worker.wake,
    /**
     * For tests: run passes until nothing is due and nothing is in flight (with the clock where the test put it).
     * Works started or not.
     */
    drain: worker.drain,
    /**
     * Stop claiming, then wait up to `graceMs` for attempts in flight. Attempts still running after it are abandoned
     * with the process: their leases end and another node (or the next start) sends them again.
     */
    async stop(graceMs?: number): Promise<void> {
      await worker.stop(graceMs);
      await targets.stop();
    },
    /** Attempts in flight on this node. */
    inFlight: worker.inFlight,
    /** Forget cached endpoints (tests that edit rows directly). */
    forgetTargets: () => targets.clear(),
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
