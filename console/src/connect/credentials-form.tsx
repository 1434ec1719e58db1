import { useState, type FormEvent } from 'react';
import { checkFields, ManifestField, payload, type Values } from '../pages/connections/FormFields.js';
import type { FormField } from './api.js';

export type FormValues = { config: Values; credentials: Values };

/**
 * The manifest's settings and the chosen method's credential fields, checked here (required, format) before anything
 * is sent; the server checks again and its field messages come back in `serverErrors`.
 */
export function CredentialsForm({
  config,
  credentials,
  values,
  onValues,
  serverErrors,
  submitLabel,
  onSubmit,
  onBack,
}: {
  config: FormField[];
  credentials: FormField[];
  values: FormValues;
  onValues: (values: FormValues) => void;
  serverErrors: Record<string, string>;
  submitLabel: string;
  onSubmit: (body: { config: Record<string, unknown>; credentials: Record<string, unknown> }) => void;
  onBack?: (() => void) | undefined;
}) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const shown = { ...serverErrors, ...errors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = { ...checkFields(config, values.config), ...checkFields(credentials, values.credentials) };
    setErrors(found);
    if (Object.keys(found).length > 0) {
      // Take the keyboard to the first field that needs attention.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.connect-form [aria-invalid="true"]')?.focus());
      return;
    }
    onSubmit({ config: payload(config, values.config), credentials: payload(credentials, values.credentials) });
  };

  const edit = (part: keyof FormValues, key: string, value: string | boolean) => {
    onValues({ ...values, [part]: { ...values[part], [key]: value } });
    setErrors(({ [key]: _cleared, ...rest }) => rest);
  };

  return (
    <form className="connect-form" noValidate onSubmit={submit}>
      {config.length > 0 && (
        <fieldset>
          <legend>Settings</legend>
          {config.map((f) => (
            <ManifestField
              key={f.key}
              idPrefix="config"
              field={f}
              value={values.config[f.key]}
              error={shown[f.key]}
              onChange={(v) => edit('config', f.key, v)}
            />
          ))}
        </fieldset>
      )}
      {credentials.length > 0 && (
        <fieldset>
          <legend>Credentials</legend>
          {credentials.map((f) => (
            <ManifestField
              key={f.key}
              idPrefix="credentials"
              field={{ ...f, help: f.help ?? (f.secret ? 'Encrypted when saved and never shown again.' : undefined) }}
              value={values.credentials[f.key]}
              error={shown[f.key]}
              onChange={(v) => edit('credentials', f.key, v)}
            />
          ))}
        </fieldset>
      )}
      {Object.keys(errors).length > 0 && (
        <p className="field-error" role="alert">
          Some fields need attention.
        </p>
      )}
      <p className="small muted">
        <span aria-hidden="true">*</span> Required
      </p>
      <div className="actions">
        {onBack && (
          <button type="button" className="button" onClick={onBack}>
            Back
          </button>
        )}
        <button type="submit" className="button button-primary">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
