import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors, type Schemas } from '../api.js';
import { useSession } from '../auth.js';
import { roleKeys, userKeys } from '../query-keys.js';
import {
  Badge,
  ConfirmDialog,
  CopyButton,
  Dialog,
  EmptyState,
  ErrorState,
  Field,
  FormActions,
  SelectField,
  Time,
  useCursorPages,
} from '../ui/components.js';
import { useWrite } from '../ui/mutation.js';
import { PagedTable } from '../ui/table.js';

type User = Schemas['User'];

/** A password to hand to a new user: 18 random bytes as base64url (24 characters). */
function generatePassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_');
}

/** The roles a user can be given, by name (built-in ones even when the caller cannot list roles). */
function useRoleOptions(enabled: boolean) {
  const { can } = useSession();
  const roles = useQuery({
    queryKey: roleKeys.all,
    queryFn: () => call(api.GET('/v1/roles')),
    enabled: enabled && can('view_roles'),
  });
  const list = roles.data?.data ?? [
    { id: 'administrator', name: 'Administrator' },
    { id: 'editor', name: 'Editor' },
    { id: 'viewer', name: 'Viewer' },
  ];
  return {
    options: list.map((r) => ({ value: r.id, label: r.name })),
    nameOf: (id: string) => list.find((r) => r.id === id)?.name ?? id,
  };
}

