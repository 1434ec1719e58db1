import { useRef, useState } from 'react';
import { initialValues, type Values } from '../pages/connections/FormFields.js';
import { ConnectorLogo } from '../ui/logo.js';
import {
  ConnectProblem,
  type AuthMethod,
  type ConnectApi,
  type ExistingConnection,
  type MadeConnection,
  type SessionConnector,
} from './api.js';
import { CredentialsForm, type FormValues } from './credentials-form.js';
import { useOAuthPopup, type OAuthEnd } from './oauth-popup.js';
import { OAuthStep } from './oauth-step.js';
import { FailurePanel, type Failure } from './outcome.js';
import { ScreenHeading, Spinner, useEscape } from './parts.js';

export type Connected = { id: string; account?: string | null | undefined; reconnected: boolean };

type Phase = { name: 'edit' } | { name: 'testing' } | { name: 'failed'; failure: Failure };

const methodKey = (m: AuthMethod) => m.id ?? m.type;

/**
 * One connector: its form (settings and the chosen method's credentials) or its OAuth sign-in, then the test call's
 * progress and, when it fails, why in plain words with Try again (the values are kept). `existing` reconnects a
 * connection of the end user's instead of making a new one.
 */
export function ConnectorScreen({
  api,
  connector,
  existing,
  productName,
  onConnected,
  onDead,
  onBack,
}: {
  api: ConnectApi;
  connector: SessionConnector;
  existing: ExistingConnection | undefined;
  productName: string;
  onConnected: (connected: Connected) => void;
  onDead: (problem: ConnectProblem) => void;
  onBack: (() => void) | undefined;
}) {
  const methods = connector.auth;
  const [methodId, setMethodId] = useState(() => {
    const used = methods.find((m) => existing?.auth_method && methodKey(m) === existing.auth_method);
    return methodKey(used ?? methods[0] ?? { type: 'none', label: '', fields: [] });
  });
  const method = methods.find((m) => methodKey(m) === methodId);
  // Settings are shared by every method; credentials are kept per method, so switching back finds them again.
  const [config, setConfig] = useState<Values>(() => initialValues(connector.config));
  const [credentials, setCredentials] = useState<Record<string, Values>>({});
  const [phase, setPhase] = useState<Phase>({ name: 'edit' });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const testing = useRef<HTMLParagraphElement>(null);
  const reconnecting = existing !== undefined;
  // A reconnect replaces the credentials only: the connection keeps its settings.
  const configFields = reconnecting ? [] : connector.config;
  const formValues: FormValues = {
    config,
    credentials: credentials[methodId] ?? initialValues(method?.fields ?? []),
  };

  const fail = (failure: Failure) => setPhase({ name: 'failed', failure });
  const oauth = useOAuthPopup(api, (end: OAuthEnd) => {
    if (end.ok) return onConnected({ id: end.connectionId, reconnected: reconnecting });
    if (end.problem?.sessionDead) return onDead(end.problem);
    fail(oauthFailure(end, connector.name));
  });
  const oauthBusy = oauth.state.phase === 'starting' || oauth.state.phase === 'waiting';
  useEscape(phase.name === 'testing' ? undefined : oauthBusy ? oauth.cancel : phase.name === 'failed' ? retry : onBack);

  function retry() {
    setPhase({ name: 'edit' });
  }

  const submit = async (body: { config: Record<string, unknown>; credentials: Record<string, unknown> }) => {
    setServerErrors({});
    setPhase({ name: 'testing' });
    requestAnimationFrame(() => testing.current?.focus());
    try {
      const made: MadeConnection = existing
        ? await api.replaceCredentials(existing.id, { credentials: body.credentials })
        : await api.createConnection({
            connector: connector.slug,
            ...(method?.id || methods.length > 1 ? { auth_method: methodId } : {}),
            ...(configFields.length > 0 ? { config: body.config } : {}),
            credentials: body.credentials,
          });
      onConnected({
        id: made.id,
        account: made.vendor_account_name ?? made.vendor_account_id,
        reconnected: reconnecting,
      });
    } catch (error) {
      if (!(error instanceof ConnectProblem)) throw error;
      if (error.sessionDead) return onDead(error);
      const p = error.problem;
      if (p.code === 'validation_failed' && p.errors?.length) {
        setServerErrors(Object.fromEntries(p.errors.map((e) => [e.path.split(/[./]/).pop() ?? e.path, e.message])));
        setPhase({ name: 'edit' });
        return;
      }
      fail({
        explanation:
          p.explanation ??
          (p.code === 'connection_test_failed'
            ? `${connector.name} did not accept these credentials. Check them and try again.`
            : (p.detail ?? p.title)),
        detail: p.outcome?.message ?? p.detail,
        code: p.outcome?.outcome ?? p.code,
        status: p.outcome?.status,
      });
    }
  };

  if (phase.name === 'failed') {
    return <FailurePanel connectorName={connector.name} failure={phase.failure} onRetry={retry} onOther={onBack} />;
  }
  return (
    <div className="connector-screen">
      <div className="connector-header">
        <ConnectorLogo logo={connector.logo} size="large" />
        <div>
          <ScreenHeading>
            {reconnecting ? 'Reconnect' : 'Connect'} {connector.name}
          </ScreenHeading>
          <p className="muted small">
            {reconnecting
              ? `Sign in again to keep ${existing.vendor_account_name ?? existing.name} connected.`
              : connector.description}
          </p>
        </div>
      </div>
      <div aria-live="polite">
        {phase.name === 'testing' && (
          <p className="status status-large" ref={testing} tabIndex={-1}>
            <Spinner /> Testing your credentials with {connector.name}…
          </p>
        )}
      </div>
      <div hidden={phase.name === 'testing'}>
        {methods.length > 1 && !reconnecting && (
          <fieldset className="methods" disabled={oauthBusy}>
            <legend>How do you want to connect?</legend>
            {methods.map((m) => (
              <label key={methodKey(m)} className="method">
                <input
                  type="radio"
                  name="auth-method"
                  value={methodKey(m)}
                  checked={methodKey(m) === methodId}
                  onChange={() => {
                    setMethodId(methodKey(m));
                    setServerErrors({});
                  }}
                />{' '}
                {m.label}
              </label>
            ))}
          </fieldset>
        )}
        {connector.docs_url && (
          <p className="small">
            <a href={connector.docs_url} target="_blank" rel="noreferrer noopener">
              Where to find these in {connector.name}’s documentation
              <span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </p>
        )}
        {method?.type === 'oauth2' ? (
          <OAuthStep
            oauth={oauth}
            connector={connector}
            method={method}
            connectionId={existing?.id}
            productName={productName}
            onBack={onBack}
          />
        ) : method ? (
          <CredentialsForm
            config={configFields}
            credentials={method.fields}
            values={formValues}
            onValues={(next) => {
              setConfig(next.config);
              setCredentials((all) => ({ ...all, [methodId]: next.credentials }));
            }}
            serverErrors={serverErrors}
            submitLabel={reconnecting ? 'Reconnect' : 'Connect'}
            onSubmit={(body) => void submit(body)}
            onBack={onBack}
          />
        ) : (
          <p className="callout callout-warn">{connector.name} cannot be connected here.</p>
        )}
      </div>
    </div>
  );
}

/** An OAuth sign-in that did not end in a connection, in the end user's words. */
function oauthFailure(end: Extract<OAuthEnd, { ok: false }>, name: string): Failure {
  const explanation =
    end.code === 'window_closed'
      ? `The ${name} window was closed before you finished signing in.`
      : end.code === 'oauth_refused'
        ? `Access was not allowed at ${name}, so nothing was connected. Try again and choose Allow to connect your account.`
        : end.code === 'expired'
          ? `Signing in to ${name} took too long. Try again.`
          : end.code === 'connection_test_failed'
            ? `You signed in to ${name}, but the account could not be used. Check that it has access, then try again.`
            : `${name} did not complete the sign-in. Try again.`;
  return { explanation, detail: end.message, code: end.code === 'window_closed' ? undefined : end.code };
}
