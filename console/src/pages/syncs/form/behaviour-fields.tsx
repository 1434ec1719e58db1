import { Field, SelectField } from '../../../ui/components.js';
import { conflictHelp, conflictLabels, deletionLabels, directionLabels, typeHelp, typeLabels } from '../labels.js';
import type { SyncForm } from './state.js';

const entries = <K extends string>(labels: Record<K, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label: label as string }));

type Props = {
  form: SyncForm;
  set: (change: Partial<SyncForm>) => void;
  /** Connections that can be a target, as options. */
  connections: { value: string; label: string }[];
  problems: string[];
};

/** Seed 000's sync parameters: type, direction and (two-way only) conflict resolution. */
export function KindFields({ form, set }: Pick<Props, 'form' | 'set'>) {
  return (
    <fieldset className="sy-fieldset">
      <legend>Sync parameters</legend>
      <div className="sy-two">
        <SelectField
          label="Sync type"
          value={form.type}
          onChange={(type) => set({ type: type as SyncForm['type'] })}
          options={entries(typeLabels)}
          help={typeHelp[form.type]}
        />
        <SelectField
          label="Direction"
          value={form.direction}
          onChange={(value) => {
            const direction = value as SyncForm['direction'];
            // An outbound sync writes to a connection's API; an inbound one never does.
            const targetKind =
              direction === 'outbound'
                ? 'connection'
                : form.targetKind === 'connection'
                  ? 'record_store'
                  : form.targetKind;
            // A two-way sync's side A is the connection itself, read incrementally (or fully) on each side.
            const twoWay =
              direction === 'bidirectional'
                ? { sourceKind: 'connection' as const, type: form.type === 'delta' ? 'incremental' : form.type }
                : {};
            set({ direction, targetKind, ...twoWay });
          }}
          options={entries(directionLabels)}
          help={
            form.direction === 'bidirectional'
              ? 'Side A is the source, side B the target; changes on either side reach the other.'
              : undefined
          }
        />
        {form.direction === 'bidirectional' && (
          <SelectField
            label="Conflict resolution"
            value={form.conflict}
            onChange={(conflict) => set({ conflict: conflict as SyncForm['conflict'] })}
            options={entries(conflictLabels)}
            help={conflictHelp[form.conflict]}
          />
        )}
      </div>
    </fieldset>
  );
}

/** Where records go: the record store, tables of a database connection, or a connection's API (outbound). */
export function TargetFields({ form, set, connections, problems }: Props) {
  const kinds =
    form.direction === 'outbound'
      ? [{ value: 'connection', label: 'A connection’s API' }]
      : [
          { value: 'record_store', label: 'The record store' },
          { value: 'postgres', label: 'A PostgreSQL database' },
          { value: 'mysql', label: 'A MySQL / MariaDB database' },
          { value: 'sqlite', label: 'A SQLite file' },
          // Set up through the API (its dimensions and fields); a stored one stays editable here.
          ...(form.vectorTarget ? [{ value: 'pgvector', label: 'A PostgreSQL database with pgvector' }] : []),
          ...(form.direction === 'bidirectional' ? [{ value: 'connection', label: 'A connection’s API' }] : []),
        ];
  return (
    <fieldset className="sy-fieldset">
      <legend>Target</legend>
      <div className="sy-two">
        <SelectField
          label="Write to"
          value={form.targetKind}
          onChange={(kind) => set({ targetKind: kind as SyncForm['targetKind'] })}
          options={kinds}
          help={
            form.targetKind === 'record_store'
              ? 'Records kept per connection and stream, with a change feed your product reads.'
              : form.targetKind === 'postgres'
                ? 'One table per stream, written through a staging table and one upsert.'
                : form.targetKind === 'pgvector'
                  ? 'One (id, embedding, metadata) table per stream; dimensions and fields are set through the API.'
                  : form.targetKind === 'mysql' || form.targetKind === 'sqlite'
                    ? 'One table per stream, created when missing, written in batches of upserts.'
                    : 'Records are created or updated through the connection’s stream endpoints.'
          }
        />
        {form.targetKind !== 'record_store' && (
          <SelectField
            label="Target connection"
            value={form.targetConnectionId}
            onChange={(targetConnectionId) => set({ targetConnectionId })}
            empty="Choose a connection…"
            options={connections.filter((c) => c.value !== form.connectionId || form.sourceKind === 'record_store')}
          />
        )}
        {(form.targetKind === 'postgres' || form.targetKind === 'pgvector') && (
          <Field label="Schema" help="Tables are created in this schema when missing.">
            {(props) => (
              <input {...props} value={form.targetSchema} onChange={(e) => set({ targetSchema: e.target.value })} />
            )}
          </Field>
        )}
      </div>
      {problems.map((p) => (
        <p key={p} className="field-error" role="alert">
          {p}
        </p>
      ))}
    </fieldset>
  );
}

/** What a full read does to records the source no longer has, and the run-time settings. */
export function DeletionFields({ form, set }: Pick<Props, 'form' | 'set'>) {
  return (
    <fieldset className="sy-fieldset">
      <legend>Deletions and tuning</legend>
      <div className="sy-two">
        {/* A two-way sync says what a delete on each side does in its two-way fields instead. */}
        {form.direction !== 'bidirectional' && (
          <SelectField
            label="Records the source no longer has"
            value={form.deletionMode}
            onChange={(mode) => set({ deletionMode: mode as SyncForm['deletionMode'] })}
            options={entries(deletionLabels)}
            help="Applied by full syncs, which see every record."
          />
        )}
        <Field
          label="Stop when a run would delete more than (%)"
          help="A safety stop: a source that suddenly answers almost nothing does not empty the target."
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              max={100}
              value={form.maxDeletePercent}
              onChange={(e) => set({ maxDeletePercent: e.target.value })}
            />
          )}
        </Field>
        {form.type !== 'full' && (
          <Field
            label="Look-back (seconds)"
            help="Incremental reads start this far before the checkpoint (late commits)."
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={0}
                value={form.lookbackSeconds}
                onChange={(e) => set({ lookbackSeconds: e.target.value })}
              />
            )}
          </Field>
        )}
        <Field label="Batch size" help="Records read and written together; a checkpoint follows each batch.">
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              max={100000}
              value={form.batchSize}
              onChange={(e) => set({ batchSize: e.target.value })}
            />
          )}
        </Field>
        <Field label="Also run on these event types" help="Comma-separated, e.g. order.created.">
          {(props) => (
            <input {...props} value={form.eventTypes} onChange={(e) => set({ eventTypes: e.target.value })} />
          )}
        </Field>
      </div>
    </fieldset>
  );
}
