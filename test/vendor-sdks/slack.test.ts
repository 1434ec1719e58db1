import { ErrorCode, WebClient, type ConversationsListResponse, type WebClientOptions } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../helpers/fake-vendor.js';
import { expectVendorSaw, startSdkProxy, type SdkSetup } from './harness.js';

// @slack/web-api pointed at the proxy (the recipe in the README, "Vendor SDKs through the proxy"), against a fake
// that answers as Slack documents its Web API: every method a form POST to https://slack.com/api/<method>,
// answered HTTP 200 with {"ok": true|false}.

/** The README's recipe: the proxy is the client's slackApiUrl, the Switchyard key its token. */
const slackThroughSwitchyard = (
  switchyardUrl: string,
  connectionId: string,
  switchyardKey: string,
  options: WebClientOptions = {},
) =>
  new WebClient(switchyardKey, { slackApiUrl: `${switchyardUrl}/v1/connections/${connectionId}/proxy/`, ...options });

const BOT_TOKEN = 'xoxb-1111-2222-VendorBotTokenHeldBySwitchyard';

let s: SdkSetup;
let slack: WebClient;
beforeAll(async () => {
  s = await startSdkProxy('slack', {
    oauth: { access_token: BOT_TOKEN, scopes: ['channels:read', 'chat:write', 'team:read'] },
  });
  slack = slackThroughSwitchyard(s.url, s.connectionId, s.token);

  // https://docs.slack.dev/reference/methods/conversations.list with cursor pagination
  // (https://docs.slack.dev/apis/web-api/pagination): cursor + limit in, response_metadata.next_cursor out, "" on
  // the last page.
  const channels = ['general', 'random', 'dev', 'ops', 'sales'].map((name, i) => ({ id: `C0${i}`, name }));
  s.vendor.on('POST /api/conversations.list', (req) => {
    const form = new URLSearchParams(req.body.toString());
    const limit = Number(form.get('limit') ?? 100);
    const from = form.get('cursor') ? Number(Buffer.from(String(form.get('cursor')), 'base64').toString()) : 0;
    const next = from + limit < channels.length ? Buffer.from(String(from + limit)).toString('base64') : '';
    return {
      json: { ok: true, channels: channels.slice(from, from + limit), response_metadata: { next_cursor: next } },
    };
  });
  // https://docs.slack.dev/reference/methods/chat.postMessage: {ok, channel, ts, message}.
  s.vendor.on('POST /api/chat.postMessage', (req) => {
    const form = new URLSearchParams(req.body.toString());
    return {
      json: {
        ok: true,
        channel: form.get('channel'),
        ts: '1764929000.000200',
        message: { type: 'message', text: form.get('text'), bot_id: 'B123', ts: '1764929000.000200' },
      },
    };
  });
  // https://docs.slack.dev/reference/methods/conversations.info: an unknown channel is HTTP 200
  // {"ok": false, "error": "channel_not_found"}.
  s.vendor.on('POST /api/conversations.info', { json: { ok: false, error: 'channel_not_found' } });
});
afterAll(() => s.close());

const sinceNow = () => s.vendor.requests.length;
const form = (r: RecordedRequest | undefined) => Object.fromEntries(new URLSearchParams(r?.body.toString()));

describe('@slack/web-api through the proxy', () => {
  it('paginates with the cursor (response_metadata.next_cursor); Slack gets the bot token', async () => {
    const from = sinceNow();
    const names: string[] = [];
    for await (const page of slack.paginate('conversations.list', { limit: 2 })) {
      names.push(...((page as ConversationsListResponse).channels ?? []).map((c) => String(c.name)));
    }
    expect(names).toEqual(['general', 'random', 'dev', 'ops', 'sales']);
    const seen = s.received(from);
    expect(seen.map((r) => [r.method, r.url])).toEqual(Array(3).fill(['POST', '/api/conversations.list']));
    expect(seen.map((r) => form(r).cursor)).toEqual([undefined, 'Mg==', 'NA==']);
    expectVendorSaw(seen, `Bearer ${BOT_TOKEN}`, s.token);
    expect(seen[0]?.headers['user-agent']).toMatch(/@slack:web-api/);
  });

  it('posts a message as a form POST', async () => {
    const from = sinceNow();
    const res = await slack.chat.postMessage({ channel: 'C01', text: 'Deployed through Switchyard' });
    expect(res).toMatchObject({ ok: true, channel: 'C01', message: { text: 'Deployed through Switchyard' } });
    const [sent] = s.received(from);
    expectVendorSaw(s.received(from), `Bearer ${BOT_TOKEN}`, s.token);
    expect(sent?.url).toBe('/api/chat.postMessage');
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(sent)).toMatchObject({ channel: 'C01', text: 'Deployed through Switchyard' });
  });

  it('{"ok": false} is the client’s platform error, with Slack’s error code', async () => {
    const error = await slack.conversations.info({ channel: 'C404' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'channel_not_found' },
      message: 'An API error occurred: channel_not_found',
    });
  });

  it('a refusal of Switchyard’s own is an HTTP error the client retries per its retryConfig, then surfaces', async () => {
    // Every call of this client names a scope the grant lacks (client-level headers): 403 scope_insufficient at
    // Switchyard. The client retries any non-200 answer (ten retries over half an hour by default), so a short
    // policy is given here, as the README advises.
    const from = sinceNow();
    const limited = slackThroughSwitchyard(s.url, s.connectionId, s.token, {
      headers: { 'Switchyard-Required-Scopes': 'channels:history' },
      retryConfig: { retries: 1, minTimeout: 10, maxTimeout: 10 },
    });
    const error = await limited.conversations.history({ channel: 'C01' }).catch((e: unknown) => e);
    // The client parses the body whatever its media type: Switchyard's problem document, as an object.
    expect(error).toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 403,
      attemptNumber: 2,
      body: { code: 'scope_insufficient', missing_scopes: ['channels:history'] },
    });
    expect(s.received(from)).toEqual([]);
  });
});
