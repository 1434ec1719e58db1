import { useMutation } from '@tanstack/react-query';
import { api, call } from '../../../api.js';
import { ErrorState, JsonBlock } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import {
  autoMatch,
  mappingsOf,
  schemaOf,
  validName,
  type FileFormat,
  type MappingDraft,
  type Wizard,
} from './state.js';

/**
 * Which file field becomes which target field (matched by name to what the target already has), and the mapping
 * tried on the file's first records: each before (as read and converted by the schema) and after (as written).
 */
export function MappingTable({
  w,
  set,
  targetFields,
  from,
}: { w: Wizard; set: (change: Partial<Wizard>) => void } & { targetFields: string[]; from: string | undefined }) {
  const update = (name: string, change: Partial<MappingDraft>) =>
    set({ mapping: w.mapping.map((m) => (m.from === name ? { ...m, ...change } : m)) });
  return (
    <fieldset className="sy-fieldset">
      <legend>Field mapping</legend>
      <p className="help">
        {from
          ? `File fields are matched by name to ${from}; change any.`
          : 'Each file field is written under its own name unless you give another.'}
      </p>
      <datalist id="im-target-fields">
        {targetFields.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      <DataTable columns={['Write', 'File field', 'Target field']} testId="field-mapping">
        {w.mapping.map((m) => (
          <tr key={m.from} data-testid="field-mapping-row">
            <td>
              <input
                type="checkbox"
                aria-label={`Write ${m.from}`}
                checked={m.include}
                onChange={(e) => update(m.from, { include: e.target.checked })}
              />
            </td>
            <td>
              <code>{m.from}</code>
            </td>
            <td>
              <input
                aria-label={`Target field for ${m.from}`}
                list="im-target-fields"
                value={m.to}
                disabled={!m.include}
                onChange={(e) => update(m.from, { to: e.target.value, edited: true })}
              />
              {targetFields.length > 0 && m.include && !targetFields.includes(m.to.trim()) && (
                <span className="muted small"> new field</span>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <div className="row">
        <button
          type="button"
          className="button"
          onClick={() =>
            set({
              mapping: autoMatch(
                w.mapping.map((m) => ({ ...m, edited: false })),
                targetFields,
              ),
            })
          }
        >
          Match by name again
        </button>
      </div>
      <MappingPreview w={w} />
    </fieldset>
  );
}

/** The mapping run on the file's first records: each as read and converted by the schema, and as it is written. */
function MappingPreview({ w }: { w: Wizard }) {
  const preview = useMutation({
    mutationFn: () =>
      call(
        api.POST('/v1/syncs/mapping-preview', {
          body: {
            kind: 'file',
            file_id: w.file?.id ?? '',
            format: w.format as FileFormat,
            schema: schemaOf(w.fields),
            stream: validName(w.model.trim()) ? w.model.trim() : 'records',
            ...(w.primaryKey.length > 0 ? { primary_key: w.primaryKey } : {}),
            mappings: mappingsOf(w.mapping, w.primaryKey),
            limit: 3,
          },
        }),
      ),
  });
  return (
    <section className="stack sy-preview" aria-labelledby="im-preview-title">
      <h3 id="im-preview-title" className="sy-subtitle">
        Before and after
      </h3>
      <div className="row">
        <button type="button" className="button" disabled={preview.isPending} onClick={() => preview.mutate()}>
          {preview.isPending ? 'Reading samples…' : 'Preview on sample records'}
        </button>
      </div>
      {preview.error ? <ErrorState error={preview.error} /> : null}
      {preview.data && (
        <div className="stack" aria-live="polite">
          {preview.data.problems.map((p) => (
            <p key={p.path + p.message} className="callout callout-warn">
              {p.message}
            </p>
          ))}
          <DataTable columns={['Before (as read)', 'After (as written)']} testId="mapping-samples">
            {preview.data.samples.map((s, i) => (
              <tr key={i}>
                <td>
                  <JsonBlock value={s.input} label={`Sample record ${i + 1}`} />
                </td>
                <td>
                  {s.error !== null ? (
                    <p className="field-error">Rejected: {s.error}</p>
                  ) : (
                    <JsonBlock value={s.output} label={`Sample record ${i + 1} as written`} />
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </section>
  );
}
