import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, errorMessage } from '../../api.js';
import { useSession } from '../../auth.js';
import { syncKeys } from '../../query-keys.js';
import {
  ConfirmDialog,
  Dialog,
  ErrorState,
  Field,
  FormActions,
  JsonBlock,
  Loading,
  Time,
} from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { DataTable } from '../../ui/table.js';
import { RowActions, RowButton } from '../webhooks/shared/controls.js';
import type { SyncConfig } from './labels.js';

/**
 * Seed 000's "reset sync state", and the state itself: each stream's checkpoint (where its next incremental read
 * starts), editable (the server audits the old and new values), resettable one stream or all.
 */
export function StatePanel({ sync }: { sync: SyncConfig }) {
  const { can } = useSession();
  const manage = can('manage_syncs');
  const state = useQuery({
    queryKey: syncKeys.state(sync.id),
    queryFn: () => call(api.GET('/v1/syncs/{id}/state', { params: { path: { id: sync.id } } })),
  });
  const [resetting, setResetting] = useState<{ streams: string[] }>();
  const [editing, setEditing] = useState<{ stream: string; state: Record<string, unknown> }>();
  const reset = useWrite({
    run: (streams: string[]) =>
      call(api.POST('/v1/syncs/{id}/reset', { params: { path: { id: sync.id } }, body: { streams } })),
    success: (result) =>
      result.reset.length === 0 ? 'There was no state to reset.' : `State reset: ${result.reset.join(', ')}.`,
    invalidate: [syncKeys.detail(sync.id)],
    onSuccess: () => setResetting(undefined),
  });
  const running = sync.running_execution_id !== null;
  const streams = sync.source.streams.map((s) => s.name);
  const held = state.data?.data ?? [];
  return (
    <section className="stack" aria-labelledby="state-title">
      <div className="page-header">
        <h2 id="state-title">State</h2>
        {manage && (
          <button
            type="button"
            className="button"
            disabled={running}
            title={running ? 'State cannot change while the sync runs.' : undefined}
            onClick={() => setResetting({ streams: [] })}
          >
            Reset state
          </button>
        )}
      </div>
      <p className="muted small">
        Where each stream’s next read starts. Resetting makes the next run read everything again; records stay.
        {running && ' State cannot change while the sync runs.'}
      </p>
      {state.isPending ? (
        <Loading what="Loading state" />
      ) : state.error ? (
        <ErrorState error={state.error} retry={() => void state.refetch()} />
      ) : (
        <DataTable
          columns={['Stream', 'Checkpoint', 'Saved']}
          actions={manage ? 'Actions' : undefined}
          testId="state-table"
        >
          {streams.map((name) => {
            const s = held.find((h) => h.stream === name);
            return (
              <tr key={name} data-testid="state-row">
                <td>
                  <code>{name}</code>
                </td>
                <td>
                  {s ? (
                    <JsonBlock value={s.state} label={`Checkpoint of ${name}`} />
                  ) : (
                    <span className="muted">None: the next run reads everything</span>
                  )}
                </td>
                <td>{s ? <Time iso={s.updated_at} /> : '—'}</td>
                {manage && (
                  <td>
                    <RowActions>
                      <RowButton
                        name={`Edit the state of ${name}`}
                        disabled={running}
                        onClick={() => setEditing({ stream: name, state: s?.state ?? {} })}
                      >
                        Edit
                      </RowButton>
                      <RowButton
                        name={`Reset the state of ${name}`}
                        disabled={running || !s}
                        onClick={() => setResetting({ streams: [name] })}
                      >
                        Reset
                      </RowButton>
                    </RowActions>
                  </td>
                )}
              </tr>
            );
          })}
        </DataTable>
      )}
      <ConfirmDialog
        title={resetting?.streams.length ? `Reset the state of ${resetting.streams[0]}` : 'Reset all state'}
        open={resetting !== undefined}
        confirmLabel="Reset state"
        pending={reset.isPending}
        onConfirm={() => resetting && reset.mutate(resetting.streams)}
        onClose={() => setResetting(undefined)}
      >
        <p>
          {resetting?.streams.length
            ? `The next run reads ${resetting.streams[0]} from the start.`
            : `The next run of “${sync.name}” reads every stream from the start.`}{' '}
          Records already written stay; they are matched by key, so nothing is doubled.
        </p>
      </ConfirmDialog>
      {editing && (
        <EditState sync={sync} stream={editing.stream} state={editing.state} onClose={() => setEditing(undefined)} />
      )}
    </section>
  );
}

/** Edit (or rewind) one stream's checkpoint as JSON. */
function EditState({
  sync,
  stream,
  state,
  onClose,
}: {
  sync: SyncConfig;
  stream: string;
  state: Record<string, unknown>;
  onClose: () => void;
}) {
  const [text, setText] = useState(JSON.stringify(state, null, 2));
  const [invalid, setInvalid] = useState<string>();
  const save = useWrite({
    run: (value: Record<string, unknown>) =>
      call(
        api.PUT('/v1/syncs/{id}/state/{stream}', {
          params: { path: { id: sync.id, stream } },
          body: { state: value },
        }),
      ),
    success: `State of ${stream} saved.`,
    invalidate: [syncKeys.state(sync.id)],
    onSuccess: onClose,
    quietErrors: true,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      setInvalid(`Not JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      setInvalid('A checkpoint is a JSON object, e.g. {"cursor": "2024-01-01T00:00:00Z"}.');
      return;
    }
    setInvalid(undefined);
    save.mutate(value as Record<string, unknown>);
  };
  return (
    <Dialog title={`State of ${stream}`} open onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <Field
          label="Checkpoint (JSON)"
          error={invalid ?? (save.error ? errorMessage(save.error) : undefined)}
          help="The next run starts from here. The change is recorded in the activity log with the old value."
        >
          {(props) => (
            <textarea {...props} rows={10} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
          )}
        </Field>
        <FormActions onCancel={onClose} pending={save.isPending} label="Save state" pendingLabel="Saving…" />
      </form>
    </Dialog>
  );
}
