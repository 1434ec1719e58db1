import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors, type Schemas } from '../api.js';
import { useSession } from '../auth.js';
import { secretKeys } from '../query-keys.js';
import {
  ConfirmDialog,
  CopyButton,
  Dialog,
  EmptyState,
  ErrorState,
  Field,
  FormActions,
  formatTime,
  Loading,
  Time,
  useCursorPages,
} from '../ui/components.js';
import { useWrite } from '../ui/mutation.js';
import { PagedTable } from '../ui/table.js';

/**
 * Tenant secrets: names, versions and how to reference them. Values are sealed in the vault and never shown; a new
 * value becomes a new version.
 */
export function Secrets() {
  const { can } = useSession();
  const pages = useCursorPages();
  const [editing, setEditing] = useState<{ secret?: Schemas['Secret'] } | undefined>();
  const [history, setHistory] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<Schemas['Secret'] | undefined>();
  const secrets = useQuery({
    queryKey: secretKeys.page(pages.cursor),
    queryFn: () => call(api.GET('/v1/secrets', { params: { query: { cursor: pages.cursor, limit: 25 } } })),
  });
  const remove = useWrite({
    run: (secret: Schemas['Secret']) =>
      call(api.DELETE('/v1/secrets/{name}', { params: { path: { name: secret.name } } })),
    success: (_, secret) => `Secret ${secret.name} deleted with every version.`,
    invalidate: [secretKeys.all],
    onSuccess: () => setDeleting(undefined),
  });
  const manage = can('manage_secrets');
  return (
    <section className="page" aria-labelledby="secrets-title">
      <div className="page-header">
        <h1 id="secrets-title">Secrets</h1>
        {manage && (
          <button type="button" className="button button-primary" onClick={() => setEditing({})}>
            Add secret
          </button>
        )}
      </div>
      <p className="muted">
        Values are sealed in the vault and never shown again. Use a secret in a connection’s configuration or
        credentials as <code>{'{{secrets.NAME}}'}</code>.
      </p>
      <PagedTable
        query={secrets}
        pages={pages}
        empty={
          <EmptyState title="No secrets yet">
            {manage
              ? 'Add API keys and passwords here once, then reference them from connections.'
              : 'An administrator can add them.'}
          </EmptyState>
        }
        columns={['Name', 'Description', 'Version', 'Reference', 'Updated']}
        actions="Actions"
        row={(secret) => (
          <tr key={secret.name}>
            <td>
              <code>{secret.name}</code>
            </td>
            <td>{secret.description || <span className="muted">—</span>}</td>
            <td>
              <button type="button" className="link" onClick={() => setHistory(secret.name)}>
                v{secret.version}
              </button>
            </td>
            <td>
              <span className="row">
                <code>{secret.reference}</code>
                <CopyButton text={secret.reference} />
              </span>
            </td>
            <td>
              <Time iso={secret.updated_at} />
            </td>
            <td>
              {manage && (
                <span className="row">
                  <button type="button" className="button button-small" onClick={() => setEditing({ secret })}>
                    New version
                  </button>
                  <button type="button" className="button button-small" onClick={() => setDeleting(secret)}>
                    Delete
                  </button>
                </span>
              )}
            </td>
          </tr>
        )}
      />
      {editing && <SecretDialog secret={editing.secret} onClose={() => setEditing(undefined)} />}
      {history && <VersionsDialog name={history} onClose={() => setHistory(undefined)} />}
      <ConfirmDialog
        title="Delete secret"
        open={deleting !== undefined}
        confirmLabel="Delete secret"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          Delete <code>{deleting?.name}</code> and all its versions? Connections that reference it can no longer resolve
          their credentials.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function SecretDialog({ secret, onClose }: { secret?: Schemas['Secret']; onClose: () => void }) {
  const [name, setName] = useState(secret?.name ?? '');
  const [value, setValue] = useState('');
  const [description, setDescription] = useState(secret?.description ?? '');
  const save = useWrite({
    run: () =>
      secret
        ? call(api.PUT('/v1/secrets/{name}', { params: { path: { name: secret.name } }, body: { value, description } }))
        : call(api.POST('/v1/secrets', { body: { name, value, description } })),
    success: (saved) => `Secret ${saved.name} saved as version ${saved.version}.`,
    invalidate: [secretKeys.all],
    onSuccess: onClose,
    quietErrors: true,
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <Dialog title={secret ? `New version of ${secret.name}` : 'Add secret'} open onClose={onClose}>
      <form onSubmit={submit}>
        {!secret && (
          <Field label="Name" required error={errors.name} help="Letters, digits and underscores, e.g. STRIPE_KEY.">
            {(p) => (
              <input
                {...p}
                required
                pattern="[A-Za-z][A-Za-z0-9_]*"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
        )}
        <Field label="Value" required error={errors.value} help="Sealed at once; it is never shown again.">
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="off"
              required
              value={value}
              onChange={(e) => setValue(e.target.value)}
            />
          )}
        </Field>
        <Field label="Description" error={errors.description}>
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        {save.error !== null && !Object.keys(errors).length && <ErrorState error={save.error} />}
        <FormActions onCancel={onClose} pending={save.isPending} pendingLabel="Saving…" label="Save" />
      </form>
    </Dialog>
  );
}

function VersionsDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const detail = useQuery({
    queryKey: secretKeys.detail(name),
    queryFn: () => call(api.GET('/v1/secrets/{name}', { params: { path: { name } } })),
  });
  return (
    <Dialog title={`Versions of ${name}`} open onClose={onClose}>
      {detail.isPending ? (
        <Loading />
      ) : detail.error ? (
        <ErrorState error={detail.error} />
      ) : (
        <>
          <p className="muted">
            Pin a version with <code>{`{{secrets.${name}@N}}`}</code>; without it, the current version is used.
          </p>
          <ul>
            {detail.data.versions.map((v) => (
              <li key={v.version}>
                v{v.version} — {formatTime(v.created_at)}
                {v.version === detail.data.version && ' (current)'}
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}