/** The tenant's console users: who they are, their role, whether they may sign in. */
export function Users() {
  const { can, me } = useSession();
  const manage = can('manage_users');
  const pages = useCursorPages();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | undefined>();
  const [removing, setRemoving] = useState<User | undefined>();
  const roles = useRoleOptions(true);
  const users = useQuery({
    queryKey: userKeys.page(pages.cursor),
    queryFn: () => call(api.GET('/v1/users', { params: { query: { cursor: pages.cursor, limit: 25 } } })),
  });
  const setDisabled = useWrite({
    run: ({ user, disabled }: { user: User; disabled: boolean }) =>
      call(api.PATCH('/v1/users/{id}', { params: { path: { id: user.id } }, body: { disabled } })),
    success: (u) =>
      u.disabled ? `${u.email} is disabled and signed out everywhere.` : `${u.email} can sign in again.`,
    invalidate: [userKeys.all],
  });
  const remove = useWrite({
    run: (user: User) => call(api.DELETE('/v1/users/{id}', { params: { path: { id: user.id } } })),
    success: (_, user) => `${user.email} removed.`,
    invalidate: [userKeys.all],
    onSuccess: () => setRemoving(undefined),
  });
  return (
    <section className="page" aria-labelledby="users-title">
      <div className="page-header">
        <h1 id="users-title">Users</h1>
        {manage && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Add user
          </button>
        )}
      </div>
      <p className="muted">
        People who sign in to this console. Each acts with a role; nobody can give a role holding more than they hold.
      </p>
      <PagedTable
        query={users}
        pages={pages}
        loading="Loading users"
        empty={
          <EmptyState title="No users">{manage ? 'Add the first one.' : 'An administrator can add one.'}</EmptyState>
        }
        columns={['Name', 'Email', 'Role', 'Status', 'Last sign-in', 'Created']}
        actions={manage ? 'Actions' : undefined}
        row={(user) => (
          <tr key={user.id} data-testid={`user-${user.email}`}>
            <td>{user.name || <span className="muted">—</span>}</td>
            <td>{user.email}</td>
            <td>{user.superuser ? `${roles.nameOf(user.role)} · superuser` : roles.nameOf(user.role)}</td>
            <td>
              <Badge value={user.disabled ? 'disabled' : 'active'} label={user.disabled ? 'disabled' : 'active'} />
            </td>
            <td>
              <Time iso={user.last_login_at} />
            </td>
            <td>
              <Time iso={user.created_at} />
            </td>
            {manage && (
              <td>
                {user.id === me.id ? (
                  <span className="muted small">you</span>
                ) : (
                  <span className="row">
                    <button type="button" className="button button-small" onClick={() => setEditing(user)}>
                      Edit<span className="visually-hidden"> {user.email}</span>
                    </button>
                    <button
                      type="button"
                      className="button button-small"
                      disabled={setDisabled.isPending}
                      onClick={() => setDisabled.mutate({ user, disabled: !user.disabled })}
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                      <span className="visually-hidden"> {user.email}</span>
                    </button>
                    <button type="button" className="button button-small" onClick={() => setRemoving(user)}>
                      Remove<span className="visually-hidden"> {user.email}</span>
                    </button>
                  </span>
                )}
              </td>
            )}
          </tr>
        )}
      />
      {creating && <CreateUserDialog onClose={() => setCreating(false)} />}
      {editing && <EditUserDialog user={editing} onClose={() => setEditing(undefined)} />}
      <ConfirmDialog
        title="Remove user"
        open={removing !== undefined}
        confirmLabel="Remove user"
        pending={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(undefined)}
      >
        <p>
          Remove <strong>{removing?.email}</strong>? Their sessions end at once; the activity log keeps what they did.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** Add a user with a first password, shown once so it can be handed over. */
function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const { me } = useSession();
  const roles = useRoleOptions(true);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('viewer');
  const [password, setPassword] = useState('');
  const [superuser, setSuperuser] = useState(false);
  const create = useWrite({
    run: () => call(api.POST('/v1/users', { body: { email, name, role, password, superuser } })),
    success: (u) => `${u.email} added.`,
    invalidate: [userKeys.all],
    quietErrors: true,
  });
  const errors = fieldErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <Dialog title="Add user" open onClose={onClose}>
      {create.data ? (
        <div className="stack">
          <p className="callout callout-warn">
            Give {create.data.email} this first password now (it is not shown again); they can sign in with it at once.
          </p>
          <div className="row">
            <code data-testid="new-user-password">{password}</code>
            <CopyButton text={password} />
          </div>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit}>
          <Field label="Email" required error={errors.email}>
            {(p) => <input {...p} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <Field label="Name" error={errors.name}>
            {(p) => <input {...p} maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          <SelectField
            label="Role"
            value={role}
            onChange={setRole}
            options={roles.options}
            error={errors.role}
            help={me.superuser ? undefined : 'At most your own capabilities.'}
          />
          <Field label="First password" required error={errors.password} help="At least 12 characters.">
            {(p) => (
              <span className="row">
                <input
                  {...p}
                  type="text"
                  autoComplete="off"
                  required
                  minLength={12}
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
                <button type="button" className="button button-small" onClick={() => setPassword(generatePassword())}>
                  Generate
                </button>
              </span>
            )}
          </Field>
          {me.superuser && (
            <label className="row small">
              <input type="checkbox" checked={superuser} onChange={(e) => setSuperuser(e.target.checked)} />
              Superuser (manages the connector registry and tenants)
            </label>
          )}
          {create.error !== null && Object.keys(errors).length === 0 && <ErrorState error={create.error} />}
          <FormActions onCancel={onClose} pending={create.isPending} pendingLabel="Adding…" label="Add user" />
        </form>
      )}
    </Dialog>
  );
}

/** Change a user's name or role (a new role signs them out everywhere). */
function EditUserDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const roles = useRoleOptions(true);
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState(user.role);
  const save = useWrite({
    run: () =>
      call(
        api.PATCH('/v1/users/{id}', {
          params: { path: { id: user.id } },
          body: { name, ...(role !== user.role ? { role } : {}) },
        }),
      ),
    success: (u) => `${u.email} saved.`,
    invalidate: [userKeys.all],
    onSuccess: onClose,
    quietErrors: true,
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <Dialog title={`Edit ${user.email}`} open onClose={onClose}>
      <form onSubmit={submit}>
        <Field label="Name" error={errors.name}>
          {(p) => <input {...p} maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <SelectField
          label="Role"
          value={role}
          onChange={setRole}
          options={roles.options}
          error={errors.role}
          help="A new role signs the user out everywhere."
        />
        {save.error !== null && Object.keys(errors).length === 0 && <ErrorState error={save.error} />}
        <FormActions onCancel={onClose} pending={save.isPending} pendingLabel="Saving…" label="Save" />
      </form>
    </Dialog>
  );
}
