import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, SwitchyardError } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys } from '../../query-keys.js';
import { Badge, EmptyState, ErrorState, formatTime, Loading, Time, useCursorPages } from '../../ui/components.js';
import { PagedTable } from '../../ui/table.js';
import './connections.css';
import { EditConnectionDialog } from './EditConnection.js';
import { Playground } from './Playground.js';
import { InboundWebhook } from './InboundWebhook.js';
import { EditScopesDialog } from './ScopePicker.js';
import { IdentityEntries, MetadataCard } from './ConnectionIdentity.js';
import {
  authMethodLabels,
  ConnectionActions,
  OutcomeSummary,
  receivesOnly,
  StateBadge,
  waitingForFirstEvent,
  type Connection,
} from './shared.js';

/** `/connections/:id`: settings (never secrets), state and its history, the last test, the request log, the playground. */
export function ConnectionDetail() {
  const { id = '' } = useParams();
  const { can } = useSession();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [editingScopes, setEditingScopes] = useState(false);
  const connection = useQuery({
    queryKey: connectionKeys.detail(id),
    queryFn: () => call(api.GET('/v1/connections/{id}', { params: { path: { id } } })),
    // A webhook connection waiting for its first event shows it arriving without a reload.
    refetchInterval: (query) => (query.state.data && waitingForFirstEvent(query.state.data) ? 5000 : false),
  });

  if (connection.isPending) {
    return (
      <section className="page connections-page">
        <Loading what="Loading the connection" />
      </section>
    );
  }
  if (connection.error) {
    const missing = connection.error instanceof SwitchyardError && connection.error.status === 404;
    return (
      <section className="page connections-page" aria-labelledby="connection-title">
        <p className="breadcrumb small">
          <Link to="/connections">Connections</Link>
        </p>
        <h1 id="connection-title">{missing ? 'Connection not found' : 'Connection'}</h1>
        <ErrorState error={connection.error} {...(missing ? {} : { retry: () => void connection.refetch() })} />
      </section>
    );
  }
  const c = connection.data;
  // Seed 003: changing an OAuth connection's scopes re-authorizes it at the vendor with the new set.
  const mayEditScopes = c.auth_method === 'oauth2' && can('edit_connection') && can('edit_scopes');
  const editScopes = (label: string) =>
    mayEditScopes && (
      <button type="button" className="button button-small" onClick={() => setEditingScopes(true)}>
        {label}
      </button>
    );
  return (
    <section className="page connections-page" aria-labelledby="connection-title">
      <p className="breadcrumb small">
        <Link to="/connections">Connections</Link> / {c.name}
      </p>
      <div className="page-header">
        <div>
          <h1 id="connection-title">
            {c.name} <StateBadge connection={c} />
          </h1>
          <p className="muted">
            {c.connector.name} · {c.connector.category}
            {c.description && <> · {c.description}</>}
          </p>
        </div>
        <ConnectionActions
          connection={c}
          onEdit={() => setEditing(true)}
          onDeleted={() => void navigate('/connections', { replace: true })}
        />
      </div>
      {c.warnings.map((w) => (
        <p key={`${w.code}-${w.what ?? ''}-${w.date ?? ''}`} className="callout callout-warn" data-testid={w.code}>
          {w.code === 'vendor_sunset' && <strong>Vendor sunset · </strong>}
          {w.message}
        </p>
      ))}
      <StateNotice connection={c} />
      {c.missing_scopes.length > 0 && (
        <div className="callout callout-warn" data-testid="missing-scopes">
          <strong>Not every scope was granted</strong>
          <p className="small">
            The vendor did not grant {c.missing_scopes.map((s) => `“${s}”`).join(', ')}: calls that need{' '}
            {c.missing_scopes.length === 1 ? 'it' : 'them'} are refused. Reauthorize to ask for{' '}
            {c.missing_scopes.length === 1 ? 'it' : 'them'} again.
          </p>
          {editScopes('Choose scopes and reauthorize')}
        </div>
      )}
      <div className="detail-grid">
        <section className="card" aria-labelledby="settings-title">
          <h2 id="settings-title">Settings</h2>
          <dl className="details">
            <dt>Connector</dt>
            <dd>
              {c.connector.name} (<code>{c.connector.slug}</code>)
            </dd>
            <dt>Authentication</dt>
            <dd>
              {authMethodLabels[c.auth_method as keyof typeof authMethodLabels] ?? c.auth_method}
              {c.credential_source === 'system' && ' (the platform’s credentials)'}
              {c.level === 'user' && ' · each user connects their own account'}
            </dd>
            <dt>Credentials</dt>
            <dd className="muted">Sealed; never shown.</dd>
            {Object.entries(c.config).map(([key, value]) => (
              <ConfigEntry key={key} name={key} value={value} />
            ))}
            {c.vendor_account_name || c.vendor_account_id ? (
              <>
                <dt>Vendor account</dt>
                <dd>
                  {c.vendor_account_name}
                  {c.vendor_account_id && (
                    <>
                      {' '}
                      <code>{c.vendor_account_id}</code>
                    </>
                  )}
                </dd>
              </>
            ) : null}
            <IdentityEntries connection={c} />
            <dt>Scopes</dt>
            <dd data-testid="scopes-granted">
              {c.scopes_granted.length > 0 ? c.scopes_granted.join(', ') : <span className="muted">—</span>}{' '}
              {editScopes('Edit scopes')}
            </dd>
            <dt>Last delivery</dt>
            <dd>
              <Time iso={c.last_delivery_at} />
            </dd>
            <dt>Created</dt>
            <dd>{formatTime(c.created_at)}</dd>
            <dt>Updated</dt>
            <dd>{formatTime(c.updated_at)}</dd>
            <dt>Id</dt>
            <dd>
              <code>{c.id}</code>
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="test-title">
          <h2 id="test-title">{receivesOnly(c) ? 'Verification' : 'Last test'}</h2>
          {receivesOnly(c) ? (
            <p className="muted">
              Nothing to test: this connector only receives webhooks. The first request that passes verification proves
              the URL and the secret.
            </p>
          ) : c.last_test_outcome ? (
            <OutcomeSummary outcome={c.last_test_outcome} at={c.last_test_at} />
          ) : (
            <p className="muted">
              Never tested.{can('test_connection') && ' Use Test to run the connector’s test call.'}
            </p>
          )}
          <History id={c.id} />
        </section>
      </div>
      <MetadataCard metadata={c.metadata} />
      {receivesOnly(c) && <InboundWebhook connection={c} />}
      {/* A receive-only connector has no API to call: a playground could only fail. */}
      {can('use_proxy') && !receivesOnly(c) && <Playground connection={c} />}
      <RequestLog id={c.id} />
      {editing && <EditConnectionDialog connection={c} onClose={() => setEditing(false)} />}
      {editingScopes && <EditScopesDialog connection={c} onClose={() => setEditingScopes(false)} />}
    </section>
  );
}

