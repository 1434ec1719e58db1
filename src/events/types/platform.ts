/**
 * The event types Switchyard itself publishes (`publishEvent(` in src). They are listed beside tenant types as
 * built-in and read-only; a tenant can neither define nor publish them.
 */
export const platformEventTypes: Readonly<Record<string, string>> = {
  'connection.created': 'A connection was created (tested, or saved inactive)',
  'connection.auth_failed':
    'An attempt to connect an account failed (consent denied, the test call failed, a connect session’s attempt); ' +
    'the error and, for a connect session, the end user are in the payload',
  'connection.state_changed': 'A connection moved to another state (active, paused, auth_expired, …)',
  'connection.tested': 'A connection test ran; the outcome is in the payload',
  'connection.updated': 'A connection’s name, config or credentials were changed',
  'connection.deleted': 'A connection was disconnected and deleted',
  'connection.scopes_changed': 'A re-authorization granted a different set of OAuth scopes',
  'connection.scopes_missing': 'The vendor granted fewer OAuth scopes than were asked for (partial consent)',
  'connection.credentials_refreshed': 'OAuth tokens of a connection were refreshed',
  'connection.user_connected': 'A user connected their own account to a user-level connection',
  'endpoint.disabled': 'A webhook endpoint was disabled: it answered 410 Gone, or did nothing but fail for too long',
  'endpoint.recovered': 'A webhook endpoint whose circuit breaker had opened delivered successfully again',
  'delivery.exhausted': 'A webhook delivery failed every attempt of its retry schedule',
  'sync.execution.started': 'A sync run started (or resumed on another node after its own stopped)',
  'sync.execution.succeeded': 'A sync run finished: every stream read and written',
  'sync.execution.partially_succeeded': 'A sync run finished with rejected records or a failed stream',
  'sync.execution.failed': 'A sync run failed; the reason and its code are in the payload',
  'sync.execution.cancelled': 'A sync run was cancelled',
};

export function isPlatformEventType(name: string): boolean {
  return Object.hasOwn(platformEventTypes, name);
}
