import { describe, expect, it } from 'vitest';
import { authMethodSchema, type OAuth2Method } from '../../catalog/manifest/auth.js';
import fs from 'node:fs';
import path from 'node:path';
import { validateManifest } from '../../catalog/manifest/validate.js';
import { connectorsDir } from '../../core/paths.js';
import { revocationEndsGrant, revocationOf, revocationRequest, tokensOf } from './request.js';

// Which requests a manifest's revocation block makes (the HTTP side, through disconnect, is
// revocation-styles.test.ts), and what the manifest check refuses.

const oauth = (extra: Record<string, unknown>) =>
  authMethodSchema.parse({
    type: 'oauth2',
    authorization_url: 'https://id.example.com/authorize',
    token_url: 'https://id.example.com/token',
    ...extra,
  }) as OAuth2Method;
const client = { client_id: 'app-1', client_secret: 'app-secret' };
const grant = { access_token: 'at', refresh_token: 'rt' };

describe('the revocation block', () => {
  it('reads the older fields as the same block: RFC 7009 for both tokens, or the access token as bearer', () => {
    const legacy = oauth({
      revocation_url: 'https://id.example.com/revoke',
      revocation_auth: 'client_secret_basic',
      revocation_ends_grant: true,
    });
    const plan = revocationOf(legacy);
    expect(plan).toMatchObject({ style: 'rfc7009', client_auth: 'client_secret_basic', ends_grant: true });
    expect(tokensOf(plan!, grant).map((x) => x.hint)).toEqual(['refresh_token', 'access_token']);
    expect(revocationEndsGrant(legacy)).toBe(true);

    const bearer = revocationOf(oauth({ revocation_url: 'https://api.example.com/revoke', revocation_auth: 'bearer' }));
    expect(bearer).toMatchObject({ style: 'bearer', client_auth: 'none' });
    expect(tokensOf(bearer!, grant)).toEqual([{ token: 'at', hint: 'access_token' }]);
    expect(revocationOf(oauth({}))).toBeUndefined();
  });

  it('revokes the refresh token by default, the access token when the grant has none', () => {
    const plan = revocationOf(oauth({ revocation: { url: 'https://id.example.com/revoke' } }))!;
    expect(plan).toMatchObject({ style: 'rfc7009', client_auth: 'client_secret_post', method: 'POST' });
    expect(tokensOf(plan, grant)).toEqual([{ token: 'rt', hint: 'refresh_token' }]);
    expect(tokensOf(plan, { access_token: 'at' })).toEqual([{ token: 'at', hint: 'access_token' }]);
  });

  it('query style: token and extra fields in the URL, never the client secret; the config renders in', () => {
    const plan = revocationOf(
      oauth({ revocation: { style: 'query', url: 'https://accounts.{{config.dc}}/revoke', body: { kind: 'all' } } }),
    )!;
    const req = revocationRequest(plan, client, { dc: 'zoho.eu' }, { token: 'rt', hint: 'refresh_token' });
    expect(req.url.href).toBe('https://accounts.zoho.eu/revoke?kind=all&token=rt');
    expect(req.body).toBeUndefined();
    expect(JSON.stringify(req)).not.toContain('app-secret');
  });

  it('the manifest check refuses combinations a style cannot send, and templates naming what is not there', () => {
    const problems = (revocation: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      validateManifest(
        'xy.yaml',
        JSON.stringify({
          schema_version: 1,
          slug: 'xy',
          name: 'X',
          description: 'x',
          category: 'Generic',
          logo: { initials: 'X', color: '#112233' },
          auth: [
            {
              type: 'oauth2',
              authorization_url: 'https://id.example.com/a',
              token_url: 'https://id.example.com/t',
              revocation: { url: 'https://id.example.com/r', ...revocation },
              ...extra,
            },
          ],
        }),
      ).problems.map((p) => `${p.path}: ${p.problem}`);
    expect(problems({ style: 'form', param: null, body: { a: '{{client.client_id}}' } })).toEqual([]);
    expect(problems({ style: 'bearer', client_auth: 'client_secret_basic' })).toEqual([
      '/auth/0/revocation/client_auth: the bearer style authenticates with the token alone: none',
    ]);
    expect(problems({ style: 'bearer', body: { a: 'b' } })).toEqual([
      '/auth/0/revocation/body: the bearer style sends no body',
    ]);
    expect(problems({ style: 'query', client_auth: 'client_secret_post' })[0]).toMatch(/client secret in the URL/);
    expect(problems({ style: 'rfc7009', param: null })[0]).toMatch(/only form and json may send none/);
    expect(problems({ style: 'form', method: 'GET' })[0]).toMatch(/sends a body: POST or DELETE/);
    expect(problems({ body: { a: '{{client.client_secret}}' } })).toEqual([
      '/auth/0/revocation/body/a: {{client.client_secret}}: only {{client.client_id}} is available',
    ]);
    expect(problems({ body: { a: '{{config.nope}}' } })).toEqual([
      '/auth/0/revocation/body/a: {{config.nope}} names no field in "config"',
    ]);
    expect(problems({}, { revocation_url: 'https://id.example.com/r' })).toEqual([
      '/auth/0/revocation_url: give either revocation or revocation_url, not both',
    ]);
    expect(problems({ style: 'soap' })[0]).toMatch(/revocation\/style/);
  });

  it('the shipped Dropbox, Slack, Zoho and Stripe manifests revoke as their vendors document', () => {
    const planOf = (slug: string) => {
      const file = path.join(connectorsDir, `${slug}.yaml`);
      const { manifest } = validateManifest(`${slug}.yaml`, fs.readFileSync(file, 'utf8'));
      const method = manifest?.auth.find((a) => a.type === 'oauth2') as OAuth2Method;
      return revocationOf(method)!;
    };
    const request = (slug: string, config: Record<string, unknown> = {}) => {
      const plan = planOf(slug);
      const [token] = tokensOf(plan, grant);
      return revocationRequest(plan, client, config, token!);
    };
    const dropbox = request('dropbox');
    expect([dropbox.url.href, dropbox.headers.authorization, dropbox.body]).toEqual([
      'https://api.dropboxapi.com/2/auth/token/revoke',
      'Bearer at',
      undefined,
    ]);
    const slack = request('slack');
    expect(slack.headers.authorization).toBe('Bearer at');
    expect(planOf('slack').success).toEqual({ status: [200], json: { path: '$.revoked', equals: true } });
    expect(request('zoho_crm', { dc: 'zoho.eu' }).url.href).toBe(
      'https://accounts.zoho.eu/oauth/v2/token/revoke?token=rt',
    );
    const stripe = request('stripe', { stripe_account_id: 'acct_1' });
    expect(stripe.url.href).toBe('https://connect.stripe.com/oauth/deauthorize');
    expect(Object.fromEntries(new URLSearchParams(stripe.body?.toString()))).toEqual({
      client_id: 'app-1',
      stripe_user_id: 'acct_1',
      client_secret: 'app-secret',
    });
  });
});