function ConfigEntry({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt>
        <code>{name}</code>
      </dt>
      <dd>
        {value === '' || value === null || value === undefined ? (
          <span className="muted">—</span>
        ) : typeof value === 'object' ? (
          <code>{JSON.stringify(value)}</code>
        ) : (
          <code>{String(value)}</code>
        )}
      </dd>
    </>
  );
}

const stateHelp: Partial<Record<Connection['state'], string>> = {
  inactive: 'Saved without a successful test. Test it to make it active.',
  testing: 'A test call is running.',
  paused: 'Paused: no deliveries and no proxied calls. The credentials are kept; Resume tests them again.',
  auth_expired: 'The credentials expired. Reauthorize or rotate them in Edit.',
  auth_revoked: 'The vendor refused the credentials. Reauthorize or enter new ones in Edit.',
  error: 'The last test failed. See the vendor’s message below, fix the settings, then test again.',
};

function StateNotice({ connection: c }: { connection: Connection }) {
  if (c.state === 'active' && !c.state_reason) return null;
  // "Not verified" is no news for a receive-only connection: its webhook card says what it waits for.
  if (c.state === 'active' && receivesOnly(c)) return null;
  const tone = c.state === 'active' ? 'info' : c.state === 'paused' || c.state === 'testing' ? 'info' : 'warn';
  return (
    <div className={`callout callout-${tone}`} data-testid="state-notice">
      <strong>
        State: <span data-testid="connection-state">{c.state.replace('_', ' ')}</span>
      </strong>
      {c.state_reason && <p className="small">Reason: {c.state_reason}</p>}
      {stateHelp[c.state] && <p className="small">{stateHelp[c.state]}</p>}
    </div>
  );
}

