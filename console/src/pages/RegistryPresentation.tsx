import { useState, type FormEvent } from 'react';
import type { operations } from '../../../sdk/schema.js';
import { api, call, fieldErrors, type Schemas } from '../api.js';
import { connectorKeys, registryKeys } from '../query-keys.js';
import { Dialog, ErrorState, Field, FormActions, SelectField } from '../ui/components.js';
import { useWrite } from '../ui/mutation.js';
import { categories } from './connections/Library.js';

type Connector = Schemas['ConnectorSummary'];
type PresentationField = Connector['overridden'][number];
type Presentation = NonNullable<
  operations['updateConnector']['requestBody']['content']['application/json']['presentation']
>;

const complexities = ['low', 'medium', 'high'] as const;
const list = (text: string) =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/** What the form holds: the lists as comma-separated text, the popularity as typed. */
type Values = {
  name: string;
  description: string;
  category: Connector['category'];
  complexity: Connector['complexity'];
  popularity: string;
  features: string;
  data_types: string;
};

const valuesOf = (c: Connector): Values => ({
  name: c.name,
  description: c.description,
  category: c.category,
  complexity: c.complexity,
  popularity: String(c.popularity),
  features: c.features.join(', '),
  data_types: c.data_types.join(', '),
});

/** The changed fields as the API takes them; a field marked for reset is `null` (the manifest's value again). */
function changes(connector: Connector, values: Values, reset: Set<PresentationField>): Presentation {
  const before = valuesOf(connector);
  const body: Presentation = {};
  if (reset.has('name')) body.name = null;
  else if (values.name !== before.name) body.name = values.name;
  if (reset.has('description')) body.description = null;
  else if (values.description !== before.description) body.description = values.description;
  if (reset.has('category')) body.category = null;
  else if (values.category !== before.category) body.category = values.category;
  if (reset.has('complexity')) body.complexity = null;
  else if (values.complexity !== before.complexity) body.complexity = values.complexity;
  if (reset.has('popularity')) body.popularity = null;
  else if (values.popularity !== before.popularity) body.popularity = Number(values.popularity);
  if (reset.has('features')) body.features = null;
  else if (values.features !== before.features) body.features = list(values.features);
  if (reset.has('data_types')) body.data_types = null;
  else if (values.data_types !== before.data_types) body.data_types = list(values.data_types);
  return body;
}

/**
 * A registry entry's presentation in the library (built-in or custom): what the superuser changes here overrides
 * the manifest's and survives its updates; "Use the manifest’s" drops a change.
 */
export function PresentationDialog({ connector, onClose }: { connector: Connector; onClose: () => void }) {
  const [values, setValues] = useState(() => valuesOf(connector));
  const [reset, setReset] = useState(() => new Set<PresentationField>());
  const save = useWrite({
    run: (presentation: Presentation) =>
      call(api.PATCH('/v1/connectors/{slug}', { params: { path: { slug: connector.slug } }, body: { presentation } })),
    success: (saved) => `${saved.name}: presentation saved.`,
    invalidate: [registryKeys.all, connectorKeys.all],
    onSuccess: onClose,
    quietErrors: true,
  });
  const errors = fieldErrors(save.error);
  const set = (field: keyof Values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = changes(connector, values, reset);
    if (Object.keys(body).length === 0) onClose();
    else save.mutate(body);
  };
  /** Under an overridden field: say so, and offer the manifest's value back. */
  const overridden = (field: PresentationField) =>
    connector.overridden.includes(field) ? (
      <label className="row small">
        <input
          type="checkbox"
          checked={reset.has(field)}
          onChange={(e) =>
            setReset((r) => {
              const next = new Set(r);
              if (e.target.checked) next.add(field);
              else next.delete(field);
              return next;
            })
          }
        />
        Changed here: use the manifest’s value instead
      </label>
    ) : null;
  return (
    <Dialog title={`Presentation of ${connector.name}`} open onClose={onClose} wide>
      <form onSubmit={submit}>
        <p className="muted small">
          How <code>{connector.slug}</code> shows in every tenant’s library. Changes override the manifest’s values and
          are kept when a newer manifest is loaded.
        </p>
        <Field label="Name" required error={errors.name}>
          {(p) => (
            <input
              {...p}
              required
              maxLength={100}
              disabled={reset.has('name')}
              value={values.name}
              onChange={(e) => set('name')(e.target.value)}
            />
          )}
        </Field>
        {overridden('name')}
        <Field label="Description" required error={errors.description}>
          {(p) => (
            <textarea
              {...p}
              required
              rows={3}
              maxLength={1000}
              disabled={reset.has('description')}
              value={values.description}
              onChange={(e) => set('description')(e.target.value)}
            />
          )}
        </Field>
        {overridden('description')}
        <SelectField
          label="Category"
          value={values.category}
          onChange={set('category')}
          error={errors.category}
          options={categories.map((c) => ({ value: c, label: c }))}
        />
        {overridden('category')}
        <SelectField
          label="Complexity"
          value={values.complexity}
          onChange={set('complexity')}
          error={errors.complexity}
          options={complexities.map((c) => ({ value: c, label: c }))}
        />
        {overridden('complexity')}
        <Field label="Popularity" help="0 to 100; 80 and above shows the “Popular” badge." error={errors.popularity}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              max={100}
              step={1}
              required
              disabled={reset.has('popularity')}
              value={values.popularity}
              onChange={(e) => set('popularity')(e.target.value)}
            />
          )}
        </Field>
        {overridden('popularity')}
        <Field label="Features" help="Separated by commas, e.g. “proxy, syncs, webhooks”." error={errors.features}>
          {(p) => (
            <input
              {...p}
              disabled={reset.has('features')}
              value={values.features}
              onChange={(e) => set('features')(e.target.value)}
            />
          )}
        </Field>
        {overridden('features')}
        <Field label="Data types" help="Separated by commas, e.g. “contacts, invoices”." error={errors.data_types}>
          {(p) => (
            <input
              {...p}
              disabled={reset.has('data_types')}
              value={values.data_types}
              onChange={(e) => set('data_types')(e.target.value)}
            />
          )}
        </Field>
        {overridden('data_types')}
        {save.error !== null && Object.keys(errors).length === 0 && <ErrorState error={save.error} />}
        <FormActions onCancel={onClose} pending={save.isPending} pendingLabel="Saving…" label="Save presentation" />
      </form>
    </Dialog>
  );
}
