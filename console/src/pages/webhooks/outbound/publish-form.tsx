import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, call, fieldErrors } from '../../../api.js';
import { webhookKeys } from '../../../query-keys.js';
import { EmptyState, ErrorState, Field, FormActions, Loading } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { useEventTypes } from './queries.js';

/** Publish one event of a tenant event type: every enabled endpoint subscribed to it gets a delivery. */
export function PublishForm({ onClose }: { onClose: () => void }) {
  const eventTypes = useEventTypes();
  const own = (eventTypes.data?.data ?? []).filter((t) => !t.built_in && !t.archived_at);
  const [type, setType] = useState('');
  const [data, setData] = useState('{\n  \n}');
  const [key, setKey] = useState('');
  const [jsonError, setJsonError] = useState<string>();
  const chosen = type || own[0]?.name || '';
  const publish = useWrite({
    run: (payload: Record<string, unknown>) =>
      call(
        api.POST('/v1/events', {
          body: { type: chosen, data: payload, ...(key.trim() ? { idempotency_key: key.trim() } : {}) },
        }),
      ),
    success: (event) => `Event ${event.id} published.`,
    invalidate: [webhookKeys.all],
    onSuccess: onClose,
  });
  const errors = fieldErrors(publish.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch (error) {
      setJsonError(`This is not valid JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      setJsonError('The data must be a JSON object, e.g. {"order": "A-1"}.');
      return;
    }
    setJsonError(undefined);
    publish.mutate(payload as Record<string, unknown>);
  };
  if (eventTypes.isPending) return <Loading what="Loading event types" />;
  if (eventTypes.error) return <ErrorState error={eventTypes.error} />;
  if (own.length === 0) {
    return (
      <EmptyState title="No event types yet">
        Define one first under <Link to="/webhooks/event-types">Event types</Link>; the platform’s built-in types are
        published by Switchyard itself.
      </EmptyState>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Event type" required error={errors.type}>
        {(props) => (
          <select {...props} value={chosen} onChange={(e) => setType(e.target.value)}>
            {own.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Data"
        required
        error={jsonError ?? errors.data}
        help="A JSON object; it must match the type’s schema when it has one."
      >
        {(props) => <textarea {...props} rows={8} value={data} onChange={(e) => setData(e.target.value)} />}
      </Field>
      <Field label="Idempotency key" help="Optional: publishing again with the same key within 24 hours is a no-op.">
        {(props) => <input {...props} value={key} onChange={(e) => setKey(e.target.value)} />}
      </Field>
      <FormActions onCancel={onClose} pending={publish.isPending} pendingLabel="Publishing…" label="Publish" />
    </form>
  );
}
