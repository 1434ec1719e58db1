import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';
import type { Keyring } from '../vault/keyring.js';
import { derivedKeys } from '../vault/derive.js';

/**
 * Expiring links to one version of a file, like an S3 presigned URL: `/files/shared/<token>`, where the token is
 * the tenant, file, version and expiry with an HMAC-SHA256 over them, under a key derived from the master key. No
 * row is stored: a link cannot be listed or revoked one by one (deleting the file, or rotating the master key once
 * the old key is dropped, ends them all), so links are short (at most 7 days).
 */
export type LinkClaims = { tenantId: string; fileId: string; version: number; expiresAt: Date };

export const LINK_PATH = '/files/shared/';
const PURPOSE = 'files/links';

const b64 = (buffer: Buffer) => buffer.toString('base64url');

function payloadOf(c: LinkClaims): string {
  return b64(Buffer.from(JSON.stringify([c.tenantId, c.fileId, c.version, Math.floor(c.expiresAt.getTime() / 1000)])));
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

export function createLinkSigner(deps: { keyring: () => Keyring; clock: Clock }) {
  const keys = () => derivedKeys(deps.keyring(), PURPOSE);

  return {
    /** The link's path (to put after the public URL). */
    sign(claims: LinkClaims): string {
      const payload = payloadOf(claims);
      return `${LINK_PATH}${payload}.${b64(sign(keys()[0] as Buffer, payload))}`;
    },

    /** The claims of a token, checked: 404 `not_found` unless signed by us, 410 `link_expired` past its expiry. */
    verify(token: string): LinkClaims {
      const notFound = () => new ApiError('not_found', 'No shared file has this link.');
      const [payload, signature, ...rest] = token.split('.');
      if (!payload || !signature || rest.length > 0 || token.length > 1000) throw notFound();
      const given = Buffer.from(signature, 'base64url');
      const valid = keys().some((key) => {
        const expected = sign(key, payload);
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
      if (!valid) throw notFound();
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw notFound();
      }
      if (!Array.isArray(claims) || claims.length !== 4) throw notFound();
      const [tenantId, fileId, version, expiry] = claims as [string, string, number, number];
      const expiresAt = new Date(expiry * 1000);
      if (expiresAt.getTime() <= deps.clock.now().getTime()) {
        throw new ApiError('link_expired', `This link expired at ${expiresAt.toISOString()}; ask for a new one.`);
      }
      return { tenantId, fileId, version, expiresAt };
    },
  };
}

export type LinkSigner = ReturnType<typeof createLinkSigner>;
