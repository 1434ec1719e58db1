import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call, SwitchyardError, type Schemas } from '../../api.js';
import { connectorKeys } from '../../query-keys.js';
import { CopyButton, ErrorState, Loading } from '../../ui/components.js';
import { checkFields, ManifestField, payload, type Values } from './FormFields.js';
import type { ConnectorDetail, FormField } from './shared.js';

type OAuthClient = Schemas['OAuthClient'];

/** The OAuth app's client, as a tenant registers it (the same fields the registry's platform form asks for). */
export const oauthAppFields: FormField[] = [
  {
    key: 'client_id',
    label: 'Client ID',
    type: 'string',
    required: true,
    secret: false,
    help: 'The OAuth app’s client identifier, from the vendor’s developer settings.',
  },
  {
    key: 'client_secret',
    label: 'Client secret',
    type: 'password',
    required: false,
    secret: true,
    help: 'Sealed when saved and never shown again. Leave empty for a public client (PKCE only).',
  },
];

const empty: Values = { client_id: '', client_secret: '' };

/**
 * Which OAuth app a connector's connections use, by its management pattern (src/oauth/clients/clients.ts): `shared`
 * — the platform's, set by a superuser in the registry; `hybrid` — the tenant's own when it registered one, else the
 * platform's; `tenant_template` and `byop` — the tenant's own, required. The set-up form registers (or replaces) the
 * tenant's app with `save()` just before it connects, so one submit does both.
 */
export function useOAuthApp(connector: ConnectorDetail, oauth: boolean) {
  const client = useQueryClient();
  const slug = connector.slug;
  const key = connectorKeys.oauthClient(slug);
  const current = useQuery({
    queryKey: key,
    queryFn: () =>
      call(api.GET('/v1/oauth/clients/{connector}', { params: { path: { connector: slug } } })).catch(
        (error: unknown) => {
          // None configured yet (the tenant registers one below, or the operator has not set the platform's).
          if (error instanceof SwitchyardError && error.status === 404) return null;
          throw error;
        },
      ),
    enabled: oauth,
  });
  const [replacing, setReplacing] = useState(false);
  const [values, setValues] = useState<Values>(empty);
  const shared = connector.management === 'shared';
  /** The form registers the tenant's own app before connecting. */
  const registering = oauth && !shared && current.data !== undefined && (replacing || current.data === null);
  return {
    connector,
    current,
    registering,
    /** Known whether an app is configured (nothing to wait for without OAuth). */
    ready: !oauth || current.data !== undefined,
    replacing,
    values,
    setValues,
    setReplacing: (on: boolean) => {
      setReplacing(on);
      setValues(empty);
    },
    /** Field problems before anything is sent. */
    check: (): Record<string, string> => (registering ? checkFields(oauthAppFields, values) : {}),
    /** Register the tenant's app when the form holds one; a no-op otherwise. */
    async save(): Promise<void> {
      if (!registering) return;
      const body = payload(oauthAppFields, values) as { client_id: string; client_secret?: string };
      const saved = await call(
        api.PUT('/v1/oauth/clients/{connector}', { params: { path: { connector: slug } }, body }),
      );
      client.setQueryData<OAuthClient | null>(key, saved);
      setReplacing(false);
      setValues(empty);
    },
  };
}

export type OAuthApp = ReturnType<typeof useOAuthApp>;

const patternText: Record<ConnectorDetail['management'], string> = {
  shared: 'uses the platform’s OAuth app for every tenant (set by a superuser in the connector registry)',
  hybrid: 'uses the platform’s OAuth app unless your tenant registers its own',
  tenant_template: 'connects through your tenant’s own OAuth app, registered with the vendor',
  byop: 'connects through your tenant’s own OAuth app (bring your own), registered with the vendor',
};

/** The set-up form's "OAuth app" section: whose app is used, the redirect URI to register, the client fields. */
export function OAuthAppSection({
  app,
  redirectUri,
  errors,
  onEdit,
}: {
  app: OAuthApp;
  redirectUri: string | undefined;
  errors: Record<string, string>;
  onEdit: (key: string) => void;
}) {
  const { connector, current } = app;
  const shared = connector.management === 'shared';
  return (
    <fieldset data-testid="oauth-app">
      <legend>OAuth app</legend>
      <p className="small" data-testid="oauth-app-pattern">
        {connector.name} {patternText[connector.management]}.
      </p>
      {redirectUri && (
        <div className="field">
          <span className="label-text" id="redirect-uri-label">
            Redirect URI
          </span>
          <div className="row">
            <code className="redirect-uri" aria-labelledby="redirect-uri-label" data-testid="redirect-uri">
              {redirectUri}
            </code>
            <CopyButton text={redirectUri} label="Copy redirect URI" />
          </div>
          <p className="help">
            Register this URL as the redirect (callback) URL in the {shared ? 'platform’s ' : ''}OAuth app’s settings at
            the vendor.
          </p>
        </div>
      )}
      {current.isPending ? (
        <Loading what="Looking up the OAuth app" />
      ) : current.error ? (
        <ErrorState error={current.error} retry={() => void current.refetch()} />
      ) : (
        <CurrentApp app={app} current={current.data} />
      )}
      {app.registering &&
        oauthAppFields.map((f) => (
          <ManifestField
            key={f.key}
            idPrefix="oauth_app"
            field={f}
            value={app.values[f.key]}
            error={errors[f.key]}
            onChange={(v) => {
              app.setValues((all) => ({ ...all, [f.key]: v }));
              onEdit(f.key);
            }}
          />
        ))}
    </fieldset>
  );
}

function CurrentApp({ app, current }: { app: OAuthApp; current: OAuthClient | null }) {
  const { connector } = app;
  if (current === null) {
    return connector.management === 'shared' ? (
      <p className="callout callout-warn">The platform’s OAuth app is not configured yet: ask a superuser.</p>
    ) : (
      <p className="muted small">
        No OAuth app is registered for {connector.name} yet. Create one at the vendor with the redirect URI above, then
        enter its client ID and secret: they are saved for your tenant when you connect.
      </p>
    );
  }
  const own = current.source === 'tenant';
  return (
    <div className="stack">
      <p className="small" data-testid="oauth-app-current">
        {own ? 'Your tenant’s OAuth app' : 'The platform’s OAuth app'}: client ID <code>{current.client_id}</code>
        {own && (current.has_secret ? ', secret held (sealed)' : ', public client (no secret)')}.
      </p>
      {connector.management !== 'shared' &&
        (app.replacing ? (
          <button type="button" className="button button-small" onClick={() => app.setReplacing(false)}>
            Keep the current app
          </button>
        ) : (
          <button type="button" className="button button-small" onClick={() => app.setReplacing(true)}>
            {own ? 'Replace the OAuth app' : 'Use your own OAuth app'}
          </button>
        ))}
    </div>
  );
}
