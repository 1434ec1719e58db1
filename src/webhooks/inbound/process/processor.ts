import type { Logger } from 'pino';
import type { Outbound } from '../../../core/net/http-client.js';
import { classifyRequestError } from '../../../core/net/request-failure.js';
import type { Clock } from '../../../core/clock.js';
import type { Db } from '../../../core/db/port.js';
import { createWorker, type WorkerSettings } from '../../../core/worker.js';
import { resolveSecretReferences } from '../../../vault/secrets/references.js';
import type { Vault } from '../../../vault/vault.js';
import type { EventTypeCache } from '../../../events/types/cache.js';
import type { RuleAction, StoredForwardAction } from '../sources/config.js';
import { openForwardHeaders } from '../sources/forward-headers.js';
import { publishOnce, whyNotPublishable } from './publish.js';
import { runSyncFor } from './run-sync.js';
import type { ActionResult, Processed } from './results.js';
import { matchRules, parsePayload } from './rules.js';
import { claimDueEvents, claimEvent, recoverEventLeases, storeOutcome, type ClaimedEvent as Claimed } from './sql.js';

/** Retries of an event whose forward failed with a retryable error: after 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h. */
export const INBOUND_RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000];
const RESPONSE_PREVIEW_BYTES = 16 * 1024;

export type ProcessorOptions = WorkerSettings & { leaseMs: number; userAgent: string };

export type ProcessorDeps = {
  db: Db;
  vault: Vault;
  outbound: Outbound;
  eventTypes: EventTypeCache;
  clock: Clock;
  log: Logger;
};

/**
 * Routes stored inbound events through their source's rules: a leased worker (core/worker.ts) over the events table,
 * which is the queue. Rows still `received` and due are claimed under a lease, so any number of nodes share the work
 * and an event whose node died is picked up when its lease ends. Ingest wakes the local processor after each commit;
 * a poll catches everything else (other nodes' events, retries coming due).
 *
 * Forwards run first; publishes and the event's new status are then written in one transaction, and a published
 * event carries an idempotency key (event, replay, rule, action), so a crash between the two never publishes
 * twice. A retry re-runs only the actions that did not succeed.
 */
