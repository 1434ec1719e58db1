import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors, type Schemas } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys, inboundKeys } from '../../query-keys.js';
import {
  Badge,
  ConfirmDialog,
  CopyButton,
  Dialog,
  EmptyState,
  ErrorState,
  Field,
  FormActions,
  formatTime,
  Loading,
  Pager,
  prettyJson,
  SelectField,
  Time,
  useCursorPages,
} from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { AutoRefreshControls, useAutoRefresh } from './shared/auto-refresh.js';
import { bytes, splitList } from './shared/format.js';
import { HeaderList } from './shared/header-list.js';
import { SecretOnce } from './shared/secret-once.js';
import { anyTime, localInput, rangeQuery, TimeRangeFilter, type TimeRange } from './shared/time-range.js';
import './webhooks.css';

type Source = Schemas['InboundSource'];
type Verification = Source['verification'];
type Scheme = Verification['type'];
type InboundEvent = Schemas['InboundEvent'];

const schemes: { value: Scheme; label: string; secret: string | null; help: string }[] = [
  {
    value: 'standard_webhooks',
    label: 'Standard Webhooks',
    secret: 'Signing secret (whsec_…)',
    help: 'webhook-id, webhook-timestamp and webhook-signature headers (Svix, Resend, Clerk, Switchyard itself…).',
  },
  { value: 'stripe', label: 'Stripe', secret: 'Signing secret (whsec_…)', help: 'The Stripe-Signature header.' },
  { value: 'github', label: 'GitHub', secret: 'Webhook secret', help: 'The X-Hub-Signature-256 header.' },
  {
    value: 'slack',
    label: 'Slack',
    secret: 'Signing secret',
    help: 'X-Slack-Signature and X-Slack-Request-Timestamp.',
  },
  { value: 'shopify', label: 'Shopify', secret: 'App secret', help: 'The X-Shopify-Hmac-Sha256 header.' },
  {
    value: 'generic_hmac',
    label: 'Generic HMAC',
    secret: 'HMAC secret',
    help: 'An HMAC of the body (optionally with a timestamp) in a header you name.',
  },
  {
    value: 'hubspot_v3',
    label: 'HubSpot (v3)',
    secret: 'App client secret',
    help: 'X-HubSpot-Signature-v3 over the method, this URL, the body and the timestamp.',
  },
  { value: 'twilio', label: 'Twilio', secret: 'Auth token', help: 'X-Twilio-Signature over this URL and the form.' },
  {
    value: 'square',
    label: 'Square',
    secret: 'Signature key',
    help: 'x-square-hmacsha256-signature over this URL and the body.',
  },
  {
    value: 'graph_client_state',
    label: 'Microsoft Graph (clientState)',
    secret: 'clientState',
    help: 'Every notification’s clientState must match (Teams, OneDrive, Outlook).',
  },
  {
    value: 'basic_auth',
    label: 'HTTP Basic auth',
    secret: 'Password',
    help: 'A user name and password; without a user name the secret is user:password.',
  },
  { value: 'api_key_header', label: 'API key in a header', secret: 'API key', help: 'A fixed key in a header.' },
  {
    value: 'body_token',
    label: 'Token in the JSON body',
    secret: 'Token',
    help: 'A shared token the sender echoes in the body (Zoho CRM: $.token).',
  },
  { value: 'none', label: 'None', secret: null, help: 'Anyone who knows the URL can post to it.' },
];

const schemeLabel = (type: Scheme) => schemes.find((s) => s.value === type)?.label ?? type;

const eventStatuses = ['received', 'processed', 'failed', 'duplicate', 'rejected'] as const;
const replayableStatuses = new Set<InboundEvent['status']>(['received', 'processed', 'failed']);

export function Inbound() {
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  return (
    <section className="page wh-page" aria-labelledby="inbound-title">
      <header className="page-header">
        <div>
          <h1 id="inbound-title">Inbound webhooks</h1>
          <p className="muted">
            Public URLs that receive vendors’ webhooks, verify them and log every request they receive.
          </p>
        </div>
        {can('manage_inbound') && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Add source
          </button>
        )}
      </header>
      <Sources creating={creating} onDone={() => setCreating(false)} />
      <EventLog />
    </section>
  );
}

function useSourceNames() {
  return useQuery({
    queryKey: inboundKeys.sourceNames,
    queryFn: () => call(api.GET('/v1/inbound/sources', { params: { query: { limit: 200 } } })),
  });
}

/* ---------------------------------------------------------------- sources */

type Revealed = { title: string; note?: string; items: { label: string; value: string; secret?: boolean }[] };

