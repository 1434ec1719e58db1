import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../../api.js';
import { ErrorState, JsonBlock, SelectField } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import type { SyncStream } from '../labels.js';
import { castTypes, mappingOf, newRow, type MappingRow, type SyncForm } from './state.js';

const kindLabels = { from: 'Source field', constant: 'Constant', template: 'Template' } as const;
const placeholders = { from: 'e.g. properties.email', constant: 'e.g. "crm" or 42', template: '{{first}} {{last}}' };

/**
 * The field mappings: which fields a record keeps, and rows that each set an output field from a source field, a
 * constant or a template, optionally cast. "Preview on sample records" runs them on records read from the source
 * now, showing what each becomes or why it would be rejected.
 */
export function MappingEditor({
  form,
  set,
  streams,
  problems,
}: {
  form: SyncForm;
  set: (change: Partial<SyncForm>) => void;
  /** The chosen streams, as the source describes them (for field suggestions and the preview). */
  streams: SyncStream[];
  problems: string[];
}) {
  const update = (key: number, change: Partial<MappingRow>) =>
    set({ fields: form.fields.map((r) => (r.key === key ? { ...r, ...change } : r)) });
  const fieldNames = [...new Set(streams.flatMap((s) => s.fields.map((f) => f.name)))];
  const chosenNames = form.streams.map((s) => s.name);
  return (
    <fieldset className="sy-fieldset">
      <legend>Field mappings</legend>
      <SelectField
        label="Fields written"
        value={form.select}
        onChange={(select) => set({ select: select as SyncForm['select'] })}
        options={[
          { value: 'all', label: 'Every source field, with the mapped ones applied over them' },
          { value: 'mapped', label: 'Only the mapped fields' },
        ]}
      />
      <datalist id="source-fields">
        {fieldNames.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {form.fields.length > 0 && (
        <DataTable
          columns={['To', 'From', 'Value', 'Cast', ...(chosenNames.length > 1 ? ['Stream'] : [])]}
          actions="Remove"
        >
          {form.fields.map((r, i) => (
            <tr key={r.key} data-testid="mapping-row">
              <td>
                <input
                  aria-label={`Output field, row ${i + 1}`}
                  value={r.to}
                  onChange={(e) => update(r.key, { to: e.target.value })}
                  placeholder="e.g. email"
                />
              </td>
              <td>
                <select
                  aria-label={`Value from, row ${i + 1}`}
                  value={r.kind}
                  onChange={(e) => update(r.key, { kind: e.target.value as MappingRow['kind'] })}
                >
                  {Object.entries(kindLabels).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  aria-label={`${kindLabels[r.kind]}, row ${i + 1}`}
                  value={r.value}
                  list={r.kind === 'from' ? 'source-fields' : undefined}
                  placeholder={placeholders[r.kind]}
                  onChange={(e) => update(r.key, { value: e.target.value })}
                />
              </td>
              <td>
                <select
                  aria-label={`Cast, row ${i + 1}`}
                  value={r.cast}
                  onChange={(e) => update(r.key, { cast: e.target.value as MappingRow['cast'] })}
                >
                  <option value="">As is</option>
                  {castTypes.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </td>
              {chosenNames.length > 1 && (
                <td>
                  <select
                    aria-label={`Stream, row ${i + 1}`}
                    value={r.stream}
                    onChange={(e) => update(r.key, { stream: e.target.value })}
                  >
                    <option value="">Every stream</option>
                    {chosenNames.map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </td>
              )}
              <td>
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Remove mapping row ${i + 1}`}
                  onClick={() => set({ fields: form.fields.filter((x) => x.key !== r.key) })}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="row">
        <button type="button" className="button" onClick={() => set({ fields: [...form.fields, newRow()] })}>
          Add field mapping
        </button>
      </div>
      {problems.map((p) => (
        <p key={p} className="field-error" role="alert">
          {p}
        </p>
      ))}
      {form.connectionId && chosenNames.length > 0 && <MappingPreview form={form} streamNames={chosenNames} />}
    </fieldset>
  );
}

/** The mapping run on a few records read from the source: input → output, or the reason a record is rejected. */
function MappingPreview({ form, streamNames }: { form: SyncForm; streamNames: string[] }) {
  const [stream, setStream] = useState(streamNames[0] ?? '');
  const current = streamNames.includes(stream) ? stream : (streamNames[0] ?? '');
  const preview = useMutation({
    mutationFn: () =>
      call(
        api.POST('/v1/syncs/mapping-preview', {
          body: {
            kind: form.sourceKind,
            connection_id: form.connectionId,
            stream: current,
            mappings: mappingOf(form),
            limit: 5,
          },
        }),
      ),
  });
  return (
    <section className="stack sy-preview" aria-labelledby="mapping-preview-title">
      <h3 id="mapping-preview-title" className="sy-subtitle">
        Test on sample data
      </h3>
      <div className="filters">
        {streamNames.length > 1 && (
          <SelectField
            label="Sample stream"
            value={current}
            onChange={setStream}
            options={streamNames.map((n) => ({ value: n, label: n }))}
          />
        )}
        <button
          type="button"
          className="button sy-align-end"
          disabled={preview.isPending}
          onClick={() => preview.mutate()}
        >
          {preview.isPending ? 'Reading samples…' : 'Preview on sample records'}
        </button>
      </div>
      {preview.error ? <ErrorState error={preview.error} /> : null}
      {preview.data && (
        <div className="stack" data-testid="mapping-preview" aria-live="polite">
          {preview.data.problems.map((p) => (
            <p key={p.path + p.message} className="callout callout-warn">
              {p.message}
            </p>
          ))}
          {preview.data.samples.length === 0 ? (
            <p className="muted">The source returned no records to try the mapping on.</p>
          ) : (
            <DataTable columns={['Sample record', 'Becomes']} testId="mapping-samples">
              {preview.data.samples.map((s, i) => (
                <tr key={i}>
                  <td>
                    <JsonBlock value={s.input} label={`Sample record ${i + 1}`} />
                  </td>
                  <td>
                    {s.error !== null ? (
                      <p className="field-error" data-testid="sample-rejected">
                        Rejected: {s.error}
                      </p>
                    ) : (
                      <JsonBlock value={s.output} label={`Sample record ${i + 1} mapped`} />
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </div>
      )}
    </section>
  );
}
