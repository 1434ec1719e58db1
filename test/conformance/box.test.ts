import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformance, type Conformance } from './harness.js';

// Box's shipped manifest against a fake that answers as Box documents (API 2.0, version 2024.0). Every answer cites
// its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('box');
});
afterAll(() => c.close());

const ACCESS = 'T9cE5asGnuyYCCqIZFoWjFHvNbvVqHjl';

// https://developer.box.com/reference/get-users-me (User--Full)
const me = {
  json: {
    type: 'user',
    id: '11446498',
    name: 'Aaron Levie',
    login: 'ceo@example.com',
    created_at: '2012-12-12T10:53:43-08:00',
    modified_at: '2026-11-12T10:53:43-08:00',
    language: 'en',
    timezone: 'Africa/Bujumbura',
    status: 'active',
  },
};

// https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/: {type: "error", status, code,
// message, request_id}.
const boxError = (status: number, code: string, message: string, headers: Record<string, string> = {}) => ({
  status,
  headers,
  json: { type: 'error', status, code, message, request_id: 'abcdef123456' },
});

async function connected(tokens: { refresh_token?: string } = {}): Promise<string> {
  const { id } = await c.oauthConnection({ access_token: ACCESS, token_type: 'bearer', extra: {}, ...tokens });
  return id;
}

const testRoute = () => c.routeOf('GET', '/users/me');
const retest = (id: string) => c.t.request({ method: 'POST', url: `/v1/connections/${id}/test` });

