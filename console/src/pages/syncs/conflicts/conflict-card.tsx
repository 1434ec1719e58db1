import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../../api.js';
import { syncKeys } from '../../../query-keys.js';
import { Badge, Time } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { DataTable } from '../../../ui/table.js';
import type { Conflict } from '../labels.js';

type ConflictField = Conflict['fields'][number];
type ResolveBody = { take: 'a' | 'b' } | { take: 'values'; values: Record<string, unknown> };

/** A value as a person reads it: text as it is, an absent or empty one said in words, anything else as JSON. */
function Value({ value }: { value: unknown }) {
  if (value === undefined) return <span className="muted">(none)</span>;
  if (value === null) return <span className="muted">(empty)</span>;
  if (typeof value === 'string') return <span className="sy-value">{value}</span>;
  return <code className="sy-value">{JSON.stringify(value)}</code>;
}

/** The text an edit box starts with for a value (what `parseEdited` turns back into it). */
const editText = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * An edited value: a field both sides hold as text stays text; any other is read as JSON when it parses (`42`,
 * `true`, `{"a":1}`), else as text.
 */
function parseEdited(field: ConflictField, text: string): unknown {
  const textual = [field.a, field.b].every((v) => v === null || v === undefined || typeof v === 'string');
  if (textual) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function resolutionText(c: Conflict): string {
  const r = c.resolution;
  if (!r) return '';
  return r.take === 'a' ? 'Took A' : r.take === 'b' ? 'Took B' : 'Edited values';
}

/**
 * One conflict of the inbox: the record on each side, each conflicting field's value on A, on B and as both last
 * agreed (the base), and, while it is open, Take A, Take B or Edit (values typed here), which resolve it; the sync
 * then runs and writes the chosen values to both sides.
 */
export function ConflictCard({ conflict: c, canResolve }: { conflict: Conflict; canResolve: boolean }) {
  const titleId = useId();
  const [editing, setEditing] = useState(false);
  const resolve = useWrite({
    run: (body: ResolveBody) =>
      call(api.POST('/v1/syncs/conflicts/{id}/resolve', { params: { path: { id: c.id } }, body })),
    success: (_, body) =>
      `Conflict resolved (${body.take === 'values' ? 'edited values' : `took ${body.take.toUpperCase()}`}); the sync runs to write it to both sides.`,
    invalidate: [syncKeys.all],
    onSuccess: () => setEditing(false),
  });
  return (
    <article className="card stack sy-conflict" aria-labelledby={titleId} data-testid="conflict">
      <header className="sy-conflict-header">
        <h3 id={titleId} className="sy-subtitle">
          <Link to={`/syncs/${c.sync_id}`}>{c.sync_name}</Link> · <code>{c.stream}</code>
        </h3>
        <Badge value={c.state} color={c.state === 'open' ? 'warn' : c.state === 'applied' ? 'good' : 'info'} />
        <span className="muted small">
          A <code>{c.a_id}</code> ↔ B <code>{c.b_id}</code> · <Time iso={c.created_at} />
        </span>
      </header>
      {editing ? (
        <EditValues
          conflict={c}
          pending={resolve.isPending}
          onCancel={() => setEditing(false)}
          onSave={(values) => resolve.mutate({ take: 'values', values })}
        />
      ) : (
        <DataTable columns={['Field', 'A', 'B', 'Base']} testId="conflict-fields">
          {c.fields.map((f) => (
            <tr key={f.field}>
              <th scope="row">
                <code>{f.field}</code>
              </th>
              <td>
                <Value value={f.a} />
              </td>
              <td>
                <Value value={f.b} />
              </td>
              <td>
                <Value value={f.base} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {c.state !== 'open' ? (
        <p className="small" data-testid="conflict-resolution">
          {resolutionText(c)}
          {c.resolved_by && ` by ${c.resolved_by}`}
          {c.resolved_at && (
            <>
              {' '}
              · <Time iso={c.resolved_at} />
            </>
          )}
          {c.state === 'resolved' ? ' · waiting for the sync to write it' : ' · written to both sides'}
        </p>
      ) : (
        canResolve &&
        !editing && (
          <div className="row">
            <button
              type="button"
              className="button"
              disabled={resolve.isPending}
              onClick={() => resolve.mutate({ take: 'a' })}
            >
              Take A
            </button>
            <button
              type="button"
              className="button"
              disabled={resolve.isPending}
              onClick={() => resolve.mutate({ take: 'b' })}
            >
              Take B
            </button>
            <button type="button" className="button" onClick={() => setEditing(true)}>
              Edit
            </button>
          </div>
        )
      )}
    </article>
  );
}

/** Every conflicting field with an edit box, starting from A's value; saving resolves with the values typed. */
function EditValues({
  conflict: c,
  pending,
  onCancel,
  onSave,
}: {
  conflict: Conflict;
  pending: boolean;
  onCancel: () => void;
  onSave: (values: Record<string, unknown>) => void;
}) {
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(c.fields.map((f) => [f.field, editText(f.a)])),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave(Object.fromEntries(c.fields.map((f) => [f.field, parseEdited(f, texts[f.field] ?? '')])));
  };
  return (
    <form className="stack" onSubmit={submit} aria-label={`Edit the values of ${c.a_id}`}>
      <DataTable columns={['Field', 'Value written to both sides', 'A', 'B', 'Base']} testId="conflict-edit">
        {c.fields.map((f) => (
          <tr key={f.field}>
            <th scope="row">
              <code>{f.field}</code>
            </th>
            <td>
              <input
                aria-label={`Value of ${f.field}`}
                value={texts[f.field] ?? ''}
                onChange={(e) => setTexts((t) => ({ ...t, [f.field]: e.target.value }))}
              />
            </td>
            <td>
              <Value value={f.a} />
            </td>
            <td>
              <Value value={f.b} />
            </td>
            <td>
              <Value value={f.base} />
            </td>
          </tr>
        ))}
      </DataTable>
      <div className="row">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Resolving…' : 'Resolve with these values'}
        </button>
      </div>
    </form>
  );
}
