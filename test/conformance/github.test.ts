import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestSource } from '../../src/sync/sources/rest/index.js';
import { drain, idsOf } from '../fakes/connect.js';
import type { RecordedRequest } from '../helpers/fake-vendor.js';
import { startConformance, type Conformance } from './harness.js';

// GitHub's shipped manifest against a fake that answers as GitHub documents. Every answer cites its page.
let c: Conformance;
beforeAll(async () => {
  c = await startConformance('github');
});
afterAll(() => c.close());

const PAT = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS';
const VERSION = '2022-11-28';

// https://docs.github.com/en/rest/users/users#get-the-authenticated-user: the user's public and private profile.
const user = {
  status: 200,
  headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': '1765000000' },
  json: { login: 'octocat', id: 1, node_id: 'MDQ6VXNlcjE=', type: 'User', name: 'monalisa octocat', plan: {} },
};

// https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api: errors are
// {"message": ..., "documentation_url": ...}; an unknown or revoked token is 401 "Bad credentials".
const githubError = (status: number, message: string, headers: Record<string, string> = {}) => ({
  status,
  headers,
  json: { message, documentation_url: 'https://docs.github.com/rest' },
});

async function connected(): Promise<string> {
  const { res } = await c.testCall({ auth_method: 'bearer', credentials: { token: PAT }, reply: user });
  expect(res.statusCode, res.body).toBe(201);
  return res.data.id as string;
}

/** A link header as GitHub writes it, its URLs on the fake. */
const link = (rels: Record<string, string>) =>
  Object.entries(rels)
    .map(([rel, path]) => `<${c.vendor.url}${path}>; rel="${rel}"`)
    .join(', ');

