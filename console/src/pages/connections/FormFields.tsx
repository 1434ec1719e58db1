import { Field } from '../../ui/field.js';
import type { FormField } from './shared.js';

export type Values = Record<string, string | boolean>;

/** The value a form starts with: the manifest's default where it gives one (never for secrets). */
export function initialValues(fields: FormField[]): Values {
  const out: Values = {};
  for (const f of fields) {
    if (f.type === 'boolean') out[f.key] = f.default === true || f.default === 'true';
    else if (f.default !== undefined) out[f.key] = String(f.default);
    else if (f.type === 'select' && f.required && f.options?.[0]) out[f.key] = f.options[0].value;
    else out[f.key] = '';
  }
  return out;
}

/** Client-side checks the manifest states (required, pattern, URL, number); the API checks again. */
export function checkFields(fields: FormField[], values: Values, options: { optional?: boolean } = {}) {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const value = values[f.key];
    if (f.type === 'boolean') continue;
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) {
      if (f.required && !options.optional) errors[f.key] = `${f.label} is required.`;
      continue;
    }
    if (f.type === 'url' && !/^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(text)) {
      errors[f.key] = 'Enter a full URL, e.g. https://api.example.com.';
    } else if (f.type === 'number' && !Number.isFinite(Number(text))) {
      errors[f.key] = 'Enter a number.';
    } else if (f.pattern) {
      let pattern: RegExp | undefined;
      try {
        pattern = new RegExp(f.pattern);
      } catch {
        pattern = undefined;
      }
      if (pattern && !pattern.test(text)) errors[f.key] = `${f.label} does not have the expected format.`;
    }
  }
  return errors;
}

/** The values to send: empty optional fields left out, numbers as numbers. */
export function payload(fields: FormField[], values: Values): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of fields) {
    const value = values[f.key];
    if (typeof value === 'boolean') out[f.key] = value;
    else if (typeof value === 'string' && value.trim() !== '') {
      out[f.key] = f.type === 'number' ? Number(value) : f.secret || f.type === 'pem' ? value : value.trim();
    }
  }
  return out;
}

/** One manifest field as a labelled control: secrets are password inputs, PEM and textarea are multi-line. */
export function ManifestField({
  field,
  value,
  error,
  optional,
  onChange,
  idPrefix,
}: {
  field: FormField;
  value: string | boolean | undefined;
  error?: string | undefined;
  optional?: boolean;
  onChange: (value: string | boolean) => void;
  idPrefix: string;
}) {
  const help = field.help ?? (field.secret ? 'Sealed when saved and never shown again.' : undefined);
  const required = field.required && !optional;
  if (field.type === 'boolean') {
    return (
      <div className="field field-check">
        <label>
          <input
            type="checkbox"
            name={`${idPrefix}.${field.key}`}
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
          />{' '}
          {field.label}
        </label>
        {help && <p className="help">{help}</p>}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <Field label={field.label} help={help} error={error} required={required}>
      {(props) =>
        field.type === 'select' ? (
          <select {...props} name={`${idPrefix}.${field.key}`} value={text} onChange={(e) => onChange(e.target.value)}>
            {!required && <option value="">—</option>}
            {(field.options ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        ) : field.type === 'textarea' || field.type === 'pem' ? (
          <textarea
            {...props}
            name={`${idPrefix}.${field.key}`}
            rows={field.type === 'pem' ? 6 : 4}
            value={text}
            required={required}
            spellCheck={false}
            autoComplete="off"
            placeholder={field.placeholder ?? (field.type === 'pem' ? '-----BEGIN …-----' : undefined)}
            className={field.secret ? 'masked' : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            {...props}
            name={`${idPrefix}.${field.key}`}
            type={
              field.secret || field.type === 'password'
                ? 'password'
                : field.type === 'url'
                  ? 'url'
                  : field.type === 'number'
                    ? 'number'
                    : 'text'
            }
            value={text}
            required={required}
            autoComplete={field.secret || field.type === 'password' ? 'new-password' : 'off'}
            spellCheck={false}
            placeholder={field.placeholder}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}
