import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { ApiError } from '../core/errors.js';
import type { Keyring } from '../vault/keyring.js';
import { derivedKeys } from '../vault/derive.js';

/**
 * Expiring links to one version of a file, like an S3 presigned URL: `/files/shared/<token>`, where the token is
 * the file, version and expiry with an HMAC-SHA256 over them and the file's tenant, under a key derived from the
 * master key. No
 * row is stored: a link cannot be listed or revoked one by one (deleting the file, or rotating the master key once
 * the old key is dropped, ends them all), so links are short (at most 7 days).
 */
export type LinkClaims = { tenantId: string; fileId: string; version: number; expiresAt: Date };

export const LINK_PATH = '/files/shared/';
const PURPOSE = 'files/links';

/** Truncated to 128 bits: the token must fit in one path segment (the router's limit is 100 characters). */
const SIGNATURE_BYTES = 16;

const signed = (c: LinkClaims) => `${c.tenantId}|${c.fileId}|${c.version}|${Math.floor(c.expiresAt.getTime() / 1000)}`;

const mac = (key: Buffer, claims: LinkClaims) =>
  createHmac('sha256', key).update(signed(claims)).digest().subarray(0, SIGNATURE_BYTES);

/** A token's parts before its tenant is known (the file names it): `<file id>.<version>.<expiry>.<signature>`. */
export type ParsedLink = { fileId: string; version: number; expiresAt: Date; signature: Buffer };

export function createLinkSigner(deps: { keyring: () => Keyring; clock: Clock }) {
  const keys = () => derivedKeys(deps.keyring(), PURPOSE);
  const notFound = () => new ApiError('not_found', 'No shared file has this link.');

  return {
    /** The link's path (to put after the public URL). */
    sign(claims: LinkClaims): string {
      const expiry = Math.floor(claims.expiresAt.getTime() / 1000).toString(36);
      const signature = mac(keys()[0] as Buffer, claims).toString('base64url');
      return `${LINK_PATH}${claims.fileId}.${claims.version}.${expiry}.${signature}`;
    },

    /** A token's parts, or 404 when it is not shaped like one of ours. */
    parse(token: string): ParsedLink {
      const match = /^([\w-]{1,60})\.(\d{1,9})\.([0-9a-z]{1,9})\.([\w-]{22})$/.exec(token);
      if (!match) throw notFound();
      const [, fileId, version, expiry, signature] = match as unknown as [string, string, string, string, string];
      return {
        fileId,
        version: Number(version),
        expiresAt: new Date(parseInt(expiry, 36) * 1000),
        signature: Buffer.from(signature, 'base64url'),
      };
    },

    /** Check a parsed token against the tenant of its file: 404 unless we signed it, 410 past its expiry. */
    verify(link: ParsedLink, tenantId: string): LinkClaims {
      const claims = { tenantId, fileId: link.fileId, version: link.version, expiresAt: link.expiresAt };
      const valid = keys().some((key) => {
        const expected = mac(key, claims);
        return link.signature.length === expected.length && timingSafeEqual(link.signature, expected);
      });
      if (!valid) throw notFound();
      if (link.expiresAt.getTime() <= deps.clock.now().getTime()) {
        throw new ApiError('link_expired', `This link expired at ${link.expiresAt.toISOString()}; ask for a new one.`);
      }
      return claims;
    },
  };
}

export type LinkSigner = ReturnType<typeof createLinkSigner>;
