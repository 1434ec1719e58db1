import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, call, SwitchyardError, type Schemas } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys, inboundKeys, isConnectionKey, syncKeys } from '../../query-keys.js';
import { Badge, ConfirmDialog, ErrorState, formatTime, Loading } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { useNotify } from '../../ui/notify.js';

export type Connection = Schemas['Connection'];
export type ConnectorSummary = Schemas['ConnectorSummary'];
export type ConnectorDetail = Schemas['ConnectorDetail'];
export type FormField = Schemas['ConnectorFormField'];
export type TestOutcome = Schemas['TestOutcome'];
export type AuthMethod = ConnectorSummary['auth_methods'][number];
export type ConnectionState = Connection['state'];

export const connectionStates: ConnectionState[] = [
  'active',
  'inactive',
  'testing',
  'paused',
  'auth_expired',
  'auth_revoked',
  'error',
];

export const authMethodLabels: Record<AuthMethod, string> = {
  api_key: 'API key',
  basic: 'Username and password',
  bearer: 'Bearer token',
  jwt: 'Signed JWT',
  hmac: 'HMAC signing',
  aws_sigv4: 'AWS access keys',
  azure_shared_key: 'Azure account key',
  azure_sas: 'Azure SAS token',
  custom_headers: 'Custom headers',
  mtls: 'Client certificate',
  oauth2: 'OAuth 2.0',
  connection_string: 'Connection string',
  none: 'No authentication',
};

export const outcomeLabels: Record<TestOutcome['outcome'], string> = {
  connected: 'Connected',
  connected_limited: 'Connected, with limited access',
  unverified: 'Connected, not verified: this vendor cannot check credentials',
  credential_expired: 'Credentials expired',
  credential_revoked: 'Credentials revoked or wrong',
  scope_insufficient: 'Missing permissions (scopes)',
  vendor_error: 'The vendor answered with an error',
  network_error: 'The vendor could not be reached',
};

/** A connection whose connector only receives webhooks (nothing to call: no test call, no playground). */
export const receivesOnly = (c: Connection): boolean => c.webhooks?.receive_only === true;

/**
 * A receive-only connection is not "connected" by being saved: until one of its sources accepts a request, nothing
 * has shown that the sender reaches the URL and signs with the secret.
 */
export const waitingForFirstEvent = (c: Connection): boolean =>
  receivesOnly(c) && c.state === 'active' && c.webhooks?.last_event_at === null;

/** The connection's state as a badge; a receive-only connection says it waits for its first event instead. */
export function StateBadge({ connection: c }: { connection: Connection }) {
  if (waitingForFirstEvent(c)) return <Badge value="waiting" label="Waiting for the first event" />;
  if (receivesOnly(c) && c.state === 'active') return <Badge value="active" label="Receiving" />;
  return <Badge value={c.state} />;
}

/** The test outcome a `connection_test_failed` problem carries, when it does. */
export function problemOutcome(error: unknown): TestOutcome | undefined {
  if (!(error instanceof SwitchyardError)) return undefined;
  const outcome = (error.problem as Record<string, unknown>).outcome;
  if (outcome && typeof outcome === 'object' && 'outcome' in outcome) return outcome as TestOutcome;
  return undefined;
}

/** Outcomes after which the connection is active; the limited and unverified ones say what was not confirmed. */
export function isConnected(outcome: TestOutcome | null | undefined): boolean {
  return (
    outcome?.outcome === 'connected' || outcome?.outcome === 'connected_limited' || outcome?.outcome === 'unverified'
  );
}

/** A successful test in words, saying plainly when access is limited or the credential could not be checked. */
export function connectedText(name: string, outcome: TestOutcome | null | undefined): string {
  if (outcome?.outcome === 'connected_limited') return `${name} is connected, with limited access: ${outcome.message}`;
  if (outcome?.outcome === 'unverified') return `${name} is connected but not verified: ${outcome.message}`;
  return `${name} is connected.`;
}

const messageLabels: Partial<Record<TestOutcome['outcome'], string>> = {
  connected_limited: 'What the vendor said',
  unverified: 'Why',
};