describe('box conformance', () => {
  it('test call: GET /users/me with box-version 2024.0; connected with the user id and login', async () => {
    const id = await connected();
    c.vendor.on(testRoute(), me);
    const res = await retest(id);
    expect(res.statusCode, res.body).toBe(200);
    const sent = c.requestsTo(testRoute()).at(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${ACCESS}`);
    // https://developer.box.com/guides/api-calls/api-versioning-strategy/: box-version: 2024.0 on every request
    expect(sent?.headers['box-version']).toBe('2024.0');
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '11446498',
      vendor_account_name: 'ceo@example.com',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // RFC 6750 via https://developer.box.com/guides/authentication/tokens/: an invalid or expired access token.
    [
      { status: 401, headers: { 'www-authenticate': 'Bearer realm="Service", error="invalid_token"' }, body: '' },
      'credential_expired',
    ],
    // A scope problem is named by the WWW-Authenticate header (Box developer advocate, support.box.com post 9007995526035).
    [
      boxError(403, 'insufficient_scope', 'The request requires higher privileges than provided by the access token.', {
        'www-authenticate': 'Bearer realm="Service", error="insufficient_scope"',
      }),
      'scope_insufficient',
    ],
    // The user's own permission on an item: not a scope problem.
    [
      boxError(403, 'access_denied_insufficient_permissions', 'Access denied - insufficient permission'),
      'vendor_error',
    ],
    // https://developer.box.com/guides/api-calls/permissions-and-errors/versioning-errors/
    [boxError(400, 'invalid_api_version', "Invalid API version specified in 'box-version' header."), 'vendor_error'],
  ])('test call: answer %# maps to its outcome', async (reply, outcome) => {
    const id = await connected();
    await c.ageToken(id); // a mid-life token without a refresh token: the answer is read as the manifest maps it
    c.vendor.on(testRoute(), reply);
    const res = await retest(id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data.last_test_outcome, res.body).toMatchObject({ outcome });
  });

  it('rate limit: 429 rate_limit_exceeded with retry-after is retried through the proxy', async () => {
    const id = await connected();
    // https://developer.box.com/guides/api-calls/permissions-and-errors/rate-limits/
    const { res, attempts } = await c.rateLimited(id, '/users/me', {
      limited: boxError(429, 'rate_limit_exceeded', 'Request rate limit exceeded, please try again later', {
        'retry-after': '1',
      }),
      ok: me,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
  });

  it('streams: one page of every stream with its own pagination (marker, stream position, offset)', async () => {
    const id = await connected();
    // https://developer.box.com/guides/api-calls/pagination/marker-based/: usemarker=true, marker, next_marker.
    const items = await c.streamPage(id, 'folder_items', {
      json: {
        entries: [
          { type: 'folder', id: '12345', etag: '1', name: 'Contracts' },
          { type: 'file', id: '12346', etag: '3', name: 'Q3.xlsx', sha1: '85136c79cbf9fe36bb9d05d0639c70c265c18d37' },
        ],
        limit: 1000,
        next_marker: 'JV9IRGZmieiBasejOG9yDCRNgd2ymoZIbjsxbJMjIs3kioVii',
      },
    });
    expect(items.query.get('usemarker')).toBe('true');
    expect(items.query.get('limit')).toBe('1000');
    expect(items.nextCursor).toBe('JV9IRGZmieiBasejOG9yDCRNgd2ymoZIbjsxbJMjIs3kioVii');
    const next = await c.streamPage(id, 'folder_items', { json: { entries: [], limit: 1000 } }, { cursor: 'JV9' });
    expect(next.query.get('marker')).toBe('JV9');

    const users = await c.streamPage(id, 'users', {
      json: { entries: [{ type: 'user', id: '11446498', modified_at: '2026-11-12T10:53:43-08:00' }], limit: 1000 },
    });
    expect(users.query.get('usemarker')).toBe('true');

    // https://developer.box.com/guides/events/enterprise-events/migrate-to-stream/: stream_type=admin_logs_streaming,
    // stream_position -> next_stream_position, limit <= 500.
    const events = await c.streamPage(
      id,
      'events',
      {
        json: {
          chunk_size: 1,
          next_stream_position: '1152922976252290886',
          entries: [
            {
              type: 'event',
              event_id: 'f82c3ba03e41f7e8a7608363cc6c0390183c3f83',
              event_type: 'ITEM_CREATE',
              created_at: '2026-12-01T10:00:00-08:00',
              created_by: { type: 'user', id: '11446498' },
              source: { type: 'file', id: '12346' },
            },
          ],
        },
      },
      { cursor: '0' },
    );
    expect(events.query.get('stream_type')).toBe('admin_logs_streaming');
    expect(events.query.get('stream_position')).toBe('0');
    expect(events.query.get('limit')).toBe('500');
    expect(events.nextCursor).toBe('1152922976252290886');

    // Offset pagination (box-openapi attributes/offset.yml: offset above 10,000 is refused with 400).
    const offsetPage = (type: string) => ({
      json: {
        entries: [{ type, id: '12345678', modified_at: '2026-11-12T10:53:43-08:00' }],
        total_count: 5000,
        limit: 1000,
        offset: 2000,
      },
    });
    const groups = await c.streamPage(id, 'groups', offsetPage('group'), { cursor: '2000' });
    expect(groups.query.get('offset')).toBe('2000');
    expect(groups.query.get('limit')).toBe('1000');
    const collaborations = await c.streamPage(id, 'collaborations', offsetPage('collaboration'), {
      parent: { id: '12345' },
    });
    expect(collaborations.sent.url.split('?')[0]).toBe('/2.0/folders/12345/collaborations');
    const comments = await c.streamPage(id, 'comments', offsetPage('comment'), { parent: { id: '12346' } });
    expect(comments.sent.url.split('?')[0]).toBe('/2.0/files/12346/comments');
    expect(c.manifest.streams.map((s) => s.name).sort()).toEqual(
      ['collaborations', 'comments', 'events', 'folder_items', 'groups', 'users'].sort(),
    );
  });

  it('revocation: POST /oauth2/revoke form client_id, client_secret, token=<refresh>; 200 empty = revoked', async () => {
    // https://developer.box.com/reference/post-oauth2-revoke/
    c.vendor.on('POST /oauth2/revoke', { status: 200, body: '' });
    const { id, client } = await c.oauthConnection({
      access_token: ACCESS,
      refresh_token: 'J7rxTiWOHMoSC1isKZKBZWizoRXjkQzig5C6jFgCVJ9bUnsUfGMinKBDLZWP9BgR',
      token_type: 'bearer',
      extra: {},
    });
    const before = c.requestsTo('POST /oauth2/revoke').length;
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked', revoked: 1 });
    const sent = c.requestsTo('POST /oauth2/revoke')[before];
    expect(Object.fromEntries(new URLSearchParams(sent?.body.toString()))).toEqual({
      client_id: client.client_id,
      client_secret: client.client_secret,
      token: 'J7rxTiWOHMoSC1isKZKBZWizoRXjkQzig5C6jFgCVJ9bUnsUfGMinKBDLZWP9BgR',
    });
  });

  it('revocation: a 400 {error, error_description} is not counted as revoked', async () => {
    c.vendor.on('POST /oauth2/revoke', {
      status: 400,
      json: { error: 'invalid_request', error_description: 'Invalid token' },
    });
    const id = await connected({ refresh_token: 'rt' });
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).toBe('vendor_refused');
  });

  it('webhooks: a V2 signature over body + RFC 3339 timestamp is accepted; forged or stale refused', async () => {
    const id = await connected();
    const key = 'SamplePrimaryKey';
    const { res, path } = await c.inboundSource(id, key);
    expect(res.statusCode, res.body).toBe(201);
    // https://developer.box.com/guides/webhooks/v2/signatures-v2/: base64(HMAC-SHA256(key, body bytes + the
    // BOX-DELIVERY-TIMESTAMP bytes)); reject deliveries older than 10 minutes.
    const body =
      '{"type":"webhook_event","id":"2e8e1d2a-7e5c-4c63-b9a4-6c1b0b4e8a10","created_at":"2026-12-05T10:10:33-08:00","trigger":"FILE.UPLOADED","source":{"id":"12346","type":"file"}}';
    const sign = (secret: string, ts: string) => createHmac('sha256', secret).update(body).update(ts).digest('base64');
    // The audit's vector for this body and timestamp.
    expect(sign(key, '2026-12-05T10:10:33-08:00')).toBe('JTF6jbD5ETagxxfiaWidmJGYLqMeBU3HG+D/kK0nj9w=');
    const offset = (ms: number) => new Date(Date.now() - ms).toISOString().replace(/\.\d+Z$/, '+00:00');
    const headers = (secret: string, ts: string) => ({
      'box-delivery-id': '673a081b-bb4b-4d45-b4f1-4131a29c1d07',
      'box-delivery-timestamp': ts,
      'box-signature-primary': sign(secret, ts),
      'box-signature-version': '1',
      'box-signature-algorithm': 'HmacSHA256',
    });
    const now = offset(0);
    const accepted = await c.deliver(path as string, body, headers(key, now));
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, body, headers('SampleOtherKey', now));
    expect(forged.statusCode, forged.body).toBe(401);
    const stale = await c.deliver(path as string, body, headers(key, offset(11 * 60_000)));
    expect(stale.statusCode, stale.body).toBe(401);
  });
});