function Sources({ creating, onDone }: { creating: boolean; onDone: () => void }) {
  const { can } = useSession();
  const manage = can('manage_inbound');
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: inboundKeys.sourcesPage(pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/inbound/sources', {
          params: { query: { limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
  });
  const connections = useConnections();
  const [editing, setEditing] = useState<Source>();
  const [rotatingToken, setRotatingToken] = useState<Source>();
  const [rotatingSecret, setRotatingSecret] = useState<Source>();
  const [deleting, setDeleting] = useState<Source>();
  const [revealed, setRevealed] = useState<Revealed>();
  const connectionName = (id: string | null) =>
    id ? (connections.data?.data.find((c) => c.id === id)?.name ?? id) : undefined;

  const remove = useWrite({
    run: (source: Source) => call(api.DELETE('/v1/inbound/sources/{id}', { params: { path: { id: source.id } } })),
    success: (_, source) => `Source ${source.name} deleted; its URL no longer accepts requests.`,
    invalidate: [inboundKeys.all],
    onSuccess: () => setDeleting(undefined),
  });

  return (
    <section className="stack" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      {list.isPending ? (
        <Loading what="Loading sources" />
      ) : list.error ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 && pages.page === 1 ? (
        <EmptyState title="No sources yet — add one to get a URL vendors can send webhooks to">
          {manage
            ? 'Use “Add source”, pick how the vendor signs its requests, and paste the URL into the vendor’s webhook settings.'
            : 'Someone with the manage_inbound capability can add one.'}
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap" tabIndex={0}>
            <table data-testid="sources-table">
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">URL</th>
                  <th scope="col">Verification</th>
                  <th scope="col">State</th>
                  <th scope="col">Rejected</th>
                  {manage && (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((s) => (
                  <tr key={s.id} data-testid="source-row">
                    <td>
                      <strong>{s.name}</strong>
                      {s.description && <div className="muted small">{s.description}</div>}
                      {s.connection_id && <div className="small">Connection: {connectionName(s.connection_id)}</div>}
                    </td>
                    <td>
                      <div className="wh-copy">
                        <code className="wh-url" data-testid="source-url">
                          {s.url}
                        </code>
                        <CopyButton text={s.url} label="Copy URL" />
                      </div>
                      {s.previous_url_expires_at && (
                        <div className="muted small">
                          The previous URL works until {formatTime(s.previous_url_expires_at)}.
                        </div>
                      )}
                    </td>
                    <td>
                      {schemeLabel(s.verification.type)}
                      <div className="muted small">
                        {s.verification.type === 'none'
                          ? 'no secret'
                          : `${s.secrets.length} ${s.secrets.length === 1 ? 'secret' : 'secrets'}`}
                        {s.verification.ip_allow?.length ? ` · ${s.verification.ip_allow.length} IP ranges` : ''}
                      </div>
                    </td>
                    <td>
                      <Badge value={s.enabled ? 'enabled' : 'disabled'} />
                    </td>
                    <td>
                      {s.rejections.count}
                      {s.rejections.last_reason && (
                        <div className="muted small" title={formatTime(s.rejections.last_at)}>
                          Last: {s.rejections.last_reason}
                        </div>
                      )}
                    </td>
                    {manage && (
                      <td>
                        <div className="row wh-row-actions">
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Edit ${s.name}`}
                            onClick={() => setEditing(s)}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Rotate URL of ${s.name}`}
                            onClick={() => setRotatingToken(s)}
                          >
                            Rotate URL
                          </button>
                          {s.verification.type !== 'none' && (
                            <button
                              type="button"
                              className="button button-small"
                              aria-label={`Rotate secret of ${s.name}`}
                              onClick={() => setRotatingSecret(s)}
                            >
                              Rotate secret
                            </button>
                          )}
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Delete ${s.name}`}
                            onClick={() => setDeleting(s)}
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
          <Dialog title="Add source" open={creating} onClose={onDone}>
            {creating && (
              <SourceForm
                onClose={onDone}
                onCreated={(created) => {
                  onDone();
                  setRevealed({
                    title: 'Source created',
                    note: 'Give this URL to the vendor as its webhook URL.',
                    items: [
                      { label: 'URL', value: created.source.url },
                      ...(created.secret ? [{ label: 'Secret', value: created.secret, secret: true }] : []),
                    ],
                  });
                }}
              />
            )}
          </Dialog>
          <Dialog title="Edit source" open={editing !== undefined} onClose={() => setEditing(undefined)}>
            {editing && <SourceForm source={editing} onClose={() => setEditing(undefined)} />}
          </Dialog>
          <RotateTokenDialog
            source={rotatingToken}
            onClose={() => setRotatingToken(undefined)}
            onRotated={(source) => {
              setRotatingToken(undefined);
              setRevealed({
                title: 'New URL',
                note: 'Update the vendor’s webhook settings with this URL.',
                items: [{ label: 'URL', value: source.url }],
              });
            }}
          />
          <RotateSecretDialog
            source={rotatingSecret}
            onClose={() => setRotatingSecret(undefined)}
            onRotated={(secret) => {
              setRotatingSecret(undefined);
              if (secret)
                setRevealed({ title: 'New secret', items: [{ label: 'Secret', value: secret, secret: true }] });
            }}
          />
          <ConfirmDialog
            title="Delete the source"
            open={deleting !== undefined}
            confirmLabel="Delete source"
            pending={remove.isPending}
            onConfirm={() => deleting && remove.mutate(deleting)}
            onClose={() => setDeleting(undefined)}
          >
            <p>
              <strong>{deleting?.name}</strong>’s URL stops accepting requests at once, and its event log is deleted
              with it.
            </p>
          </ConfirmDialog>
        </>
      )}
      <SecretOnce
        title={revealed?.title ?? ''}
        open={revealed !== undefined}
        onClose={() => setRevealed(undefined)}
        items={revealed?.items ?? []}
        {...(revealed?.note ? { note: revealed.note } : {})}
      />
    </section>
  );
}

function useConnections() {
  const { can } = useSession();
  return useQuery({
    queryKey: connectionKeys.picker,
    queryFn: () => call(api.GET('/v1/connections', { params: { query: { limit: 200, sort: 'name' } } })),
    enabled: can('list_connections'),
  });
}

/** The verification form's fields, flat; `toVerification` builds the scheme object the API takes. */
type VerificationForm = {
  type: Scheme | '';
  tolerance: string;
  ipAllow: string;
  algorithm: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  header: string;
  prefix: string;
  timestampHeader: string;
  signedContent: string;
  deliveryIdHeader: string;
  eventTypeHeader: string;
  username: string;
  tokenPath: string;
};

function fromVerification(v: Verification | undefined): VerificationForm {
  const form: VerificationForm = {
    type: v?.type ?? 'standard_webhooks',
    tolerance: v && 'tolerance_seconds' in v && v.tolerance_seconds !== undefined ? String(v.tolerance_seconds) : '',
    ipAllow: v?.ip_allow?.join('\n') ?? '',
    algorithm: 'sha256',
    encoding: 'hex',
    header: '',
    prefix: '',
    timestampHeader: '',
    signedContent: '{body}',
    deliveryIdHeader: '',
    eventTypeHeader: '',
    username: '',
    tokenPath: '$.token',
  };
  if (v?.type === 'generic_hmac') {
    Object.assign(form, {
      algorithm: v.algorithm,
      encoding: v.encoding,
      header: v.header,
      prefix: v.prefix ?? '',
      timestampHeader: v.timestamp_header ?? '',
      signedContent: v.signed_content,
      deliveryIdHeader: v.delivery_id_header ?? '',
      eventTypeHeader: v.event_type_header ?? '',
    });
  }
  if (v?.type === 'api_key_header') form.header = v.header;
  if (v?.type === 'basic_auth') form.username = v.username ?? '';
  if (v?.type === 'body_token') form.tokenPath = v.path;
  return form;
}

function toVerification(f: VerificationForm): Verification | undefined {
  const ip = splitList(f.ipAllow);
  const common = ip.length ? { ip_allow: ip } : {};
  const tolerance = f.tolerance.trim() ? { tolerance_seconds: Number(f.tolerance) } : {};
  const optional = (key: string, value: string) => (value.trim() ? { [key]: value.trim() } : {});
  switch (f.type) {
    case '':
      return undefined;
    case 'standard_webhooks':
    case 'stripe':
    case 'slack':
      return { type: f.type, ...tolerance, ...common };
    case 'hubspot_v3':
      return { type: f.type, ...tolerance, ...common };
    case 'github':
    case 'shopify':
    case 'twilio':
    case 'square':
    case 'graph_client_state':
    case 'none':
      return { type: f.type, ...common };
    case 'basic_auth':
      return { type: f.type, ...optional('username', f.username), ...common };
    case 'body_token':
      return { type: f.type, path: f.tokenPath.trim(), ...common };
    case 'api_key_header':
      return { type: f.type, header: f.header.trim(), ...common };
    case 'generic_hmac':
      return {
        type: f.type,
        algorithm: f.algorithm,
        encoding: f.encoding,
        header: f.header.trim(),
        signed_content: f.signedContent.trim() || '{body}',
        ...optional('prefix', f.prefix),
        ...optional('timestamp_header', f.timestampHeader),
        ...optional('delivery_id_header', f.deliveryIdHeader),
        ...optional('event_type_header', f.eventTypeHeader),
        ...tolerance,
        ...common,
      };
  }
}

function SourceForm({
  source,
  onClose,
  onCreated,
}: {
  source?: Source;
  onClose: () => void;
  onCreated?: (created: Schemas['InboundSourceCreated']) => void;
}) {
  const { can } = useSession();
  const connections = useConnections();
  const [name, setName] = useState(source?.name ?? '');
  const [description, setDescription] = useState(source?.description ?? '');
  const [connectionId, setConnectionId] = useState(source?.connection_id ?? '');
  const [v, setV] = useState<VerificationForm>(() => fromVerification(source?.verification));
  const [secret, setSecret] = useState('');
  const [maxBody, setMaxBody] = useState(String(source?.max_body_bytes ?? 1_048_576));
  const [dedupWindow, setDedupWindow] = useState(String(source?.dedup_window_seconds ?? 86_400));
  const [enabled, setEnabled] = useState(source?.enabled ?? true);
  const set = (change: Partial<VerificationForm>) => setV((f) => ({ ...f, ...change }));
  const scheme = schemes.find((s) => s.value === v.type);
  const secretLabel = v.type === '' ? 'Secret' : scheme?.secret;

  const save = useWrite({
    run: async (): Promise<Schemas['InboundSourceCreated'] | undefined> => {
      const verification = toVerification(v);
      const common = {
        name: name.trim(),
        description,
        ...(verification ? { verification } : {}),
        max_body_bytes: Number(maxBody),
        dedup_window_seconds: Number(dedupWindow),
        enabled,
      };
      if (source) {
        await call(api.PATCH('/v1/inbound/sources/{id}', { params: { path: { id: source.id } }, body: common }));
        return undefined;
      }
      return call(
        api.POST('/v1/inbound/sources', {
          body: {
            ...common,
            ...(connectionId ? { connection_id: connectionId } : {}),
            ...(secret && v.type !== 'none' ? { secret } : {}),
          },
        }),
      );
    },
    success: source ? 'Source saved.' : 'Source created.',
    invalidate: [inboundKeys.all],
    onSuccess: (created) => {
      if (created) onCreated?.(created);
      else onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  const hasTolerance = ['standard_webhooks', 'stripe', 'slack', 'generic_hmac'].includes(v.type);
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Name" required error={errors.name}>
        {(props) => <input {...props} required value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Description" error={errors.description}>
        {(props) => <input {...props} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      {can('list_connections') && (
        <Field
          label="Connection"
          error={errors.connection_id}
          help={
            source
              ? 'A source stays with the connection it was created for.'
              : 'Optional. With a connection whose connector declares its webhook scheme, verification can follow it.'
          }
        >
          {(props) => (
            <select
              {...props}
              value={connectionId}
              disabled={source !== undefined}
              onChange={(e) => {
                setConnectionId(e.target.value);
                // A connection's connector usually declares its scheme: follow it unless one is picked.
                if (e.target.value) set({ type: '' });
                else if (v.type === '') set({ type: 'standard_webhooks' });
              }}
            >
              <option value="">No connection</option>
              {connections.data?.data.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.connector.name})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <fieldset className="wh-fieldset">
        <legend>Verification</legend>
        <Field label="Scheme" error={errors.verification ?? errors.type} help={scheme?.help}>
          {(props) => (
            <select {...props} value={v.type} onChange={(e) => set({ type: e.target.value as Scheme | '' })}>
              {connectionId && !source && <option value="">The connector’s scheme</option>}
              {schemes.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {v.type === 'generic_hmac' && (
          <>
            <div className="wh-two">
              <Field label="Algorithm">
                {(props) => (
                  <select
                    {...props}
                    value={v.algorithm}
                    onChange={(e) => set({ algorithm: e.target.value as 'sha256' | 'sha512' })}
                  >
                    <option value="sha256">SHA-256</option>
                    <option value="sha512">SHA-512</option>
                  </select>
                )}
              </Field>
              <Field label="Encoding">
                {(props) => (
                  <select
                    {...props}
                    value={v.encoding}
                    onChange={(e) => set({ encoding: e.target.value as 'hex' | 'base64' })}
                  >
                    <option value="hex">Hex</option>
                    <option value="base64">Base64</option>
                  </select>
                )}
              </Field>
            </div>
            <div className="wh-two">
              <Field label="Signature header" required error={errors.header}>
                {(props) => (
                  <input
                    {...props}
                    value={v.header}
                    placeholder="X-Signature"
                    onChange={(e) => set({ header: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Signature prefix" help="e.g. sha256=" error={errors.prefix}>
                {(props) => <input {...props} value={v.prefix} onChange={(e) => set({ prefix: e.target.value })} />}
              </Field>
            </div>
            <div className="wh-two">
              <Field label="Timestamp header" help="Optional" error={errors.timestamp_header}>
                {(props) => (
                  <input
                    {...props}
                    value={v.timestampHeader}
                    onChange={(e) => set({ timestampHeader: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Signed content" help="{body}, or e.g. {timestamp}.{body}" error={errors.signed_content}>
                {(props) => (
                  <input {...props} value={v.signedContent} onChange={(e) => set({ signedContent: e.target.value })} />
                )}
              </Field>
            </div>
            <div className="wh-two">
              <Field label="Delivery id header" help="Optional; used to drop duplicates">
                {(props) => (
                  <input
                    {...props}
                    value={v.deliveryIdHeader}
                    onChange={(e) => set({ deliveryIdHeader: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Event type header" help="Optional">
                {(props) => (
                  <input
                    {...props}
                    value={v.eventTypeHeader}
                    onChange={(e) => set({ eventTypeHeader: e.target.value })}
                  />
                )}
              </Field>
            </div>
          </>
        )}
        {v.type === 'api_key_header' && (
          <Field label="Header" required error={errors.header}>
            {(props) => (
              <input
                {...props}
                value={v.header}
                placeholder="X-Api-Key"
                onChange={(e) => set({ header: e.target.value })}
              />
            )}
          </Field>
        )}
        {v.type === 'body_token' && (
          <Field label="Token path" required error={errors.path} help="A JSON path such as $.token">
            {(props) => <input {...props} value={v.tokenPath} onChange={(e) => set({ tokenPath: e.target.value })} />}
          </Field>
        )}
        {v.type === 'basic_auth' && (
          <Field label="User name" error={errors.username}>
            {(props) => <input {...props} value={v.username} onChange={(e) => set({ username: e.target.value })} />}
          </Field>
        )}
        {!source && secretLabel && (
          <Field
            label={secretLabel}
            error={errors.secret}
            help="Paste the one the vendor gave you, or leave empty to have one generated (shown once)."
          >
            {(props) => (
              <input
                {...props}
                type="password"
                autoComplete="off"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
              />
            )}
          </Field>
        )}
        {source && v.type !== 'none' && <p className="help">Secrets are changed with “Rotate secret”, not here.</p>}
        {hasTolerance && (
          <Field
            label="Timestamp tolerance (seconds)"
            help="Empty: the default (5 minutes)"
            error={errors.tolerance_seconds}
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                value={v.tolerance}
                onChange={(e) => set({ tolerance: e.target.value })}
              />
            )}
          </Field>
        )}
        {v.type !== '' && (
          <Field
            label="Allowed IP ranges"
            help="Optional; one CIDR per line. Empty: any address."
            error={errors.ip_allow}
          >
            {(props) => (
              <textarea {...props} rows={2} value={v.ipAllow} onChange={(e) => set({ ipAllow: e.target.value })} />
            )}
          </Field>
        )}
      </fieldset>
      <fieldset className="wh-fieldset">
        <legend>Limits</legend>
        <div className="wh-two">
          <Field label="Largest body (bytes)" error={errors.max_body_bytes} help="Larger requests are refused (413).">
            {(props) => (
              <input {...props} type="number" min={1} value={maxBody} onChange={(e) => setMaxBody(e.target.value)} />
            )}
          </Field>
          <Field
            label="Duplicate window (seconds)"
            error={errors.dedup_window_seconds}
            help="A delivery id seen again within it is logged as a duplicate (at most 72 h)."
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={0}
                value={dedupWindow}
                onChange={(e) => setDedupWindow(e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <div className="field">
        <label className="wh-check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
        <p className="help">A disabled source answers 404, like an unknown URL.</p>
      </div>
      <FormActions
        onCancel={onClose}
        pending={save.isPending}
        pendingLabel="Saving…"
        label={source ? 'Save source' : 'Create source'}
      />
    </form>
  );
}

const graceOptions = [
  { value: 86_400, label: '24 hours' },
  { value: 3600, label: '1 hour' },
  { value: 0, label: 'Not at all: retire it now' },
];

function RotateTokenDialog({
  source,
  onClose,
  onRotated,
}: {
  source: Source | undefined;
  onClose: () => void;
  onRotated: (source: Source) => void;
}) {
  const [grace, setGrace] = useState(86_400);
  const rotate = useWrite({
    run: (s: Source) =>
      call(
        api.POST('/v1/inbound/sources/{id}/rotate-token', {
          params: { path: { id: s.id } },
          body: { grace_seconds: grace },
        }),
      ),
    success: 'The source has a new URL.',
    invalidate: [inboundKeys.all],
    onSuccess: onRotated,
  });
  return (
    <ConfirmDialog
      title="Rotate the URL"
      open={source !== undefined}
      confirmLabel="Rotate URL"
      pending={rotate.isPending}
      onConfirm={() => source && rotate.mutate(source)}
      onClose={onClose}
    >
      <p>
        <strong>{source?.name}</strong> gets a new URL. Use this when the current one has leaked.
      </p>
      <SelectField
        label="Keep the old URL working for"
        value={grace}
        onChange={(v) => setGrace(Number(v))}
        options={graceOptions}
      />
    </ConfirmDialog>
  );
}

function RotateSecretDialog({
  source,
  onClose,
  onRotated,
}: {
  source: Source | undefined;
  onClose: () => void;
  onRotated: (secret: string | null) => void;
}) {
  const [overlap, setOverlap] = useState(86_400);
  const [own, setOwn] = useState('');
  const rotate = useWrite({
    run: (s: Source) =>
      call(
        api.POST('/v1/inbound/sources/{id}/rotate-secret', {
          params: { path: { id: s.id } },
          body: { overlap_seconds: overlap, ...(own ? { secret: own } : {}) },
        }),
      ),
    success: 'The source has a new secret.',
    invalidate: [inboundKeys.all],
    onSuccess: (result) => {
      setOwn('');
      onRotated(result.secret.secret);
    },
  });
  return (
    <ConfirmDialog
      title="Rotate the secret"
      open={source !== undefined}
      confirmLabel="Rotate secret"
      pending={rotate.isPending}
      onConfirm={() => source && rotate.mutate(source)}
      onClose={onClose}
    >
      <p>
        Requests to <strong>{source?.name}</strong> are verified with a new secret.
      </p>
      <Field
        label="New secret"
        help="Paste the vendor’s new secret, or leave empty to have one generated (shown once)."
      >
        {(props) => (
          <input {...props} type="password" autoComplete="off" value={own} onChange={(e) => setOwn(e.target.value)} />
        )}
      </Field>
      <SelectField
        label="Keep accepting the current secret for"
        value={overlap}
        onChange={(v) => setOverlap(Number(v))}
        options={graceOptions}
      />
    </ConfirmDialog>
  );
}

/* ---------------------------------------------------------------- event log */

type EventFilters = { source: string; status: string; type: string; range: TimeRange };
const noFilters: EventFilters = { source: '', status: '', type: '', range: anyTime };

function EventLog() {
  const { can } = useSession();
  const pages = useCursorPages();
  const refresh = useAutoRefresh(15);
  const sources = useSourceNames();
  const [filters, setFilters] = useState<EventFilters>(noFilters);
  const [draftType, setDraftType] = useState('');
  const [selected, setSelected] = useState<string>();
  const [replayingRange, setReplayingRange] = useState(false);
  const update = (change: Partial<EventFilters>) => {
    setFilters((f) => ({ ...f, ...change }));
    pages.reset();
  };
  const list = useQuery({
    queryKey: inboundKeys.eventsPage(filters, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/inbound/events', {
          params: {
            query: {
              limit: 25,
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
              ...(filters.source ? { source_id: filters.source } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.type ? { type: filters.type } : {}),
              ...rangeQuery(filters.range),
            },
          },
        }),
      ),
    refetchInterval: refresh.interval,
  });
  const replay = useWrite({
    run: (event: InboundEvent) =>
      call(api.POST('/v1/inbound/events/{id}/replay', { params: { path: { id: event.id } } })),
    success: 'Event queued to run through its source’s rules again.',
    invalidate: [inboundKeys.events],
  });
  const filtered = JSON.stringify(filters) !== JSON.stringify(noFilters);
  const manage = can('manage_inbound');
  return (
    <section className="stack" aria-labelledby="events-title">
      <div className="page-header">
        <h2 id="events-title">Event log</h2>
        {manage && (
          <button type="button" className="button" onClick={() => setReplayingRange(true)}>
            Replay a range…
          </button>
        )}
      </div>
      <AutoRefreshControls
        state={refresh}
        onRefresh={() => void list.refetch()}
        fetching={list.isFetching}
        updatedAt={list.dataUpdatedAt}
      />
      <form
        className="filters card"
        role="search"
        aria-label="Filter events"
        onSubmit={(e) => {
          e.preventDefault();
          update({ type: draftType.trim() });
        }}
      >
        <SelectField
          label="Source"
          value={filters.source}
          onChange={(v) => update({ source: v })}
          empty="All sources"
          options={(sources.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <SelectField
          label="Status"
          value={filters.status}
          onChange={(v) => update({ status: v })}
          empty="Any status"
          options={eventStatuses.map((s) => ({ value: s, label: s }))}
        />
        <Field label="Event type">
          {(props) => (
            <input
              {...props}
              type="search"
              value={draftType}
              placeholder="Exact, or a prefix: invoice.*"
              onChange={(e) => setDraftType(e.target.value)}
            />
          )}
        </Field>
        <TimeRangeFilter value={filters.range} onChange={(range) => update({ range })} />
        <div className="row wh-filter-buttons">
          <button type="submit" className="button">
            Apply
          </button>
          {filtered && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraftType('');
                update(noFilters);
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      </form>
      {list.isPending ? (
        <Loading what="Loading events" />
      ) : list.error ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 ? (
        filtered ? (
          <EmptyState title="No events match these filters">Widen the time range or clear the filters.</EmptyState>
        ) : (
          <EmptyState title="No events received yet">
            Give a source’s URL to the vendor; each request it sends appears here within seconds.
          </EmptyState>
        )
      ) : (
        <>
          <div className="table-wrap" tabIndex={0}>
            <table data-testid="events-table">
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Source</th>
                  <th scope="col">Type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Payload preview</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((e) => (
                  <tr key={e.id} data-testid="event-row">
                    <td>
                      <Time iso={e.received_at} />
                    </td>
                    <td>{e.source_name}</td>
                    <td>{e.event_type ? <code>{e.event_type}</code> : <span className="muted">—</span>}</td>
                    <td>
                      <Badge value={e.status} />
                      {e.replays > 0 && <div className="muted small">replayed {e.replays}×</div>}
                      {(e.rejection ?? e.error) && <div className="small">{e.rejection ?? e.error}</div>}
                    </td>
                    <td className="wh-preview">
                      {e.preview ? (
                        <code>{e.preview.length > 160 ? `${e.preview.slice(0, 160)}…` : e.preview}</code>
                      ) : (
                        <span className="muted">{e.status === 'rejected' ? 'not kept' : 'empty'}</span>
                      )}
                      <div className="muted small">{bytes(e.body_size)}</div>
                    </td>
                    <td>
                      <div className="row wh-row-actions">
                        <button
                          type="button"
                          className="button button-small"
                          aria-label={`Payload of event ${e.id}`}
                          onClick={() => setSelected(e.id)}
                        >
                          Payload
                        </button>
                        {manage && replayableStatuses.has(e.status) && (
                          <button
                            type="button"
                            className="button button-small"
                            aria-label={`Replay event ${e.id}`}
                            disabled={replay.isPending && replay.variables?.id === e.id}
                            onClick={() => replay.mutate(e)}
                          >
                            {replay.isPending && replay.variables?.id === e.id ? 'Replaying…' : 'Replay'}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} nextCursor={list.data.next_cursor} />
        </>
      )}
      <Dialog title="Inbound event" open={selected !== undefined} onClose={() => setSelected(undefined)} wide>
        {selected && <EventDetail id={selected} />}
      </Dialog>
      {manage && (
        <Dialog title="Replay events" open={replayingRange} onClose={() => setReplayingRange(false)}>
          {replayingRange && <ReplayRangeForm onClose={() => setReplayingRange(false)} />}
        </Dialog>
      )}
    </section>
  );
}

function EventDetail({ id }: { id: string }) {
  const { can } = useSession();
  const event = useQuery({
    queryKey: inboundKeys.event(id),
    queryFn: () =>
      call(api.GET('/v1/inbound/events/{id}', { params: { path: { id }, query: { include_body: 'true' } } })),
    refetchInterval: (query) => (query.state.data?.status === 'received' ? 2000 : false),
  });
  const replay = useWrite({
    run: () => call(api.POST('/v1/inbound/events/{id}/replay', { params: { path: { id } } })),
    success: 'Event queued to run through its source’s rules again.',
    invalidate: [inboundKeys.events],
  });
  if (event.isPending) return <Loading what="Loading the event" />;
  if (event.error) return <ErrorState error={event.error} retry={() => void event.refetch()} />;
  const e = event.data;
  return (
    <div className="stack" data-testid="event-detail">
      <div className="row wh-spread">
        <Badge value={e.status} />
        {can('manage_inbound') && replayableStatuses.has(e.status) && (
          <button
            type="button"
            className="button button-primary"
            disabled={replay.isPending}
            onClick={() => replay.mutate(undefined)}
          >
            {replay.isPending ? 'Replaying…' : 'Replay event'}
          </button>
        )}
      </div>
      <dl className="details">
        <dt>Event</dt>
        <dd>
          <code>{e.id}</code>
        </dd>
        <dt>Source</dt>
        <dd>{e.source_name}</dd>
        <dt>Type</dt>
        <dd>{e.event_type ?? '—'}</dd>
        <dt>Received</dt>
        <dd>{formatTime(e.received_at)}</dd>
        <dt>Processed</dt>
        <dd>{formatTime(e.processed_at)}</dd>
        <dt>From</dt>
        <dd>{e.remote_address ?? '—'}</dd>
        <dt>Delivery id</dt>
        <dd>{e.dedup_key ?? '—'}</dd>
        {e.duplicate_of && (
          <>
            <dt>Duplicate of</dt>
            <dd>
              <code>{e.duplicate_of}</code>
            </dd>
          </>
        )}
        <dt>Attempts / replays</dt>
        <dd>
          {e.attempts} / {e.replays}
        </dd>
        {(e.rejection ?? e.error) && (
          <>
            <dt>{e.rejection ? 'Rejected because' : 'Error'}</dt>
            <dd>{e.rejection ?? e.error}</dd>
          </>
        )}
        <dt>Matched rules</dt>
        <dd>{e.matched_rules.length ? e.matched_rules.join(', ') : 'none'}</dd>
      </dl>
      {e.results.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table>
            <caption className="wh-caption">Rule actions</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {e.results.map((r, i) => (
                <tr key={`${r.rule}-${r.action}-${i}`}>
                  <td>{r.rule}</td>
                  <td>{r.type}</td>
                  <td>
                    <Badge
                      value={r.ok ? 'processed' : 'failed'}
                      label={r.ok ? 'ok' : r.retryable ? 'retrying' : 'failed'}
                    />
                  </td>
                  <td className="small">
                    {r.event_id && (
                      <>
                        event <code>{r.event_id}</code>{' '}
                      </>
                    )}
                    {r.status !== null && <>HTTP {r.status} </>}
                    {r.error}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Payload</h3>
      {e.body === null ? (
        <p className="muted">{e.status === 'rejected' ? 'A rejected request’s body is not kept.' : 'Empty body.'}</p>
      ) : e.body_encoding === 'base64' ? (
        <>
          <p className="muted small">Binary body ({bytes(e.body_size)}), shown as base64.</p>
          <pre className="code" tabIndex={0} aria-label="Payload (base64)">
            {e.body}
          </pre>
        </>
      ) : (
        <pre className="code" tabIndex={0} aria-label="Payload" data-testid="event-payload">
          {prettyJson(e.body)}
        </pre>
      )}
      <h3>Headers</h3>
      <HeaderList headers={e.headers} label="Request headers" />
    </div>
  );
}

const inboundReplayStatuses = ['processed', 'failed', 'received'] as const;
type InboundReplayStatus = (typeof inboundReplayStatuses)[number];

function ReplayRangeForm({ onClose }: { onClose: () => void }) {
  const sources = useSourceNames();
  const [from, setFrom] = useState(() => localInput(new Date(Date.now() - 86_400_000)));
  const [to, setTo] = useState(() => localInput(new Date(Date.now() + 60_000)));
  const [source, setSource] = useState('');
  const [type, setType] = useState('');
  const [statuses, setStatuses] = useState<InboundReplayStatus[]>(['processed', 'failed']);
  const [count, setCount] = useState<number>();
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setCount(undefined);
    };
  const body = () => ({
    since: from ? new Date(from).toISOString() : '',
    until: to ? new Date(to).toISOString() : '',
    ...(source ? { source_id: source } : {}),
    ...(type.trim() ? { event_type: type.trim() } : {}),
    status: statuses,
  });
  const dryRun = useWrite({
    run: () => call(api.POST('/v1/inbound/replay', { body: { ...body(), dry_run: true } })),
    onSuccess: (result) => setCount(result.count),
  });
  const replay = useWrite({
    run: () => call(api.POST('/v1/inbound/replay', { body: body() })),
    success: (r) => `${r.count} ${r.count === 1 ? 'event' : 'events'} queued to run through their rules again.`,
    invalidate: [inboundKeys.events],
    onSuccess: onClose,
  });
  const errors = fieldErrors(dryRun.error ?? replay.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        dryRun.mutate(undefined);
      }}
      noValidate
    >
      <p className="muted">
        Run the events received in a time range through their sources’ rules again. Count them first; nothing runs until
        you confirm.
      </p>
      <div className="wh-two">
        <Field label="Received from" required error={errors.since}>
          {(props) => (
            <input {...props} type="datetime-local" value={from} onChange={(e) => change(setFrom)(e.target.value)} />
          )}
        </Field>
        <Field label="Until" required error={errors.until}>
          {(props) => (
            <input {...props} type="datetime-local" value={to} onChange={(e) => change(setTo)(e.target.value)} />
          )}
        </Field>
      </div>
      <SelectField
        label="Source"
        error={errors.source_id}
        value={source}
        onChange={(v) => change(setSource)(v)}
        empty="All sources"
        options={(sources.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
      />
      <Field label="Event type" help="Exact, or a prefix ending in *" error={errors.event_type}>
        {(props) => <input {...props} value={type} onChange={(e) => change(setType)(e.target.value)} />}
      </Field>
      <fieldset className="wh-fieldset">
        <legend>Events to run again</legend>
        <ul className="wh-checklist wh-inline">
          {inboundReplayStatuses.map((s) => (
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
      </fieldset>
      {count !== undefined && (
        <p className="callout callout-info" role="status" data-testid="replay-count">
          {count === 0
            ? 'No event in this range matches.'
            : `This replay would run ${count} ${count === 1 ? 'event' : 'events'} again.`}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={dryRun.isPending || statuses.length === 0}>
          {dryRun.isPending ? 'Counting…' : 'Count events'}
        </button>
        {count !== undefined && count > 0 && (
          <button
            type="button"
            className="button button-primary"
            disabled={replay.isPending}
            onClick={() => replay.mutate(undefined)}
          >
            {replay.isPending ? 'Replaying…' : `Replay ${count} ${count === 1 ? 'event' : 'events'}`}
          </button>
        )}
      </div>
    </form>
  );
}
