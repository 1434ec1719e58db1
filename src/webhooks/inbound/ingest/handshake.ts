import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../../core/clock.js';
import { ApiError } from '../../../core/errors.js';
import { defineRoute } from '../../../core/http/route.js';
import { plausibleToken, type SourceCache } from '../sources/cache.js';

/**
 * Answer a vendor's URL check by echoing its challenge as plain text (never sniffed as HTML: the value is the
 * sender's). Nothing is stored: a handshake is not an event.
 */
export function echoChallenge(reply: FastifyReply, challenge: string): string {
  reply
    .code(200)
    .type('text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .serializer((payload) => payload as string);
  return challenge;
}

/** Slack's Events API check of a Request URL: `{"type": "url_verification", "challenge": …}`, signed like events. */
export function slackChallenge(json: unknown): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const { type, challenge } = json as { type?: unknown; challenge?: unknown };
  return type === 'url_verification' && typeof challenge === 'string' ? challenge : undefined;
}

/**
 * Whether a request says it has no body: `Content-Length: 0`, or neither a length nor chunked transfer (RFC 9112
 * §6.3: such a request has no body). Decided from the headers, before reading, so that the media-type check does
 * not refuse a body that is not there.
 */
export function declaresNoBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  if (length !== undefined) return length.trim() === '0';
  return headers['transfer-encoding'] === undefined;
}

export const notFound = () => new ApiError('not_found', 'No webhook source has this URL.');

/** GET /hooks/{token}: the URL checks vendors make with a GET (the POST ones are answered by the ingest route). */
export function handshakeRoute(deps: { sources: SourceCache; clock: Clock }) {
  const { sources, clock } = deps;
  return defineRoute({
    method: 'GET',
    url: '/hooks/:token',
    operationId: 'answerInboundHandshake',
    summary: 'Answer a vendor’s check of a webhook URL',
    description: [
      'For a source whose `handshake` says so: `challenge_query` echoes `?challenge=` (Dropbox),',
      '`validation_token` echoes `?validationToken=` (Microsoft Graph), `get_ok` answers 200 (Mailchimp’s check',
      'before saving a URL; its empty POST gets the same answer from the ingest route). Plain text, never stored. Any other URL, or a source without that handshake, answers',
      '404 as an unknown URL does.',
    ].join(' '),
    tags: ['Inbound webhooks'],
    access: 'public',
    publicReason: 'Vendors check the URL without Switchyard credentials; the token in the URL names the source.',
    rateLimit: false,
    routineAccessLog: true,
    responseType: 'text/plain',
    errors: ['not_found'],
    schema: {
      params: z.object({ token: z.string().max(200) }),
      querystring: z.object({
        challenge: z.string().max(1000).optional(),
        validationToken: z.string().max(4096).optional(),
      }),
      response: { 200: z.string() },
    },
    async handler({ reply, params, query }) {
      const source = plausibleToken(params.token) ? await sources.lookup(params.token, clock.now()) : undefined;
      const handshake = source?.row.enabled ? source.row.handshake : null;
      if (handshake === 'challenge_query' && query.challenge) return echoChallenge(reply, query.challenge);
      if (handshake === 'validation_token' && query.validationToken) {
        return echoChallenge(reply, query.validationToken);
      }
      if (handshake === 'get_ok') return echoChallenge(reply, 'ok');
      reply.header('connection', 'close');
      throw notFound();
    },
  });
}