/** What the last (or a just-run) test call found, with the vendor's own message. */
export function OutcomeSummary({ outcome, at }: { outcome: TestOutcome; at?: string | null }) {
  const tone =
    outcome.outcome === 'connected' ? 'callout-good' : isConnected(outcome) ? 'callout-warn' : 'callout-error';
  return (
    <div className={`callout ${tone}`} data-testid="test-outcome">
      <strong>{outcomeLabels[outcome.outcome]}</strong>
      {at && <span className="small"> · {formatTime(at)}</span>}
      <ul className="outcome-facts small">
        {outcome.status !== undefined && outcome.status !== null && <li>HTTP status {outcome.status}</li>}
        {outcome.account_name && <li>Account: {outcome.account_name}</li>}
        {outcome.account_id && (
          <li>
            Account id: <code>{outcome.account_id}</code>
          </li>
        )}
        {outcome.vendor_code && (
          <li>
            Vendor code: <code>{outcome.vendor_code}</code>
          </li>
        )}
        {outcome.missing_scopes && outcome.missing_scopes.length > 0 && (
          <li>Missing scopes: {outcome.missing_scopes.join(', ')}</li>
        )}
        {outcome.message && (
          <li>
            {messageLabels[outcome.outcome] ?? 'Message'}: {outcome.message}
          </li>
        )}
      </ul>
    </div>
  );
}

type OAuthResult = { status: 'connected' | 'error'; connection_id?: string; code?: string };

/**
 * Runs an OAuth authorization in a new window. The callback page tells its opener how it ended (postMessage to this
 * origin) and closes itself on success; a window closed by the user is noticed by polling. Either way the
 * connection queries are refreshed and `onDone` hears the result.
 */
export function useOAuthWindow(onDone: (result: OAuthResult | undefined) => void) {
  const client = useQueryClient();
  const notify = useNotify();
  const [waiting, setWaiting] = useState(false);
  const popup = useRef<Window | null>(null);
  const result = useRef<OAuthResult | undefined>(undefined);
  const done = useRef(onDone);
  const grace = useRef<number | undefined>(undefined);
  done.current = onDone;

  const finish = useCallback(async () => {
    if (!popup.current) return;
    popup.current = null;
    window.clearTimeout(grace.current);
    grace.current = undefined;
    setWaiting(false);
    await client.invalidateQueries({ queryKey: connectionKeys.all });
    const r = result.current;
    if (r?.status === 'connected') notify('success', 'The account is connected.');
    else if (r?.status === 'error') notify('error', 'The authorization did not complete; see the window for why.');
    done.current(r);
  }, [client, notify]);

  useEffect(() => {
    if (!waiting) return;
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin) return;
      const data = event.data as { type?: string } & OAuthResult;
      if (data?.type !== 'switchyard.oauth') return;
      result.current = { status: data.status, ...(data.connection_id ? { connection_id: data.connection_id } : {}) };
      if (data.status === 'connected') void finish();
    };
    // The callback page posts its result, then closes: the close can be seen before the message arrives (another
    // process), so a closed window is given a moment for a message already sent.
    const closed = () => {
      if (!popup.current?.closed || grace.current !== undefined) return;
      grace.current = window.setTimeout(() => {
        grace.current = undefined;
        void finish();
      }, 400);
    };
    const timer = window.setInterval(closed, 500);
    const onFocus = closed;
    window.addEventListener('message', onMessage);
    window.addEventListener('focus', onFocus);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('message', onMessage);
      window.removeEventListener('focus', onFocus);
    };
  }, [waiting, finish]);

  return {
    waiting,
    /** Open the vendor's authorization page; false when the browser blocked the window. */
    open(url: string): boolean {
      result.current = undefined;
      window.clearTimeout(grace.current);
      grace.current = undefined;
      const opened = window.open(url, 'switchyard-oauth', 'popup,width=620,height=760');
      if (!opened) {
        notify('error', 'The browser blocked the authorization window. Allow pop-ups for this site and try again.');
        return false;
      }
      popup.current = opened;
      setWaiting(true);
      return true;
    },
  };
}

