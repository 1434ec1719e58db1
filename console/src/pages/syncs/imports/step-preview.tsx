import { useState, type ReactNode } from 'react';
import { Field, SelectField } from '../../../ui/components.js';
import { DataTable } from '../../../ui/table.js';
import { CheckboxField } from '../../webhooks/shared/controls.js';
import { cellText, columnsOf, formatLabels, type FileFormat, type Inspection } from './state.js';

type Options = Record<string, unknown>;
type Draft = { format: FileFormat['format']; options: Options };

const encodings = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'];
const delimiters: Record<string, string> = {
  ',': 'Comma ,',
  ';': 'Semicolon ;',
  '\t': 'Tab',
  '|': 'Pipe |',
  ':': 'Colon :',
};

/**
 * Step 2: what inspecting the file found — its format and why, the settings it is read with (editable: read it
 * again with others), and its first records as a table.
 */
export function PreviewStep({
  inspection,
  reading,
  onRead,
}: {
  inspection: Inspection;
  reading: boolean;
  onRead: (format: FileFormat) => void;
}) {
  const detection = inspection.detection;
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="format-title">
        <h2 id="format-title" className="sy-section-title">
          Format
        </h2>
        {detection ? (
          <p data-testid="detected-format">
            Detected <strong>{formatLabels[inspection.format.format]}</strong> (confidence{' '}
            {Math.round(detection.confidence * 100)}%)
            {detection.reasons.length > 0 && `: ${detection.reasons.join('; ')}`}
          </p>
        ) : (
          <p data-testid="detected-format">
            Read as <strong>{formatLabels[inspection.format.format]}</strong> with the settings below.
          </p>
        )}
        {detection?.warnings.map((w) => (
          <p key={w} className="callout callout-warn">
            {w}
          </p>
        ))}
        <FormatOptions
          key={JSON.stringify(inspection.format)}
          format={inspection.format}
          reading={reading}
          onRead={onRead}
        />
      </section>
      <section className="stack" aria-labelledby="sample-title">
        <h2 id="sample-title" className="sy-section-title">
          First records
        </h2>
        <SampleTable records={inspection.sample} />
      </section>
    </div>
  );
}

function FormatOptions({
  format,
  reading,
  onRead,
}: {
  format: FileFormat;
  reading: boolean;
  onRead: (format: FileFormat) => void;
}) {
  const [draft, setDraft] = useState<Draft>({ format: format.format, options: { ...format.options } });
  const o = draft.options;
  const setOption = (name: string, value: unknown) =>
    setDraft((d) => ({ ...d, options: { ...d.options, [name]: value } }));
  const text = (name: string) => (typeof o[name] === 'string' ? (o[name] as string) : '');
  const csv = draft.format === 'csv' || draft.format === 'tsv';
  const delimiter = text('delimiter') || (draft.format === 'tsv' ? '\t' : ',');
  let fields: ReactNode = null;
  if (csv) {
    fields = (
      <>
        <SelectField
          label="Delimiter"
          value={delimiter}
          onChange={(v) => setOption('delimiter', v)}
          options={[
            ...Object.entries(delimiters).map(([value, label]) => ({ value, label })),
            ...(delimiters[delimiter] ? [] : [{ value: delimiter, label: `“${delimiter}”` }]),
          ]}
        />
        <Field label="Quote character" help="Empty: fields are never quoted.">
          {(props) => (
            <input
              {...props}
              maxLength={1}
              value={text('quote')}
              onChange={(e) => setOption('quote', e.target.value)}
            />
          )}
        </Field>
        <Field label="Rows to skip" help="Lines before the header (a title, notes).">
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              value={Number(o.skip_rows ?? 0)}
              onChange={(e) => setOption('skip_rows', Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            />
          )}
        </Field>
        <div className="sy-align-end">
          <CheckboxField
            label="The first row names the columns"
            checked={o.header !== false}
            onChange={(header) => setOption('header', header)}
          />
        </div>
      </>
    );
  } else if (draft.format === 'json') {
    fields = (
      <Field label="Record path" help="Empty for a top-level array; else where the array is, e.g. data.items.">
        {(props) => (
          <input {...props} value={text('record_path')} onChange={(e) => setOption('record_path', e.target.value)} />
        )}
      </Field>
    );
  } else if (draft.format === 'xml') {
    fields = (
      <>
        <Field label="Record element" help="e.g. row, rows/row or /feed/entry; empty: every child of the root.">
          {(props) => (
            <input
              {...props}
              value={text('record_element')}
              onChange={(e) => setOption('record_element', e.target.value)}
            />
          )}
        </Field>
        <SelectField
          label="Namespaces"
          value={text('namespaces') || 'strip'}
          onChange={(v) => setOption('namespaces', v)}
          options={[
            { value: 'strip', label: 'Local names (title)' },
            { value: 'prefix', label: 'As written (dc:title)' },
            { value: 'uri', label: 'With the namespace URI' },
          ]}
        />
        <div className="sy-align-end">
          <CheckboxField
            label="Read attributes as fields"
            checked={o.attributes !== false}
            onChange={(attributes) => setOption('attributes', attributes)}
          />
        </div>
      </>
    );
  }
  return (
    <form
      className="stack"
      aria-label="How the file is read"
      onSubmit={(e) => {
        e.preventDefault();
        onRead(draft as FileFormat);
      }}
    >
      <div className="sy-two">
        <SelectField
          label="Format"
          value={draft.format}
          // Another format starts from its own defaults (the server fills them in).
          onChange={(v) => setDraft({ format: v as Draft['format'], options: {} })}
          options={Object.entries(formatLabels).map(([value, label]) => ({ value, label }))}
        />
        <SelectField
          label="Encoding"
          value={text('encoding') || 'auto'}
          onChange={(v) => setOption('encoding', v)}
          options={encodings.map((e) => ({
            value: e,
            label: e === 'auto' ? 'Automatic (byte order mark, else UTF-8)' : e,
          }))}
        />
        {fields}
      </div>
      <div className="row">
        <button type="submit" className="button" disabled={reading}>
          {reading ? 'Reading…' : 'Read again with these settings'}
        </button>
      </div>
    </form>
  );
}

/** Records as a table: a column per field, in the order fields first appear. */
export function SampleTable({ records }: { records: Record<string, unknown>[] }) {
  if (records.length === 0) return <p className="muted">The file has no records to show.</p>;
  const columns = columnsOf(records);
  return (
    <DataTable columns={['#', ...columns]} testId="sample-records">
      {records.map((r, i) => (
        <tr key={i}>
          <td className="muted">{i + 1}</td>
          {columns.map((c) =>
            r[c] === null || r[c] === undefined ? (
              <td key={c} className="muted">
                —
              </td>
            ) : (
              <td key={c}>{cellText(r[c])}</td>
            ),
          )}
        </tr>
      ))}
    </DataTable>
  );
}
