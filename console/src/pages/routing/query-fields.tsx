import { Field } from '../../ui/components.js';
import type { JsonSchema } from './types.js';

/** The query as typed: one text per field of the capability's query schema. */
export type QueryDraft = Record<string, string>;

const typeOf = (schema: JsonSchema): string =>
  (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type) ?? 'string';

/** The query fields, required ones first, each with its default (if the schema gives one) as the starting text. */
export function initialDraft(schema: JsonSchema): QueryDraft {
  const draft: QueryDraft = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    draft[name] = field.default === undefined ? '' : String(field.default);
  }
  return draft;
}

/**
 * The query the API takes: numbers as numbers, booleans as booleans, a list from comma-separated text, empty fields
 * left out (the API checks it against the schema and names any problem).
 */
export function queryOf(schema: JsonSchema, draft: QueryDraft): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const text = (draft[name] ?? '').trim();
    if (text === '') continue;
    const type = typeOf(field);
    if (type === 'number' || type === 'integer') query[name] = Number(text);
    else if (type === 'boolean') query[name] = text === 'true';
    else if (type === 'array')
      query[name] = text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else query[name] = text;
  }
  return query;
}

/** A control per query field, typed by the schema: a select for an enum or a boolean, a number box, or text. */
export function QueryFields({
  schema,
  draft,
  onChange,
  errors = {},
}: {
  schema: JsonSchema;
  draft: QueryDraft;
  onChange: (draft: QueryDraft) => void;
  errors?: Record<string, string>;
}) {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).sort(
    ([a], [b]) => Number(required.has(b)) - Number(required.has(a)),
  );
  return (
    <div className="rt-query-fields">
      {fields.map(([name, field]) => {
        const type = typeOf(field);
        const set = (value: string) => onChange({ ...draft, [name]: value });
        const options = field.enum ?? (type === 'boolean' ? [true, false] : undefined);
        return (
          <Field
            key={name}
            label={field.title ?? name}
            required={required.has(name)}
            help={[field.description, type === 'array' ? 'Separate several with commas.' : '']
              .filter(Boolean)
              .join(' ')}
            error={errors[name]}
          >
            {(props) =>
              options ? (
                <select {...props} value={draft[name] ?? ''} onChange={(e) => set(e.target.value)}>
                  <option value="">—</option>
                  {options.map((o) => (
                    <option key={String(o)} value={String(o)}>
                      {String(o)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...props}
                  type={type === 'number' || type === 'integer' ? 'number' : field.format === 'date' ? 'date' : 'text'}
                  step={type === 'number' ? 'any' : undefined}
                  placeholder={field.examples?.[0] === undefined ? undefined : String(field.examples[0])}
                  value={draft[name] ?? ''}
                  onChange={(e) => set(e.target.value)}
                />
              )
            }
          </Field>
        );
      })}
    </div>
  );
}
