import { describe, expect, it } from 'vitest';
import { testManifest } from '../../../test/helpers/connectors.js';
import { ApiError } from '../../core/errors.js';
import { oauthMethodOf } from './input.js';
import { withTokenResponse } from './store.js';
import type { TokenSet } from '../protocol.js';

const manifest = testManifest({
  slug: 'token_fields',
  config: [
    { key: 'base_url', label: 'Base URL', type: 'url' },
    { key: 'instance_url', label: 'Instance URL', type: 'url', required: false },
  ],
  auth: [
    {
      type: 'oauth2',
      authorization_url: 'https://auth.example.test/authorize',
      token_url: 'https://auth.example.test/token',
      token_response_config: { instance_url: 'instance_url', nowhere: 'account' },
    },
  ],
});
const method = oauthMethodOf(manifest);
const tokens = (extra: Record<string, unknown>): TokenSet => ({ access_token: 'a', token_type: 'bearer', extra });

describe('token-response fields copied into the config', () => {
  it('copies what the manifest names into fields the form has, and nothing else', () => {
    const config = { base_url: 'https://api.example.test' };
    expect(
      withTokenResponse(manifest, method, config, tokens({ instance_url: 'https://eu7.example.test', account: 'x' })),
    ).toEqual({ base_url: 'https://api.example.test', instance_url: 'https://eu7.example.test' });
    // Absent or non-scalar: the config is left as it was.
    expect(withTokenResponse(manifest, method, config, tokens({ instance_url: { nested: true } }))).toEqual(config);
    expect(withTokenResponse(manifest, method, config, tokens({}))).toEqual(config);
  });

  it('refuses a value that would be read as a template (a planted secret reference)', () => {
    const planted = () =>
      withTokenResponse(manifest, method, {}, tokens({ instance_url: 'https://x.test/{{secrets.PROD_DB}}' }));
    expect(planted).toThrow(ApiError);
    expect(planted).toThrow(/not a value Switchyard can store/);
  });
});
