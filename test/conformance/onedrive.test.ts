import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorReply } from '../helpers/fake-vendor.js';
import { startConformance, type Conformance } from './harness.js';
import { expectGraphHandshake, graphNoRevocationTest } from './microsoft.js';

// OneDrive / SharePoint's shipped manifest against a fake that answers as Microsoft Graph documents. Every answer
// cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('onedrive');
});
afterAll(() => c.close());

// Microsoft identity platform tokens (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow).
const tokens = () => ({
  access_token: `eyJ0eXAiOiJKV1Qi.${Math.random().toString(36).slice(2)}`,
  refresh_token: `0.AXEA${Math.random().toString(36).slice(2)}`,
  token_type: 'Bearer',
  expires_at: new Date(Date.now() + 3600_000),
  scope: ['offline_access', 'Files.Read'],
  extra: {},
});

// https://learn.microsoft.com/en-us/graph/api/drive-get (GET /me/drive): a drive resource.
const drive = {
  status: 200,
  json: {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#drives/$entity',
    id: 'b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7',
    driveType: 'business',
    owner: { user: { id: 'efee1b77-fb3b-4f65-99d6-274c11914d12', displayName: 'Ada Lovelace' } },
    quota: { deleted: 0, remaining: 1099511627776, state: 'normal', total: 1099511627776, used: 0 },
  },
};

// https://learn.microsoft.com/en-us/graph/errors: {"error": {code, message, innerError: {date, request-id, …}}}.
const graphError = (status: number, code: string, message: string, headers?: Record<string, string>): VendorReply => ({
  status,
  ...(headers ? { headers } : {}),
  json: {
    error: {
      code,
      message,
      innerError: { date: '2026-12-05T10:00:00', 'request-id': '1c6d2b3a-0000-4000-8000-000000000001' },
    },
  },
});

async function connected(): Promise<string> {
  const { id } = await c.oauthConnection(tokens());
  const { res } = await c.retest(id, drive);
  expect(res.statusCode, res.body).toBe(200);
  return id;
}