describe('github conformance', () => {
  it('test call: GET /user with the token as a bearer token and the pinned API version; connected, id and login', async () => {
    const { res, sent } = await c.testCall({ auth_method: 'bearer', credentials: { token: PAT }, reply: user });
    expect(res.statusCode, res.body).toBe(201);
    expect(sent.url).toBe('/user');
    expect(sent.headers).toMatchObject({
      authorization: `Bearer ${PAT}`,
      'x-github-api-version': VERSION,
      accept: 'application/vnd.github+json',
    });
    expect(res.data).toMatchObject({
      state: 'active',
      vendor_account_id: '1',
      vendor_account_name: 'octocat',
      last_test_outcome: { outcome: 'connected' },
    });
  });

  it('test call: a classic token is accepted too; anything else is refused before GitHub is asked', async () => {
    const classic = await c.testCall({
      auth_method: 'bearer',
      credentials: { token: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' },
      reply: user,
    });
    expect(classic.res.statusCode, classic.res.body).toBe(201);
    const before = c.vendor.requests.length;
    const other = await c.connect({ auth_method: 'bearer', credentials: { token: 'gho_oauth_token_pasted' } });
    expect(other.statusCode, other.body).toBe(400);
    expect(other.data).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.credentials.token' }] });
    expect(c.vendor.requests.length).toBe(before);
  });

  it.each([
    // An unknown, revoked or expired token: 401 "Bad credentials" (one answer for all three).
    [githubError(401, 'Bad credentials'), 'credential_revoked'],
    // The primary rate limit spent: 403 with x-ratelimit-remaining 0
    // (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
    [
      githubError(403, 'API rate limit exceeded for user ID 1.', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': '1765000000',
      }),
      'vendor_error',
    ],
  ])('test call: answer %# maps to its outcome, nothing stored', async (reply, outcome) => {
    const { res } = await c.testCall({ auth_method: 'bearer', credentials: { token: PAT }, reply });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data).toMatchObject({ code: 'connection_test_failed', outcome: { outcome, status: reply.status } });
    if (outcome === 'vendor_error') {
      expect(res.data.outcome).toMatchObject({ vendor_code: 'API rate limit exceeded for user ID 1.' });
    }
  });

  it('OAuth app: the token goes as a bearer token; the test call reads the same user', async () => {
    // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps: tokens gho_…, no expiry.
    const { id } = await c.oauthConnection({
      access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a',
      token_type: 'bearer',
      scope: ['repo', 'read:user'],
      extra: {},
    });
    const { res, sent } = await c.retest(id, user, { auth_method: 'oauth2' });
    expect(res.statusCode, res.body).toBe(200);
    expect(sent.headers.authorization).toBe('Bearer gho_16C7e42F292c6912E7710c838347Ae178B4a');
    const oauth = c.manifest.auth.find((a) => a.type === 'oauth2');
    expect(oauth).toMatchObject({
      authorization_url: `${c.vendor.url}/login/oauth/authorize`,
      token_url: `${c.vendor.url}/login/oauth/access_token`,
      pkce: true,
      levels: ['app', 'user'],
    });
  });

  it('rate limit: a secondary limit (429 with retry-after) is retried through the proxy', async () => {
    const id = await connected();
    const limited = githubError(429, 'You have exceeded a secondary rate limit. Please wait a few minutes.', {
      'retry-after': '1',
    });
    const { res, attempts } = await c.rateLimited(id, '/user/repos', { limited, ok: { json: [] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(attempts).toBe(2);
    expect(res.headers['x-switchyard-retries']).toBe('1');
  });

  it('rate limit: a spent primary limit (x-ratelimit-remaining 0) holds the next call until x-ratelimit-reset', async () => {
    const id = await connected();
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    let calls = 0;
    c.vendor.on('GET /rate-limited', () => {
      calls++;
      return githubError(403, 'API rate limit exceeded for user ID 1.', {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': reset,
      });
    });
    const first = await c.proxyGet(id, '/rate-limited');
    expect(first.statusCode, first.body).toBe(403);
    const next = await c.proxyGet(id, '/rate-limited');
    expect(next.statusCode, next.body).toBe(429);
    expect(next.data).toMatchObject({ code: 'rate_budget_exhausted' });
    expect(Number(next.headers['retry-after'])).toBeGreaterThan(3500);
    expect(calls).toBe(1);
  });

  it('streams: one page of each, per_page 100, the next page in the link header (pointed back at the proxy)', async () => {
    const id = await connected();
    // https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user: an array of
    // repositories; https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api: the link
    // header names the next and last pages.
    const repos = await c.streamPage(id, 'repositories', {
      headers: { link: link({ next: '/user/repos?per_page=100&page=2', last: '/user/repos?per_page=100&page=3' }) },
      json: [
        { id: 1296269, name: 'Hello-World', full_name: 'octocat/Hello-World', private: false },
        { id: 1296270, name: 'Spoon-Knife', full_name: 'octocat/Spoon-Knife', private: false },
      ],
    });
    expect(repos.sent.url.split('?')[0]).toBe('/user/repos');
    expect(repos.query.get('per_page')).toBe('100');
    expect(repos.query.get('affiliation')).toBe('owner,collaborator,organization_member');
    expect(repos.sent.headers['x-github-api-version']).toBe(VERSION);
    expect(repos.records.map((r) => r.full_name)).toEqual(['octocat/Hello-World', 'octocat/Spoon-Knife']);
    expect(repos.res.headers.link).toMatch(
      new RegExp(`^<http://[^/]+/v1/connections/${id}/proxy/user/repos\\?per_page=100&page=2>; rel="next"`),
    );

    // https://docs.github.com/en/rest/issues/issues#list-issues-assigned-to-the-authenticated-user: issues and pull
    // requests (a pull_request key), filter=all&state=all.
    const issues = await c.streamPage(id, 'issues', {
      json: [
        { id: 1, number: 1347, title: 'Found a bug', state: 'open', updated_at: '2026-12-01T10:00:00Z' },
        { id: 2, number: 1348, title: 'Fix it', pull_request: { url: '…' }, updated_at: '2026-12-02T10:00:00Z' },
      ],
    });
    expect(Object.fromEntries(issues.query)).toMatchObject({
      filter: 'all',
      state: 'all',
      sort: 'updated',
      direction: 'asc',
      per_page: '100',
    });
  });

  it('streams: a sync reads every page by the link header, and issues incrementally with since', async () => {
    const id = await connected();
    const repo = (n: number) => ({ id: n, full_name: `octocat/repo-${n}` });
    c.vendor.on('GET /user/repos', (req: RecordedRequest) => {
      const page = new URL(req.url, c.vendor.url).searchParams.get('page') ?? '1';
      if (page === '1') {
        return { headers: { link: link({ next: '/user/repos?per_page=100&page=2' }) }, json: [repo(1), repo(2)] };
      }
      return { headers: { link: link({ prev: '/user/repos?per_page=100&page=1' }) }, json: [repo(3)] };
    });
    const source = createRestSource({
      call: c.t.built.proxy.call,
      tenantId: c.t.tenantId,
      connectionId: id,
      manifest: c.manifest,
    });
    const full = await drain(source, 'repositories', 'full');
    expect(full.error).toBeUndefined();
    expect(idsOf(full.records)).toEqual(['1', '2', '3']);

    c.vendor.on('GET /issues', { json: [{ id: 7, title: 'Later', updated_at: '2026-12-03T08:00:00Z' }] });
    const first = await drain(source, 'issues', 'incremental');
    expect(first.state).toMatchObject({ cursor: '2026-12-03T08:00:00Z' });
    await drain(source, 'issues', 'incremental', first.state);
    const since = c.requestsTo('GET /issues').at(-1);
    // Exclusive: the bound moves back a second, so an issue updated at the cursor itself is not missed.
    expect(new URL(since?.url ?? '', c.vendor.url).searchParams.get('since')).toBe('2026-12-03T07:59:59Z');
  });

  it('revocation: disconnect deletes the app token (HTTP Basic client id and secret, JSON access_token), 204', async () => {
    // https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token: DELETE
    // /applications/{client_id}/token, Basic auth with the OAuth app's client id and secret, body {access_token};
    // 204 No Content, 422 when the token is not valid.
    const { id, client } = await c.oauthConnection({
      access_token: 'gho_to_revoke',
      token_type: 'bearer',
      scope: ['repo'],
      extra: {},
    });
    c.vendor.on(`DELETE /applications/${client.client_id}/token`, { status: 204 });
    const { revocation } = await c.disconnect(id);
    expect(revocation).toMatchObject({ outcome: 'revoked' });
    const [sent] = c.requestsTo(`DELETE /applications/${client.client_id}/token`);
    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    expect(sent?.headers.authorization).toBe(`Basic ${basic}`);
    expect(JSON.parse(sent?.body.toString() ?? '{}')).toEqual({ access_token: 'gho_to_revoke' });
  });

  it('revocation: a 422 (token not valid) is not counted as revoked', async () => {
    const { id, client } = await c.oauthConnection({ access_token: 'gho_gone', token_type: 'bearer', extra: {} });
    c.vendor.on(`DELETE /applications/${client.client_id}/token`, githubError(422, 'Validation Failed'));
    const { revocation } = await c.disconnect(id);
    expect(revocation?.outcome).not.toBe('revoked');
  });

  it('webhooks: the source made for a connection accepts a GitHub-signed delivery and refuses a wrong signature', async () => {
    const id = await connected();
    const secret = 'It’s a Secret to Everybody';
    const { res, path } = await c.inboundSource(id, secret);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data.source).toMatchObject({ verification: { type: 'github' } });
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries: X-Hub-Signature-256 is
    // sha256=<hex HMAC-SHA256 of the body>; signed here by @octokit/webhooks-methods.
    const payload = JSON.stringify({ action: 'opened', issue: { id: 1, number: 1347 }, repository: { id: 1296269 } });
    const headers = {
      'x-github-event': 'issues',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    };
    const accepted = await c.deliver(path as string, payload, {
      ...headers,
      'x-hub-signature-256': await sign(secret, payload),
    });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const forged = await c.deliver(path as string, payload, {
      ...headers,
      'x-hub-signature-256': await sign('someone else', payload),
    });
    expect(forged.statusCode, forged.body).toBe(401);
  });
});
