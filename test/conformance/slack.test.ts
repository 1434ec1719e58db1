import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Slack's shipped manifest against a fake that answers as Slack documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('slack');
});
afterAll(() => c.close());

const TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';

// https://docs.slack.dev/reference/methods/auth.test: {ok, url, team, user, team_id, user_id, bot_id}.
const authTest = {
  json: {
    ok: true,
    url: 'https://subarachnoid.slack.com/',
    team: 'Subarachnoid Workspace',
    user: 'grace',
    team_id: 'T12345678',
    user_id: 'W12345678',
    bot_id: 'B12345678',
  },
};

// https://docs.slack.dev/apis/web-api/ ("Evaluating responses"): every Web API error is HTTP 200 with
// {"ok": false, "error": "<code>"}; auth.test lists invalid_auth, not_authed, account_inactive, token_revoked,
// token_expired (rotation on) and missing_scope (with "needed"/"provided").
const slackError = (error: string, extra: Record<string, unknown> = {}) => ({ json: { ok: false, error, ...extra } });

/** A bot token connection as the OAuth callback stores it (the manifest's only method). */
async function connected(): Promise<string> {
  const { id } = await c.oauthConnection({ access_token: TOKEN, token_type: 'bearer', extra: {} });
  return id;
}

describe('slack conformance', () => {
  it('test call: POST auth.test with the bot token; connected with the team id and name', async () => {
    const id = await connected();
    c.vendor.on(c.routeOf('POST', '/auth.test'), authTest);
    const res = await c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(res.statusCode, res.body).toBe(200);
    const [sent] = c.requestsTo(c.routeOf('POST', '/auth.test')).slice(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'T12345678',
      vendor_account_name: 'Subarachnoid Workspace',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    [slackError('token_expired'), 'credential_expired'],
    [slackError('invalid_auth'), 'credential_revoked'],
    [slackError('not_authed'), 'credential_revoked'],
    [slackError('account_inactive'), 'credential_revoked'],
    [slackError('token_revoked'), 'credential_revoked'],
    [slackError('missing_scope', { needed: 'users:read.email', provided: 'team:read' }), 'scope_insufficient'],
  ])('test call: a 200 {ok:false} answer %# maps to its outcome', async (reply, outcome) => {
    const id = await connected();
    await c.ageToken(id); // a mid-life token without a refresh token: the answer is read as the manifest maps it
    c.vendor.on(c.routeOf('POST', '/auth.test'), reply);
    const res = await c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.last_test_outcome, res.body).toMatchObject({ outcome, message: `200: ${reply.json.error}` });
    if (outcome === 'scope_insufficient') expect(JSON.stringify(res.data)).toContain('users:read.email');
  });

  it('rate limit: 429 {"ok":false,"error":"ratelimited"} with Retry-After is retried through the proxy', async () => {
    const id = await connected();
    // https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429 Too Many Requests with Retry-After (seconds); no
    // remaining/limit headers.
    const { res, attempts } = await c.rateLimited(id, '/conversations.list', {
      limited: { status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } },
      ok: { json: { ok: true, channels: [], response_metadata: { next_cursor: '' } } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('streams: one page of every stream with its own result list and pagination', async () => {
    const id = await connected();
    const next = 'bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz';
    const meta = { response_metadata: { next_cursor: next } };

    // https://docs.slack.dev/reference/methods/conversations.list: {ok, channels: [...], response_metadata}.
    const channels = await c.streamPage(id, 'channels', {
      json: {
        ok: true,
        channels: [{ id: 'C012AB3CD', name: 'general', is_channel: true, created: 1449252889 }],
        ...meta,
      },
    });
    expect(channels.query.get('limit')).toBe('1000');
    expect(channels.nextCursor).toBe(next);
    const again = await c.streamPage(id, 'channels', { json: { ok: true, channels: [] } }, { cursor: next });
    expect(again.query.get('cursor')).toBe(next);

    // https://docs.slack.dev/reference/methods/conversations.history: channel=<id>, limit, cursor; messages carry
    // no channel. https://docs.slack.dev/apis/web-api/rate-limits: non-Marketplace commercial apps created since
    // 2025-05-29 get 1 request/minute and at most 15 messages.
    const message = {
      type: 'message',
      user: 'U123',
      text: 'hi',
      ts: '1764929000.000200',
      thread_ts: '1764929000.000200',
      reply_count: 2,
    };
    const history = await c.streamPage(
      id,
      'messages',
      { json: { ok: true, messages: [message], has_more: true, pin_count: 0, ...meta } },
      { parent: { id: 'C123' } },
    );
    expect(history.query.get('channel')).toBe('C123');
    expect(history.query.get('limit')).toBe('15');
    expect(history.nextCursor).toBe(next);
    expect(history.stream.primary_key).toEqual(['channel', 'ts']);
    expect(history.stream.parent).toMatchObject({ stream: 'channels', param: 'channel', as: 'channel' });
    expect(history.stream.rate_limit).toMatchObject({ requests: 1, per_seconds: 60, page_size: 15 });

    // https://docs.slack.dev/reference/methods/conversations.replies: channel + ts of the thread's parent message.
    const replies = await c.streamPage(
      id,
      'threads',
      { json: { ok: true, messages: [message, { ...message, ts: '1764929100.000300' }], has_more: false } },
      { parent: { channel: 'C123', ts: message.ts } },
    );
    expect(replies.query.get('channel')).toBe('C123');
    expect(replies.query.get('ts')).toBe(message.ts);
    expect(replies.records).toHaveLength(2);

    // https://docs.slack.dev/reference/methods/users.list: {ok, members: [...], response_metadata}.
    const users = await c.streamPage(id, 'users', {
      json: {
        ok: true,
        members: [{ id: 'W012A3CDE', team_id: 'T123', name: 'spengler', deleted: false, updated: 1502138686 }],
        response_metadata: { next_cursor: 'dXNlcjpVMEc5V0ZYTlo=' },
      },
    });
    expect(users.records.map((r) => r.id)).toEqual(['W012A3CDE']);
    expect(users.nextCursor).toBe('dXNlcjpVMEc5V0ZYTlo=');

    // https://docs.slack.dev/reference/methods/usergroups.list: {ok, usergroups: [...]}, not paginated.
    const groups = await c.streamPage(id, 'user_groups', {
      json: { ok: true, usergroups: [{ id: 'S0614TZR7', team_id: 'T060RNRCH', name: 'Team Admins' }] },
    });
    expect(groups.records).toHaveLength(1);
    expect(groups.query.get('limit')).toBeNull();

    // files.list pages by number: page + count -> paging {count,total,page,pages}
    // (https://docs.slack.dev/reference/methods/files.list; SlackApiFilesListPaging in slack-morphism).
    const files = await c.streamPage(
      id,
      'files',
      {
        json: {
          ok: true,
          files: [{ id: 'F0S43PZDF', created: 1531763342, name: 'tedair.gif' }],
          paging: { count: 100, total: 295, page: 1, pages: 3 },
        },
      },
      { limit: 100, cursor: '1' },
    );
    expect(files.query.get('count')).toBe('100');
    expect(files.query.get('page')).toBe('1');
    expect(files.query.get('cursor')).toBeNull();
    expect(files.pagination).toMatchObject({ style: 'page', total_pages_path: '$.paging.pages', first_page: 1 });
  });

  it('revocation: auth.revoke with the token as the bearer counts only {"ok":true,"revoked":true}', async () => {
    // auth.revoke (https://docs.slack.dev/reference/methods/auth.revoke; spec github.com/aki017/slack-api-docs
    // methods/auth.revoke.json): the token to revoke is the caller's token; answers {"ok": true, "revoked": true}.
    c.vendor.on(c.routeOf('POST', '/auth.revoke'), { json: { ok: true, revoked: true } });
    const id = await connected();
    const before = c.requestsTo(c.routeOf('POST', '/auth.revoke')).length;
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked', revoked: 1 });
    const sent = c.requestsTo(c.routeOf('POST', '/auth.revoke'))[before];
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.body.toString()).not.toContain(TOKEN);
  });

  it('revocation: a 200 {"ok":false,"error":"invalid_auth"} is not counted as revoked', async () => {
    c.vendor.on(c.routeOf('POST', '/auth.revoke'), slackError('invalid_auth'));
    const id = await connected();
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).toBe('vendor_refused');
    expect(revocation?.revoked).toBe(0);
  });

  it('webhooks: the source accepts a Slack-signed event, answers url_verification and refuses a forgery', async () => {
    const id = await connected();
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'slack' } });
    // https://docs.slack.dev/authentication/verifying-requests-from-slack: X-Slack-Signature = "v0=" + hex
    // HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body); reject beyond 5 minutes.
    const sign = (body: string, key: string, ts = Math.floor(Date.now() / 1000)) => ({
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': `v0=${createHmac('sha256', key).update(`v0:${ts}:${body}`).digest('hex')}`,
    });
    const event = JSON.stringify({
      token: 'XXYYZZ',
      team_id: 'T123',
      api_app_id: 'A123',
      type: 'event_callback',
      event_id: 'Ev123ABC',
      event_time: 1764929000,
      event: { type: 'message', channel: 'C123', user: 'U123', text: 'hi', ts: '1764929000.000200' },
    });
    const accepted = await c.deliver(path as string, event, sign(event, secret));
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, event, sign(event, 'someone-elses-secret'));
    expect(forged.statusCode, forged.body).toBe(401);
    const stale = await c.deliver(path as string, event, sign(event, secret, Math.floor(Date.now() / 1000) - 600));
    expect(stale.statusCode, stale.body).toBe(401);

    // https://docs.slack.dev/reference/events/url_verification: signed like events; answer 200 with the challenge.
    const challenge = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P';
    const check = JSON.stringify({ token: 'XXYYZZ', challenge, type: 'url_verification' });
    const answered = await c.deliver(path as string, check, sign(check, secret));
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.body).toBe(challenge);
    const unsigned = await c.deliver(path as string, check, sign(check, 'someone-elses-secret'));
    expect(unsigned.statusCode).toBe(401);
  });
});
