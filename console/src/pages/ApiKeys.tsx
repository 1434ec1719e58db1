import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors, type Schemas } from '../api.js';
import { useSession } from '../auth.js';
import { apiKeyKeys, roleKeys } from '../query-keys.js';
import {
  Badge,
  ConfirmDialog,
  CopyButton,
  Dialog,
  EmptyState,
  ErrorState,
  Field,
  FormActions,
  Time,
  useCursorPages,
} from '../ui/components.js';
import { useWrite } from '../ui/mutation.js';
import { PagedTable } from '../ui/table.js';

const builtInRoles = ['administrator', 'editor', 'viewer'];

export function ApiKeys() {
  const { can } = useSession();
  const pages = useCursorPages();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Schemas['ApiKey'] | undefined>();
  const keys = useQuery({
    queryKey: apiKeyKeys.page(pages.cursor, includeRevoked),
    queryFn: () =>
      call(
        api.GET('/v1/api-keys', {
          params: { query: { cursor: pages.cursor, limit: 25, include_revoked: includeRevoked ? 'true' : 'false' } },
        }),
      ),
  });
  const revoke = useWrite({
    run: (key: Schemas['ApiKey']) => call(api.DELETE('/v1/api-keys/{id}', { params: { path: { id: key.id } } })),
    success: (_, key) => `API key “${key.name}” revoked. Programs using it are refused from now on.`,
    invalidate: [apiKeyKeys.all],
    onSuccess: () => setRevoking(undefined),
  });
  return (
    <section className="page" aria-labelledby="keys-title">
      <div className="page-header">
        <h1 id="keys-title">API keys</h1>
        {can('manage_api_keys') && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Create API key
          </button>
        )}
      </div>
      <p className="muted">
        Programs (the CLI, the SDK, your backend) authenticate with API keys. Each acts with a role.
      </p>
      <label className="row small">
        <input
          type="checkbox"
          checked={includeRevoked}
          onChange={(e) => {
            setIncludeRevoked(e.target.checked);
            pages.reset();
          }}
        />
        Show revoked and expired keys
      </label>
      <PagedTable
        query={keys}
        pages={pages}
        empty={
          <EmptyState title="No API keys">
            {can('manage_api_keys')
              ? 'Create one for each program that calls the API.'
              : 'An administrator can create one.'}
          </EmptyState>
        }
        columns={['Name', 'Prefix', 'Role', 'Status', 'Last used', 'Expires', 'Created']}
        actions={can('manage_api_keys') ? 'Actions' : undefined}
        row={(key) => (
          <tr key={key.id}>
            <td>{key.name}</td>
            <td>
              <code>{key.prefix}…</code>
            </td>
            <td>{key.superuser ? `${key.role} · superuser` : key.role}</td>
            <td>
              <Badge value={key.status === 'active' ? 'active' : 'inactive'} label={key.status} />
            </td>
            <td>
              <Time iso={key.last_used_at} />
            </td>
            <td>{key.expires_at ? <Time iso={key.expires_at} /> : <span className="muted">never</span>}</td>
            <td>
              <Time iso={key.created_at} />
            </td>
            {can('manage_api_keys') && (
              <td>
                {key.status === 'active' && (
                  <button type="button" className="button button-small" onClick={() => setRevoking(key)}>
                    Revoke
                  </button>
                )}
              </td>
            )}
          </tr>
        )}
      />
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        title="Revoke API key"
        open={revoking !== undefined}
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => setRevoking(undefined)}
      >
        <p>
          Revoke <strong>{revoking?.name}</strong> (<code>{revoking?.prefix}…</code>)? Every program using it is refused
          at once, on every node. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function CreateKeyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { can, me } = useSession();
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [days, setDays] = useState('');
  const roles = useQuery({
    queryKey: roleKeys.all,
    queryFn: () => call(api.GET('/v1/roles')),
    enabled: open && can('view_roles'),
  });
  const create = useWrite({
    run: (body: { name: string; role: string; expires_in_days?: number }) => call(api.POST('/v1/api-keys', { body })),
    success: (created) => `API key “${created.api_key.name}” created.`,
    invalidate: [apiKeyKeys.all],
    quietErrors: true,
  });
  const close = () => {
    create.reset();
    setName('');
    setDays('');
    onClose();
  };
  const errors = fieldErrors(create.error);
  const roleIds = roles.data?.data.map((r) => r.id) ?? builtInRoles;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name, role, ...(days ? { expires_in_days: Number(days) } : {}) });
  };
  return (
    <Dialog title="Create API key" open={open} onClose={close}>
      {create.data ? (
        <div className="stack">
          <p className="callout callout-warn">
            Copy the key now: it is shown only once and cannot be recovered. Store it in your secret manager.
          </p>
          <div className="row">
            <code data-testid="new-api-key">{create.data.token}</code>
            <CopyButton text={create.data.token} />
          </div>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit}>
          <Field label="Name" required error={errors.name} help="What uses it, e.g. “billing-service”.">
            {(p) => <input {...p} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <Field label="Role" required error={errors.role} help={me.superuser ? undefined : 'At most your own role.'}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.target.value)}>
                {roleIds.map((r) => (
                  <option key={r} value={r}>
                    {roles.data?.data.find((x) => x.id === r)?.name ?? r}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Expires after (days)" error={errors.expires_in_days} help="Empty: never expires.">
            {(p) => (
              <input {...p} type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
            )}
          </Field>
          {create.error !== null && !Object.keys(errors).length && <ErrorState error={create.error} />}
          <FormActions onCancel={close} pending={create.isPending} pendingLabel="Creating…" label="Create key" />
        </form>
      )}
    </Dialog>
  );
}
