import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors, type Schemas } from '../../api.js';
import { useSession } from '../../auth.js';
import { webhookKeys } from '../../query-keys.js';
import { BarChart } from '../../ui/chart.js';
import {
  Badge,
  ConfirmDialog,
  Dialog,
  EmptyState,
  ErrorState,
  Field,
  FormActions,
  formatTime,
  JsonBlock,
  Loading,
  Pager,
  prettyJson,
  SelectField,
  Time,
  useCursorPages,
} from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { duration, percent } from './shared/format.js';
import { HeaderList } from './shared/header-list.js';
import { SecretOnce } from './shared/secret-once.js';
import { anyTime, localInput, rangeQuery, TimeRangeFilter, type TimeRange } from './shared/time-range.js';
import './webhooks.css';

type Endpoint = Schemas['WebhookEndpoint'];
type Delivery = Schemas['WebhookDelivery'];
type NewSecret = Schemas['WebhookEndpointNewSecret'];
type Stats = Schemas['WebhookStats'];

type ReplayDryRun = Schemas['WebhookReplayDryRun'];
type ReplayResult = Schemas['WebhookReplayResult'];

const deliveryStatuses = ['pending', 'dispatched', 'delivered', 'failed', 'skipped'] as const;

/** Every endpoint (for filters and names), and every event type (for subscriptions and filters). */
function useEndpointNames() {
  return useQuery({
    queryKey: webhookKeys.endpointNames,
    queryFn: () => call(api.GET('/v1/webhooks/endpoints', { params: { query: { limit: 200 } } })),
  });
}

function useEventTypes() {
  return useQuery({
    queryKey: webhookKeys.eventTypeNames,
    queryFn: () => call(api.GET('/v1/event-types', { params: { query: { limit: 200 } } })),
  });
}

export function Outbound() {
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  const [publishing, setPublishing] = useState(false);
  return (
    <section className="page wh-page" aria-labelledby="outbound-title">
      <header className="page-header">
        <div>
          <h1 id="outbound-title">Outbound webhooks</h1>
          <p className="muted">Endpoints that receive your events, with every delivery and its attempts.</p>
        </div>
        <div className="row">
          {can('publish_events') && (
            <button type="button" className="button" onClick={() => setPublishing(true)}>
              Publish event…
            </button>
          )}
          {can('manage_webhooks') && (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              Add endpoint
            </button>
          )}
        </div>
      </header>
      {can('publish_events') && (
        <Dialog title="Publish an event" open={publishing} onClose={() => setPublishing(false)}>
          {publishing && <PublishForm onClose={() => setPublishing(false)} />}
        </Dialog>
      )}
      <StatsPanel />
      <Endpoints creating={creating} onCreated={() => setCreating(false)} onCancel={() => setCreating(false)} />
      {can('browse_delivery_log') ? (
        <DeliveryLog />
      ) : (
        <p className="callout callout-info">
          The delivery log needs the <code>browse_delivery_log</code> capability, which your role lacks.
        </p>
      )}
    </section>
  );
}

/* ---------------------------------------------------------------- statistics */

const windows = {
  '24h': { label: 'last 24 hours', ms: 86_400_000 },
  '7d': { label: 'last 7 days', ms: 7 * 86_400_000 },
};

function StatsPanel() {
  const [window, setWindow] = useState<keyof typeof windows>('24h');
  const [endpointId, setEndpointId] = useState('');
  const endpoints = useEndpointNames();
  const stats = useQuery({
    queryKey: webhookKeys.stats(window, endpointId),
    queryFn: () => {
      const until = new Date();
      const since = new Date(until.getTime() - windows[window].ms);
      return call(
        api.GET('/v1/webhooks/stats', {
          params: {
            query: {
              since: since.toISOString(),
              until: until.toISOString(),
              ...(endpointId ? { endpoint_id: endpointId } : {}),
            },
          },
        }),
      );
    },
    refetchInterval: 30_000,
  });
  return (
    <section className="card stack" aria-labelledby="stats-title" data-testid="delivery-stats">
      <div className="page-header">
        <h2 id="stats-title" className="wh-section-title">
          Statistics
        </h2>
        <div className="filters">
          <Field label="Window">
            {(props) => (
              <select {...props} value={window} onChange={(e) => setWindow(e.target.value as keyof typeof windows)}>
                <option value="24h">Last 24 hours</option>
                <option value="7d">Last 7 days</option>
              </select>
            )}
          </Field>
          <SelectField
            label="Endpoint"
            value={endpointId}
            onChange={(v) => setEndpointId(v)}
            empty="All endpoints"
            options={(endpoints.data?.data ?? []).map((e) => ({ value: e.id, label: e.url }))}
          />
        </div>
      </div>
      {stats.isPending ? (
        <Loading what="Loading statistics" />
      ) : stats.error ? (
        <ErrorState error={stats.error} retry={() => void stats.refetch()} />
      ) : (
        <StatsFigures stats={stats.data} window={window} />
      )}
    </section>
  );
}

