import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, errorMessage, fieldErrors } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys, connectorKeys } from '../../query-keys.js';
import { Dialog, ErrorState, Field, FormActions, Loading } from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { checkFields, initialValues, ManifestField, payload, type Values } from './FormFields.js';
import {
  connectedText,
  isConnected,
  OutcomeSummary,
  problemOutcome,
  type Connection,
  type ConnectorDetail,
} from './shared.js';

/** Edit name, description and config, and optionally rotate the credentials (the API re-tests them). */
export function EditConnectionDialog({ connection, onClose }: { connection: Connection; onClose: () => void }) {
  const connector = useQuery({
    queryKey: connectorKeys.detail(connection.connector.slug),
    queryFn: () => call(api.GET('/v1/connectors/{slug}', { params: { path: { slug: connection.connector.slug } } })),
  });
  return (
    <Dialog title={`Edit ${connection.name}`} open onClose={onClose} wide>
      {connector.isPending ? (
        <Loading what="Loading the connector’s form" />
      ) : connector.error ? (
        <ErrorState error={connector.error} retry={() => void connector.refetch()} />
      ) : (
        <EditForm connection={connection} connector={connector.data} onClose={onClose} />
      )}
    </Dialog>
  );
}

function asValues(config: Record<string, unknown>): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = typeof value === 'boolean' ? value : value === null || value === undefined ? '' : String(value);
  }
  return out;
}

function EditForm({
  connection,
  connector,
  onClose,
}: {
  connection: Connection;
  connector: ConnectorDetail;
  onClose: () => void;
}) {
  const { can } = useSession();
  const [name, setName] = useState(connection.name);
  const [description, setDescription] = useState(connection.description);
  const [config, setConfig] = useState<Values>(() => ({
    ...initialValues(connector.config),
    ...asValues(connection.config),
  }));
  const method = connector.auth.find((a) => a.id === connection.auth_method);
  const mayRotate =
    can('create_connection') &&
    connection.credential_source === 'tenant' &&
    method !== undefined &&
    method.type !== 'oauth2' &&
    method.fields.length > 0;
  const [rotate, setRotate] = useState(false);
  const [credentials, setCredentials] = useState<Values>(() => (method ? initialValues(method.fields) : {}));
  const [validate, setValidate] = useState(true);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const save = useWrite({
    run: () => {
      const body: {
        name?: string;
        description?: string;
        config?: Record<string, string | number | boolean>;
        credentials?: Record<string, string | number | boolean>;
        validate?: boolean;
      } = {};
      if (name.trim() !== connection.name) body.name = name.trim();
      if (description !== connection.description) body.description = description;
      const nextConfig = payload(connector.config, config);
      if (JSON.stringify(nextConfig) !== JSON.stringify(payload(connector.config, asValues(connection.config)))) {
        body.config = nextConfig;
      }
      if (rotate && method) body.credentials = payload(method.fields, credentials);
      if (body.config || body.credentials) body.validate = validate;
      return call(api.PATCH('/v1/connections/{id}', { params: { path: { id: connection.id } }, body }));
    },
    success: (c) =>
      rotate
        ? isConnected(c.last_test_outcome)
          ? `${c.name} is saved with the new credentials; ${connectedText(c.name, c.last_test_outcome)}`
          : `${c.name} is saved with the new credentials.`
        : `${c.name} is saved.`,
    invalidate: [connectionKeys.all],
    onSuccess: onClose,
    quietErrors: true,
  });
  const apiErrors = fieldErrors(save.error);
  const errors = { ...apiErrors, ...localErrors };
  const outcome = problemOutcome(save.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Give the connection a name.';
    Object.assign(found, checkFields(connector.config, config));
    if (rotate && method) Object.assign(found, checkFields(method.fields, credentials));
    setLocalErrors(found);
    if (Object.keys(found).length === 0) save.mutate(undefined);
  };

  return (
    <form className="stack edit-form" noValidate onSubmit={submit}>
      <Field label="Name" required error={errors.name}>
        {(props) => (
          <input {...props} value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <Field label="Description" error={errors.description}>
        {(props) => (
          <textarea
            {...props}
            className="prose"
            rows={2}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      {connector.config.length > 0 && (
        <fieldset>
          <legend>Settings</legend>
          {connector.config.map((f) => (
            <ManifestField
              key={f.key}
              idPrefix="edit.config"
              field={f}
              value={config[f.key]}
              error={errors[f.key]}
              onChange={(v) => setConfig((all) => ({ ...all, [f.key]: v }))}
            />
          ))}
        </fieldset>
      )}
      {mayRotate && method && (
        <fieldset>
          <legend>Credentials</legend>
          <div className="field field-check">
            <label>
              <input type="checkbox" checked={rotate} onChange={(e) => setRotate(e.target.checked)} /> Replace the
              credentials ({method.label})
            </label>
            <p className="help">
              The current ones are sealed and never shown. New ones are tested before they are kept.
            </p>
          </div>
          {rotate &&
            method.fields.map((f) => (
              <ManifestField
                key={f.key}
                idPrefix="edit.credentials"
                field={f}
                value={credentials[f.key]}
                error={errors[f.key]}
                onChange={(v) => setCredentials((all) => ({ ...all, [f.key]: v }))}
              />
            ))}
        </fieldset>
      )}
      <div className="field field-check">
        <label>
          <input type="checkbox" checked={validate} onChange={(e) => setValidate(e.target.checked)} /> Re-test with the
          connector’s test call when settings or credentials change
        </label>
      </div>
      {save.error !== null && (
        <div className="callout callout-error" role="alert">
          <strong>{errorMessage(save.error)}</strong>
        </div>
      )}
      {outcome && <OutcomeSummary outcome={outcome} />}
      <FormActions
        onCancel={onClose}
        pending={save.isPending}
        pendingLabel={rotate && validate ? 'Testing and saving…' : 'Saving…'}
        label="Save"
      />
    </form>
  );
}
