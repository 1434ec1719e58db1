import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, call, errorMessage, SwitchyardError } from '../../../api.js';
import { syncKeys } from '../../../query-keys.js';
import { ErrorState, Field, Loading } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { CheckboxField } from '../../webhooks/shared/controls.js';
import type { SyncConfig } from '../labels.js';
import { useConnectionNames, useSync } from '../queries.js';
import '../syncs.css';
import { DeletionFields, KindFields, TargetFields } from './behaviour-fields.js';
import { MappingEditor } from './mapping-editor.js';
import { ScheduleFields } from './schedule-fields.js';
import { SourceFields } from './source-fields.js';
import { TwoWayFields } from './two-way-fields.js';
import { bodyOf, initialForm, problemsAt, type SyncForm } from './state.js';

/** `/syncs/new` and `/syncs/:id/edit`: seed 000's "New Sync Config" form, and the same form for a saved sync. */
export function SyncFormPage() {
  const { id } = useParams();
  return id ? <EditSync id={id} /> : <SyncFormBody />;
}

function EditSync({ id }: { id: string }) {
  const sync = useSync(id);
  if (sync.isPending) {
    return (
      <section className="page sy-page">
        <Loading what="Loading the sync" />
      </section>
    );
  }
  if (sync.error) {
    return (
      <section className="page sy-page" aria-labelledby="sync-form-title">
        <h1 id="sync-form-title">Edit sync</h1>
        <ErrorState error={sync.error} retry={() => void sync.refetch()} />
      </section>
    );
  }
  return <SyncFormBody sync={sync.data} />;
}

function SyncFormBody({ sync }: { sync?: SyncConfig }) {
  const navigate = useNavigate();
  const connections = useConnectionNames();
  const [form, setForm] = useState<SyncForm>(() => initialForm(sync));
  const set = (change: Partial<SyncForm>) => setForm((f) => ({ ...f, ...change }));
  const discovered = useQuery({
    queryKey: syncKeys.discover(form.sourceKind, form.connectionId),
    queryFn: () =>
      call(api.POST('/v1/syncs/discover', { body: { kind: form.sourceKind, connection_id: form.connectionId } })),
    enabled: form.connectionId !== '',
    retry: false,
    staleTime: 60_000,
  });
  const save = useWrite({
    run: () => {
      const body = bodyOf(form);
      return sync
        ? call(api.PATCH('/v1/syncs/{id}', { params: { path: { id: sync.id } }, body }))
        : call(api.POST('/v1/syncs', { body }));
    },
    success: (saved) => (sync ? `Sync “${saved.name}” saved.` : `Sync “${saved.name}” created.`),
    invalidate: [syncKeys.all],
    onSuccess: (saved) => void navigate(`/syncs/${saved.id}`),
    quietErrors: true,
  });
  const error = save.error;
  const chosenSpecs = (discovered.data?.streams ?? []).filter((s) => form.streams.some((c) => c.name === s.name));
  const nameError = problemsAt(error, 'body.name')[0];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  const title = sync ? `Edit ${sync.name}` : 'New Sync Config';
  return (
    <section className="page sy-page" aria-labelledby="sync-form-title">
      <p className="breadcrumb small">
        <Link to="/syncs">Sync Management</Link>
        {sync && (
          <>
            {' '}
            / <Link to={`/syncs/${sync.id}`}>{sync.name}</Link>
          </>
        )}
      </p>
      <h1 id="sync-form-title">{title}</h1>
      <form onSubmit={submit} noValidate className="sy-form" aria-labelledby="sync-form-title">
        <div className="sy-two">
          <Field label="Name" required error={nameError}>
            {(props) => <input {...props} required value={form.name} onChange={(e) => set({ name: e.target.value })} />}
          </Field>
          <Field label="Description">
            {(props) => (
              <input {...props} value={form.description} onChange={(e) => set({ description: e.target.value })} />
            )}
          </Field>
        </div>
        <SourceFields
          form={form}
          set={set}
          connections={connections.options}
          discovered={discovered}
          problems={problemsAt(error, 'body.source')}
        />
        <KindFields form={form} set={set} />
        <TargetFields
          form={form}
          set={set}
          connections={connections.options}
          problems={problemsAt(error, 'body.target', 'body.direction', 'body.conflict_policy')}
        />
        <ScheduleFields
          scheduled={form.scheduled}
          schedule={form.schedule}
          onScheduled={(scheduled) => set({ scheduled })}
          onChange={(schedule) => set({ schedule })}
          problems={problemsAt(error, 'body.schedule')}
        />
        {form.direction === 'bidirectional' ? (
          <TwoWayFields form={form} set={set} streams={chosenSpecs} problems={problemsAt(error, 'body.two_way')} />
        ) : (
          <MappingEditor form={form} set={set} streams={chosenSpecs} problems={problemsAt(error, 'body.mappings')} />
        )}
        <DeletionFields form={form} set={set} />
        <CheckboxField
          label="Enabled"
          checked={form.enabled}
          onChange={(enabled) => set({ enabled })}
          help="A disabled sync is neither scheduled nor run."
        />
        {error ? <SaveError error={error} /> : null}
        <div className="actions">
          <Link className="button" to={sync ? `/syncs/${sync.id}` : '/syncs'}>
            Cancel
          </Link>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : sync ? 'Save sync' : 'Create sync'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Why saving failed: the API's sentence, and each field problem it listed. */
function SaveError({ error }: { error: unknown }) {
  const problems = error instanceof SwitchyardError ? (error.problem.errors ?? []) : [];
  return (
    <div className="callout callout-error" role="alert" data-testid="save-error">
      <strong>{errorMessage(error)}</strong>
      {problems.length > 0 && (
        <ul className="small">
          {problems.map((p) => (
            <li key={p.path + p.message}>
              <code>{p.path.replace(/^body\./, '')}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
