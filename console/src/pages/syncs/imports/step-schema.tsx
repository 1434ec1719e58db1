import { DataTable } from '../../../ui/table.js';
import { cellText, fieldTypes, type FieldDraft, type FieldType } from './state.js';

/**
 * Step 3: the proposed schema as an editable table. Each field's type, whether it is required, the values it may
 * take and a pattern it must match; beside them, what inference saw (its confidence, a note, examples), so a guess
 * is accepted or corrected knowingly.
 */
export function SchemaStep({ fields, onChange }: { fields: FieldDraft[]; onChange: (fields: FieldDraft[]) => void }) {
  const update = (name: string, change: Partial<FieldDraft>) =>
    onChange(fields.map((f) => (f.name === name ? { ...f, ...change } : f)));
  if (fields.length === 0) return <p className="muted">The file has no fields to describe.</p>;
  return (
    <div className="stack">
      <p className="muted">
        Every record is checked against this schema in the dry run and the import: a value that does not convert to the
        type, a missing required value, a value outside the allowed ones or not matching the pattern rejects the record,
        saying why.
      </p>
      <DataTable
        columns={['Field', 'Type', 'Required', 'Allowed values', 'Pattern', 'Inferred']}
        testId="schema-fields"
        className="im-schema"
      >
        {fields.map((f) => (
          <tr key={f.name} data-testid="schema-field">
            <td>
              <code>{f.name}</code>
            </td>
            <td>
              <select
                aria-label={`Type of ${f.name}`}
                value={f.type}
                onChange={(e) => update(f.name, { type: e.target.value as FieldType })}
              >
                {fieldTypes.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={`${f.name} is required`}
                checked={f.required}
                onChange={(e) => update(f.name, { required: e.target.checked })}
              />
            </td>
            <td>
              <input
                aria-label={`Allowed values of ${f.name}`}
                placeholder="any (or a, b, c)"
                value={f.allowed}
                onChange={(e) => update(f.name, { allowed: e.target.value })}
              />
            </td>
            <td>
              <input
                aria-label={`Pattern of ${f.name}`}
                placeholder="a regular expression"
                value={f.pattern}
                onChange={(e) => update(f.name, { pattern: e.target.value })}
              />
            </td>
            <td className="im-inferred">
              {f.inferred ? (
                <>
                  <span>
                    {f.inferred.type} · {Math.round(f.inferred.confidence * 100)}%
                    {f.inferred.nulls > 0 && ` · ${f.inferred.nulls} empty`}
                  </span>
                  {f.inferred.note && (
                    <span className="im-note" data-testid="inference-note">
                      {f.inferred.note}
                    </span>
                  )}
                  {f.inferred.examples.length > 0 && (
                    <span className="muted small">e.g. {f.inferred.examples.slice(0, 3).map(cellText).join(', ')}</span>
                  )}
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
