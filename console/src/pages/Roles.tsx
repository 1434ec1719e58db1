import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { operations } from '../../../sdk/schema.js';
import { api, call, fieldErrors, type Schemas } from '../api.js';
import { useSession } from '../auth.js';
import { meKey, roleKeys, userKeys } from '../query-keys.js';
import {
  Badge,
  ConfirmDialog,
  Dialog,
  ErrorState,
  Field,
  FormActions,
  Loading,
  SelectField,
} from '../ui/components.js';
import { useWrite } from '../ui/mutation.js';
import { DataTable } from '../ui/table.js';

type Role = Schemas['Role'];
/** A capability a custom role can hold (the API's enum). */
type TenantCapability = NonNullable<
  operations['createRole']['requestBody']['content']['application/json']['capabilities']
>[number];
type Capability = { name: string; description: string; superuser_only: boolean };

/**
 * The built-in roles and the tenant's custom ones, and the capability map they make: which role holds what. Custom
 * roles override the map (seed 003): an administrator composes one from the capabilities they hold themselves.
 */
export function Roles() {
  const { can } = useSession();
  const manage = can('manage_roles');
  const [editing, setEditing] = useState<Role | 'new' | undefined>();
  const [deleting, setDeleting] = useState<Role | undefined>();
  const roles = useQuery({ queryKey: roleKeys.all, queryFn: () => call(api.GET('/v1/roles')) });
  const capabilities = useQuery({
    queryKey: roleKeys.capabilities,
    queryFn: () => call(api.GET('/v1/roles/capabilities')),
  });
  const remove = useWrite({
    run: (role: Role) => call(api.DELETE('/v1/roles/{id}', { params: { path: { id: role.id } } })),
    success: (_, role) => `Role “${role.name}” deleted.`,
    invalidate: [roleKeys.all],
    onSuccess: () => setDeleting(undefined),
  });
  const tenantCapabilities = capabilities.data?.data.filter((c) => !c.superuser_only) ?? [];
  return (
    <section className="page" aria-labelledby="roles-title">
      <div className="page-header">
        <h1 id="roles-title">Roles</h1>
        {manage && (
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            Create custom role
          </button>
        )}
      </div>
      <p className="muted">
        A role is a set of capabilities; every user and API key acts with one. The built-in roles cannot change; a
        custom role holds exactly the capabilities chosen for it, and a change reaches its users and keys at once.
      </p>
      {roles.isPending || capabilities.isPending ? (
        <Loading what="Loading roles" />
      ) : roles.error || capabilities.error ? (
        <ErrorState error={roles.error ?? capabilities.error} retry={() => void roles.refetch()} />
      ) : (
        <>
          <DataTable columns={['Role', 'Kind', 'Capabilities', 'Description']} actions={manage ? 'Actions' : undefined}>
            {roles.data.data.map((role) => (
              <tr key={role.id} data-testid={`role-${role.id}`}>
                <td>
                  {role.name}
                  {!role.built_in && (
                    <div className="small muted">
                      <code>{role.id}</code>
                    </div>
                  )}
                </td>
                <td>
                  {role.built_in ? <Badge value="neutral" label="built-in" /> : <Badge value="info" label="custom" />}
                </td>
                <td>
                  {role.capabilities.length} of {tenantCapabilities.length}
                </td>
                <td>{role.description || <span className="muted">—</span>}</td>
                {manage && (
                  <td>
                    {!role.built_in && (
                      <span className="row">
                        <button type="button" className="button button-small" onClick={() => setEditing(role)}>
                          Edit<span className="visually-hidden"> {role.name}</span>
                        </button>
                        <button type="button" className="button button-small" onClick={() => setDeleting(role)}>
                          Delete<span className="visually-hidden"> {role.name}</span>
                        </button>
                      </span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
          <h2>Capability map</h2>
          <DataTable
            columns={['Capability', ...roles.data.data.map((r) => r.name)]}
            testId="capability-map"
            className="capability-map"
          >
            {tenantCapabilities.map((c) => (
              <tr key={c.name}>
                <td>
                  <code>{c.name}</code>
                  <div className="small muted">{c.description}</div>
                </td>
                {roles.data.data.map((r) =>
                  r.capabilities.includes(c.name) ? (
                    <td key={r.id}>
                      <span aria-hidden="true">✓</span>
                      <span className="visually-hidden">held</span>
                    </td>
                  ) : (
                    <td key={r.id} className="muted">
                      <span aria-hidden="true">—</span>
                      <span className="visually-hidden">not held</span>
                    </td>
                  ),
                )}
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {editing && (
        <RoleDialog
          role={editing === 'new' ? undefined : editing}
          roles={roles.data?.data ?? []}
          capabilities={tenantCapabilities}
          onClose={() => setEditing(undefined)}
        />
      )}
      <ConfirmDialog
        title="Delete custom role"
        open={deleting !== undefined}
        confirmLabel="Delete role"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          Delete the role <strong>{deleting?.name}</strong>? This is refused while a user or an active API key holds it.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** Create a custom role (optionally starting from another role's capabilities) or change one. */
function RoleDialog({
  role,
  roles,
  capabilities,
  onClose,
}: {
  role: Role | undefined;
  roles: Role[];
  capabilities: Capability[];
  onClose: () => void;
}) {
  const { can } = useSession();
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [held, setHeld] = useState(() => new Set(role?.capabilities ?? []));
  const save = useWrite({
    run: () => {
      // The checkboxes list the API's own capabilities, so every ticked name is one of its enum.
      const body = { name, description, capabilities: [...held] as TenantCapability[] };
      return role
        ? call(api.PATCH('/v1/roles/{id}', { params: { path: { id: role.id } }, body }))
        : call(api.POST('/v1/roles', { body }));
    },
    success: (saved) => `Role “${saved.name}” ${role ? 'saved' : 'created'}.`,
    // A changed role changes what its users (perhaps the signed-in one) may do.
    invalidate: [roleKeys.all, userKeys.all, meKey],
    onSuccess: onClose,
    quietErrors: true,
  });
  const errors = fieldErrors(save.error);
  const toggle = (capability: string, on: boolean) =>
    setHeld((h) => {
      const next = new Set(h);
      if (on) next.add(capability);
      else next.delete(capability);
      return next;
    });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <Dialog title={role ? `Edit role ${role.name}` : 'Create custom role'} open onClose={onClose} wide>
      <form onSubmit={submit}>
        <Field label="Name" required error={errors.name}>
          {(p) => <input {...p} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Description" error={errors.description}>
          {(p) => <input {...p} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <SelectField
          label="Start from"
          help="Replaces the ticks below with that role’s capabilities."
          value=""
          empty="—"
          onChange={(id) => {
            const from = roles.find((r) => r.id === id);
            if (from) setHeld(new Set(from.capabilities));
          }}
          options={roles.map((r) => ({ value: r.id, label: r.name }))}
        />
        <fieldset className="capability-picker">
          <legend>Capabilities ({held.size})</legend>
          {capabilities.map((c) => (
            <label key={c.name} className="row small">
              <input type="checkbox" checked={held.has(c.name)} onChange={(e) => toggle(c.name, e.target.checked)} />
              <span>
                <code>{c.name}</code> — {c.description}
                {!can(c.name) && <span className="muted"> (you do not hold it, so you cannot grant it)</span>}
              </span>
            </label>
          ))}
        </fieldset>
        {save.error !== null && !errors.name && !errors.description && <ErrorState error={save.error} />}
        <FormActions
          onCancel={onClose}
          pending={save.isPending}
          pendingLabel="Saving…"
          label={role ? 'Save role' : 'Create role'}
        />
      </form>
    </Dialog>
  );
}