/** The writes a connection offers, each refreshing the section's queries and saying what happened. */
export function useConnectionActions(connection: Connection, options: { onDeleted?: () => void } = {}) {
  const params = { params: { path: { id: connection.id } } };
  const invalidate = [connectionKeys.all];
  const test = useWrite({
    run: () => call(api.POST('/v1/connections/{id}/test', params)),
    success: (c) =>
      isConnected(c.last_test_outcome)
        ? `Test passed: ${connectedText(c.name, c.last_test_outcome)}`
        : `Test failed: ${c.last_test_outcome ? outcomeLabels[c.last_test_outcome.outcome] : c.state}${
            c.last_test_outcome?.message ? ` — ${c.last_test_outcome.message}` : ''
          }`,
    invalidate,
  });
  const pause = useWrite({
    run: () => call(api.POST('/v1/connections/{id}/pause', params)),
    success: (c) => `${c.name} is paused.`,
    invalidate,
  });
  const resume = useWrite({
    run: () => call(api.POST('/v1/connections/{id}/resume', params)),
    success: (c) =>
      c.state === 'active' ? `${c.name} is active again.` : `${c.name} is ${c.state.replace('_', ' ')}.`,
    invalidate,
  });
  const client = useQueryClient();
  const disconnect = useWrite({
    run: () => call(api.DELETE('/v1/connections/{id}', params)),
    success: `${connection.name} is disconnected.`,
    onSuccess: () => {
      // The connection's own queries would only answer 404 now: drop them, refresh the lists.
      const own = (key: readonly unknown[]) => isConnectionKey(key, connection.id);
      options.onDeleted?.();
      void client.cancelQueries({ predicate: (q) => own(q.queryKey) });
      client.removeQueries({ predicate: (q) => own(q.queryKey) });
      void client.invalidateQueries({ queryKey: connectionKeys.all, predicate: (q) => !own(q.queryKey) });
      // Its sync configurations and its inbound sources (with their event logs) went with it.
      void client.invalidateQueries({ queryKey: syncKeys.all });
      void client.invalidateQueries({ queryKey: inboundKeys.all });
    },
  });
  const oauth = useOAuthWindow(() => undefined);
  const reauthorize = useWrite({
    run: () => call(api.POST('/v1/connections/{id}/reauthorize', { ...params, body: {} })),
    onSuccess: (flow) => oauth.open(flow.authorization_url),
  });
  const connectMine = useWrite({
    run: () => call(api.POST('/v1/connections/{id}/connect', { ...params, body: {} })),
    onSuccess: (flow) => oauth.open(flow.authorization_url),
  });
  return { test, pause, resume, disconnect, reauthorize, connectMine, oauthWaiting: oauth.waiting };
}

/**
 * The row / page actions of a connection, each only when the role holds its capability (a Viewer sees none).
 * `onEdit` opens the edit dialog where the page has one.
 */
