import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectVendorSaw, startSdkProxy, type SdkSetup } from './harness.js';

// Octokit pointed at the proxy (the recipe in the README, "Vendor SDKs through the proxy"), against a fake that
// answers as GitHub documents. Octokit sends its credential as `Authorization: token <t>`, which Switchyard
// accepts like Bearer.

/** The README's recipe: the proxy is Octokit's base URL, the Switchyard key its auth. */
const octokitThroughSwitchyard = (switchyardUrl: string, connectionId: string, switchyardKey: string) =>
  new Octokit({ auth: switchyardKey, baseUrl: `${switchyardUrl}/v1/connections/${connectionId}/proxy` });

const PAT = 'github_pat_11AAAAAAA0VendorTokenHeldBySwitchyard_abcdefghijklmnopqrstuvwxyz0123456789';

let s: SdkSetup;
let octokit: Octokit;
beforeAll(async () => {
  s = await startSdkProxy('github', { auth_method: 'bearer', credentials: { token: PAT } });
  octokit = octokitThroughSwitchyard(s.url, s.address, s.token);

  // https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user, paged by the link
  // header (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api), its URLs GitHub's.
  const repos = [1, 2, 3, 4, 5].map((n) => ({ id: n, name: `repo-${n}`, full_name: `octocat/repo-${n}` }));
  s.vendor.on('GET /user/repos', (req) => {
    const q = new URL(req.url, s.vendor.url).searchParams;
    const perPage = Number(q.get('per_page') ?? 30);
    const page = Number(q.get('page') ?? 1);
    const last = Math.ceil(repos.length / perPage);
    const at = (p: number) => `<${s.vendor.url}/user/repos?per_page=${perPage}&page=${p}>`;
    const link = [
      ...(page < last ? [`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`] : []),
      ...(page > 1 ? [`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`] : []),
    ].join(', ');
    return {
      headers: { ...(link ? { link } : {}), 'x-ratelimit-remaining': '4990', 'x-ratelimit-limit': '5000' },
      json: repos.slice((page - 1) * perPage, page * perPage),
    };
  });
  // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
  s.vendor.on('GET /user', { json: { login: 'octocat', id: 1, type: 'User' } });
  // https://docs.github.com/en/rest/issues/issues#create-an-issue: 201 with the Issue.
  s.vendor.on('POST /repos/octocat/hello-world/issues', (req) => {
    const body = JSON.parse(req.body.toString()) as { title: string; body?: string; labels?: string[] };
    return {
      status: 201,
      json: { id: 1, number: 1347, state: 'open', title: body.title, body: body.body, labels: body.labels ?? [] },
    };
  });
  // https://docs.github.com/en/rest/repos/contents#get-repository-content: with the raw media type, the file itself.
  s.vendor.on('GET /repos/octocat/hello-world/contents/README.md', (req) =>
    String(req.headers.accept).includes('raw')
      ? { headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' }, body: '# Hello World\n' }
      : { json: { type: 'file', encoding: 'base64', content: Buffer.from('# Hello World\n').toString('base64') } },
  );
  // A repository the token cannot see: 404 {"message": "Not Found", "documentation_url": …}
  // (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
  s.vendor.on('GET /repos/octocat/secret', {
    status: 404,
    json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository' },
  });
});
afterAll(() => s.close());

const sinceNow = () => s.vendor.requests.length;

describe('Octokit through the proxy', () => {
  it('paginates by the link header, every page through the proxy; GitHub gets the PAT and the API version', async () => {
    const from = sinceNow();
    const repos = await octokit.paginate(octokit.rest.repos.listForAuthenticatedUser, { per_page: 2 });
    expect(repos.map((r) => r.full_name)).toEqual([1, 2, 3, 4, 5].map((n) => `octocat/repo-${n}`));
    const seen = s.received(from);
    expect(seen.map((r) => r.url)).toEqual([
      '/user/repos?per_page=2',
      '/user/repos?per_page=2&page=2',
      '/user/repos?per_page=2&page=3',
    ]);
    expectVendorSaw(seen, `Bearer ${PAT}`, s.token);
    for (const r of seen) {
      expect(r.headers['x-github-api-version']).toBe('2022-11-28');
      // Octokit's own Accept and User-Agent go through: the manifest does not fix Accept.
      expect(r.headers.accept).toBe('application/vnd.github.v3+json');
      expect(r.headers['user-agent']).toMatch(/^octokit-rest\.js\//);
    }
  });

  it('GitHub’s rate-limit headers reach Octokit as GitHub sent them (Switchyard’s own of the same name give way)', async () => {
    const { headers } = await octokit.rest.repos.listForAuthenticatedUser({ per_page: 2 });
    expect(headers).toMatchObject({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4990' });
    expect(headers.link).toContain(`<${s.proxyUrl}/user/repos?per_page=2&page=2>; rel="next"`);
  });

  it('creates an issue with a JSON POST', async () => {
    const from = sinceNow();
    const { status, data } = await octokit.rest.issues.create({
      owner: 'octocat',
      repo: 'hello-world',
      title: 'Found a bug',
      body: 'Through Switchyard',
      labels: ['bug'],
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({ number: 1347, title: 'Found a bug', state: 'open' });
    const seen = s.received(from);
    expectVendorSaw(seen, `Bearer ${PAT}`, s.token);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(seen[0]?.body.toString() ?? '')).toEqual({
      title: 'Found a bug',
      body: 'Through Switchyard',
      labels: ['bug'],
    });
  });

  it('asks for a media type per call (Accept is the caller’s, not a constant header)', async () => {
    const from = sinceNow();
    const { data } = await octokit.rest.repos.getContent({
      owner: 'octocat',
      repo: 'hello-world',
      path: 'README.md',
      mediaType: { format: 'raw' },
    });
    expect(data).toBe('# Hello World\n');
    expect(s.received(from)[0]?.headers.accept).toBe('application/vnd.github.v3.raw');
  });

  it('a vendor error is Octokit’s RequestError with GitHub’s status and message', async () => {
    const error = await octokit.rest.repos.get({ owner: 'octocat', repo: 'secret' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'HttpError',
      status: 404,
      message: 'Not Found - https://docs.github.com/rest/repos/repos#get-a-repository',
      response: { data: { message: 'Not Found' } },
    });
  });

  it('Switchyard-Required-Scopes: a call needing a scope the grant lacks is refused at the call site, 403 scope_insufficient', async () => {
    // An OAuth app connection granted read:user only.
    const id = await s.addConnection({ oauth: { access_token: 'gho_VendorOAuthToken', scopes: ['read:user'] } });
    const oauthOctokit = octokitThroughSwitchyard(s.url, id, s.token);
    const from = sinceNow();
    const refused = await oauthOctokit.rest.repos
      .listForAuthenticatedUser({ headers: { 'switchyard-required-scopes': 'repo read:user' } })
      .catch((e: unknown) => e);
    // Octokit's RequestError (name HttpError), as for any status GitHub could give.
    expect(refused).toMatchObject({ name: 'HttpError', status: 403 });
    const { response } = refused as { response?: { headers: Record<string, string>; data: unknown } };
    // Octokit parses application/json only: Switchyard's problem document (application/problem+json) is its text.
    expect(response?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response?.data as string)).toMatchObject({
      code: 'scope_insufficient',
      missing_scopes: ['repo'],
      granted_scopes: ['read:user'],
      reauthorize_url: `/v1/connections/${id}/reauthorize`,
    });
    expect(s.received(from)).toEqual([]);

    // With the scopes the grant has, the call goes, and the instruction stays behind.
    const { data } = await oauthOctokit.rest.users.getAuthenticated({
      headers: { 'switchyard-required-scopes': 'read:user' },
    });
    expect(data).toMatchObject({ login: 'octocat' });
    expectVendorSaw(s.received(from), 'Bearer gho_VendorOAuthToken', s.token);
  });
});
