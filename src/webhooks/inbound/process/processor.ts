import type { Logger } from 'pino';
import { z } from 'zod';
import type { Outbound } from '../../../core/net/http-client.js';
import { classifyRequestError } from '../../../core/net/request-failure.js';
import type { Clock } from '../../../core/clock.js';
import type { Db, Queryable } from '../../../core/db/port.js';
import { publishEventRow } from '../../../events/publish.js';
import { resolveSecretReferences } from '../../../vault/secrets/references.js';
import type { Vault } from '../../../vault/vault.js';
import type { EventTypeCache } from '../../../events/types/cache.js';
import { publishProblem } from '../../../events/types/publishable.js';
import type { RuleAction, StoredForwardAction, StoredRule } from '../sources/config.js';
import { openForwardHeaders } from '../sources/forward-headers.js';
import { asBuffer, jsonbText, matchRules, parsePayload } from './rules.js';

/** Retries of an event whose forward failed with a retryable error: after 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h. */
export const INBOUND_RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000];
const RESPONSE_PREVIEW_BYTES = 16 * 1024;

export const actionResultSchema = z
  .object({
    rule: z.string(),
    action: z.number().int().describe('Index of the action in the rule'),
    type: z.enum(['publish', 'forward']),
    ok: z.boolean(),
    retryable: z.boolean().describe('A failure that is retried with the event (network errors, 408, 429, 5xx)'),
    event_id: z.string().nullable().describe('publish: the Switchyard event'),
    status: z.number().int().nullable().describe('forward: the response status'),
    response: z.string().nullable().describe('forward: the response body (first 16 KiB)'),
    error: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'InboundActionResult' });
export type ActionResult = z.output<typeof actionResultSchema>;

export const processedSchema = z
  .object({
    id: z.string(),
    status: z.enum(['received', 'processed', 'failed']).describe('received: a retry is scheduled'),
    matched_rules: z.array(z.string()),
    results: z.array(actionResultSchema),
    error: z.string().nullable(),
  })
  .meta({ id: 'InboundProcessed', description: 'The outcome of routing one inbound event through its rules.' });
export type Processed = z.output<typeof processedSchema>;

type Claimed = {
  id: string;
  tenant_id: string;
  source_id: string;
  event_type: string | null;
  headers: Record<string, string>;
  body: Buffer | null;
  content_type: string | null;
  results: { matched_rules: string[]; actions: ActionResult[] } | null;
  attempts: number;
  replays: number;
  rules: StoredRule[];
};

const withBuffer = (row: Claimed): Claimed => ({ ...row, body: asBuffer(row.body) });

const CLAIM_RETURNING = `e.id, e.tenant_id, e.source_id, e.event_type, e.headers, e.body, e.content_type, e.results,
  e.attempts, e.replays, s.rules`;

/**
 * A disabled tenant's events are not routed: they stay `received` and due, and are processed once the tenant is
 * enabled again (the claim sees the tenant's state at that moment, so no notification is needed).
 */
const TENANT_ENABLED = `not exists (select 1 from tenants t where t.id = e.tenant_id and t.disabled_at is not null)`;

export type ProcessorOptions = { concurrency: number; pollMs: number; leaseMs: number; userAgent: string };

export type ProcessorDeps = {
  db: Db;
  vault: Vault;
  outbound: Outbound;
  eventTypes: EventTypeCache;
  clock: Clock;
  log: Logger;
};

/**
 * Routes stored inbound events through their source's rules. The events table is the queue: rows still
 * `received` and due are claimed with `FOR UPDATE SKIP LOCKED` under a lease, so any number of nodes share the
 * work and an event whose node died is picked up when its lease ends. Ingest wakes the local processor after each
 * commit; a poll catches everything else (other nodes' events, retries coming due).
 *
 * Forwards run first; publishes and the event's new status are then written in one transaction, and a published
 * event carries an idempotency key (event, replay, rule, action), so a crash between the two never publishes
 * twice. A retry re-runs only the actions that did not succeed.
 */
