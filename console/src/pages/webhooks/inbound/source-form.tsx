import { useState, type FormEvent } from 'react';
import { api, call, fieldErrors, type Schemas } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { inboundKeys } from '../../../query-keys.js';
import { Field, FormActions } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { CheckboxField } from '../shared/controls.js';
import { useConnections } from './queries.js';
import type { Source } from './schemes.js';
import { fromVerification, toVerification, type VerificationForm } from './verification.js';
import { VerificationFields } from './verification-fields.js';

/** Create a source (its secret is then shown once) or edit one. */
export function SourceForm({
  source,
  onClose,
  onCreated,
}: {
  source?: Source;
  onClose: () => void;
  onCreated?: (created: Schemas['InboundSourceCreated']) => void;
}) {
  const { can } = useSession();
  const connections = useConnections();
  const [name, setName] = useState(source?.name ?? '');
  const [description, setDescription] = useState(source?.description ?? '');
  const [connectionId, setConnectionId] = useState(source?.connection_id ?? '');
  const [v, setV] = useState<VerificationForm>(() => fromVerification(source?.verification));
  const [secret, setSecret] = useState('');
  const [maxBody, setMaxBody] = useState(String(source?.max_body_bytes ?? 1_048_576));
  const [dedupWindow, setDedupWindow] = useState(String(source?.dedup_window_seconds ?? 86_400));
  const [enabled, setEnabled] = useState(source?.enabled ?? true);
  const set = (change: Partial<VerificationForm>) => setV((f) => ({ ...f, ...change }));

  const save = useWrite({
    run: async (): Promise<Schemas['InboundSourceCreated'] | undefined> => {
      const verification = toVerification(v);
      const common = {
        name: name.trim(),
        description,
        ...(verification ? { verification } : {}),
        max_body_bytes: Number(maxBody),
        dedup_window_seconds: Number(dedupWindow),
        enabled,
      };
      if (source) {
        await call(api.PATCH('/v1/inbound/sources/{id}', { params: { path: { id: source.id } }, body: common }));
        return undefined;
      }
      return call(
        api.POST('/v1/inbound/sources', {
          body: {
            ...common,
            ...(connectionId ? { connection_id: connectionId } : {}),
            ...(secret && v.type !== 'none' ? { secret } : {}),
          },
        }),
      );
    },
    success: source ? 'Source saved.' : 'Source created.',
    invalidate: [inboundKeys.all],
    onSuccess: (created) => {
      if (created) onCreated?.(created);
      else onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Name" required error={errors.name}>
        {(props) => <input {...props} required value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label="Description" error={errors.description}>
        {(props) => <input {...props} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      {can('list_connections') && (
        <Field
          label="Connection"
          error={errors.connection_id}
          help={
            source
              ? 'A source stays with the connection it was created for.'
              : 'Optional. With a connection whose connector declares its webhook scheme, verification can follow it.'
          }
        >
          {(props) => (
            <select
              {...props}
              value={connectionId}
              disabled={source !== undefined}
              onChange={(e) => {
                setConnectionId(e.target.value);
                // A connection's connector usually declares its scheme: follow it unless one is picked.
                if (e.target.value) set({ type: '' });
                else if (v.type === '') set({ type: 'standard_webhooks' });
              }}
            >
              <option value="">No connection</option>
              {connections.data?.data.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.connector.name})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <VerificationFields
        form={v}
        set={set}
        errors={errors}
        editing={source !== undefined}
        offerConnectorScheme={connectionId !== '' && !source}
        secret={secret}
        onSecret={setSecret}
      />
      <fieldset className="wh-fieldset">
        <legend>Limits</legend>
        <div className="wh-two">
          <Field label="Largest body (bytes)" error={errors.max_body_bytes} help="Larger requests are refused (413).">
            {(props) => (
              <input {...props} type="number" min={1} value={maxBody} onChange={(e) => setMaxBody(e.target.value)} />
            )}
          </Field>
          <Field
            label="Duplicate window (seconds)"
            error={errors.dedup_window_seconds}
            help="A delivery id seen again within it is logged as a duplicate (at most 72 h)."
          >
            {(props) => (
              <input
                {...props}
                type="number"
                min={0}
                value={dedupWindow}
                onChange={(e) => setDedupWindow(e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <CheckboxField
        label="Enabled"
        checked={enabled}
        onChange={setEnabled}
        help="A disabled source answers 404, like an unknown URL."
      />
      <FormActions
        onCancel={onClose}
        pending={save.isPending}
        pendingLabel="Saving…"
        label={source ? 'Save source' : 'Create source'}
      />
    </form>
  );
}