export function createInboundProcessor(deps: ProcessorDeps, options: ProcessorOptions) {
  const { db, clock, log } = deps;
  const inflight = new Map<string, Promise<Processed>>();
  const leaseUntil = (now: Date) => new Date(now.getTime() + options.leaseMs);

  const worker = createWorker<Claimed, Processed>(
    deps,
    {
      name: 'inbound events',
      // Woken in-process by ingest (after each commit) and replays; other nodes' events come with the poll.
      wakeOn: [],
      claim: (free, now) => claimDueEvents(db, now, free, leaseUntil(now)),
      run(event) {
        const running = process(event);
        inflight.set(event.id, running);
        return running;
      },
      settled: (event) => inflight.delete(event.id),
      recover: (leaseEnded) => recoverEventLeases(db, leaseEnded),
      failed(error, event) {
        if (!event) log.error({ err: error }, 'claiming inbound events failed');
        else log.error({ err: error, event: event.id }, 'inbound event processing failed');
      },
    },
    options,
  );

  async function forward(event: Claimed, action: StoredForwardAction) {
    const ids = { tenantId: event.tenant_id, sourceId: event.source_id };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(await openForwardHeaders(db, deps.vault, ids, action))) {
      headers[name] = await resolveSecretReferences(db, deps.vault, event.tenant_id, value);
    }
    Object.assign(headers, {
      'content-type': event.content_type ?? 'application/octet-stream',
      'user-agent': options.userAgent,
      'x-switchyard-event-id': event.id,
      'x-switchyard-source-id': event.source_id,
      ...(event.event_type ? { 'x-switchyard-event-type': event.event_type } : {}),
    });
    const response = await deps.outbound.send(
      { method: 'POST', url: new URL(action.url), headers, ...(event.body ? { body: event.body } : {}) },
      { timeoutMs: action.timeout_ms, maxBytes: RESPONSE_PREVIEW_BYTES },
    );
    return response;
  }

  async function runForward(
    event: Claimed,
    action: StoredForwardAction,
    base: Pick<ActionResult, 'rule' | 'action' | 'type'>,
  ): Promise<ActionResult> {
    const at = clock.now().toISOString();
    const empty = { event_id: null, status: null, response: null };
    try {
      const response = await forward(event, action);
      const ok = response.status >= 200 && response.status < 300;
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      return {
        ...base,
        ...empty,
        ok,
        retryable: !ok && retryable,
        status: response.status,
        response: response.body.toString('utf8'),
        error: ok ? null : `HTTP ${response.status}`,
        at,
      };
    } catch (error) {
      const failure = classifyRequestError(error, { timeoutMs: action.timeout_ms });
      if (failure.kind === 'blocked')
        return { ...base, ...empty, ok: false, retryable: false, error: failure.summary, at };
      const secretMissing = failure.code === 'secret_reference_invalid';
      return {
        ...base,
        ...empty,
        ok: false,
        retryable: !secretMissing,
        error: secretMissing ? failure.detail : failure.summary,
        at,
      };
    }
  }

  async function process(event: Claimed): Promise<Processed> {
    const payload = parsePayload(event.body, event.content_type);
    const matched = await matchRules(db, event.rules, {
      type: event.event_type ?? '',
      headers: event.headers,
      payload,
    });
    const previous = new Map(
      (event.results?.actions ?? []).filter((r) => r.ok).map((r) => [`${r.rule}#${r.action}`, r]),
    );
    const results: ActionResult[] = [];
    const publishes: { action: Extract<RuleAction, { type: 'publish' }>; base: ActionResult }[] = [];
    const runs: { action: Extract<RuleAction, { type: 'run_sync' }>; base: ActionResult }[] = [];
    for (const rule of matched) {
      for (const [index, action] of rule.actions.entries()) {
        const done = previous.get(`${rule.name}#${index}`);
        if (done) {
          results.push(done);
          continue;
        }
        const base = { rule: rule.name, action: index, type: action.type };
        if (action.type === 'forward') {
          results.push(await runForward(event, action, base));
        } else if (action.type === 'run_sync') {
          const placeholder: ActionResult = {
            ...base,
            ok: true,
            retryable: false,
            event_id: null,
            status: null,
            response: null,
            error: null,
            at: clock.now().toISOString(),
          };
          results.push(placeholder);
          runs.push({ action, base: placeholder });
        } else {
          const placeholder: ActionResult = {
            ...base,
            ok: true,
            retryable: false,
            event_id: null,
            status: null,
            response: null,
            error: null,
            at: clock.now().toISOString(),
          };
          results.push(placeholder);
          publishes.push({ action, base: placeholder });
        }
      }
    }
    const data =
      payload !== null && typeof payload === 'object' && !Array.isArray(payload)
        ? (payload as Record<string, unknown>)
        : { payload };
    // Checked before the transaction: the type cache reads through the shared handle, which would take a second
    // pooled connection while the transaction holds one.
    const publishable: typeof publishes = [];
    for (const entry of publishes) {
      const problem = await whyNotPublishable(deps.eventTypes, event.tenant_id, entry.action.event_type, data);
      if (problem) Object.assign(entry.base, { ok: false, error: problem });
      else publishable.push(entry);
    }
    const now = clock.now();
    return db.transaction(async (tx) => {
      for (const { action, base } of publishable) {
        base.event_id = await publishOnce(tx, event, action.event_type, data, `${base.rule}#${base.action}`);
      }
      for (const { action, base } of runs) {
        const asked = await runSyncFor(db, tx, event, action);
        if (asked.ok) base.event_id = asked.executionId;
        else Object.assign(base, { ok: false, error: asked.error });
      }
      const failures = results.filter((r) => !r.ok);
      const retry = failures.length > 0 && failures.every((r) => r.retryable);
      const retryIn = INBOUND_RETRY_SCHEDULE_MS[event.attempts - 1];
      const status = failures.length === 0 ? 'processed' : retry && retryIn !== undefined ? 'received' : 'failed';
      const error = failures[0] ? `${failures[0].rule} / ${failures[0].type}: ${failures[0].error}` : null;
      const stored = { matched_rules: matched.map((r) => r.name), actions: results };
      const nextAttemptAt = status === 'received' ? new Date(now.getTime() + (retryIn ?? 0)) : null;
      await storeOutcome(tx, event.id, { status, results: stored, error, now, nextAttemptAt });
      return { id: event.id, status, matched_rules: stored.matched_rules, results, error } satisfies Processed;
    });
  }

  return {
    wake: worker.wake,
    /**
     * Process one event now and answer its outcome (synchronous sources), or undefined when it is not done within
     * `timeoutMs` — it then completes in the background like any other. The claim ignores `next_attempt_at`: ingest
     * stores a synchronous source's event not yet due, so that only its own request claims it.
     */
    async processNow(id: string, timeoutMs: number): Promise<Processed | undefined> {
      let running = inflight.get(id);
      if (!running) {
        const claimed = await claimEvent(db, id, leaseUntil(clock.now()));
        // Not claimable: done already, or claimed meanwhile (by this node: then it is in flight here).
        running = claimed ? worker.adopt(claimed) : inflight.get(id);
      }
      if (!running) return undefined;
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<undefined>((resolve) => {
        timeout = setTimeout(() => resolve(undefined), timeoutMs);
      });
      try {
        return await Promise.race([running, expired]);
      } finally {
        clearTimeout(timeout);
      }
    },
    /** Start before the node takes requests: on an embedded database the start takes back every lease. */
    start: worker.start,
    /** Wait until nothing is due and nothing runs (tests). */
    drain: worker.drain,
    stop: worker.stop,
  };
}

export type InboundProcessor = ReturnType<typeof createInboundProcessor>;