export function ConnectionActions({
  connection,
  onEdit,
  onDeleted,
  compact,
}: {
  connection: Connection;
  onEdit?: () => void;
  onDeleted?: () => void;
  compact?: boolean;
}) {
  const { can } = useSession();
  const actions = useConnectionActions(connection, onDeleted ? { onDeleted } : {});
  const [confirming, setConfirming] = useState(false);
  const size = compact ? 'button button-small' : 'button';
  const isOAuth = connection.auth_method === 'oauth2';
  const paused = connection.state === 'paused';
  const label = connection.name;
  return (
    <div className="row connection-actions">
      {can('test_connection') && !receivesOnly(connection) && (
        <button
          type="button"
          className={size}
          disabled={actions.test.isPending || paused}
          title={paused ? 'Resume the connection to test it' : undefined}
          aria-label={compact ? `Test ${label}` : undefined}
          onClick={() => actions.test.mutate(undefined)}
        >
          {actions.test.isPending ? 'Testing…' : 'Test'}
        </button>
      )}
      {can('edit_connection') && onEdit && (
        <button type="button" className={size} aria-label={compact ? `Edit ${label}` : undefined} onClick={onEdit}>
          Edit
        </button>
      )}
      {can('pause_resume') &&
        (paused ? (
          <button
            type="button"
            className={size}
            disabled={actions.resume.isPending}
            aria-label={compact ? `Resume ${label}` : undefined}
            onClick={() => actions.resume.mutate(undefined)}
          >
            {actions.resume.isPending ? 'Resuming…' : 'Resume'}
          </button>
        ) : (
          <button
            type="button"
            className={size}
            disabled={actions.pause.isPending}
            aria-label={compact ? `Pause ${label}` : undefined}
            onClick={() => actions.pause.mutate(undefined)}
          >
            {actions.pause.isPending ? 'Pausing…' : 'Pause'}
          </button>
        ))}
      {isOAuth && can('edit_connection') && (
        <button
          type="button"
          className={size}
          disabled={actions.reauthorize.isPending || actions.oauthWaiting}
          aria-label={compact ? `Reauthorize ${label}` : undefined}
          onClick={() => actions.reauthorize.mutate(undefined)}
        >
          {actions.reauthorize.isPending
            ? 'Starting…'
            : actions.oauthWaiting
              ? 'Waiting for the vendor…'
              : 'Reauthorize'}
        </button>
      )}
      {isOAuth && connection.level === 'user' && can('use_proxy') && (
        <button
          type="button"
          className={size}
          disabled={actions.connectMine.isPending || actions.oauthWaiting}
          aria-label={compact ? `Connect my account to ${label}` : undefined}
          onClick={() => actions.connectMine.mutate(undefined)}
        >
          {actions.connectMine.isPending ? 'Starting…' : 'Connect my account'}
        </button>
      )}
      {can('disconnect') && (
        <button
          type="button"
          className={`${size} button-danger`}
          aria-label={compact ? `Disconnect ${label}` : undefined}
          onClick={() => setConfirming(true)}
        >
          Disconnect
        </button>
      )}
      <ConfirmDialog
        title={`Disconnect ${label}?`}
        open={confirming}
        confirmLabel="Disconnect"
        pending={actions.disconnect.isPending}
        onClose={() => setConfirming(false)}
        onConfirm={() => actions.disconnect.mutate(undefined, { onSuccess: () => setConfirming(false) })}
      >
        <p>
          This deletes the <strong>{connection.connector.name}</strong> connection <strong>{label}</strong> at once. It
          cannot be undone. Removed with it:
        </p>
        <ul>
          <li>its sealed credentials{connection.level === 'user' ? ', including every user’s own account' : ''};</li>
          <li>the inbound webhook sources that belong to it, with the events they received;</li>
          <li>the records synced from it into the record store;</li>
          <li>its state history and any authorization still in progress.</li>
        </ul>
        {confirming && <SyncsDeletedWith connectionId={connection.id} />}
        {isOAuth && <p>Its OAuth tokens are revoked at the vendor first, where the vendor supports it.</p>}
        <p className="muted small">
          Its request log stays until retention removes it. Calls through it stop working immediately.
        </p>
      </ConfirmDialog>
    </div>
  );
}

const SHOWN_SYNCS = 10;

/**
 * The sync configurations that read from or write to a connection: the API deletes them with it (their runs,
 * logs and checkpoints too; the records they stored stay), so the confirmation names them, or says there are none.
 */
function SyncsDeletedWith({ connectionId }: { connectionId: string }) {
  const { can } = useSession();
  const syncs = useQuery({
    queryKey: syncKeys.ofConnection(connectionId),
    queryFn: () =>
      call(api.GET('/v1/syncs', { params: { query: { connection_id: connectionId, limit: SHOWN_SYNCS } } })),
    enabled: can('view_syncs'),
  });
  if (!can('view_syncs')) {
    return <p>Sync configurations that use it are deleted too (your role cannot list them).</p>;
  }
  if (syncs.isPending) return <Loading what="Finding the syncs that use it" />;
  if (syncs.error) return <ErrorState error={syncs.error} retry={() => void syncs.refetch()} />;
  const found = syncs.data.data;
  if (found.length === 0) return <p data-testid="syncs-deleted-with">No sync configuration uses it.</p>;
  return (
    <div data-testid="syncs-deleted-with">
      <p>
        {found.length === 1 && !syncs.data.next_cursor
          ? 'The sync configuration that uses it is deleted too, with its runs and checkpoints:'
          : 'The sync configurations that use it are deleted too, with their runs and checkpoints:'}
      </p>
      <ul>
        {found.map((s) => (
          <li key={s.id}>
            <strong>{s.name}</strong>
          </li>
        ))}
        {syncs.data.next_cursor && <li>and more (see Sync Management)</li>}
      </ul>
    </div>
  );
}
