import { ConnectorLogo } from '../../ui/logo.js';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, errorMessage, fieldErrors, type Schemas } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys, connectorKeys } from '../../query-keys.js';
import { Badge, ErrorState, Field, Loading, SelectField } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import './connections.css';
import { ConnectorVerification } from './ConnectorVerification.js';
import { checkFields, initialValues, ManifestField, payload, type Values } from './FormFields.js';
import { OAuthAppSection, useOAuthApp } from './OAuthApp.js';
import { initialScopes, ScopePicker } from './ScopePicker.js';
import {
  authMethodLabels,
  connectedText,
  isConnected,
  OutcomeSummary,
  problemOutcome,
  useOAuthWindow,
  type ConnectorDetail,
} from './shared.js';

type AuthForm = Schemas['ConnectorAuthForm'];

/** `/connections/library/:slug`: the connector's form, generated from its manifest. */
export function ConnectorSetup() {
  const { slug = '' } = useParams();
  const connector = useQuery({
    queryKey: connectorKeys.detail(slug),
    queryFn: () => call(api.GET('/v1/connectors/{slug}', { params: { path: { slug } } })),
  });
  return (
    <section className="page connections-page" aria-labelledby="setup-title">
      <p className="breadcrumb small">
        <Link to="/connections">Connections</Link> / <Link to="/connections/library">Library</Link> /{' '}
        {connector.data?.name ?? slug}
      </p>
      {connector.isPending ? (
        <Loading what="Loading the connector" />
      ) : connector.error ? (
        <>
          <h1 id="setup-title">Connector</h1>
          <ErrorState error={connector.error} retry={() => void connector.refetch()} />
        </>
      ) : (
        <SetupForm connector={connector.data} />
      )}
    </section>
  );
}

