import type { ApiError } from '../core/errors.js';

/**
 * What went wrong, in words for an end user who has never heard of Switchyard: the test call's outcome or the
 * error's code becomes what to check or do next. The API's own `detail` goes beside it for the curious.
 */
const byOutcome: Record<string, string> = {
  credential_revoked:
    'The service did not accept these credentials. Check that you copied the whole key, that it belongs to the ' +
    'right account, and that it has not been deleted.',
  credential_expired: 'These credentials have expired. Create new ones in the service and try again.',
  scope_insufficient:
    'These credentials work, but lack a permission this app needs. Give the key the missing access (or use an ' +
    'administrator’s key) and try again.',
  vendor_error: 'The service had a problem answering just now. Wait a moment and try again.',
  network_error: 'The service could not be reached. Check the address you entered, or try again in a moment.',
};

const byCode: Record<string, string> = {
  oauth_refused: 'The sign-in was cancelled or refused, so nothing was connected. You can try again.',
  oauth_unavailable: 'The service’s sign-in could not be reached. Try again in a moment.',
  destination_blocked: 'That address is not allowed. Use the service’s public address.',
  validation_failed: 'Some fields are missing or not in the expected format. Check the highlighted fields.',
  connector_maintenance: 'This service is under maintenance. Try again later.',
  connect_session_invalid: 'This connect link can no longer be used. Go back to the app and start again.',
};

export function explain(error: ApiError): string {
  const outcome = (error.extensions.outcome as { outcome?: string } | undefined)?.outcome;
  return (
    (outcome && byOutcome[outcome]) ||
    byCode[error.code] ||
    'Something went wrong while connecting. Try again, and contact the app’s support if it keeps happening.'
  );
}