function History({ id }: { id: string }) {
  const history = useQuery({
    queryKey: connectionKeys.history(id),
    queryFn: () => call(api.GET('/v1/connections/{id}/history', { params: { path: { id } } })),
  });
  return (
    <>
      <h3 className="history-title">State history</h3>
      {history.isPending ? (
        <Loading />
      ) : history.error ? (
        <ErrorState error={history.error} retry={() => void history.refetch()} />
      ) : history.data.data.length === 0 ? (
        <p className="muted">No state changes yet.</p>
      ) : (
        <ol className="history" aria-label="State history, newest first">
          {history.data.data.map((h, i) => (
            <li key={`${h.at}-${i}`}>
              <div className="row">
                {h.from && (
                  <>
                    <Badge value={h.from} /> <span aria-label="to">→</span>
                  </>
                )}
                <Badge value={h.to} />
                <Time iso={h.at} />
              </div>
              <p className="small muted">
                {h.reason ?? 'No reason given'} · by {h.actor_type}
                {h.actor_id && (
                  <>
                    {' '}
                    <code>{h.actor_id}</code>
                  </>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function RequestLog({ id }: { id: string }) {
  const pages = useCursorPages();
  const query = { limit: 20, ...(pages.cursor ? { cursor: pages.cursor } : {}) };
  const requests = useQuery({
    queryKey: connectionKeys.requestsPage(id, query),
    queryFn: () => call(api.GET('/v1/connections/{id}/requests', { params: { path: { id }, query } })),
    placeholderData: (previous) => previous,
  });
  return (
    <section aria-labelledby="requests-title" className="stack">
      <h2 id="requests-title">Request log</h2>
      <p className="muted small">Test calls and calls through the proxy, newest first.</p>
      <PagedTable
        query={requests}
        pages={pages}
        empty={<EmptyState title="No requests yet">Test calls and playground requests will be listed here.</EmptyState>}
        caption={<caption className="visually-hidden">Request log</caption>}
        columns={['When', 'Kind', 'Request', 'Status', 'Latency', 'Bytes out / in', 'Retries', 'Error']}
        row={(r) => (
          <tr key={r.id}>
            <td>
              <Time iso={r.at} />
            </td>
            <td>{r.kind}</td>
            <td>
              <code>
                {r.method} {r.path}
              </code>
            </td>
            <td>
              {r.status === null ? (
                <span className="muted">—</span>
              ) : (
                <span
                  className={`badge ${r.status < 300 ? 'badge-good' : r.status < 500 ? 'badge-warn' : 'badge-bad'}`}
                >
                  {r.status}
                </span>
              )}
            </td>
            <td>{Math.round(r.latency_ms)} ms</td>
            <td>
              {r.bytes_out} / {r.bytes_in}
            </td>
            <td>{r.retries}</td>
            <td className="small">{r.error ?? <span className="muted">—</span>}</td>
          </tr>
        )}
      />
    </section>
  );
}
