import { Field } from '../../../ui/components.js';
import type { VerificationForm } from './verification.js';

/** The settings of a generic HMAC: algorithm, encoding, where the signature and timestamp are, what is signed. */
export function GenericHmacFields({
  form: v,
  set,
  errors,
}: {
  form: VerificationForm;
  set: (change: Partial<VerificationForm>) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <div className="wh-two">
        <Field label="Algorithm">
          {(props) => (
            <select
              {...props}
              value={v.algorithm}
              onChange={(e) => set({ algorithm: e.target.value as 'sha256' | 'sha512' })}
            >
              <option value="sha256">SHA-256</option>
              <option value="sha512">SHA-512</option>
            </select>
          )}
        </Field>
        <Field label="Encoding">
          {(props) => (
            <select
              {...props}
              value={v.encoding}
              onChange={(e) => set({ encoding: e.target.value as 'hex' | 'base64' })}
            >
              <option value="hex">Hex</option>
              <option value="base64">Base64</option>
            </select>
          )}
        </Field>
      </div>
      <div className="wh-two">
        <Field label="Signature header" required error={errors.header}>
          {(props) => (
            <input
              {...props}
              value={v.header}
              placeholder="X-Signature"
              onChange={(e) => set({ header: e.target.value })}
            />
          )}
        </Field>
        <Field label="Signature prefix" help="e.g. sha256=" error={errors.prefix}>
          {(props) => <input {...props} value={v.prefix} onChange={(e) => set({ prefix: e.target.value })} />}
        </Field>
      </div>
      <div className="wh-two">
        <Field label="Timestamp header" help="Optional" error={errors.timestamp_header}>
          {(props) => (
            <input {...props} value={v.timestampHeader} onChange={(e) => set({ timestampHeader: e.target.value })} />
          )}
        </Field>
        <Field label="Signed content" help="{body}, or e.g. {timestamp}.{body}" error={errors.signed_content}>
          {(props) => (
            <input {...props} value={v.signedContent} onChange={(e) => set({ signedContent: e.target.value })} />
          )}
        </Field>
      </div>
      <div className="wh-two">
        <Field label="Delivery id header" help="Optional; used to drop duplicates">
          {(props) => (
            <input {...props} value={v.deliveryIdHeader} onChange={(e) => set({ deliveryIdHeader: e.target.value })} />
          )}
        </Field>
        <Field label="Event type header" help="Optional">
          {(props) => (
            <input {...props} value={v.eventTypeHeader} onChange={(e) => set({ eventTypeHeader: e.target.value })} />
          )}
        </Field>
      </div>
    </>
  );
}
