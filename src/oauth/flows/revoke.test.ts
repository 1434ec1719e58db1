import { describe, expect, it } from 'vitest';
import type { OAuth2Method } from '../../catalog/manifest/auth.js';
import { revokeExchanged, revokeReplaced } from './revoke.js';
import type { GrantTokens, RevocationReport } from '../revoke/revoke.js';

// Which grants a re-authorization or a failed callback sends for revocation (which of their tokens go out is
// revocation.test.ts) (the HTTP side is tested end to end in
// reauthorize-flow.test.ts against the real authorization server).

function recorder() {
  const sent: GrantTokens[][] = [];
  const deps = {
    revoker: {
      async revokeTokens(_target: unknown, grants: GrantTokens[]): Promise<RevocationReport> {
        sent.push(grants.map((g) => ({ access_token: g.access_token, refresh_token: g.refresh_token })));
        return { outcome: 'revoked', tokens: grants.length, revoked: grants.length };
      },
    },
  };
  return { deps, sent };
}

const target = { tenantId: 't', connectorSlug: 'c', config: {}, subject: 'conn_1' };
const method = { revocation_ends_grant: false } as OAuth2Method;
const old = { access_token: 'a-1', refresh_token: 'r-1', token_type: 'bearer' };
const set = (access: string, refresh?: string) => ({
  access_token: access,
  ...(refresh ? { refresh_token: refresh } : {}),
  token_type: 'bearer',
  extra: {},
});

describe('revoking replaced and exchanged tokens', () => {
  it('revokes the replaced grant when the vendor issued a new refresh token', async () => {
    const { deps, sent } = recorder();
    expect(await revokeReplaced(deps, target, method, old, set('a-2', 'r-2'))).toMatchObject({ outcome: 'revoked' });
    expect(sent).toEqual([[{ access_token: 'a-1', refresh_token: 'r-1' }]]);
  });

  it('revokes nothing when the refresh token is the same, or none came (the held one is kept)', async () => {
    const { deps, sent } = recorder();
    expect(await revokeReplaced(deps, target, method, old, set('a-2', 'r-1'))).toMatchObject({ outcome: 'skipped' });
    expect(await revokeReplaced(deps, target, method, old, set('a-2'))).toMatchObject({ outcome: 'skipped' });
    expect(await revokeExchanged(deps, target, method, old, set('a-2', 'r-1'))).toMatchObject({ outcome: 'skipped' });
    expect(sent).toEqual([]);
  });

  it('revokes a replaced access token when the vendor issues no refresh tokens at all', async () => {
    const { deps, sent } = recorder();
    const held = { access_token: 'a-1', token_type: 'bearer' };
    await revokeReplaced(deps, target, method, held, set('a-2'));
    expect(sent).toEqual([[{ access_token: 'a-1', refresh_token: undefined }]]);
  });

  it('revokes nothing where revoking one token ends the whole grant', async () => {
    const { deps, sent } = recorder();
    const grantWide = { revocation_ends_grant: true } as OAuth2Method;
    expect(await revokeReplaced(deps, target, grantWide, old, set('a-2', 'r-2'))).toMatchObject({ outcome: 'skipped' });
    expect(await revokeExchanged(deps, target, grantWide, undefined, set('a-2', 'r-2'))).toMatchObject({
      outcome: 'skipped',
    });
    expect(sent).toEqual([]);
  });

  it('a failed new connection revokes the grant it exchanged', async () => {
    const { deps, sent } = recorder();
    await revokeExchanged(deps, target, method, undefined, set('a-9', 'r-9'));
    expect(sent).toEqual([[{ access_token: 'a-9', refresh_token: 'r-9' }]]);
  });
});
