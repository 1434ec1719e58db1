import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import { googleBackendError, google401s, googleScope403, googleTokens } from './google.js';
import { startConformance, type Conformance } from './harness.js';

// Gmail's shipped manifest against a fake that answers as Google documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('gmail');
});
afterAll(() => c.close());

// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/getProfile: a Profile resource.
const profile = {
  status: 200,
  json: { emailAddress: 'ada@example.com', messagesTotal: 1520, threadsTotal: 980, historyId: '1234567' },
};

const tokens = () => googleTokens('https://www.googleapis.com/auth/gmail.metadata');
// The call the test makes needs gmail.readonly at least.
const scope403 = googleScope403('https://www.googleapis.com/auth/gmail.readonly', 'gmail.googleapis.com');

// error_reason.proto SERVICE_DISABLED: the API is off in the OAuth app's project — the vendor's error, not a scope.
const disabled403: VendorReply = {
  status: 403,
  json: {
    error: {
      code: 403,
      message: 'Gmail API has not been used in project 123 before or it is disabled.',
      status: 'PERMISSION_DENIED',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', domain: 'googleapis.com' },
      ],
    },
  },
};

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection(tokens());
  const { res } = await c.retest(id, profile);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('gmail conformance', () => {
  it('test call: GET /users/me/profile with the access token; connected as the mailbox address', async () => {
    const t = tokens();
    const { id } = await c.oauthConnection(t);
    const { res, sent } = await c.retest(id, profile);
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: 'ada@example.com',
      vendor_account_name: 'ada@example.com',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // Both documented 401 shapes are "expired or invalid": the refresh decides whether the grant was revoked.
    ...google401s.map((r): [VendorReply, string, undefined] => [r, 'credential_expired', undefined]),
    [scope403, 'scope_insufficient', undefined],
    // The documented SERVICE_DISABLED body carries no errors[] reason.
    [disabled403, 'vendor_error', null],
    // https://developers.google.com/workspace/gmail/api/guides/handle-errors#resolve_a_500_error: backendError.
    [googleBackendError, 'vendor_error', 'backendError'],
  ])('test call: answer %# maps to its outcome', async (reply, outcome, code) => {
    // A mid-life token without a refresh token: the answer is read as the manifest maps it (a token issued moments
    // ago that Google calls expired would be read as missing consent).
    const { id } = await c.oauthConnection({ ...tokens(), refresh_token: undefined });
    await c.ageToken(id);
    const { res } = await c.retest(id, reply);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.state).not.toBe('active');
    expect(res.data.vendor_account_id).toBeNull();
    expect(res.data.last_test_outcome).toMatchObject({ outcome, status: reply.status });
    if (code !== undefined) expect(res.data.last_test_outcome).toMatchObject({ vendor_code: code });
  });

  it('test call: an insufficient-scope answer names the scope the call needs', async () => {
    const { id } = await c.oauthConnection(tokens());
    const { res } = await c.retest(id, scope403);
    expect(res.data.last_test_outcome).toMatchObject({
      outcome: 'scope_insufficient',
      missing_scopes: ['https://www.googleapis.com/auth/gmail.readonly'],
    });
  });

  it('rate limit: a 429 (no Retry-After documented) is retried through the proxy with backoff', async () => {
    const id = await connected();
    // https://developers.google.com/workspace/gmail/api/reference/quota: 429 "Too many requests" / concurrent
    // requests per user; no rate-limit headers or Retry-After are documented — clients back off exponentially
    // (https://developers.google.com/workspace/gmail/api/guides/handle-errors#exponential-backoff).
    const { res, attempts } = await c.rateLimited(id, '/users/me/labels', {
      limited: {
        status: 429,
        json: {
          error: {
            code: 429,
            message: 'Too many concurrent requests for user',
            errors: [
              { domain: 'global', reason: 'rateLimitExceeded', message: 'Too many concurrent requests for user' },
            ],
            status: 'RESOURCE_EXHAUSTED',
          },
        },
      },
      ok: { json: { labels: [] } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
    expect(c.manifest.rate_limit?.error_statuses).toEqual([429]);
  });

  // One documented page per stream (users.<resource>.list references: {<resource>: [...], nextPageToken,
  // resultSizeEstimate}; maxResults up to 500; the next page is asked with pageToken).
  const pages: Record<string, { json: Record<string, unknown>; ids: string[] }> = {
    // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/list
    messages: {
      json: {
        messages: [
          { id: '18c1a2b3c4d5e6f7', threadId: '18c1a2b3c4d5e6f7' },
          { id: '18c1a2b3c4d5e6f8', threadId: '18c1a2b3c4d5e6f0' },
        ],
        nextPageToken: '09876543210987654321',
        resultSizeEstimate: 1520,
      },
      ids: ['18c1a2b3c4d5e6f7', '18c1a2b3c4d5e6f8'],
    },
    // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/list
    threads: {
      json: {
        threads: [{ id: '18c1a2b3c4d5e6f7', snippet: 'Invoice 42', historyId: '1234500' }],
        nextPageToken: '09876543210987654322',
        resultSizeEstimate: 980,
      },
      ids: ['18c1a2b3c4d5e6f7'],
    },
    // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels/list (not paged)
    labels: {
      json: {
        labels: [
          { id: 'INBOX', name: 'INBOX', type: 'system' },
          { id: 'Label_12', name: 'Invoices', type: 'user' },
        ],
      },
      ids: ['INBOX', 'Label_12'],
    },
    // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list
    history: {
      json: {
        history: [
          {
            id: '1234560',
            messages: [{ id: '18c1a2b3c4d5e6f9', threadId: '18c1a2b3c4d5e6f9' }],
            messagesAdded: [
              { message: { id: '18c1a2b3c4d5e6f9', threadId: '18c1a2b3c4d5e6f9', labelIds: ['INBOX', 'UNREAD'] } },
            ],
          },
        ],
        nextPageToken: '09876543210987654323',
        historyId: '1234567',
      },
      ids: ['1234560'],
    },
    // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.drafts/list
    drafts: {
      json: {
        drafts: [{ id: 'r-1234567890', message: { id: '18c1a2b3c4d5e6fa', threadId: '18c1a2b3c4d5e6fa' } }],
        nextPageToken: '09876543210987654324',
        resultSizeEstimate: 3,
      },
      ids: ['r-1234567890'],
    },
  };

  it('streams: one page of every stream, its records under its own key, the next page asked with pageToken', async () => {
    const id = await connected();
    expect(c.manifest.streams.map((s) => s.name).sort()).toEqual(Object.keys(pages).sort());
    for (const stream of c.manifest.streams) {
      const page = pages[stream.name] as (typeof pages)[string];
      const first = await c.streamPage(id, stream.name, { json: page.json });
      expect(first.records.map((r) => r.id)).toEqual(page.ids);
      if (stream.name === 'labels') {
        // labels.list takes no maxResults or pageToken: one answer holds every label.
        expect(first.pagination?.style).toBe('none');
        expect([...first.query.keys()]).toEqual([]);
        continue;
      }
      expect(first.query.get('maxResults')).toBe('500');
      expect(first.nextCursor).toBe(page.json.nextPageToken);
      const second = await c.streamPage(
        id,
        stream.name,
        { json: { [stream.name]: [] } },
        { cursor: first.nextCursor as string },
      );
      expect(second.query.get('pageToken')).toBe(page.json.nextPageToken);
      // The last page carries no nextPageToken.
      expect(second.nextCursor).toBeUndefined();
    }
  });

  it('streams: history with a startHistoryId too old answers 404, which the proxy passes on (full sync)', async () => {
    const id = await connected();
    // https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list and
    // https://developers.google.com/workspace/gmail/api/guides/sync#partial: an out-of-date startHistoryId → 404.
    c.vendor.on(c.routeOf('GET', '/users/me/history'), {
      status: 404,
      json: {
        error: {
          code: 404,
          message: 'Requested entity was not found.',
          errors: [{ domain: 'global', reason: 'notFound', message: 'Requested entity was not found.' }],
          status: 'NOT_FOUND',
        },
      },
    });
    const res = await c.proxyGet(id, '/users/me/history', { startHistoryId: '1' });
    expect(res.statusCode).toBe(404);
  });

  it('revocation: disconnect posts the refresh token to /revoke without client authentication; 200 is revoked', async () => {
    // https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke: POST
    // https://oauth2.googleapis.com/revoke, application/x-www-form-urlencoded token=<access or refresh token>;
    // 200 on success, 400 with an error code otherwise. Revoking either token ends the whole grant.
    c.vendor.on('POST /revoke', { status: 200, body: '' });
    const t = tokens();
    const { id } = await c.oauthConnection(t);
    const before = c.requestsTo('POST /revoke').length;
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const sent = c.requestsTo('POST /revoke').slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body.toString()))).toEqual({ token: t.refresh_token });
    expect(sent[0]?.headers.authorization).toBeUndefined();
  });

  it('revocation: a 400 (token already invalid or unknown) is not counted as revoked', async () => {
    c.vendor.on('POST /revoke', {
      status: 400,
      json: { error: 'invalid_token', error_description: 'Token expired or revoked' },
    });
    const { id } = await c.oauthConnection(tokens());
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: none declared — Gmail pushes through Cloud Pub/Sub (OIDC JWT), so no preset source is made', async () => {
    // https://developers.google.com/workspace/gmail/api/guides/push: users.watch publishes to a Pub/Sub topic; a
    // push subscription authenticates with a Google-signed OIDC token, which no verification scheme models yet.
    expect(c.manifest.webhooks).toBeUndefined();
    const id = await connected();
    const { res } = await c.inboundSource(id, 'a-shared-secret-of-32-characters!');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
  });
});
