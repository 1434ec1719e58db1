import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../../core/clock.js';
import { displayableText } from '../../../core/db/jsonb-text.js';
import { ApiError, type ErrorCode } from '../../../core/errors.js';
import { readJsonPath } from '../../../core/json-path.js';
import { registerRoutes, type RouteRuntime } from '../../../core/http/register.js';
import type { FastAnswer, FastExchange } from '../../../core/http/fast-route.js';
import { defineRoute, type RouteDef } from '../../../core/http/route.js';
import { newId } from '../../../core/ids.js';
import type { SourceCache, LiveSource } from '../sources/cache.js';
import { plausibleToken } from '../sources/cache.js';
import type { ValueFrom } from '../sources/config.js';
import { PRESET_MEDIA_TYPES, verifyInbound, type VerifyFailureReason } from '../verify/index.js';
import { GOOGLE_CHANNEL_TOKEN } from '../verify/generic.js';
import { declaresNoBody, echoChallenge, handshakeRoute, notFound, slackChallenge } from './handshake.js';
import { acceptsMediaType, FORM_MEDIA_TYPE, formPayloadJson, isJsonMediaType, mediaType, readBody } from './body.js';
import type { IngestResult, IngestWriter } from './writer.js';
import type { InboundProcessor } from '../process/processor.js';
import { processedSchema } from '../process/results.js';

export type IngestDeps = {
  sources: SourceCache;
  writer: IngestWriter;
  processor: Pick<InboundProcessor, 'processNow'>;
  clock: Clock;
  bodyTimeoutMs: number;
  /** SWITCHYARD_PUBLIC_URL: the origin (and path prefix) vendors call, which HubSpot, Twilio and Square sign. */
  publicUrl: string;
};

/** Credentials never reach the event log: they would be readable by everyone who can see events. */
const NEVER_STORED = new Set(['authorization', 'proxy-authorization', 'cookie']);

function storedHeaders(req: { headers: IncomingHttpHeaders }, source: LiveSource) {
  const v = source.row.verification;
  const secretHeader =
    v.type === 'api_key_header'
      ? v.header.toLowerCase()
      : v.type === 'google_channel'
        ? GOOGLE_CHANNEL_TOKEN
        : undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || NEVER_STORED.has(name) || name === secretHeader) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const REJECTION_CODES: Record<VerifyFailureReason, ErrorCode> = {
  missing_signature: 'signature_invalid',
  bad_signature: 'signature_invalid',
  malformed: 'signature_invalid',
  stale_timestamp: 'timestamp_out_of_tolerance',
  future_timestamp: 'timestamp_out_of_tolerance',
  ip_not_allowed: 'ip_not_allowed',
  unauthorized: 'invalid_credentials',
};

