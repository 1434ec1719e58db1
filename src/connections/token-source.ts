import { ApiError } from '../core/errors.js';
import type { TestOutcome } from './test-call.js';

/*
 * How connections get OAuth access tokens without knowing OAuth: the refresher in oauth/ implements TokenSource and
 * the server hands it to the proxy and the test call.
 */

/** A usable access token, and which stored version of the credential it is. */
export type AccessToken = {
  access_token: string;
  credential_id: string;
  /** The credential row's `updated_at` (ms): names this token when the vendor rejects it. */
  version: number;
  expires_at: Date | null;
  /** The scopes this credential was granted (the vendor's answer, or those requested when it did not say). */
  scopes: string[];
};

/** What asked for a refresh; reported in `connection.credentials_refreshed`. */
export type RefreshTrigger = 'expiry' | 'rejected' | 'manual' | 'background' | 'idle';

export type FreshTokenOptions = {
  /** Refresh even when the token is not due (manual and idle refresh). */
  force?: boolean;
  /**
   * The vendor refused the token of this version (a 401): refresh — unless it was replaced since, or was itself
   * obtained moments ago (a vendor that refuses a fresh token would refuse the next one too).
   */
  rejected?: number;
  trigger?: RefreshTrigger;
};

export type TokenSource = {
  /** A usable access token for the connection (the user's, on a user-level one), refreshed first when due. */
  freshAccessToken(
    tenantId: string,
    connectionId: string,
    userId: string | null,
    options?: FreshTokenOptions,
  ): Promise<AccessToken>;
};

/** No usable token could be had: the proxy answers the error as it is, the test call reports its outcome. */
export abstract class TokenUnavailableError extends ApiError {
  /** The failure as a test-call outcome (seed 003's vocabulary). */
  abstract outcome(): TestOutcome;
}
