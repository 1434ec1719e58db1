import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, type Schemas } from '../../api.js';
import { connectorKeys } from '../../query-keys.js';
import { Dialog, ErrorState, FormActions, Loading } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { useOAuthWindow, type Connection } from './shared.js';

type AuthForm = Schemas['ConnectorAuthForm'];
type Scopes = NonNullable<AuthForm['scopes']>;

/** The scopes a new connection starts with: the manifest's defaults and its required ones (which the API adds anyway). */
export function initialScopes(scopes: Scopes | undefined): string[] {
  if (!scopes) return [];
  return [...new Set([...scopes.available.filter((s) => s.required).map((s) => s.name), ...scopes.default])];
}

/** What an existing connection asks for: what it holds and what it asked for but was not granted. */
export const askedScopes = (c: Pick<Connection, 'scopes_granted' | 'missing_scopes'>): string[] => [
  ...new Set([...c.scopes_granted, ...c.missing_scopes]),
];

/**
 * The scopes a connector exposes as checkboxes: its defaults preselected (by the caller's `value`), its required ones
 * ticked and fixed. On an existing connection, `held` marks what the vendor granted and what it did not.
 */
export function ScopePicker({
  scopes,
  value,
  onChange,
  held,
}: {
  scopes: Scopes;
  value: string[];
  onChange: (value: string[]) => void;
  held?: Pick<Connection, 'scopes_granted' | 'missing_scopes'>;
}) {
  if (scopes.available.length === 0) {
    return scopes.default.length > 0 ? (
      <p className="small">
        Scopes requested: <code>{scopes.default.join(' ')}</code>
      </p>
    ) : null;
  }
  const chosen = new Set(value);
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...value.filter((s) => s !== name), name] : value.filter((s) => s !== name));
  return (
    <fieldset className="scope-picker" data-testid="scope-picker">
      <legend>Scopes</legend>
      <p className="help">What the connection may do at the vendor. Required scopes are always requested.</p>
      <ul>
        {scopes.available.map((s) => {
          const status = held?.scopes_granted.includes(s.name)
            ? { label: 'held', tone: 'good' }
            : held?.missing_scopes.includes(s.name)
              ? { label: 'asked, not granted', tone: 'warn' }
              : undefined;
          return (
            <li key={s.name} className="field-check">
              <label>
                <input
                  type="checkbox"
                  name={`scope.${s.name}`}
                  checked={s.required || chosen.has(s.name)}
                  disabled={s.required}
                  onChange={(e) => toggle(s.name, e.target.checked)}
                />
                <span>
                  <code>{s.name}</code>
                  {s.required && <span className="muted small"> (required)</span>}
                  {scopes.default.includes(s.name) && !s.required && <span className="muted small"> (default)</span>}
                  {status && (
                    <>
                      {' '}
                      <span className={`badge badge-${status.tone}`}>{status.label}</span>
                    </>
                  )}
                  {s.description && <span className="small muted scope-description">{s.description}</span>}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

/**
 * Seed 003 "Edit connection scopes": the scopes the connector exposes, which the connection holds, and a
 * re-authorization at the vendor with the chosen set. Stays open while the vendor's window is, so it sees the end.
 */
export function EditScopesDialog({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  const slug = connection.connector.slug;
  const connector = useQuery({
    queryKey: connectorKeys.detail(slug),
    queryFn: () => call(api.GET('/v1/connectors/{slug}', { params: { path: { slug } } })),
  });
  const method = connector.data?.auth.find((a) => a.id === connection.auth_method && a.type === 'oauth2');
  const [value, setValue] = useState<string[]>(() => askedScopes(connection));
  const oauthWindow = useOAuthWindow((result) => {
    if (result?.status === 'connected') onClose();
  });
  const reauthorize = useWrite({
    run: () =>
      call(
        api.POST('/v1/connections/{id}/reauthorize', {
          params: { path: { id: connection.id } },
          body: { scopes: value },
        }),
      ),
    onSuccess: (flow) => oauthWindow.open(flow.authorization_url),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reauthorize.mutate(undefined);
  };
  return (
    <Dialog title={`Scopes of ${connection.name}`} open onClose={onClose}>
      {connector.isPending ? (
        <Loading what="Loading the connector’s scopes" />
      ) : connector.error ? (
        <ErrorState error={connector.error} retry={() => void connector.refetch()} />
      ) : !method?.scopes ? (
        <p className="muted">{connector.data.name} does not list the scopes it offers.</p>
      ) : (
        <form onSubmit={submit}>
          <ScopePicker scopes={method.scopes} value={value} onChange={setValue} held={connection} />
          {connection.missing_scopes.length > 0 && (
            <p className="callout callout-warn">
              The vendor did not grant {connection.missing_scopes.map((s) => `“${s}”`).join(', ')} last time.
            </p>
          )}
          <p className="help">
            Reauthorizing opens {connector.data.name}’s consent page in a new window to grant the chosen scopes; the
            connection keeps its current tokens until it completes.
          </p>
          {oauthWindow.waiting && (
            <p className="callout callout-info" role="status">
              Finish authorizing in the window that opened.
            </p>
          )}
          <FormActions
            onCancel={onClose}
            pending={reauthorize.isPending || oauthWindow.waiting}
            pendingLabel={oauthWindow.waiting ? 'Waiting for the vendor…' : 'Starting…'}
            label="Reauthorize with these scopes"
          />
        </form>
      )}
    </Dialog>
  );
}
