import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorState, Loading, SelectField } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import type { SyncStream } from '../labels.js';
import type { ChosenStream, SyncForm } from './state.js';

/**
 * The source: a connection (read directly, or what earlier syncs stored for it), and the streams or tables it
 * offers, discovered from it, each with a checkbox and, once chosen, where it goes and its incremental cursor.
 */
export function SourceFields({
  form,
  set,
  connections,
  discovered,
  problems,
}: {
  form: SyncForm;
  set: (change: Partial<SyncForm>) => void;
  connections: { value: string; label: string }[];
  discovered: UseQueryResult<{ streams: SyncStream[] }>;
  problems: string[];
}) {
  return (
    <fieldset className="sy-fieldset">
      <legend>Source</legend>
      <div className="sy-two">
        <SelectField
          label="Source connection"
          value={form.connectionId}
          onChange={(connectionId) => set({ connectionId, streams: [] })}
          empty="Choose a connection…"
          options={connections}
        />
        <SelectField
          label="Read from"
          value={form.sourceKind}
          onChange={(kind) => set({ sourceKind: kind as SyncForm['sourceKind'], streams: [] })}
          options={[
            { value: 'connection', label: 'The connected system (its API or database)' },
            { value: 'record_store', label: 'What syncs stored for it (the record store)' },
          ]}
        />
      </div>
      {form.connectionId && <StreamChoice form={form} set={set} discovered={discovered} />}
      {problems.map((p) => (
        <p key={p} className="field-error" role="alert">
          {p}
        </p>
      ))}
    </fieldset>
  );
}

function StreamChoice({
  form,
  set,
  discovered,
}: {
  form: SyncForm;
  set: (change: Partial<SyncForm>) => void;
  discovered: UseQueryResult<{ streams: SyncStream[] }>;
}) {
  if (discovered.isPending) return <Loading what="Discovering streams and tables" />;
  if (discovered.error) return <ErrorState error={discovered.error} retry={() => void discovered.refetch()} />;
  const streams = discovered.data.streams;
  // Streams a saved sync names that the source no longer lists stay visible, so they can be unticked.
  const missing = form.streams.filter((c) => !streams.some((s) => s.name === c.name));
  const chosen = (name: string) => form.streams.find((c) => c.name === name);
  const toggle = (name: string, on: boolean) =>
    set({
      streams: on
        ? [...form.streams, { name, target: '', cursorField: '' }]
        : form.streams.filter((c) => c.name !== name),
    });
  const update = (name: string, change: Partial<ChosenStream>) =>
    set({ streams: form.streams.map((c) => (c.name === name ? { ...c, ...change } : c)) });
  if (streams.length === 0 && missing.length === 0) {
    return <p className="muted">This connection offers no streams or tables to read.</p>;
  }
  return (
    <div className="stack">
      <p className="sy-label" id="streams-label">
        Streams and tables
      </p>
      <ul className="sy-streams" aria-labelledby="streams-label" data-testid="discovered-streams">
        {streams.map((s) => {
          const c = chosen(s.name);
          return (
            <li key={s.name}>
              <label className="sy-check">
                <input type="checkbox" checked={c !== undefined} onChange={(e) => toggle(s.name, e.target.checked)} />{' '}
                <code>{s.name}</code>
              </label>
              <span className="muted small">
                {' '}
                key {s.primary_key.join(', ') || '—'} · cursor {s.cursor_field ?? 'none'} · {s.fields.length} fields
                {s.description && ` · ${s.description}`}
              </span>
              {c && (
                <>
                  <StreamOptions stream={s} chosen={c} type={form.type} onChange={(ch) => update(s.name, ch)} />
                  <StreamColumns stream={s} />
                </>
              )}
            </li>
          );
        })}
        {missing.map((c) => (
          <li key={c.name}>
            <label className="sy-check">
              <input type="checkbox" checked onChange={() => toggle(c.name, false)} /> <code>{c.name}</code>
            </label>
            <span className="field-error small"> The source no longer lists this stream.</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function StreamOptions({
  stream,
  chosen,
  type,
  onChange,
}: {
  stream: SyncStream;
  chosen: ChosenStream;
  type: SyncForm['type'];
  onChange: (change: Partial<ChosenStream>) => void;
}) {
  return (
    <div className="sy-two sy-stream-options">
      <div className="field">
        <label htmlFor={`target-${stream.name}`}>Write {stream.name} to</label>
        <input
          id={`target-${stream.name}`}
          value={chosen.target}
          placeholder={stream.name}
          onChange={(e) => onChange({ target: e.target.value })}
        />
      </div>
      {type !== 'full' && (
        <div className="field">
          <label htmlFor={`cursor-${stream.name}`}>Cursor field of {stream.name}</label>
          <select
            id={`cursor-${stream.name}`}
            value={chosen.cursorField}
            onChange={(e) => onChange({ cursorField: e.target.value })}
          >
            <option value="">{stream.cursor_field ? `Its own (${stream.cursor_field})` : 'None'}</option>
            {stream.fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name} ({f.type})
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}

/** A chosen table's (or stream's) columns with their types and keys, as discovery read them from the source. */
function StreamColumns({ stream }: { stream: SyncStream }) {
  if (stream.fields.length === 0) {
    return (
      <p className="muted small sy-stream-options">
        The source names {stream.name}’s fields only once records are read (an API listing).
      </p>
    );
  }
  return (
    <details className="sy-stream-options sy-columns" open>
      <summary>
        Columns of {stream.name} ({stream.fields.length})
      </summary>
      <DataTable columns={['Column', 'Type', 'Nullable', 'Key']} testId={`columns-${stream.name}`}>
        {stream.fields.map((f) => {
          const key = stream.primary_key.indexOf(f.name);
          return (
            <tr key={f.name}>
              <td>
                <code>{f.name}</code>
              </td>
              <td>{f.type}</td>
              <td>{f.nullable === false ? 'no' : f.nullable === true ? 'yes' : '—'}</td>
              <td>
                {key >= 0 && (stream.primary_key.length > 1 ? `primary key (${key + 1})` : 'primary key')}
                {stream.cursor_field === f.name && (key >= 0 ? ', cursor' : 'cursor')}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </details>
  );
}
