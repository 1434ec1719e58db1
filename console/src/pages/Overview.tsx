import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../api.js';
import { useSession } from '../auth.js';
import { connectionKeys, inboundKeys, syncKeys, webhookKeys } from '../query-keys.js';
import { Badge, ErrorState, Loading } from '../ui/components.js';
import { percent } from './webhooks/shared/format.js';

const states = ['active', 'inactive', 'testing', 'paused', 'auth_expired', 'auth_revoked', 'error'] as const;

/** Seed 000 "Getting Started": the three quick actions and a health summary of what the tenant runs. */
export function Overview() {
  const { can, me } = useSession();
  return (
    <section className="page" aria-labelledby="overview-title">
      <h1 id="overview-title">Integrations</h1>
      <p className="muted">Connect {me.tenant.name} to external systems, sync their data, send and receive webhooks.</p>
      <div className="cards quick-actions">
        <QuickAction
          title="Add connection"
          text="Pick a connector from the library and connect an account."
          to="/connections/library"
          enabled={can('create_connection') && can('browse_connector_library')}
          disabledWhy="Your role cannot create connections (create_connection)."
        />
        <QuickAction
          title="Monitor syncs"
          text="Sync status and metrics: schedules, runs and the records they moved."
          to="/syncs"
          enabled={can('view_syncs')}
          disabledWhy="Your role cannot view syncs (view_syncs)."
        />
        <QuickAction
          title="Webhooks"
          text="Endpoints that receive your events, and URLs that receive vendors' events."
          to="/webhooks"
          enabled={can('view_webhooks') || can('view_inbound')}
          disabledWhy="Your role cannot view webhooks (view_webhooks, view_inbound)."
        />
      </div>
      <h2>Health</h2>
      <div className="cards">
        {can('list_connections') && <ConnectionHealth />}
        {can('view_webhooks') && <DeliveryHealth />}
        {can('view_inbound') && <InboundHealth />}
        {can('view_syncs') && <SyncHealth />}
      </div>
    </section>
  );
}

function QuickAction(props: { title: string; text: string; to?: string; enabled: boolean; disabledWhy: string }) {
  if (!props.enabled || !props.to) {
    return (
      <div className="card quick-action quick-action-disabled" aria-disabled="true">
        <h3>{props.title}</h3>
        <p className="muted">{props.text}</p>
        <p className="small">{props.disabledWhy}</p>
      </div>
    );
  }
  return (
    <Link className="card quick-action" to={props.to}>
      <h3>{props.title}</h3>
      <p className="muted">{props.text}</p>
    </Link>
  );
}

function ConnectionHealth() {
  const summary = useQuery({
    queryKey: connectionKeys.summary,
    queryFn: () => call(api.GET('/v1/connections/summary')),
  });
  return (
    <div className="card" data-testid="health-connections">
      <h3>Connections</h3>
      {summary.isPending ? (
        <Loading />
      ) : summary.error ? (
        <ErrorState error={summary.error} />
      ) : summary.data.total === 0 ? (
        <p className="muted">
          No connections yet. <Link to="/connections/library">Add one from the library.</Link>
        </p>
      ) : (
        <>
          <p className="metric">{summary.data.total}</p>
          <ul className="state-counts">
            {states
              .filter((s) => (summary.data.by_state[s] ?? 0) > 0)
              .map((s) => (
                <li key={s}>
                  <Link to={`/connections?state=${s}`}>
                    <Badge value={s} /> {summary.data.by_state[s]}
                  </Link>
                </li>
              ))}
          </ul>
        </>
      )}
    </div>
  );
}

function DeliveryHealth() {
  const stats = useQuery({
    queryKey: webhookKeys.overviewStats,
    queryFn: () => call(api.GET('/v1/webhooks/stats')),
  });
  return (
    <div className="card" data-testid="health-deliveries">
      <h3>Deliveries, last 24 h</h3>
      {stats.isPending ? (
        <Loading />
      ) : stats.error ? (
        <ErrorState error={stats.error} />
      ) : (
        <dl className="metrics">
          <div>
            <dt>Total</dt>
            <dd>{stats.data.overall.total}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd>{percent(stats.data.overall.success_rate)}</dd>
          </div>
          <div>
            <dt>Attempt success</dt>
            <dd>{percent(stats.data.overall.attempt_success_rate)}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd>{stats.data.overall.failed}</dd>
          </div>
          <div>
            <dt>Failing now</dt>
            <dd>
              {stats.data.per_endpoint.filter((e) => e.consecutive_failures > 0 || e.circuit !== 'closed').length}{' '}
              endpoints
            </dd>
          </div>
        </dl>
      )}
    </div>
  );
}

function InboundHealth() {
  const events = useQuery({
    queryKey: inboundKeys.latestEvent,
    queryFn: () => call(api.GET('/v1/inbound/events', { params: { query: { limit: 1 } } })),
  });
  return (
    <div className="card" data-testid="health-inbound">
      <h3>Inbound webhooks</h3>
      {events.isPending ? (
        <Loading />
      ) : events.error ? (
        <ErrorState error={events.error} />
      ) : events.data.data[0] ? (
        <p>
          Last event received{' '}
          <Link to="/webhooks/inbound">{new Date(events.data.data[0].received_at).toLocaleString()}</Link>
        </p>
      ) : (
        <p className="muted">
          No events received yet. <Link to="/webhooks/inbound">Create a source</Link> and give its URL to the vendor.
        </p>
      )}
    </div>
  );
}

function SyncHealth() {
  const stats = useQuery({
    queryKey: syncKeys.stats,
    queryFn: () => call(api.GET('/v1/syncs/stats', { params: { query: { days: 7 } } })),
  });
  return (
    <div className="card" data-testid="health-syncs">
      <h3>Syncs, last 7 days</h3>
      {stats.isPending ? (
        <Loading />
      ) : stats.error ? (
        <ErrorState error={stats.error} />
      ) : stats.data.configs === 0 ? (
        <p className="muted">
          No syncs yet. <Link to="/syncs">Open Sync Management</Link> to create one.
        </p>
      ) : (
        <dl className="metrics">
          <div>
            <dt>Active syncs</dt>
            <dd>
              {stats.data.enabled} of {stats.data.configs}
            </dd>
          </div>
          <div>
            <dt>Running now</dt>
            <dd>{stats.data.running}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd>{percent(stats.data.success_rate)}</dd>
          </div>
          <div>
            <dt>Failed runs</dt>
            <dd>
              <Link to="/syncs">{stats.data.failed}</Link>
            </dd>
          </div>
        </dl>
      )}
    </div>
  );
}
