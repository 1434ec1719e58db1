import type { ErrorCode } from '../errors.js';
import type { BlockedRange } from './ip-ranges.js';

// The guard's refusal, apart from the guard (ssrf.ts) and its undici dispatcher: what only reads a refusal
// (request-failure.ts, and the CLI through it) does not load undici.

/**
 * The destination resolves to (or is) an address outside the public internet. `code` is the catalogue code
 * callers answer with: `new ApiError(error.code, error.message)`. The message names the range but not the address,
 * so that it can be shown to a tenant without revealing internal DNS records; log `address` instead.
 */
export class BlockedAddressError extends Error {
  readonly code = 'destination_blocked' satisfies ErrorCode;
  readonly range: string;
  readonly rangeName: string;
  constructor(
    readonly host: string,
    readonly address: string,
    blocked: BlockedRange,
  ) {
    const subject = host === address ? `${host} is` : `"${host}" resolves to`;
    const carrier = blocked.embedded ? `${blocked.embedded.carrier} carrying ` : '';
    super(`${subject} a non-public address: ${carrier}${blocked.cidr}, ${blocked.name}${allowHint(blocked.cidr)}`);
    this.name = 'BlockedAddressError';
    this.range = blocked.cidr;
    this.rangeName = blocked.name;
  }
}

/**
 * How to let such an address through, in every refusal: a local trial (a test API on loopback) is the common case,
 * and the setting's name is what the person reading the refusal needs.
 */
const allowHint = (cidr: string) =>
  ` (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. ${cidr} for a local trial)`;