function readValue(from: ValueFrom, headers: Record<string, string>, json: unknown): string | undefined {
  const value = from.from === 'header' ? headers[from.path.toLowerCase()] : readJsonPath(json, from.path);
  if (typeof value === 'string' && value !== '') return value.slice(0, 500);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

const storable = (value: string | undefined) => (value === undefined ? undefined : displayableText(value));

const acceptedSchema = z
  .object({
    id: z.string().describe('The inbound event id'),
    status: z
      .enum(['received', 'processed', 'duplicate'])
      .describe('processed: stored, and the source has no rules to run'),
    duplicate_of: z.string().nullable().describe('For a duplicate: the event that first carried its delivery id'),
  })
  .meta({ id: 'InboundAccepted' });

/**
 * A request as both front doors see it: Fastify's route, and the fast path (core/http/fast-route.ts) that answers the
 * common case before Fastify.
 */
type Exchange = {
  headers: IncomingHttpHeaders;
  ip: string;
  method: string;
  /** The path and query as requested. */
  url: string;
  raw: IncomingMessage;
  /** A header for the answer, sent whether the request succeeds or fails. */
  header(name: string, value: string): void;
};

/** What a request with a body came to: a URL check to answer with its challenge, or a stored event. */
type Received =
  { kind: 'challenge'; text: string } | { kind: 'stored'; stored: IngestResult; deadline: Date; sync: boolean };

const accepted = (stored: IngestResult) =>
  ({
    id: stored.id,
    status: stored.status === 'rejected' ? 'received' : stored.status,
    duplicate_of: stored.duplicateOf,
  }) as const;

/** A synchronous source with rules: its request runs them and answers with their result. */
const answersInRequest = (row: LiveSource['row']) => row.response_mode === 'sync' && row.rules.length > 0;

/**
 * The part of ingest both front doors share: from a source that takes this request's media type, read the body
 * (the source's limit, the body timeout), verify it, read its dedup key and event type, and store it. A refused
 * request is stored as rejected (without its body) and thrown as ApiError.
 */
function createReceiver(deps: IngestDeps) {
  const { writer } = deps;

  /** What every event row of this request carries. */
  const baseRow = (exchange: Exchange, source: LiveSource, receivedAt: Date) => ({
    tenantId: source.row.tenant_id,
    sourceId: source.row.id,
    receivedAt,
    remoteAddress: exchange.ip,
    contentType: exchange.headers['content-type'] ?? null,
    dedupWindowSeconds: source.row.dedup_window_seconds,
  });

  /** Store the request as rejected (counted on its source, its body not kept), then refuse it. */
  const rejecter =
    (exchange: Exchange, source: LiveSource, receivedAt: Date) =>
    async (code: ErrorCode, reason: string, message: string, bodySize = 0): Promise<never> => {
      await writer.write({
        ...baseRow(exchange, source, receivedAt),
        id: newId('whie'),
        status: 'rejected',
        eventType: null,
        dedupKey: null,
        headers: storedHeaders(exchange, source),
        body: null,
        bodySize,
        rejection: reason,
      });
      throw new ApiError(code, message);
    };

  async function receive(
    exchange: Exchange,
    source: LiveSource,
    receivedAt: Date,
    type: string,
    headersOnly: boolean,
  ): Promise<Received> {
    const { row } = source;
    const reject = rejecter(exchange, source, receivedAt);

    const body = await readBody(exchange.raw, { limit: row.max_body_bytes, timeoutMs: deps.bodyTimeoutMs });
    if (!Buffer.isBuffer(body)) {
      exchange.header('connection', 'close');
      if (body.failure === 'too_large') {
        await reject(
          'body_too_large',
          'body_too_large',
          `The body is larger than this source's limit of ${row.max_body_bytes} bytes.`,
        );
      }
      if (body.failure === 'timeout') {
        await reject('body_timeout', 'body_timeout', `The body did not arrive within ${deps.bodyTimeoutMs} ms.`);
      }
      // The sender went away: there is no one to answer.
      throw new ApiError('body_timeout', 'The request was aborted before its body arrived.');
    }
    if (body.length === 0 && !headersOnly) await reject('body_empty', 'body_empty', 'The request body is empty.');

    const outcome = verifyInbound({
      scheme: row.verification,
      // The URL as the vendor was given it (hookUrl): the public URL, then the path and query it requested.
      url: `${deps.publicUrl}${exchange.url}`,
      method: exchange.method,
      rawBody: body,
      headers: exchange.headers,
      remoteAddress: exchange.ip,
      now: receivedAt,
      secrets: source.secrets,
    });
    if (!outcome.ok) await reject(REJECTION_CODES[outcome.reason], outcome.reason, outcome.message, body.length);

    let json: unknown;
    if (isJsonMediaType(type)) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        await reject('malformed_json', 'malformed_json', 'The body is not valid JSON.', body.length);
      }
    } else if (type === FORM_MEDIA_TYPE) {
      // Body paths (dedup key, event type) read the JSON a form carries in `payload`, or else its fields
      // (`$.type`, `$['data[email]']`: Mailchimp's audience webhooks), as rules do.
      const text = body.toString('utf8');
      json = formPayloadJson(text) ?? Object.fromEntries(new URLSearchParams(text));
    }
    // Slack verifies a Request URL with a signed url_verification event whose challenge must come back.
    // https://api.slack.com/events/url_verification
    const challenge = row.verification.type === 'slack' ? slackChallenge(json) : undefined;
    if (challenge !== undefined) return { kind: 'challenge', text: challenge };
    const headers = storedHeaders(exchange, source);
    const verified = outcome.ok ? outcome : undefined;
    // Both are stored as text, which refuses NUL (the vendor's every retry got a 400, nothing stored); a lone
    // surrogate would become U+FFFD when encoded anyway, so this is also the key a retry is compared with.
    const dedupKey = storable(row.dedup_key ? readValue(row.dedup_key, headers, json) : verified?.deliveryId);
    const eventType = storable(
      row.event_type_from ? readValue(row.event_type_from, headers, json) : verified?.eventType,
    );
    // A synchronous source's request owns its event until its deadline: the event is not due for the
    // background processor before then, so the request claims it and runs the rules itself.
    const deadline = new Date(receivedAt.getTime() + row.sync_timeout_ms);
    const sync = answersInRequest(row);
    const stored = await writer.write({
      ...baseRow(exchange, source, receivedAt),
      id: newId('whie'),
      status: row.rules.length > 0 ? 'received' : 'processed',
      eventType: eventType ?? null,
      dedupKey: dedupKey ?? null,
      headers,
      body,
      bodySize: body.length,
      rejection: null,
      holdUntil: sync ? deadline : null,
    });
    return { kind: 'stored', stored, deadline, sync };
  }

  return { receive, rejecter };
}