export function createInboundProcessor(deps: ProcessorDeps, options: ProcessorOptions) {
  const { db, clock, log } = deps;
  const inflight = new Map<string, Promise<Processed>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let pumping = false;
  let again = false;
  // drain() works whether or not the processor was started (tests drive it by hand).
  let draining = false;
  // Rows this node updated (claims and outcomes) since the last `takeChurn()`: what leaves dead tuples to vacuum.
  let churn = 0;

  async function claimDue(limit: number): Promise<Claimed[]> {
    const now = clock.now();
    const { rows } = await db.query<Claimed>(
      `with picked as (
         select id from inbound_events e
         where status = 'received' and next_attempt_at <= $1 and coalesce(lease_until, '-infinity') <= $1
           and ${TENANT_ENABLED}
         order by next_attempt_at limit $2 for update skip locked
       )
       update inbound_events e set lease_until = $3, attempts = e.attempts + 1
       from picked, inbound_sources s
       where e.id = picked.id and s.id = e.source_id
       returning ${CLAIM_RETURNING}`,
      [now, limit, new Date(now.getTime() + options.leaseMs)],
    );
    return rows.map(withBuffer);
  }

  async function claimOne(id: string): Promise<Claimed | undefined> {
    const now = clock.now();
    const { rows } = await db.query<Claimed>(
      `with picked as (
         select id from inbound_events e
         where id = $1 and status = 'received' and coalesce(lease_until, '-infinity') <= $2 and ${TENANT_ENABLED}
         for update skip locked
       )
       update inbound_events e set lease_until = $3, attempts = e.attempts + 1
       from picked, inbound_sources s
       where e.id = picked.id and s.id = e.source_id
       returning ${CLAIM_RETURNING}`,
      [id, now, new Date(now.getTime() + options.leaseMs)],
    );
    return rows[0] && withBuffer(rows[0]);
  }

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

  /** Why a publish cannot happen (a type archived since the rule was saved, data not matching its schema). */
  async function whyNotPublishable(tenantId: string, type: string, data: unknown): Promise<string | undefined> {
    const problem = await publishProblem(deps.eventTypes, { tenantId, type, data }, 'data');
    if (!problem?.errors) return problem?.message;
    const shown = problem.errors.slice(0, 3).map((p) => `${p.path} ${p.message}`);
    return `The payload does not match the schema of ${type}: ${shown.join('; ')}.`;
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
    // Checked before the transaction: the type cache reads through the shared handle, which must not be used
    // inside a transaction (on PGlite that waits for the transaction itself).
    const publishable: typeof publishes = [];
    for (const entry of publishes) {
      const problem = await whyNotPublishable(event.tenant_id, entry.action.event_type, data);
      if (problem) Object.assign(entry.base, { ok: false, error: problem });
      else publishable.push(entry);
    }
    const now = clock.now();
    return db.transaction(async (tx) => {
      for (const { action, base } of publishable) {
        base.event_id = await publishOnce(tx, event, action.event_type, data, `${base.rule}#${base.action}`);
      }
      const failures = results.filter((r) => !r.ok);
      const retry = failures.length > 0 && failures.every((r) => r.retryable);
      const retryIn = INBOUND_RETRY_SCHEDULE_MS[event.attempts - 1];
      const status = failures.length === 0 ? 'processed' : retry && retryIn !== undefined ? 'received' : 'failed';
      const error = failures[0] ? `${failures[0].rule} / ${failures[0].type}: ${failures[0].error}` : null;
      const stored = { matched_rules: matched.map((r) => r.name), actions: results };
      await tx.query(
        `update inbound_events set status = $2::text, results = $3::jsonb, error = $4, lease_until = null,
           processed_at = case when $2::text = 'received' then processed_at else $5::timestamptz end,
           next_attempt_at = $6::timestamptz
         where id = $1`,
        [
          event.id,
          status,
          jsonbText(stored),
          error,
          now,
          status === 'received' ? new Date(now.getTime() + (retryIn ?? 0)) : null,
        ],
      );
      return { id: event.id, status, matched_rules: stored.matched_rules, results, error } satisfies Processed;
    });
  }

  /** Publish unless this event's replay already published for this action (a crash between the two writes). */
  async function publishOnce(
    tx: Queryable,
    event: Claimed,
    type: string,
    data: Record<string, unknown>,
    actionKey: string,
  ): Promise<string> {
    const key = `inbound:${event.id}:${event.replays}:${actionKey}`;
    const { rows } = await tx.query<{ id: string }>(
      `select id from events where tenant_id = $1 and idempotency_key = $2`,
      [event.tenant_id, key],
    );
    if (rows[0]) return rows[0].id;
    const row = await publishEventRow(tx, {
      tenantId: event.tenant_id,
      type,
      data: JSON.parse(jsonbText(data)) as Record<string, unknown>,
      source: 'api',
      idempotencyKey: key,
    });
    return row.id;
  }

  function track(event: Claimed): Promise<Processed> {
    churn += 2;
    const running = process(event).finally(() => inflight.delete(event.id));
    inflight.set(event.id, running);
    return running;
  }

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        while (!stopped || draining) {
          const room = options.concurrency - inflight.size;
          if (room <= 0) break;
          const claimed = await claimDue(room);
          for (const event of claimed) {
            track(event).then(
              () => wake(),
              (error: unknown) => log.error({ err: error, event: event.id }, 'inbound event processing failed'),
            );
          }
          if (claimed.length < room) break;
        }
      } while (again && (!stopped || draining));
    } catch (error) {
      log.error({ err: error }, 'claiming inbound events failed');
    } finally {
      pumping = false;
    }
  }

  async function drainAll(): Promise<void> {
    for (;;) {
      await pump();
      // Another pump (the poll, a wake) may be claiming right now: its claims are leased, so wait for it.
      while (pumping) await new Promise((resolve) => setTimeout(resolve, 2));
      if (inflight.size === 0) {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from inbound_events e
           where status = 'received' and next_attempt_at <= $1 and coalesce(lease_until, '-infinity') <= $1
             and ${TENANT_ENABLED}`,
          [clock.now()],
        );
        if ((rows[0]?.n ?? 0) === 0) return;
      }
      await Promise.allSettled([...inflight.values()]);
    }
  }

  function wake(): void {
    if (!stopped) void pump();
  }

  return {
    wake,
    /** How many event rows this node rewrote since the last call (the embedded database's vacuum asks). */
    takeChurn(): number {
      const n = churn;
      churn = 0;
      return n;
    },
    /**
     * Process one event now and answer its outcome (synchronous sources), or undefined when it is not done within
     * `timeoutMs` — it then completes in the background like any other. The claim ignores `next_attempt_at`: ingest
     * stores a synchronous source's event not yet due, so that only its own request claims it.
     */
    async processNow(id: string, timeoutMs: number): Promise<Processed | undefined> {
      let running = inflight.get(id);
      if (!running) {
        const claimed = await claimOne(id);
        // Not claimable: done already, or claimed meanwhile (by this node: then it is in flight here).
        running = claimed ? track(claimed) : inflight.get(id);
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
    async start(): Promise<void> {
      if (!stopped) return;
      stopped = false;
      timer = setInterval(wake, options.pollMs);
      timer.unref();
      wake();
    },
    /** Wait until nothing is due (tests). */
    async drain(): Promise<void> {
      draining = true;
      try {
        await drainAll();
      } finally {
        draining = false;
      }
    },
    async stop(graceMs = 10_000): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inflight.values()]),
        new Promise((resolve) => {
          grace = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(grace);
    },
  };
}

export type InboundProcessor = ReturnType<typeof createInboundProcessor>;
