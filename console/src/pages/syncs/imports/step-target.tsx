import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, call } from '../../../api.js';
import { syncKeys } from '../../../query-keys.js';
import { ErrorState, Field, SelectField } from '../../../ui/components.js';
import { CheckboxField } from '../../webhooks/shared/controls.js';
import { MappingTable } from './step-mapping.js';
import {
  autoMatch,
  newColumnLabels,
  onErrorLabels,
  validName,
  type NewColumns,
  type OnError,
  type TargetKind,
  type Wizard,
} from './state.js';

type Props = { w: Wizard; set: (change: Partial<Wizard>) => void; connections: { value: string; label: string }[] };

/**
 * What the target already has: the names it offers (models, tables or streams, for the name field) and the fields of
 * the one named (for matching file fields by name). The record store has no declared fields: those of a record it
 * holds for the model stand in.
 */
function useTargetShape(w: Wizard) {
  const { targetKind: kind, connectionId, model } = w;
  const discovered = useQuery({
    queryKey: syncKeys.discover('connection', connectionId),
    queryFn: () => call(api.POST('/v1/syncs/discover', { body: { kind: 'connection', connection_id: connectionId } })),
    enabled: kind !== 'record_store' && connectionId !== '',
    retry: false,
    staleTime: 60_000,
  });
  const models = useQuery({
    queryKey: syncKeys.recordModels(connectionId),
    queryFn: () => call(api.GET('/v1/records/models', { params: { query: { connection_id: connectionId } } })),
    enabled: kind === 'record_store' && connectionId !== '',
  });
  const sample = useQuery({
    queryKey: syncKeys.recordSample(connectionId, model),
    queryFn: () =>
      call(api.GET('/v1/records', { params: { query: { connection_id: connectionId, model, limit: 1 } } })),
    enabled: kind === 'record_store' && connectionId !== '' && validName(model),
    retry: false,
  });
  const prefix = `${w.pgSchema.trim() || 'public'}.`;
  const streams = discovered.data?.streams ?? [];
  if (kind === 'record_store') {
    const record = sample.data?.records[0];
    return {
      names: (models.data?.data ?? []).map((m) => m.model),
      fields: record ? Object.keys(record.data) : [],
      from: record ? `the fields of a record already in ${model}` : undefined,
      error: models.error ?? undefined,
    };
  }
  const names =
    kind === 'postgres'
      ? streams.filter((s) => s.name.startsWith(prefix)).map((s) => s.name.slice(prefix.length))
      : streams.map((s) => s.name);
  const named = streams.find((s) => s.name === (kind === 'postgres' ? prefix + model : model));
  return {
    names,
    fields: named?.fields.map((f) => f.name) ?? [],
    from: named ? `the columns of ${named.name}` : undefined,
    error: discovered.error ?? undefined,
  };
}

/** Step 4: where the records go, their key, which file field becomes which target field, and the policies. */
export function TargetStep({ w, set, connections }: Props) {
  const shape = useTargetShape(w);
  const fieldsKey = shape.fields.join('\n');
  // Fields of the target appearing (a model, table or stream was named) match the file's by name; only then, so a
  // choice made by hand afterwards stays.
  useEffect(() => {
    if (fieldsKey) set({ mapping: autoMatch(w.mapping, fieldsKey.split('\n')) });
  }, [fieldsKey]);
  const kindNoun = w.targetKind === 'record_store' ? 'Model' : w.targetKind === 'postgres' ? 'Table' : 'Stream';
  return (
    <div className="stack">
      <fieldset className="sy-fieldset">
        <legend>Target</legend>
        <div className="sy-two">
          <Field label="Import name">
            {(props) => <input {...props} value={w.name} onChange={(e) => set({ name: e.target.value })} />}
          </Field>
          <SelectField
            label="Write to"
            value={w.targetKind}
            onChange={(v) => set({ targetKind: v as TargetKind, connectionId: '' })}
            options={[
              { value: 'record_store', label: 'The record store' },
              { value: 'postgres', label: 'A PostgreSQL table' },
              { value: 'connection', label: 'A connection’s API (a stream)' },
            ]}
          />
          <SelectField
            label={w.targetKind === 'record_store' ? 'Keep the records under' : 'Connection'}
            value={w.connectionId}
            onChange={(connectionId) => set({ connectionId })}
            empty="Choose a connection…"
            options={connections}
            help={
              w.targetKind === 'record_store'
                ? 'Records in the record store belong to a connection; your product reads them there.'
                : undefined
            }
          />
          {w.targetKind === 'postgres' && (
            <Field label="Schema" help="The table is created in it when missing.">
              {(props) => <input {...props} value={w.pgSchema} onChange={(e) => set({ pgSchema: e.target.value })} />}
            </Field>
          )}
          <Field
            label={kindNoun}
            help={w.targetKind === 'record_store' ? 'A new name makes a new model.' : undefined}
            error={w.model && !validName(w.model.trim()) ? 'Letters, digits, _ . - only.' : undefined}
          >
            {(props) => (
              <input
                {...props}
                list="im-target-names"
                value={w.model}
                onChange={(e) => set({ model: e.target.value })}
              />
            )}
          </Field>
          <datalist id="im-target-names">
            {shape.names.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </div>
        {shape.error ? <ErrorState error={shape.error} /> : null}
      </fieldset>
      <KeyFields w={w} set={set} />
      <MappingTable w={w} set={set} targetFields={shape.fields} from={shape.from} />
      <fieldset className="sy-fieldset">
        <legend>Policies</legend>
        <div className="sy-two">
          <SelectField
            label="A bad record"
            value={w.onError}
            onChange={(v) => set({ onError: v as OnError })}
            options={Object.entries(onErrorLabels).map(([value, label]) => ({ value, label }))}
          />
          <SelectField
            label="A column the schema lacks"
            value={w.newColumns}
            onChange={(v) => set({ newColumns: v as NewColumns })}
            options={Object.entries(newColumnLabels).map(([value, label]) => ({ value, label }))}
          />
        </div>
        <CheckboxField
          label="Keep an undo journal"
          checked={w.undoable}
          onChange={(undoable) => set({ undoable })}
          help="The import can then be undone from its history. Into a database table it writes somewhat slower (about 15% on a first load); turn it off for a bulk load you will not undo."
        />
      </fieldset>
    </div>
  );
}

function KeyFields({ w, set }: Pick<Props, 'w' | 'set'>) {
  const toggle = (name: string, on: boolean) =>
    set({ primaryKey: on ? [...w.primaryKey, name] : w.primaryKey.filter((k) => k !== name) });
  return (
    <fieldset className="sy-fieldset">
      <legend>Primary key</legend>
      <p className="help">
        Identifies a record: importing again updates the records with the same key. None: records are numbered by their
        place in the file.
      </p>
      <ul className="im-keys" aria-label="Primary key fields">
        {w.fields.map((f) => (
          <li key={f.name}>
            <label className="sy-check">
              <input
                type="checkbox"
                checked={w.primaryKey.includes(f.name)}
                onChange={(e) => toggle(f.name, e.target.checked)}
              />{' '}
              <code>{f.name}</code>
            </label>
          </li>
        ))}
      </ul>
      {w.primaryKey.length > 0 && (
        <CheckboxField
          label="Reject records whose key appears twice in the file"
          checked={w.uniqueKey}
          onChange={(uniqueKey) => set({ uniqueKey })}
        />
      )}
    </fieldset>
  );
}
