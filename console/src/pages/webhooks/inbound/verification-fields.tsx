import { Field } from '../../../ui/components.js';
import { GenericHmacFields } from './hmac-fields.js';
import { schemes, type Scheme } from './schemes.js';
import type { VerificationForm } from './verification.js';

const toleranceSchemes = ['standard_webhooks', 'stripe', 'slack', 'generic_hmac'];

/**
 * How a source verifies requests: the scheme and its own settings, the secret (only when creating: an existing
 * source's secret changes with "Rotate secret"), the timestamp tolerance and the allowed addresses.
 */
export function VerificationFields({
  form: v,
  set,
  errors,
  editing,
  offerConnectorScheme,
  secret,
  onSecret,
}: {
  form: VerificationForm;
  set: (change: Partial<VerificationForm>) => void;
  errors: Record<string, string>;
  editing: boolean;
  /** Offer "The connector’s scheme" (a new source of a connection). */
  offerConnectorScheme: boolean;
  secret: string;
  onSecret: (secret: string) => void;
}) {
  const scheme = schemes.find((s) => s.value === v.type);
  const secretLabel = v.type === '' ? 'Secret' : scheme?.secret;
  return (
    <fieldset className="wh-fieldset">
      <legend>Verification</legend>
      <Field label="Scheme" error={errors.verification ?? errors.type} help={scheme?.help}>
        {(props) => (
          <select {...props} value={v.type} onChange={(e) => set({ type: e.target.value as Scheme | '' })}>
            {offerConnectorScheme && <option value="">The connector’s scheme</option>}
            {schemes.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {v.type === 'generic_hmac' && <GenericHmacFields form={v} set={set} errors={errors} />}
      {v.type === 'api_key_header' && (
        <Field label="Header" required error={errors.header}>
          {(props) => (
            <input
              {...props}
              value={v.header}
              placeholder="X-Api-Key"
              onChange={(e) => set({ header: e.target.value })}
            />
          )}
        </Field>
      )}
      {v.type === 'body_token' && (
        <Field label="Token path" required error={errors.path} help="A JSON path such as $.token">
          {(props) => <input {...props} value={v.tokenPath} onChange={(e) => set({ tokenPath: e.target.value })} />}
        </Field>
      )}
      {v.type === 'basic_auth' && (
        <Field label="User name" error={errors.username}>
          {(props) => <input {...props} value={v.username} onChange={(e) => set({ username: e.target.value })} />}
        </Field>
      )}
      {!editing && secretLabel && (
        <Field
          label={secretLabel}
          error={errors.secret}
          help="Paste the one the vendor gave you, or leave empty to have one generated (shown once)."
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              value={secret}
              onChange={(e) => onSecret(e.target.value)}
            />
          )}
        </Field>
      )}
      {editing && v.type !== 'none' && <p className="help">Secrets are changed with “Rotate secret”, not here.</p>}
      {toleranceSchemes.includes(v.type) && (
        <Field
          label="Timestamp tolerance (seconds)"
          help="Empty: the default (5 minutes)"
          error={errors.tolerance_seconds}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={1}
              value={v.tolerance}
              onChange={(e) => set({ tolerance: e.target.value })}
            />
          )}
        </Field>
      )}
      {v.type !== '' && (
        <Field
          label="Allowed IP ranges"
          help="Optional; one CIDR per line. Empty: any address."
          error={errors.ip_allow}
        >
          {(props) => (
            <textarea {...props} rows={2} value={v.ipAllow} onChange={(e) => set({ ipAllow: e.target.value })} />
          )}
        </Field>
      )}
    </fieldset>
  );
}