/** The media types a source takes: its own, and those its verification preset's vendor sends. */
const acceptedTypes = (row: LiveSource['row']) => [
  ...new Set([...row.content_types, ...(PRESET_MEDIA_TYPES[row.verification.type] ?? [])]),
];

export function ingestRoutes(deps: IngestDeps): RouteDef[] {
  const { sources, clock } = deps;
  const { receive, rejecter } = createReceiver(deps);

  /**
   * The fast path's share (core/http/fast-route.ts): an enabled asynchronous source, a body of a media type it takes.
   * Everything else — an unknown or disabled URL, a handshake, a synchronous source, Google's headers-only
   * notifications, a media type refused — is declined before the body is read, and the Fastify route answers it.
   */
  const fast = async ({ req, params, ip, headers }: FastExchange): Promise<FastAnswer | undefined> => {
    const token = params.token as string;
    if (!plausibleToken(token)) return undefined;
    const receivedAt = clock.now();
    const source = await sources.lookup(token, receivedAt);
    const row = source?.row;
    if (!source || !row?.enabled || row.verification.type === 'google_channel') return undefined;
    if (answersInRequest(row) || row.handshake === 'get_ok') return undefined;
    const type = mediaType(req.headers['content-type']);
    if (!acceptsMediaType(acceptedTypes(row), type)) return undefined;
    const exchange: Exchange = {
      headers: req.headers,
      ip,
      method: req.method ?? 'POST',
      url: req.url ?? '',
      raw: req,
      header: (name, value) => (headers[name] = value),
    };
    const received = await receive(exchange, source, receivedAt, type, false);
    if (received.kind === 'challenge') return { status: 200, type: 'text/plain; charset=utf-8', body: received.text };
    return { status: 202, body: JSON.stringify(accepted(received.stored)) };
  };

  return [
    defineRoute({
      method: 'POST',
      url: '/hooks/:token',
      operationId: 'receiveInboundWebhook',
      summary: 'Receive a webhook from an external system',
      description: [
        'The URL is the credential that names a source. The raw body is verified with the source’s scheme, then',
        'stored with its headers before any 2xx is sent; a repeated provider delivery id within the dedup window',
        'answers 202 with `status: duplicate`. Asynchronous sources answer 202 at once; synchronous ones run the',
        'routing rules and answer 200 with their results (or 202 if they take longer than the source’s timeout).',
        'Rejected requests (signature, timestamp, IP, size, media type) are counted and logged without their',
        'bodies. An unknown or disabled URL answers 404 whether or not it ever existed. URL checks are answered with',
        'their challenge in plain text and not stored: Slack’s signed `url_verification` (slack sources) and',
        'Microsoft Graph’s `?validationToken=` (sources with that `handshake`), and a POST without a body to a',
        'source whose `handshake` is `get_ok` (Mailchimp).',
      ].join(' '),
      tags: ['Inbound webhooks'],
      access: 'public',
      publicReason: 'Vendors post webhooks without Switchyard credentials; the token and the signature authenticate.',
      audit: false,
      auditReason: 'Every request is recorded in the inbound event log (accepted, duplicate or rejected) instead.',
      rateLimit: false,
      routineAccessLog: true,
      errors: [
        'not_found',
        'signature_invalid',
        'timestamp_out_of_tolerance',
        'ip_not_allowed',
        'invalid_credentials',
        'body_empty',
        'body_timeout',
        'body_too_large',
        'unsupported_media_type',
        'malformed_json',
      ],
      schema: {
        params: z.object({ token: z.string().max(200) }),
        body: z.unknown().describe('The sender’s payload, verified over its raw bytes'),
        response: { 200: processedSchema, 202: acceptedSchema },
      },
      status: 202,
      requestTypes: ['*/*'],
      fast,
      async handler({ req, reply, params, respond }) {
        const receivedAt = clock.now();
        const source = plausibleToken(params.token) ? await sources.lookup(params.token, receivedAt) : undefined;
        if (!source) {
          reply.header('connection', 'close');
          throw notFound();
        }
        const { row } = source;
        const type = mediaType(req.headers['content-type']);
        const exchange: Exchange = {
          headers: req.headers,
          ip: req.ip,
          method: req.method,
          url: req.raw.url ?? req.url,
          raw: req.raw,
          header: (name, value) => void reply.header(name, value),
        };
        const reject = rejecter(exchange, source, receivedAt);
        const refuse = (code: ErrorCode, reason: string, message: string) => {
          reply.header('connection', 'close');
          return reject(code, reason, message);
        };

        if (!row.enabled) await refuse('not_found', 'source_disabled', 'No webhook source has this URL.');
        // Microsoft Graph checks a notification URL with POST ?validationToken=… (text/plain, no body) and wants the
        // token back within 10 s. https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
        const validationToken = (req.query as Record<string, unknown> | undefined)?.validationToken;
        if (row.handshake === 'validation_token' && typeof validationToken === 'string' && validationToken !== '') {
          // Sent as text by the reply's own serializer; the declared 200 schema describes routed events.
          return echoChallenge(reply, validationToken.slice(0, 4096)) as never;
        }
        // Mailchimp checks a URL before saving it, by some accounts with an empty POST (its reference says a GET, which
        // the handshake route answers): a `get_ok` source answers a POST without a body as it answers the GET.
        if (row.handshake === 'get_ok' && declaresNoBody(req.headers)) return echoChallenge(reply, 'ok') as never;
        // Google push channels notify with headers only: no body, no Content-Type.
        const headersOnly = row.verification.type === 'google_channel';
        const types = acceptedTypes(row);
        if (!(headersOnly && !type) && !acceptsMediaType(types, type)) {
          await refuse(
            'unsupported_media_type',
            'unsupported_media_type',
            `This source accepts ${types.join(', ')}, not ${type || 'a body without a Content-Type'}.`,
          );
        }
        const received = await receive(exchange, source, receivedAt, type, headersOnly);
        if (received.kind === 'challenge') return echoChallenge(reply, received.text) as never;
        const { stored, deadline } = received;
        if (stored.status === 'received' && received.sync) {
          const left = Math.max(0, deadline.getTime() - clock.now().getTime());
          const result = await deps.processor.processNow(stored.id, left);
          if (result) {
            respond(200);
            return result;
          }
        }
        return accepted(stored);
      },
    }),
    handshakeRoute(deps),
  ];
}

/**
 * The ingest route reads its body itself (raw bytes, the source's own limit and a body timeout), so it is
 * registered in a scope whose only content-type parser leaves the body unread.
 */
export function registerIngestRoutes(app: FastifyInstance, routes: RouteDef[], runtime: RouteRuntime): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    registerRoutes(scope, routes, runtime);
  });
}
