import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors, SwitchyardError, type Schemas } from '../api.js';
import { connectorKeys, registryKeys } from '../query-keys.js';
import {
  Badge,
  ConfirmDialog,
  CopyButton,
  Dialog,
  EmptyState,
  ErrorState,
  Field,
  FormActions,
  Loading,
  SelectField,
  Time,
} from '../ui/components.js';
import { ConnectorLogo } from '../ui/logo.js';
import { checkFields, ManifestField, payload, type Values } from './connections/FormFields.js';
import { useWrite } from '../ui/mutation.js';
import { PresentationDialog } from './RegistryPresentation.js';

type Connector = Schemas['ConnectorSummary'];
type AuthForm = Schemas['ConnectorAuthForm'];
type FormField = Schemas['ConnectorFormField'];
const availabilities = ['active', 'coming_soon', 'deprecated', 'maintenance'] as const;
const managements = ['shared', 'tenant_template', 'byop', 'hybrid'] as const;
const managementLabels: Record<(typeof managements)[number], string> = {
  shared: 'Shared credentials (the platform’s)',
  tenant_template: 'Tenant template',
  byop: 'Bring your own (tenant credentials)',
  hybrid: 'Hybrid (platform’s, tenant may override)',
};

/** The superuser's connector registry: every entry, including retired ones, with its availability and management. */
export function Registry() {
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Connector | undefined>();
  const [adding, setAdding] = useState(false);
  const [attaching, setAttaching] = useState<Connector | undefined>();
  const [presenting, setPresenting] = useState<Connector | undefined>();
  const [deleting, setDeleting] = useState<Connector | undefined>();
  const library = useQuery({
    queryKey: registryKeys.list(q),
    queryFn: () =>
      call(api.GET('/v1/connectors', { params: { query: { include_retired: 'true', ...(q ? { q } : {}) } } })),
  });
  const remove = useWrite({
    run: (c: Connector) => call(api.DELETE('/v1/connectors/{slug}', { params: { path: { slug: c.slug } } })),
    success: (_, c) => `Custom connector ${c.name} deleted.`,
    invalidate: [registryKeys.all, connectorKeys.all],
    onSuccess: () => setDeleting(undefined),
  });
  return (
    <section className="page" aria-labelledby="registry-title">
      <div className="page-header">
        <h1 id="registry-title">Connector registry</h1>
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          Add custom connector
        </button>
      </div>
      <p className="muted">
        The connector types every tenant can connect to. Built-in entries come from the manifests shipped with
        Switchyard; retire an entry to hide it from the library without touching existing connections.
      </p>
      <div className="filters">
        <Field label="Search the registry">
          {(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
      </div>
      {library.isPending ? (
        <Loading />
      ) : library.error ? (
        <ErrorState error={library.error} retry={() => void library.refetch()} />
      ) : library.data.data.length === 0 ? (
        <EmptyState title="No connector matches">Try another search.</EmptyState>
      ) : (
        <div className="table-wrap" tabIndex={0}>
          <table className="with-actions">
            <thead>
              <tr>
                <th scope="col">Connector</th>
                <th scope="col">Category</th>
                <th scope="col">Source</th>
                <th scope="col">Availability</th>
                <th scope="col">Management</th>
                <th scope="col">Platform credentials</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {library.data.data.map((c) => (
                <tr key={c.slug} data-testid={`registry-${c.slug}`}>
                  <td>
                    <span className="row">
                      <ConnectorLogo logo={c.logo} />
                      <span>
                        {c.name}
                        <div className="small muted">
                          <code>{c.slug}</code>
                        </div>
                      </span>
                    </span>
                  </td>
                  <td>{c.category}</td>
                  <td>{c.source}</td>
                  <td>{c.retired ? <Badge value="disabled" label="retired" /> : <Badge value={c.availability} />}</td>
                  <td>{c.management.replace('_', ' ')}</td>
                  <td>
                    {c.system_connection_configured ? (
                      <Badge value="active" label="attached" />
                    ) : (
                      <span className="muted">
                        {c.management === 'shared' || c.management === 'hybrid' ? 'missing' : '—'}
                      </span>
                    )}
                  </td>
                  <td>
                    <span className="row">
                      <button type="button" className="button button-small" onClick={() => setEditing(c)}>
                        Edit
                      </button>
                      {c.source === 'custom' && (
                        <button type="button" className="button button-small" onClick={() => setDeleting(c)}>
                          Delete
                        </button>
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <EditEntry
          connector={editing}
          onClose={() => setEditing(undefined)}
          onAttach={() => {
            setAttaching(editing);
            setEditing(undefined);
          }}
          onPresentation={() => {
            setPresenting(editing);
            setEditing(undefined);
          }}
        />
      )}
      {presenting && <PresentationDialog connector={presenting} onClose={() => setPresenting(undefined)} />}
      {attaching && <AttachCredentials connector={attaching} onClose={() => setAttaching(undefined)} />}
      {adding && <AddCustom onClose={() => setAdding(false)} />}
      <ConfirmDialog
        title="Delete custom connector"
        open={deleting !== undefined}
        confirmLabel="Delete connector"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong> from the registry? This is refused while any connection uses it.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function EditEntry({
  connector,
  onClose,
  onAttach,
  onPresentation,
}: {
  connector: Connector;
  onClose: () => void;
  onAttach: () => void;
  onPresentation: () => void;
}) {
  const [availability, setAvailability] = useState(connector.availability);
  const [management, setManagement] = useState(connector.management);
  const [retired, setRetired] = useState(connector.retired);
  const system = useQuery({
    queryKey: registryKeys.systemConnection(connector.slug),
    queryFn: () =>
      call(api.GET('/v1/connectors/{slug}/system-connection', { params: { path: { slug: connector.slug } } })).catch(
        (error: unknown) => {
          if (error instanceof SwitchyardError && error.status === 404) return null;
          throw error;
        },
      ),
    enabled: connector.system_connection_configured,
  });
  const save = useWrite({
    run: () =>
      call(
        api.PATCH('/v1/connectors/{slug}', {
          params: { path: { slug: connector.slug } },
          body: { availability, management, retired },
        }),
      ),
    success: `${connector.name} updated.`,
    invalidate: [registryKeys.all, connectorKeys.all],
    onSuccess: onClose,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <Dialog title={`Edit ${connector.name}`} open onClose={onClose}>
      <form onSubmit={submit}>
        <SelectField
          label="Availability"
          help="Coming soon: cannot be connected. Deprecated: can be connected, with a warning. Maintenance: connections and calls are refused for now."
          value={availability}
          onChange={(v) => setAvailability(v as Connector['availability'])}
          options={availabilities.map((a) => ({ value: a, label: a.replace('_', ' ') }))}
        />
        <SelectField
          label="Management pattern"
          help="Whose credentials connections to this connector use."
          value={management}
          onChange={(v) => setManagement(v as Connector['management'])}
          options={managements.map((m) => ({ value: m, label: managementLabels[m] }))}
        />
        <label className="row field">
          <input type="checkbox" checked={retired} onChange={(e) => setRetired(e.target.checked)} />
          Retired (hidden from the library; existing connections keep working)
        </label>
        <h3>Presentation</h3>
        <p className="muted small">
          {connector.overridden.length > 0
            ? `Changed here: ${connector.overridden.map((f) => f.replace('_', ' ')).join(', ')}.`
            : 'As the manifest says.'}
        </p>
        <button type="button" className="button button-small" onClick={onPresentation}>
          Edit name, description and badges
        </button>
        <h3>Platform credentials</h3>
        {!connector.system_connection_configured ? (
          <p className="muted small">
            None attached. Shared connectors need them; hybrid ones use them unless a tenant brings its own.
          </p>
        ) : system.isPending ? (
          <Loading />
        ) : system.error ? (
          <ErrorState error={system.error} />
        ) : system.data ? (
          <dl className="details small">
            <dt>Auth method</dt>
            <dd>{system.data.auth_method}</dd>
            <dt>Credential fields set</dt>
            <dd>{system.data.credentials_set.join(', ') || '—'}</dd>
            <dt>Updated</dt>
            <dd>
              <Time iso={system.data.updated_at} />
            </dd>
          </dl>
        ) : null}
        <button type="button" className="button button-small" onClick={onAttach}>
          {connector.system_connection_configured ? 'Replace platform credentials' : 'Attach platform credentials'}
        </button>
        <FormActions onCancel={onClose} pending={save.isPending} pendingLabel="Saving…" label="Save" />
      </form>
    </Dialog>
  );
}

/** What the platform's credentials for an auth method consist of: its form, or for OAuth the app's client. */
function credentialFields(method: AuthForm): FormField[] {
  if (method.type !== 'oauth2') return method.fields;
  return [
    { key: 'client_id', label: 'Client ID', type: 'string', required: true, secret: false },
    { key: 'client_secret', label: 'Client secret', type: 'password', required: false, secret: true },
  ];
}

/** Attach (or replace) the credentials a shared or hybrid connector uses for every tenant. */
function AttachCredentials({ connector, onClose }: { connector: Connector; onClose: () => void }) {
  const detail = useQuery({
    queryKey: registryKeys.detail(connector.slug),
    queryFn: () => call(api.GET('/v1/connectors/{slug}', { params: { path: { slug: connector.slug } } })),
  });
  const [methodType, setMethodType] = useState<string | undefined>();
  const [config, setConfig] = useState<Values>({});
  const [credentials, setCredentials] = useState<Values>({});
  const [local, setLocal] = useState<Record<string, string>>({});
  const methods = detail.data?.auth ?? [];
  const method = methods.find((m) => m.id === methodType) ?? methods[0];
  const fields = method ? credentialFields(method) : [];
  const attach = useWrite({
    run: () =>
      call(
        api.PUT('/v1/connectors/{slug}/system-connection', {
          params: { path: { slug: connector.slug } },
          body: {
            ...(method ? { auth_method: method.id } : {}),
            config: payload(detail.data?.config ?? [], config),
            credentials: payload(fields, credentials),
          },
        }),
      ),
    success: `Platform credentials for ${connector.name} saved and sealed.`,
    invalidate: [registryKeys.all, connectorKeys.all],
    onSuccess: onClose,
    quietErrors: true,
  });
  const errors = { ...fieldErrors(attach.error), ...local };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = { ...checkFields(detail.data?.config ?? [], config), ...checkFields(fields, credentials) };
    setLocal(found);
    if (Object.keys(found).length === 0) attach.mutate(undefined);
  };
  return (
    <Dialog title={`Platform credentials for ${connector.name}`} open onClose={onClose}>
      {detail.isPending ? (
        <Loading />
      ) : detail.error ? (
        <ErrorState error={detail.error} />
      ) : (
        <form onSubmit={submit} noValidate>
          <p className="muted small">
            Sealed under the platform’s own key and used by every tenant’s connections to this connector (hybrid: unless
            a tenant brings its own). Values are never shown again.
          </p>
          {method?.type === 'oauth2' && <PlatformAppNotes connector={connector} method={method} />}
          {methods.length > 1 && (
            <Field label="Authentication method">
              {(p) => (
                <select
                  {...p}
                  value={method?.id}
                  onChange={(e) => {
                    setMethodType(e.target.value);
                    setCredentials({});
                  }}
                >
                  {methods.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {detail.data.config.map((f) => (
            <ManifestField
              key={`config.${f.key}`}
              idPrefix="config"
              field={f}
              value={config[f.key]}
              error={errors[f.key]}
              onChange={(v) => setConfig((c) => ({ ...c, [f.key]: v }))}
            />
          ))}
          {fields.map((f) => (
            <ManifestField
              key={`credentials.${f.key}`}
              idPrefix="credentials"
              field={f}
              value={credentials[f.key]}
              error={errors[f.key]}
              onChange={(v) => setCredentials((c) => ({ ...c, [f.key]: v }))}
            />
          ))}
          {attach.error !== null && <ErrorState error={attach.error} />}
          <FormActions onCancel={onClose} pending={attach.isPending} pendingLabel="Sealing…" label="Save credentials" />
        </form>
      )}
    </Dialog>
  );
}

/** For an OAuth method: the redirect URI the platform's app registers, and whether the pattern uses that app. */
function PlatformAppNotes({ connector, method }: { connector: Connector; method: AuthForm }) {
  const used = connector.management === 'shared' || connector.management === 'hybrid';
  return (
    <div className="stack" data-testid="platform-oauth-app">
      {method.redirect_uri && method.grant !== 'client_credentials' && (
        <div className="field">
          <span className="label-text" id="platform-redirect-uri-label">
            Redirect URI
          </span>
          <div className="row">
            <code className="redirect-uri" aria-labelledby="platform-redirect-uri-label">
              {method.redirect_uri}
            </code>
            <CopyButton text={method.redirect_uri} label="Copy redirect URI" />
          </div>
          <p className="help">Register this URL in the platform’s OAuth app at the vendor.</p>
        </div>
      )}
      <p className={used ? 'small' : 'callout callout-warn'}>
        {used
          ? `Management pattern ${managementLabels[connector.management]}: tenants' connections use this OAuth app${connector.management === 'hybrid' ? ' unless they register their own' : ''}.`
          : `Management pattern ${managementLabels[connector.management]}: every tenant registers its own OAuth app, so this one is not used until the pattern is shared or hybrid.`}
      </p>
    </div>
  );
}

function AddCustom({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>();
  const create = useWrite({
    run: (manifest: Record<string, unknown>) => call(api.POST('/v1/connectors', { body: manifest })),
    success: 'Custom connector added to the registry.',
    invalidate: [registryKeys.all, connectorKeys.all],
    onSuccess: onClose,
    quietErrors: true,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    try {
      const manifest = JSON.parse(text) as unknown;
      if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
        setParseError('A manifest is a JSON object.');
        return;
      }
      setParseError(undefined);
      create.mutate(manifest as Record<string, unknown>);
    } catch (error) {
      setParseError(`Not valid JSON: ${(error as Error).message}`);
    }
  };
  const problems = create.error instanceof SwitchyardError ? (create.error.problem.errors ?? []) : [];
  return (
    <Dialog title="Add custom connector" open onClose={onClose} wide>
      <form onSubmit={submit}>
        <Field
          label="Manifest (JSON)"
          required
          error={parseError}
          help="The same format as the YAML files in connectors/ (see connectors/manifest.schema.json)."
        >
          {(p) => <textarea {...p} rows={16} required value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        {create.error !== null && (
          <div className="callout callout-error" role="alert">
            <p>{create.error instanceof SwitchyardError ? create.error.problem.detail : 'The manifest was refused.'}</p>
            {problems.length > 0 && (
              <ul>
                {problems.map((p) => (
                  <li key={p.path + p.message}>
                    <code>{p.path}</code>: {p.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <FormActions onCancel={onClose} pending={create.isPending} pendingLabel="Validating…" label="Add connector" />
      </form>
    </Dialog>
  );
}