describe('onedrive conformance', () => {
  it('test call: GET /me/drive with the access token; connected as the drive and its owner', async () => {
    const t = tokens();
    const { id } = await c.oauthConnection(t);
    const { res, sent } = await c.retest(id, drive);
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.url).toBe('/v1.0/me/drive');
    expect(sent.headers.authorization).toBe(`Bearer ${t.access_token}`);
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: drive.json.id,
      vendor_account_name: 'Ada Lovelace',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it.each([
    // https://learn.microsoft.com/en-us/graph/errors (401 InvalidAuthenticationToken, the token expired)
    [
      graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'),
      'credential_expired',
    ],
    // A Continuous Access Evaluation challenge after the user's sessions were revoked
    // (https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-continuous-access-evaluation):
    // not an expiry, the credential is no longer accepted.
    [
      graphError(
        401,
        'InvalidAuthenticationToken',
        'Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp',
        {
          'www-authenticate':
            'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="',
        },
      ),
      'credential_revoked',
    ],
    // https://learn.microsoft.com/en-us/onedrive/developer/rest-api/concepts/errors (accessDenied)
    [graphError(403, 'accessDenied', 'Access denied'), 'scope_insufficient'],
    // https://learn.microsoft.com/en-us/graph/errors (500 generalException)
    [graphError(500, 'generalException', 'An unspecified error has occurred.'), 'vendor_error'],
  ])('test call: answer %# maps to its outcome', async (reply, outcome) => {
    // A mid-life token without a refresh token: the answer is read as the manifest maps it (a token issued moments
    // ago that Graph calls expired would be read as missing consent).
    const { id } = await c.oauthConnection({ ...tokens(), refresh_token: undefined });
    await c.ageToken(id);
    const { res } = await c.retest(id, reply);
    expect(res.data.state).not.toBe('active');
    expect(res.data.last_test_outcome).toMatchObject({ outcome, status: reply.status });
    if (outcome === 'vendor_error')
      expect(res.data.last_test_outcome).toMatchObject({ vendor_code: 'generalException' });
  });

  it('rate limit: a 429 with Retry-After and the RateLimit-* headers is retried through the proxy', async () => {
    const id = await connected();
    // https://learn.microsoft.com/en-us/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online:
    // 429 (or 503) with Retry-After in seconds; RateLimit-Limit / -Remaining / -Reset near the limit. (Retry-After is
    // 1 s here so the test does not wait for a real 31 s.)
    const limited = {
      ...graphError(429, 'activityLimitReached', 'The request has been throttled'),
      headers: { 'retry-after': '1', 'ratelimit-limit': '1200', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
    };
    const { res, attempts } = await c.rateLimited(id, '/me/drives', { limited, ok: { json: { value: [] } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
    expect(c.manifest.rate_limit).toMatchObject({
      remaining: 'RateLimit-Remaining',
      limit: 'RateLimit-Limit',
      reset: { header: 'RateLimit-Reset', format: 'seconds' },
      error_statuses: [429, 503],
    });
  });

  it('streams: drive items by delta — nextLink pages, the deleted facet, the deltaLink on the last page', async () => {
    const id = await connected();
    // https://learn.microsoft.com/en-us/graph/api/driveitem-delta: @odata.nextLink on middle pages, @odata.deltaLink
    // on the last; deleted items carry the deleted facet.
    const nextLink = `${c.vendor.url}/v1.0/me/drive/root/delta?token=MzslMjM0OyUyMzE7Mzs`;
    const first = await c.streamPage(id, 'drive_items', {
      json: {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(driveItem)',
        '@odata.nextLink': nextLink,
        value: [
          {
            id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K',
            name: 'Q3.xlsx',
            lastModifiedDateTime: '2026-11-30T09:12:00Z',
            file: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
            parentReference: { driveId: 'b!t18F', id: '01BYE5RZ56Y2GOVW7725BZO354PWSELRRZ' },
          },
          {
            id: '01BYE5RZ2KXWOTNNU3RBFJD5CNRWE4LO3I',
            deleted: { state: 'deleted' },
            parentReference: { driveId: 'b!t18F' },
          },
        ],
      },
    });
    expect(first.query.get('$top')).toBe('10');
    expect(first.records.map((r) => r.deleted !== undefined)).toEqual([false, true]);
    expect(first.nextCursor).toBe(nextLink);
    const last = await c.streamPage(id, 'drive_items', {
      json: { '@odata.deltaLink': `${c.vendor.url}/v1.0/me/drive/root/delta?token=MzslMjM0OyUyMzE7NDs`, value: [] },
    });
    expect(last.nextCursor).toBeUndefined();
  });

  it('streams: drives, sites, lists and list items, permissions and versions — children keyed with their parent', async () => {
    const id = await connected();
    // https://learn.microsoft.com/en-us/graph/api/drive-list
    const drives = await c.streamPage(id, 'drives', {
      json: { value: [{ id: 'b!t18F', driveType: 'business', name: 'OneDrive' }] },
    });
    expect(drives.records.map((r) => r.id)).toEqual(['b!t18F']);
    // https://learn.microsoft.com/en-us/graph/api/site-search (GET /sites?search=*)
    const siteId = 'contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE';
    const sites = await c.streamPage(id, 'sites', {
      json: {
        value: [
          {
            id: siteId,
            displayName: 'Finance',
            webUrl: 'https://contoso.sharepoint.com/sites/finance',
            lastModifiedDateTime: '2026-11-01T00:00:00Z',
          },
        ],
        '@odata.nextLink': `${c.vendor.url}/v1.0/sites?search=*&$skiptoken=X`,
      },
    });
    expect(sites.query.get('search')).toBe('*');
    expect(sites.nextCursor).toBe(`${c.vendor.url}/v1.0/sites?search=*&$skiptoken=X`);
    // https://learn.microsoft.com/en-us/graph/api/list-list
    const lists = await c.streamPage(
      id,
      'lists',
      { json: { value: [{ id: 'b57af081-936c-4803-a120-d94887b03864', displayName: 'Invoices' }] } },
      { parent: { id: siteId } },
    );
    expect(lists.sent.url.split('?')[0]).toBe(`/v1.0/sites/${encodeURIComponent(siteId)}/lists`);
    expect(lists.stream.primary_key).toEqual(['siteId', 'id']);
    // https://learn.microsoft.com/en-us/graph/api/listitem-list
    const items = await c.streamPage(
      id,
      'list_items',
      { json: { value: [{ id: '1', lastModifiedDateTime: '2026-11-02T00:00:00Z', fields: { Title: 'INV-1' } }] } },
      { parent: { id: 'b57af081-936c-4803-a120-d94887b03864', siteId } },
    );
    expect(items.sent.url.split('?')[0]).toBe(
      `/v1.0/sites/${encodeURIComponent(siteId)}/lists/b57af081-936c-4803-a120-d94887b03864/items`,
    );
    expect(items.stream.primary_key).toEqual(['listId', 'id']);
    const item = { id: '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K' };
    // https://learn.microsoft.com/en-us/graph/api/driveitem-list-permissions
    const permissions = await c.streamPage(
      id,
      'permissions',
      {
        json: {
          value: [
            {
              id: 'aTowIy5mfG1lbWJlcnNoaXB8YWRhQGNvbnRvc28uY29t',
              roles: ['write'],
              grantedToV2: { user: { displayName: 'Ada' } },
            },
          ],
        },
      },
      { parent: item },
    );
    expect(permissions.sent.url.split('?')[0]).toBe(`/v1.0/me/drive/items/${item.id}/permissions`);
    expect(permissions.stream.primary_key).toEqual(['itemId', 'id']);
    // https://learn.microsoft.com/en-us/graph/api/driveitem-list-versions
    const versions = await c.streamPage(
      id,
      'versions',
      {
        json: {
          value: [
            { id: '2.0', lastModifiedDateTime: '2026-11-30T09:12:00Z', size: 8192 },
            { id: '1.0', lastModifiedDateTime: '2026-11-29T09:12:00Z', size: 8000 },
          ],
        },
      },
      { parent: item },
    );
    expect(versions.records.map((r) => r.id)).toEqual(['2.0', '1.0']);
    expect(versions.stream.primary_key).toEqual(['itemId', 'id']);
  });

  graphNoRevocationTest(() => c, tokens);

  it('webhooks: the validationToken handshake is echoed; a notification with the clientState is accepted', async () => {
    const id = await connected();
    const secret = 'onedrive-client-state-0123456789abcdef';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'graph_client_state' } });
    await expectGraphHandshake(
      c,
      path as string,
      'Validation: Testing client application reachability for subscription Request-Id: 1c6d2b3a',
    );
    // https://learn.microsoft.com/en-us/graph/api/resources/changenotification: value[] items, each with the
    // clientState given at subscription; no signature headers.
    const notification = (clientState: string) =>
      JSON.stringify({
        value: [
          {
            subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
            subscriptionExpirationDateTime: '2026-12-30T11:00:00.0000000Z',
            changeType: 'updated',
            resource: 'me/drive/root',
            clientState,
            tenantId: 'bb8775a4-4d8c-42cf-a1d4-4d58c2bb668f',
            resourceData: null,
          },
        ],
      });
    const accepted = await c.deliver(path as string, notification(secret), {});
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, notification('someone-else'), {});
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
