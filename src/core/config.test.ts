import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configVariables, loadConfig } from './config.js';

describe('configuration', () => {
  it('documents every variable it reads in the README configuration table', () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...configVariables].sort());
  });

  it('defaults the proxy body limit and request-log retention, and reads them when set', () => {
    expect(loadConfig({})).toMatchObject({ proxyBodyLimit: 10 * 1024 * 1024, requestLogRetentionMs: 30 * 86_400_000 });
    expect(loadConfig({ SWITCHYARD_PROXY_BODY_LIMIT: '2048', SWITCHYARD_REQUEST_LOG_RETENTION: '12h' })).toMatchObject({
      proxyBodyLimit: 2048,
      requestLogRetentionMs: 12 * 3_600_000,
    });
  });

  it('reads the OAuth refresh timeout (30 s by default)', () => {
    expect(loadConfig({}).oauthRefreshTimeoutMs).toBe(30_000);
    expect(loadConfig({ SWITCHYARD_OAUTH_REFRESH_TIMEOUT: '2m' }).oauthRefreshTimeoutMs).toBe(120_000);
    expect(() => loadConfig({ SWITCHYARD_OAUTH_REFRESH_TIMEOUT: '0s' })).toThrow(/SWITCHYARD_OAUTH_REFRESH_TIMEOUT/);
  });

  it('lists every bad value at once', () => {
    expect(() =>
      loadConfig({ SWITCHYARD_PROXY_BODY_LIMIT: 'lots', SWITCHYARD_REQUEST_LOG_RETENTION: 'forever' }),
    ).toThrow(/SWITCHYARD_PROXY_BODY_LIMIT[\s\S]*SWITCHYARD_REQUEST_LOG_RETENTION/);
  });
});
