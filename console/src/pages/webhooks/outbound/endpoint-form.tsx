import { useState, type FormEvent } from 'react';
import { api, call, errorsByPath, fieldErrors, type Schemas } from '../../../api.js';
import { webhookKeys } from '../../../query-keys.js';
import { Dialog, ErrorState, Field, FormActions, Loading } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { CheckboxField, CheckList } from '../shared/controls.js';
import { HeaderEditor, headerProblems, headersPayload, initialHeaders } from '../shared/header-editor.js';
import type { Endpoint } from './endpoint-row.js';
import { useEventTypes } from './queries.js';

/** Add an endpoint (its signing secret is then shown once) or edit one. */
export function EndpointForm({
  open,
  endpoint,
  onClose,
  onSaved,
}: {
  open: boolean;
  endpoint?: Endpoint | undefined;
  onClose: () => void;
  onSaved: (created?: Schemas['WebhookEndpointCreated']) => void;
}) {
  return (
    <Dialog title={endpoint ? 'Edit endpoint' : 'Add endpoint'} open={open} onClose={onClose}>
      {/* Mounted only while open, so each opening starts from the endpoint's current values. */}
      {open && <EndpointFormBody endpoint={endpoint} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function EndpointFormBody({
  endpoint,
  onClose,
  onSaved,
}: {
  endpoint?: Endpoint | undefined;
  onClose: () => void;
  onSaved: (created?: Schemas['WebhookEndpointCreated']) => void;
}) {
  const eventTypes = useEventTypes();
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [types, setTypes] = useState<string[]>(endpoint?.event_types ?? []);
  const [enabled, setEnabled] = useState(endpoint?.enabled ?? true);
  const [signing, setSigning] = useState<'hmac' | 'ed25519'>('hmac');
  const [filter, setFilter] = useState(endpoint?.filter ?? '');
  const [headers, setHeaders] = useState(() => initialHeaders(endpoint?.header_names));
  const [localHeaders, setLocalHeaders] = useState(new Map<number, string>());
  const save = useWrite({
    run: async (): Promise<Schemas['WebhookEndpointCreated'] | undefined> => {
      const sent = headersPayload(headers);
      const body = {
        url: url.trim(),
        description,
        event_types: types,
        enabled,
        filter: filter.trim() || null,
        ...(sent ? { headers: sent } : {}),
      };
      if (endpoint) {
        await call(api.PATCH('/v1/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } }, body }));
        return undefined;
      }
      return call(api.POST('/v1/webhooks/endpoints', { body: { ...body, signing } }));
    },
    success: endpoint ? 'Endpoint saved.' : 'Endpoint created.',
    invalidate: [webhookKeys.all],
    onSuccess: (created) => onSaved(created),
  });
  const errors = fieldErrors(save.error);
  const byPath = errorsByPath(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = headerProblems(headers);
    setLocalHeaders(problems);
    if (problems.size > 0) return;
    save.mutate(undefined);
  };
  // The tenant's own types first, then the platform's built-in ones.
  const known = (eventTypes.data?.data ?? [])
    .filter((t) => !t.archived_at)
    .sort((a, b) => Number(a.built_in) - Number(b.built_in) || a.name.localeCompare(b.name));
  // Subscribed types that are no longer listed (archived) stay visible so they can be removed.
  const names = [...new Set([...known.map((t) => t.name), ...types])];
  return (
    <form onSubmit={submit} noValidate>
      <Field label="URL" required error={errors.url} help="Where events are POSTed, e.g. https://example.com/webhooks.">
        {(props) => (
          <input
            {...props}
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://"
            className="wh-wide-input"
          />
        )}
      </Field>
      <Field label="Description" error={errors.description}>
        {(props) => <input {...props} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <fieldset className="wh-fieldset" aria-describedby="event-types-help">
        <legend>Event types</legend>
        <p id="event-types-help" className="help">
          Tick none to receive every event type.
        </p>
        {eventTypes.isPending ? (
          <Loading what="Loading event types" />
        ) : eventTypes.error ? (
          <ErrorState error={eventTypes.error} />
        ) : names.length === 0 ? (
          <p className="muted small">No event types are defined yet; the endpoint will receive every type.</p>
        ) : (
          <CheckList options={names} value={types} onChange={setTypes} label={(name) => <code>{name}</code>} />
        )}
        {errors.event_types && (
          <p className="field-error" role="alert">
            {errors.event_types}
          </p>
        )}
      </fieldset>
      <Field
        label="Filter (optional)"
        error={errors.filter}
        help={
          <>
            Deliver only events for which this SQL/JSON path condition over <code>{'{"type", "data"}'}</code> holds,
            e.g. <code>$.data.amount &gt; 100</code>. Empty: every event.
          </>
        }
      >
        {(props) => (
          <input {...props} value={filter} onChange={(e) => setFilter(e.target.value)} className="wh-wide-input" />
        )}
      </Field>
      <HeaderEditor
        names={endpoint?.header_names ?? []}
        state={headers}
        onChange={setHeaders}
        errorAt={(name) => byPath.get(`headers.${name}`) ?? (name ? undefined : byPath.get('headers'))}
        local={localHeaders}
      />
      {!endpoint && (
        <Field
          label="Signature scheme"
          help="HMAC (whsec_) suits most receivers; Ed25519 lets them verify with a public key."
        >
          {(props) => (
            <select {...props} value={signing} onChange={(e) => setSigning(e.target.value as 'hmac' | 'ed25519')}>
              <option value="hmac">HMAC-SHA256</option>
              <option value="ed25519">Ed25519</option>
            </select>
          )}
        </Field>
      )}
      <CheckboxField
        label="Enabled"
        checked={enabled}
        onChange={setEnabled}
        help="A disabled endpoint receives nothing; its deliveries are skipped."
      />
      <FormActions
        onCancel={onClose}
        pending={save.isPending}
        pendingLabel="Saving…"
        label={endpoint ? 'Save endpoint' : 'Create endpoint'}
      />
    </form>
  );
}