function StatsFigures({ stats, window }: { stats: Stats; window: keyof typeof windows }) {
  const o = stats.overall;
  const label = (iso: string) => {
    const d = new Date(iso);
    return window === '24h'
      ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
      : d.toLocaleString(undefined, { weekday: 'short', hour: '2-digit' });
  };
  return (
    <>
      <dl className="metrics" data-testid="stats-metrics">
        <div>
          <dt>Deliveries</dt>
          <dd>{o.total}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{percent(o.success_rate)}</dd>
        </div>
        <div>
          <dt>Attempt success</dt>
          <dd title={`${o.attempts_delivered} of ${o.attempts_delivered + o.attempts_failed} finished attempts`}>
            {percent(o.attempt_success_rate)}
          </dd>
        </div>
        <div>
          <dt>Avg. delivery time</dt>
          <dd>{duration(o.avg_delivery_ms)}</dd>
        </div>
        <div>
          <dt>p95 delivery time</dt>
          <dd>{duration(o.p95_delivery_ms)}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd>{o.retries}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{o.failed}</dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd>{o.pending}</dd>
        </div>
      </dl>
      <FailingNow stats={stats} />
      <BarChart
        title={`Deliveries and failures, ${windows[window].label}`}
        labels={stats.series.map((p) => label(p.start))}
        series={[
          { name: 'Delivered', tone: 'good', values: stats.series.map((p) => p.delivered) },
          { name: 'Failed', tone: 'bad', values: stats.series.map((p) => p.failed) },
        ]}
      />
      {stats.per_endpoint.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table>
            <caption className="wh-caption">Per endpoint</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Total</th>
                <th scope="col">Delivered</th>
                <th scope="col">Failed</th>
                <th scope="col">Pending</th>
                <th scope="col">Success rate</th>
                <th scope="col">Attempt success</th>
                <th scope="col">Circuit</th>
                <th scope="col">Avg. / p95 delivery</th>
                <th scope="col">Retries</th>
              </tr>
            </thead>
            <tbody>
              {stats.per_endpoint.map((e) => (
                <tr key={e.endpoint_id}>
                  <td className="wh-url">{e.url}</td>
                  <td>{e.total}</td>
                  <td>{e.delivered}</td>
                  <td>{e.failed}</td>
                  <td>{e.pending}</td>
                  <td>{percent(e.success_rate)}</td>
                  <td>{percent(e.attempt_success_rate)}</td>
                  <td>
                    <Badge value={circuitTone[e.circuit]} label={e.circuit.replace('_', ' ')} />
                  </td>
                  <td>
                    {duration(e.avg_delivery_ms)} / {duration(e.p95_delivery_ms)}
                  </td>
                  <td>{e.retries}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

const circuitTone = { closed: 'active', open: 'failed', half_open: 'maintenance' } as const;

/**
 * Endpoints failing now (their last attempt failed, or their breaker is not closed), with the latest error: what the
 * delivery counters cannot show while retries are still running.
 */
function FailingNow({ stats }: { stats: Stats }) {
  const failing = stats.per_endpoint.filter((e) => e.consecutive_failures > 0 || e.circuit !== 'closed');
  if (failing.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="failing-now-title" data-testid="failing-now">
      <h3 id="failing-now-title" className="wh-subtitle">
        Failing now
      </h3>
      <ul className="stack">
        {failing.map((e) => (
          <li key={e.endpoint_id} data-testid="failing-endpoint">
            <span className="wh-url">{e.url}</span>{' '}
            <Badge value={circuitTone[e.circuit]} label={`circuit ${e.circuit.replace('_', ' ')}`} />{' '}
            <span className="small">
              {e.consecutive_failures} failed attempt{e.consecutive_failures === 1 ? '' : 's'} in a row
              {e.failing_since ? ` since ${formatTime(e.failing_since)}` : ''}
              {e.last_failure
                ? `; last: ${e.last_failure.error ?? e.last_failure.outcome} at ${formatTime(e.last_failure.started_at)}`
                : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/* ---------------------------------------------------------------- endpoints */

function Endpoints({
  creating,
  onCreated,
  onCancel,
}: {
  creating: boolean;
  onCreated: () => void;
  onCancel: () => void;
}) {
  const { can } = useSession();
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: webhookKeys.endpointsPage(pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/webhooks/endpoints', {
          params: { query: { limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
  });
  const [editing, setEditing] = useState<Endpoint>();
  const [rotating, setRotating] = useState<Endpoint>();
  const [deleting, setDeleting] = useState<Endpoint>();
  const [secret, setSecret] = useState<{ title: string; secret: NewSecret; url: string }>();
  const manage = can('manage_webhooks');

  const rotate = useWrite({
    run: (endpoint: Endpoint) =>
      call(
        api.POST('/v1/webhooks/endpoints/{id}/secrets/rotate', {
          params: { path: { id: endpoint.id } },
          body: {},
        }),
      ),
    success: 'Signing secret rotated. The previous one keeps signing for 24 hours.',
    invalidate: [webhookKeys.endpoints],
    onSuccess: (result) => {
      setRotating(undefined);
      setSecret({ title: 'New signing secret', secret: result.signing_secret, url: result.endpoint.url });
    },
  });
  const remove = useWrite({
    run: (endpoint: Endpoint) =>
      call(api.DELETE('/v1/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } })),
    success: (_, endpoint) => `Endpoint ${endpoint.url} deleted.`,
    invalidate: [webhookKeys.all],
    onSuccess: () => setDeleting(undefined),
  });

  return (
    <section className="stack" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">Endpoints</h2>
      {list.isPending ? (
        <Loading what="Loading endpoints" />
      ) : list.error ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 && pages.page === 1 ? (
        <EmptyState title="No endpoints yet — add one to receive your events">
          {manage
            ? 'Use “Add endpoint” with the HTTPS URL of your receiver; every event you publish is then signed and delivered to it.'
            : 'Someone with the manage_webhooks capability can add one.'}
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap" tabIndex={0}>
            <table data-testid="endpoints-table">
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Event types</th>
                  <th scope="col">State</th>
                  <th scope="col">Signing</th>
                  <th scope="col">Created</th>
                  {manage && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <span className="wh-url">{e.url}</span>
                      {e.description && <div className="muted small">{e.description}</div>}
                    </td>
                    <td>
                      {e.event_types.length === 0 ? (
                        <span className="muted">All event types</span>
                      ) : (
                        <ul className="wh-tags">
                          {e.event_types.map((t) => (
                            <li key={t}>
                              <code>{t}</code>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td>
                      <Badge value={e.enabled ? 'enabled' : 'disabled'} />
                      {e.disabled_reason && <div className="muted small">{e.disabled_reason}</div>}
                      {e.health.circuit !== 'closed' && (
                        <div className="small">
                          <Badge value="failed" label={`circuit ${e.health.circuit.replace('_', ' ')}`} />
                        </div>
                      )}
                      {e.health.consecutive_failures > 0 && (
                        <div className="muted small">{e.health.consecutive_failures} failures in a row</div>
                      )}
                    </td>
                    <td className="small">
                      {e.secrets.map((s) => (
                        <div key={s.id}>
                          {s.kind === 'hmac' ? 'HMAC' : 'Ed25519'}
                          {s.expires_at && <span className="muted"> · retires {formatTime(s.expires_at)}</span>}
                        </div>
                      ))}
                    </td>
                    <td>
                      <Time iso={e.created_at} />
                    </td>
                    {manage && (
                      <td>
                        <div className="row wh-row-actions">
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Edit ${e.url}`}
                            onClick={() => setEditing(e)}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Rotate secret of ${e.url}`}
                            onClick={() => setRotating(e)}
                          >
                            Rotate secret
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Delete ${e.url}`}
                            onClick={() => setDeleting(e)}
                          >
                            Delete
                          </button>
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} nextCursor={list.data.next_cursor} />
        </>
      )}

      {manage && (
        <>
          <EndpointForm
            open={creating}
            onClose={onCancel}
            onSaved={(created) => {
              onCreated();
              if (created) setSecret({ title: 'Endpoint created', secret: created.signing_secret, url: created.url });
            }}
          />
          <EndpointForm
            open={editing !== undefined}
            endpoint={editing}
            onClose={() => setEditing(undefined)}
            onSaved={() => setEditing(undefined)}
          />
          <ConfirmDialog
            title="Rotate the signing secret"
            open={rotating !== undefined}
            confirmLabel="Rotate secret"
            pending={rotate.isPending}
            onConfirm={() => rotating && rotate.mutate(rotating)}
            onClose={() => setRotating(undefined)}
          >
            <p>
              A new secret signs deliveries to <code>{rotating?.url}</code> from now on. The current one keeps signing
              too for 24 hours, so the receiver can switch without rejecting anything.
            </p>
          </ConfirmDialog>
          <ConfirmDialog
            title="Delete the endpoint"
            open={deleting !== undefined}
            confirmLabel="Delete endpoint"
            pending={remove.isPending}
            onConfirm={() => deleting && remove.mutate(deleting)}
            onClose={() => setDeleting(undefined)}
          >
            <p>
              <code>{deleting?.url}</code> stops receiving events. Its signing secrets and its deliveries, pending ones
              included, are deleted with it.
            </p>
          </ConfirmDialog>
        </>
      )}
      <SecretOnce
        title={secret?.title ?? ''}
        open={secret !== undefined}
        onClose={() => setSecret(undefined)}
        note={secret ? `Deliveries to ${secret.url} are signed with it.` : undefined}
        items={
          secret
            ? [
                { label: 'Signing secret', value: secret.secret.secret, secret: true },
                ...(secret.secret.public_key ? [{ label: 'Public key', value: secret.secret.public_key }] : []),
              ]
            : []
        }
      />
    </section>
  );
}

function EndpointForm({
  open,
  endpoint,
  onClose,
  onSaved,
}: {
  open: boolean;
  endpoint?: Endpoint | undefined;
  onClose: () => void;
  onSaved: (created?: Schemas['WebhookEndpointCreated']) => void;
}) {
  return (
    <Dialog title={endpoint ? 'Edit endpoint' : 'Add endpoint'} open={open} onClose={onClose}>
      {/* Mounted only while open, so each opening starts from the endpoint's current values. */}
      {open && <EndpointFormBody endpoint={endpoint} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function EndpointFormBody({
  endpoint,
  onClose,
  onSaved,
}: {
  endpoint?: Endpoint | undefined;
  onClose: () => void;
  onSaved: (created?: Schemas['WebhookEndpointCreated']) => void;
}) {
  const eventTypes = useEventTypes();
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [types, setTypes] = useState<string[]>(endpoint?.event_types ?? []);
  const [enabled, setEnabled] = useState(endpoint?.enabled ?? true);
  const [signing, setSigning] = useState<'hmac' | 'ed25519'>('hmac');
  const save = useWrite({
    run: async (): Promise<Schemas['WebhookEndpointCreated'] | undefined> => {
      const body = { url: url.trim(), description, event_types: types, enabled };
      if (endpoint) {
        await call(api.PATCH('/v1/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } }, body }));
        return undefined;
      }
      return call(api.POST('/v1/webhooks/endpoints', { body: { ...body, signing } }));
    },
    success: endpoint ? 'Endpoint saved.' : 'Endpoint created.',
    invalidate: [webhookKeys.all],
    onSuccess: (created) => onSaved(created),
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  // The tenant's own types first, then the platform's built-in ones.
  const known = (eventTypes.data?.data ?? [])
    .filter((t) => !t.archived_at)
    .sort((a, b) => Number(a.built_in) - Number(b.built_in) || a.name.localeCompare(b.name));
  // Subscribed types that are no longer listed (archived) stay visible so they can be removed.
  const names = [...new Set([...known.map((t) => t.name), ...types])];
  return (
    <form onSubmit={submit} noValidate>
      <Field label="URL" required error={errors.url} help="Where events are POSTed, e.g. https://example.com/webhooks.">
        {(props) => (
          <input
            {...props}
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://"
            className="wh-wide-input"
          />
        )}
      </Field>
      <Field label="Description" error={errors.description}>
        {(props) => <input {...props} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <fieldset className="wh-fieldset" aria-describedby="event-types-help">
        <legend>Event types</legend>
        <p id="event-types-help" className="help">
          Tick none to receive every event type.
        </p>
        {eventTypes.isPending ? (
          <Loading what="Loading event types" />
        ) : eventTypes.error ? (
          <ErrorState error={eventTypes.error} />
        ) : names.length === 0 ? (
          <p className="muted small">No event types are defined yet; the endpoint will receive every type.</p>
        ) : (
          <ul className="wh-checklist">
            {names.map((name) => (
              <li key={name}>
                <label>
                  <input
                    type="checkbox"
                    checked={types.includes(name)}
                    onChange={(e) =>
                      setTypes((all) => (e.target.checked ? [...all, name] : all.filter((t) => t !== name)))
                    }
                  />{' '}
                  <code>{name}</code>
                </label>
              </li>
            ))}
          </ul>
        )}
        {errors.event_types && (
          <p className="field-error" role="alert">
            {errors.event_types}
          </p>
        )}
      </fieldset>
      {!endpoint && (
        <Field
          label="Signature scheme"
          help="HMAC (whsec_) suits most receivers; Ed25519 lets them verify with a public key."
        >
          {(props) => (
            <select {...props} value={signing} onChange={(e) => setSigning(e.target.value as 'hmac' | 'ed25519')}>
              <option value="hmac">HMAC-SHA256</option>
              <option value="ed25519">Ed25519</option>
            </select>
          )}
        </Field>
      )}
      <div className="field">
        <label className="wh-check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
        <p className="help">A disabled endpoint receives nothing; its deliveries are skipped.</p>
      </div>
      <FormActions
        onCancel={onClose}
        pending={save.isPending}
        pendingLabel="Saving…"
        label={endpoint ? 'Save endpoint' : 'Create endpoint'}
      />
    </form>
  );
}

/* ---------------------------------------------------------------- deliveries */

type DeliveryFilters = { endpoint: string; eventType: string; status: string; range: TimeRange; q: string };
const noFilters: DeliveryFilters = { endpoint: '', eventType: '', status: '', range: anyTime, q: '' };

function DeliveryLog() {
  const { can } = useSession();
  const pages = useCursorPages();
  const [filters, setFilters] = useState<DeliveryFilters>(noFilters);
  const [draftQ, setDraftQ] = useState('');
  const [selected, setSelected] = useState<string>();
  const [replaying, setReplaying] = useState(false);
  const endpoints = useEndpointNames();
  const eventTypes = useEventTypes();
  const urlOf = (id: string) => endpoints.data?.data.find((e) => e.id === id)?.url ?? id;
  const update = (change: Partial<DeliveryFilters>) => {
    setFilters((f) => ({ ...f, ...change }));
    pages.reset();
  };
  const list = useQuery({
    queryKey: webhookKeys.deliveriesPage(filters, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/webhooks/deliveries', {
          params: {
            query: {
              limit: 25,
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
              ...(filters.endpoint ? { endpoint_id: filters.endpoint } : {}),
              ...(filters.eventType ? { event_type: filters.eventType } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.q ? { q: filters.q } : {}),
              ...rangeQuery(filters.range),
            },
          },
        }),
      ),
    // While something is on its way, keep the log current.
    refetchInterval: (query) =>
      query.state.data?.data.some((d) => d.status === 'pending' || d.status === 'dispatched') ? 5000 : false,
  });
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);
  return (
    <section className="stack" aria-labelledby="deliveries-title">
      <div className="page-header">
        <h2 id="deliveries-title">Delivery log</h2>
        <div className="row">
          <button type="button" className="button" onClick={() => void list.refetch()} disabled={list.isFetching}>
            {list.isFetching ? 'Refreshing…' : 'Refresh'}
          </button>
          {can('manage_webhooks') && (
            <button type="button" className="button" onClick={() => setReplaying(true)}>
              Replay a range…
            </button>
          )}
        </div>
      </div>
      <form
        className="filters card"
        role="search"
        aria-label="Filter deliveries"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: draftQ.trim() });
        }}
      >
        <SelectField
          label="Endpoint"
          value={filters.endpoint}
          onChange={(v) => update({ endpoint: v })}
          empty="All endpoints"
          options={(endpoints.data?.data ?? []).map((e) => ({ value: e.id, label: e.url }))}
        />
        <SelectField
          label="Event type"
          value={filters.eventType}
          onChange={(v) => update({ eventType: v })}
          empty="All types"
          options={(eventTypes.data?.data ?? []).map((t) => ({ value: t.name, label: t.name }))}
        />
        <SelectField
          label="Status"
          value={filters.status}
          onChange={(v) => update({ status: v })}
          empty="Any status"
          options={deliveryStatuses.map((s) => ({ value: s, label: s }))}
        />
        <TimeRangeFilter value={filters.range} onChange={(range) => update({ range })} />
        <Field label="Search">
          {(props) => (
            <input
              {...props}
              type="search"
              value={draftQ}
              placeholder="Event or delivery id"
              onChange={(e) => setDraftQ(e.target.value)}
            />
          )}
        </Field>
        <div className="row wh-filter-buttons">
          <button type="submit" className="button">
            Search
          </button>
          {filtered && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraftQ('');
                update(noFilters);
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </form>
      {list.isPending ? (
        <Loading what="Loading deliveries" />
      ) : list.error ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No deliveries match these filters">Widen the time range or clear the filters.</EmptyState>
        ) : (
          <EmptyState title="No deliveries yet">
            Deliveries appear here once an event is published to a type an enabled endpoint subscribes to.
          </EmptyState>
        )
      ) : (
        <>
          <div className="table-wrap" tabIndex={0}>
            <table data-testid="deliveries-table">
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Event</th>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last response</th>
                  <th scope="col">Next attempt</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((d) => (
                  <DeliveryRow key={d.id} delivery={d} url={urlOf(d.endpoint_id)} onOpen={() => setSelected(d.id)} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} nextCursor={list.data.next_cursor} />
        </>
      )}
      <DeliveryDialog
        id={selected}
        url={selected ? urlOf(list.data?.data.find((d) => d.id === selected)?.endpoint_id ?? '') : ''}
        onClose={() => setSelected(undefined)}
      />
      {can('manage_webhooks') && <ReplayDialog open={replaying} onClose={() => setReplaying(false)} />}
    </section>
  );
}

function DeliveryRow({ delivery: d, url, onOpen }: { delivery: Delivery; url: string; onOpen: () => void }) {
  return (
    <tr data-testid="delivery-row">
      <td>
        <Time iso={d.created_at} />
      </td>
      <td>
        <code>{d.event_type}</code>
        <div className="muted small">
          <code>{d.event_id}</code>
        </div>
      </td>
      <td className="wh-url">{url}</td>
      <td>
        <Badge value={d.status} />
        {d.skip_reason && <div className="muted small">{d.skip_reason}</div>}
      </td>
      <td>{d.attempt_count}</td>
      <td>{d.last_status_code ?? (d.last_error ? <span className="small">{d.last_error}</span> : '—')}</td>
      <td>{d.next_attempt_at ? <Time iso={d.next_attempt_at} /> : '—'}</td>
      <td>
        <button
          type="button"
          className="button button-small"
          onClick={onOpen}
          aria-label={`Details of delivery ${d.id}`}
        >
          Details
        </button>
      </td>
    </tr>
  );
}

function DeliveryDialog({ id, url, onClose }: { id: string | undefined; url: string; onClose: () => void }) {
  return (
    <Dialog title="Delivery" open={id !== undefined} onClose={onClose} wide>
      {id && <DeliveryDetail id={id} url={url} />}
    </Dialog>
  );
}

function DeliveryDetail({ id, url }: { id: string; url: string }) {
  const { can } = useSession();
  const [attemptId, setAttemptId] = useState<string>();
  const detail = useQuery({
    queryKey: webhookKeys.delivery(id),
    queryFn: () => call(api.GET('/v1/webhooks/deliveries/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'pending' || status === 'dispatched' ? 2000 : false;
    },
  });
  const retry = useWrite({
    run: () => call(api.POST('/v1/webhooks/deliveries/{id}/retry', { params: { path: { id } } })),
    success: 'Delivery queued for another attempt now.',
    invalidate: [webhookKeys.all],
  });
  if (detail.isPending) return <Loading what="Loading the delivery" />;
  if (detail.error) return <ErrorState error={detail.error} retry={() => void detail.refetch()} />;
  const d = detail.data;
  const canRetry = can('retry_failed_delivery');
  return (
    <div className="stack" data-testid="delivery-detail">
      <div className="row wh-spread">
        <Badge value={d.status} />
        {canRetry && (
          <button
            type="button"
            className="button button-primary"
            disabled={retry.isPending || d.status === 'dispatched'}
            title={d.status === 'dispatched' ? 'An attempt is in flight' : undefined}
            onClick={() => retry.mutate(undefined)}
          >
            {retry.isPending ? 'Retrying…' : 'Retry now'}
          </button>
        )}
      </div>
      <dl className="details">
        <dt>Delivery</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
        <dt>Endpoint</dt>
        <dd className="wh-url">{url || d.endpoint_id}</dd>
        <dt>Event</dt>
        <dd>
          <code>{d.event_type}</code> · <code>{d.event_id}</code>
        </dd>
        <dt>Created</dt>
        <dd>{formatTime(d.created_at)}</dd>
        <dt>Delivered</dt>
        <dd>{formatTime(d.delivered_at)}</dd>
        {d.next_attempt_at && (
          <>
            <dt>Next attempt</dt>
            <dd>
              {formatTime(d.next_attempt_at)} ({d.next_trigger})
            </dd>
          </>
        )}
        {d.last_error && (
          <>
            <dt>Last error</dt>
            <dd>{d.last_error}</dd>
          </>
        )}
        {d.skip_reason && (
          <>
            <dt>Skipped because</dt>
            <dd>{d.skip_reason}</dd>
          </>
        )}
      </dl>
      <h3>Attempts ({d.attempts.length})</h3>
      {d.attempts.length === 0 ? (
        <p className="muted">
          No attempt yet{d.next_attempt_at ? `; the first is due ${formatTime(d.next_attempt_at)}` : ''}.
        </p>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table data-testid="attempts-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Started</th>
                <th scope="col">Trigger</th>
                <th scope="col">Outcome</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.attempts.map((a) => (
                <tr key={a.id} data-testid="attempt-row" className={a.id === attemptId ? 'wh-selected' : undefined}>
                  <td>{a.attempt_number}</td>
                  <td>{formatTime(a.started_at)}</td>
                  <td>{a.trigger}</td>
                  <td>
                    <AttemptOutcome outcome={a.outcome} />
                  </td>
                  <td>{a.status_code ?? '—'}</td>
                  <td>{duration(a.duration_ms)}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      aria-expanded={a.id === attemptId}
                      onClick={() => setAttemptId(a.id === attemptId ? undefined : a.id)}
                    >
                      {a.id === attemptId ? 'Hide' : `Attempt ${a.attempt_number}`}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {attemptId && <AttemptDetail deliveryId={id} attemptId={attemptId} />}
      <h3>Payload</h3>
      <JsonBlock value={d.event.data} label="Event payload" />
    </div>
  );
}

/**
 * An attempt's outcome. `interrupted`: the process sending it stopped before the response was recorded, so the
 * receiver may or may not have got it (the delivery is sent again with the same webhook-id).
 */
function AttemptOutcome({ outcome }: { outcome: string }) {
  if (outcome === 'interrupted') return <Badge value="maintenance" label="interrupted — outcome unknown" />;
  if (outcome === 'in_flight') return <Badge value="testing" label="in flight" />;
  return <Badge value={outcome} />;
}

function AttemptDetail({ deliveryId, attemptId }: { deliveryId: string; attemptId: string }) {
  const attempt = useQuery({
    queryKey: webhookKeys.attempt(deliveryId, attemptId),
    queryFn: () =>
      call(
        api.GET('/v1/webhooks/deliveries/{id}/attempts/{attemptId}', {
          params: { path: { id: deliveryId, attemptId } },
        }),
      ),
  });
  if (attempt.isPending) return <Loading what="Loading the attempt" />;
  if (attempt.error) return <ErrorState error={attempt.error} />;
  const a = attempt.data;
  return (
    <section className="card stack" aria-label={`Attempt ${a.attempt_number}`} data-testid="attempt-detail">
      <h4 className="wh-subtitle">Attempt {a.attempt_number}</h4>
      <dl className="details">
        <dt>Outcome</dt>
        <dd>
          <AttemptOutcome outcome={a.outcome} />
        </dd>
        <dt>Response status</dt>
        <dd>{a.status_code ?? 'no response'}</dd>
        <dt>Latency</dt>
        <dd>{duration(a.duration_ms)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(a.started_at)}</dd>
        <dt>Request URL</dt>
        <dd className="wh-url">{a.request_url}</dd>
        {a.error && (
          <>
            <dt>Error</dt>
            <dd>{a.error}</dd>
          </>
        )}
      </dl>
      <h5 className="wh-subtitle">Response headers</h5>
      <HeaderList headers={a.response_headers} label="Response headers" />
      <h5 className="wh-subtitle">Response body{a.response_truncated && ' (first 64 KiB)'}</h5>
      {a.response_body ? (
        <pre className="code" tabIndex={0} aria-label="Response body">
          {prettyJson(a.response_body)}
        </pre>
      ) : (
        <p className="muted small">Empty.</p>
      )}
    </section>
  );
}

/* ---------------------------------------------------------------- replay */

const replayStatuses = ['failed', 'pending', 'delivered', 'skipped'] as const;
type ReplayStatus = (typeof replayStatuses)[number];

function ReplayDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog title="Replay deliveries" open={open} onClose={onClose}>
      {open && <ReplayForm onClose={onClose} />}
    </Dialog>
  );
}

function ReplayForm({ onClose }: { onClose: () => void }) {
  const endpoints = useEndpointNames();
  const eventTypes = useEventTypes();
  const [from, setFrom] = useState(() => localInput(new Date(Date.now() - 86_400_000)));
  const [to, setTo] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [eventType, setEventType] = useState('');
  const [statuses, setStatuses] = useState<ReplayStatus[]>(['failed']);
  const [includeMissing, setIncludeMissing] = useState(false);
  const [count, setCount] = useState<ReplayDryRun>();
  const body = () => ({
    since: from ? new Date(from).toISOString() : '',
    ...(to ? { until: new Date(to).toISOString() } : {}),
    ...(endpoint ? { endpoint_id: endpoint } : {}),
    ...(eventType ? { event_types: [eventType] } : {}),
    statuses,
    include_missing: includeMissing,
  });
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setCount(undefined);
    };
  const dryRun = useWrite({
    run: async () =>
      (await call(api.POST('/v1/webhooks/replay', { body: { ...body(), dry_run: true } }))) as ReplayDryRun,
    onSuccess: (result) => setCount(result),
  });
  const replay = useWrite({
    run: async () => (await call(api.POST('/v1/webhooks/replay', { body: body() }))) as ReplayResult,
    success: (r) =>
      `Replay started: ${r.requeued} deliveries sent again, ${r.created} created${r.skipped_disabled ? `, ${r.skipped_disabled} of disabled endpoints left alone` : ''}.`,
    invalidate: [webhookKeys.all],
    onSuccess: onClose,
  });
  const errors = fieldErrors(dryRun.error ?? replay.error);
  const total = count ? count.deliveries + count.missing : 0;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        dryRun.mutate(undefined);
      }}
      noValidate
    >
      <p className="muted">
        Send the deliveries of events in a time range again. Count them first; nothing is sent until you confirm.
      </p>
      <div className="wh-two">
        <Field label="Events from" required error={errors.since}>
          {(props) => (
            <input {...props} type="datetime-local" value={from} onChange={(e) => change(setFrom)(e.target.value)} />
          )}
        </Field>
        <Field label="Until" help="Empty: now" error={errors.until}>
          {(props) => (
            <input {...props} type="datetime-local" value={to} onChange={(e) => change(setTo)(e.target.value)} />
          )}
        </Field>
      </div>
      <SelectField
        label="Endpoint"
        error={errors.endpoint_id}
        value={endpoint}
        onChange={(v) => change(setEndpoint)(v)}
        empty="All endpoints"
        options={(endpoints.data?.data ?? []).map((e) => ({ value: e.id, label: e.url }))}
      />
      <SelectField
        label="Event type"
        error={errors.event_types}
        value={eventType}
        onChange={(v) => change(setEventType)(v)}
        empty="All types"
        options={(eventTypes.data?.data ?? []).map((t) => ({ value: t.name, label: t.name }))}
      />
      <fieldset className="wh-fieldset">
        <legend>Deliveries to send again</legend>
        <ul className="wh-checklist wh-inline">
          {replayStatuses.map((s) => (
            <li key={s}>
              <label>
                <input
                  type="checkbox"
                  checked={statuses.includes(s)}
                  onChange={(e) =>
                    change(setStatuses)(e.target.checked ? [...statuses, s] : statuses.filter((x) => x !== s))
                  }
                />{' '}
                {s}
              </label>
            </li>
          ))}
        </ul>
        {errors.statuses && (
          <p className="field-error" role="alert">
            {errors.statuses}
          </p>
        )}
      </fieldset>
      <div className="field">
        <label className="wh-check">
          <input
            type="checkbox"
            checked={includeMissing}
            onChange={(e) => change(setIncludeMissing)(e.target.checked)}
          />{' '}
          Also create deliveries missing for subscribed endpoints
        </label>
      </div>
      {count && (
        <p className="callout callout-info" role="status" data-testid="replay-count">
          {total === 0
            ? 'Nothing to replay in this range.'
            : `This replay would send ${count.deliveries} ${count.deliveries === 1 ? 'delivery' : 'deliveries'} again`}
          {total > 0 && count.missing > 0 && ` and create ${count.missing} missing`}
          {total > 0 && '.'}
          {count.skipped_disabled > 0 && ` ${count.skipped_disabled} of disabled endpoints are left alone.`}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={dryRun.isPending || statuses.length === 0}>
          {dryRun.isPending ? 'Counting…' : 'Count deliveries'}
        </button>
        {count && total > 0 && (
          <button
            type="button"
            className="button button-primary"
            disabled={replay.isPending}
            onClick={() => replay.mutate(undefined)}
          >
            {replay.isPending ? 'Replaying…' : `Replay ${total} ${total === 1 ? 'delivery' : 'deliveries'}`}
          </button>
        )}
      </div>
    </form>
  );
}

/* ---------------------------------------------------------------- publish */

/** Publish one event of a tenant event type: every enabled endpoint subscribed to it gets a delivery. */
function PublishForm({ onClose }: { onClose: () => void }) {
  const eventTypes = useEventTypes();
  const own = (eventTypes.data?.data ?? []).filter((t) => !t.built_in && !t.archived_at);
  const [type, setType] = useState('');
  const [data, setData] = useState('{\n  \n}');
  const [key, setKey] = useState('');
  const [jsonError, setJsonError] = useState<string>();
  const chosen = type || own[0]?.name || '';
  const publish = useWrite({
    run: (payload: Record<string, unknown>) =>
      call(
        api.POST('/v1/events', {
          body: { type: chosen, data: payload, ...(key.trim() ? { idempotency_key: key.trim() } : {}) },
        }),
      ),
    success: (event) => `Event ${event.id} published.`,
    invalidate: [webhookKeys.all],
    onSuccess: onClose,
  });
  const errors = fieldErrors(publish.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch (error) {
      setJsonError(`This is not valid JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      setJsonError('The data must be a JSON object, e.g. {"order": "A-1"}.');
      return;
    }
    setJsonError(undefined);
    publish.mutate(payload as Record<string, unknown>);
  };
  if (eventTypes.isPending) return <Loading what="Loading event types" />;
  if (eventTypes.error) return <ErrorState error={eventTypes.error} />;
  if (own.length === 0) {
    return (
      <EmptyState title="No event types yet">
        Define one first under <Link to="/webhooks/event-types">Event types</Link>; the platform’s built-in types are
        published by Switchyard itself.
      </EmptyState>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Event type" required error={errors.type}>
        {(props) => (
          <select {...props} value={chosen} onChange={(e) => setType(e.target.value)}>
            {own.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Data"
        required
        error={jsonError ?? errors.data}
        help="A JSON object; it must match the type’s schema when it has one."
      >
        {(props) => <textarea {...props} rows={8} value={data} onChange={(e) => setData(e.target.value)} />}
      </Field>
      <Field label="Idempotency key" help="Optional: publishing again with the same key within 24 hours is a no-op.">
        {(props) => <input {...props} value={key} onChange={(e) => setKey(e.target.value)} />}
      </Field>
      <FormActions onCancel={onClose} pending={publish.isPending} pendingLabel="Publishing…" label="Publish" />
    </form>
  );
}