function SetupForm({ connector }: { connector: ConnectorDetail }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState(connector.name);
  const [description, setDescription] = useState('');
  const [config, setConfig] = useState<Values>(() => initialValues(connector.config));
  const [methodType, setMethodType] = useState(connector.auth[0]?.id ?? '');
  const method: AuthForm | undefined = connector.auth.find((a) => a.id === methodType);
  const [credentials, setCredentials] = useState<Record<string, Values>>({});
  const [validate, setValidate] = useState(true);
  const [level, setLevel] = useState<'app' | 'user'>(method?.levels?.[0] ?? 'app');
  const [scopes, setScopes] = useState<string[]>(() => initialScopes(method?.scopes));
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const methodValues = credentials[methodType] ?? (method ? initialValues(method.fields) : {});
  const shared = connector.management === 'shared';
  // The chosen method's own test call when it has one (a restricted key may be checked differently).
  const test = method ? method.test : connector.test;
  const hybrid = connector.management === 'hybrid';
  const isAuthCodeOAuth = method?.type === 'oauth2' && method.grant !== 'client_credentials';
  const mayCreate = can('create_connection') && (!connector.requires_capability || can(connector.requires_capability));
  const isOAuth = method?.type === 'oauth2';
  const app = useOAuthApp(connector, isOAuth && connector.connectable && mayCreate);
  /** Scopes are sent only when the connector lists the ones it offers (otherwise its defaults are asked for). */
  const chosenScopes = isOAuth && method?.scopes && method.scopes.available.length > 0 ? { scopes } : {};

  const goToConnection = (id: string | undefined) => void navigate(id ? `/connections/${id}` : '/connections');
  const oauthWindow = useOAuthWindow((result) => {
    if (result?.status === 'connected') goToConnection(result.connection_id);
  });

  const create = useWrite({
    run: async () => {
      await app.save();
      return call(
        api.POST('/v1/connections', {
          body: {
            connector: connector.slug,
            name: name.trim(),
            description: description.trim(),
            config: payload(connector.config, config),
            ...(method ? { auth_method: method.id } : {}),
            ...(method && !shared && method.type !== 'oauth2'
              ? { credentials: payload(method.fields, methodValues) }
              : {}),
            validate,
          },
        }),
      );
    },
    success: (c) =>
      c.webhooks?.receive_only
        ? `${c.name} is saved. Create its webhook URL to give to the sender.`
        : isConnected(c.last_test_outcome)
          ? c.last_test_outcome?.outcome === 'connected'
            ? `${c.name} is connected: the test call succeeded.`
            : connectedText(c.name, c.last_test_outcome)
          : `${c.name} is saved (${c.state.replace('_', ' ')}).`,
    invalidate: [connectionKeys.all],
    onSuccess: (c) => goToConnection(c.id),
    quietErrors: true,
  });
  const authorize = useWrite({
    run: async () => {
      // The tenant's OAuth app first (when the form holds one): the flow is started with it.
      await app.save();
      return call(
        api.POST('/v1/oauth/authorize', {
          body: {
            connector: connector.slug,
            name: name.trim(),
            description: description.trim(),
            config: payload(connector.config, config),
            ...(method?.levels && method.levels.length > 1 ? { level } : {}),
            ...chosenScopes,
          },
        }),
      );
    },
    onSuccess: (flow) => oauthWindow.open(flow.authorization_url),
    quietErrors: true,
  });
  const pending = create.isPending || authorize.isPending;
  const failure = create.error ?? authorize.error;
  const apiErrors = fieldErrors(failure);
  const errors = { ...apiErrors, ...localErrors };
  const outcome = problemOutcome(create.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Give the connection a name.';
    Object.assign(found, checkFields(connector.config, config));
    if (method && !shared && method.type !== 'oauth2') {
      Object.assign(found, checkFields(method.fields, methodValues, { optional: hybrid }));
    }
    if (isOAuth) Object.assign(found, app.check());
    setLocalErrors(found);
    if (Object.keys(found).length > 0) {
      // Take the keyboard to the first field that needs attention.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.setup-form [aria-invalid="true"]')?.focus());
      return;
    }
    create.reset();
    authorize.reset();
    if (isAuthCodeOAuth) authorize.mutate(undefined);
    else create.mutate(undefined);
  };

  const clearError = (key: string) =>
    setLocalErrors((all) => {
      if (!(key in all)) return all;
      const { [key]: _removed, ...rest } = all;
      return rest;
    });

  return (
    <>
      <div className="setup-header">
        <ConnectorLogo logo={connector.logo} size="large" />
        <div>
          <h1 id="setup-title">Connect {connector.name}</h1>
          <p className="muted">{connector.description}</p>
          <div className="row small">
            <Badge value="category" label={connector.category} />
            {connector.availability !== 'active' && <Badge value={connector.availability} />}
            <span className="muted">{connector.complexity} complexity</span>
            {connector.docs_url && (
              <a href={connector.docs_url} target="_blank" rel="noreferrer noopener">
                Vendor documentation
              </a>
            )}
          </div>
        </div>
      </div>
      {connector.warnings?.map((w) => (
        <p key={w} className="callout callout-warn">
          {w}
        </p>
      ))}
      {!connector.connectable && (
        <p className="callout callout-warn" role="alert">
          {connector.availability === 'coming_soon'
            ? `${connector.name} is coming soon: it cannot be connected yet.`
            : connector.availability === 'maintenance'
              ? `${connector.name} is under maintenance: new connections are refused for now.`
              : `${connector.name} cannot be connected now${shared ? ': the platform’s credentials are not configured' : ''}.`}
        </p>
      )}
      {!mayCreate && (
        <p className="callout callout-warn" role="alert">
          Your role cannot create this connection (
          <code>{can('create_connection') ? connector.requires_capability : 'create_connection'}</code>).
        </p>
      )}
      {connector.connectable && mayCreate && (
        <form className="card setup-form" noValidate onSubmit={submit} aria-labelledby="setup-title">
          <fieldset>
            <legend>Connection</legend>
            <Field label="Name" required error={errors.name} help="How this connection is shown in the console.">
              {(props) => (
                <input
                  {...props}
                  value={name}
                  maxLength={200}
                  required
                  onChange={(e) => {
                    setName(e.target.value);
                    clearError('name');
                  }}
                />
              )}
            </Field>
            <Field label="Description" error={errors.description}>
              {(props) => (
                <textarea
                  {...props}
                  className="prose"
                  rows={2}
                  maxLength={2000}
                  value={description}
                  onChange={(e) => setDescription(e.target.value)}
                />
              )}
            </Field>
          </fieldset>
          {connector.config.length > 0 && (
            <fieldset>
              <legend>Settings</legend>
              {connector.config.map((f) => (
                <ManifestField
                  key={f.key}
                  idPrefix="config"
                  field={f}
                  value={config[f.key]}
                  error={errors[f.key]}
                  onChange={(v) => {
                    setConfig((all) => ({ ...all, [f.key]: v }));
                    clearError(f.key);
                  }}
                />
              ))}
            </fieldset>
          )}
          <fieldset>
            <legend>Authentication</legend>
            {shared && !isOAuth ? (
              <p className="muted">{connector.name} uses the platform’s own credentials: there is nothing to enter.</p>
            ) : (
              <>
                {connector.auth.length > 1 && (
                  <Field label="Authentication method" error={errors.auth_method}>
                    {(props) => (
                      <select
                        {...props}
                        value={methodType}
                        onChange={(e) => {
                          setMethodType(e.target.value as typeof methodType);
                          setLocalErrors({});
                          const next = connector.auth.find((a) => a.id === e.target.value);
                          setLevel(next?.levels?.[0] ?? 'app');
                          setScopes(initialScopes(next?.scopes));
                        }}
                      >
                        {connector.auth.map((a) => (
                          <option key={a.id} value={a.id}>
                            {a.label}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                )}
                {connector.auth.length === 1 && method && (
                  <p className="muted">
                    Authentication: <strong>{method.label}</strong> ({authMethodLabels[method.type]})
                  </p>
                )}
                {hybrid && method?.type !== 'oauth2' && (
                  <p className="help">Leave the credentials empty to use the platform’s own, where configured.</p>
                )}
                {method?.type === 'oauth2' ? (
                  <OAuthDetails
                    method={method}
                    level={level}
                    onLevel={setLevel}
                    scopes={scopes}
                    onScopes={setScopes}
                    clientCredentials={!isAuthCodeOAuth}
                  />
                ) : (
                  method?.fields.map((f) => (
                    <ManifestField
                      key={`${method.id}.${f.key}`}
                      idPrefix={`credentials.${method.id}`}
                      field={f}
                      optional={hybrid}
                      value={methodValues[f.key]}
                      error={errors[f.key]}
                      onChange={(v) => {
                        setCredentials((all) => ({ ...all, [methodType]: { ...methodValues, [f.key]: v } }));
                        clearError(f.key);
                      }}
                    />
                  ))
                )}
              </>
            )}
          </fieldset>
          {isOAuth && (
            <OAuthAppSection
              app={app}
              redirectUri={isAuthCodeOAuth ? method?.redirect_uri : undefined}
              errors={errors}
              onEdit={clearError}
            />
          )}
          {!isAuthCodeOAuth && (
            <div className="field field-check">
              <label>
                <input type="checkbox" checked={validate} onChange={(e) => setValidate(e.target.checked)} /> Validate
                with a test call before saving
              </label>
              <p className="help">
                {test.available
                  ? 'The connector’s test call must succeed, or nothing is saved.'
                  : test.kind === 'none'
                    ? `This vendor cannot check credentials (${test.reason ?? 'no such call'}); the connection is saved as not verified.`
                    : 'This connector has no test call; the connection is saved as it is.'}
              </p>
            </div>
          )}
          {failure !== null && failure !== undefined && (
            <div className="callout callout-error" role="alert" data-testid="setup-error">
              <strong>{errorMessage(failure)}</strong>
              {Object.keys(apiErrors).length > 0 && <p className="small">See the messages next to the fields.</p>}
            </div>
          )}
          {outcome && <OutcomeSummary outcome={outcome} />}
          {Object.keys(localErrors).length > 0 && (
            <p className="field-error" role="alert">
              Some fields need attention.
            </p>
          )}
          <div className="actions">
            <Link className="button" to="/connections/library">
              Cancel
            </Link>
            {isAuthCodeOAuth ? (
              <button
                type="submit"
                className="button button-primary"
                disabled={pending || oauthWindow.waiting || !app.ready}
              >
                {authorize.isPending
                  ? 'Starting…'
                  : oauthWindow.waiting
                    ? 'Waiting for the vendor…'
                    : `Connect with ${connector.name}`}
              </button>
            ) : (
              <button type="submit" className="button button-primary" disabled={pending || !app.ready}>
                {create.isPending ? (validate ? 'Testing and creating…' : 'Creating…') : 'Create connection'}
              </button>
            )}
          </div>
          {create.isPending && (
            <p className="muted small" role="status">
              {validate ? `Calling ${connector.name} to check the credentials…` : 'Saving…'}
            </p>
          )}
          {oauthWindow.waiting && (
            <p className="callout callout-info" role="status">
              Finish authorizing in the window that opened. This page refreshes when it closes.
            </p>
          )}
        </form>
      )}
      <ConnectorVerification connector={connector} />
    </>
  );
}

function OAuthDetails({
  method,
  level,
  onLevel,
  scopes,
  onScopes,
  clientCredentials,
}: {
  method: AuthForm;
  level: 'app' | 'user';
  onLevel: (level: 'app' | 'user') => void;
  scopes: string[];
  onScopes: (scopes: string[]) => void;
  clientCredentials: boolean;
}) {
  return (
    <div className="stack">
      {clientCredentials ? (
        <p className="muted">Uses the OAuth app below (client credentials): no browser sign-in is needed.</p>
      ) : (
        <p className="muted">
          Connect opens the vendor’s sign-in in a new window. After you consent, the connection is tested and saved.
        </p>
      )}
      {method.scopes && <ScopePicker scopes={method.scopes} value={scopes} onChange={onScopes} />}
      {method.levels && method.levels.length > 1 && (
        <SelectField
          label="Level"
          help="App: one shared account. User: each user connects their own account."
          value={level}
          onChange={(v) => onLevel(v as 'app' | 'user')}
          options={method.levels?.map((l) => ({
            value: l,
            label: l === 'app' ? 'App (one shared account)' : 'User (each user’s own account)',
          }))}
        />
      )}
    </div>
  );
}
