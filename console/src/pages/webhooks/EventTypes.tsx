import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, call, documentErrors, fieldErrors, type Schemas } from '../../api.js';
import { useSession } from '../../auth.js';
import { webhookKeys } from '../../query-keys.js';
import {
  Badge,
  ConfirmDialog,
  Dialog,
  EmptyState,
  ErrorState,
  Field,
  FormActions,
  JsonBlock,
  Time,
  useCursorPages,
} from '../../ui/components.js';
import { useWrite } from '../../ui/mutation.js';
import { PagedTable } from '../../ui/table.js';

type EventType = Schemas['EventType'];

/**
 * The event types endpoints subscribe to: Switchyard's own (read-only) and the tenant's, each with an optional JSON
 * Schema that published events must match.
 */
export function EventTypes() {
  const { can } = useSession();
  const manage = can('manage_webhooks');
  const pages = useCursorPages();
  const [archived, setArchived] = useState(false);
  const [editing, setEditing] = useState<{ type?: EventType } | undefined>();
  const [viewing, setViewing] = useState<EventType | undefined>();
  const [archiving, setArchiving] = useState<EventType | undefined>();
  const types = useQuery({
    queryKey: webhookKeys.eventTypesPage(pages.cursor, archived),
    queryFn: () =>
      call(
        api.GET('/v1/event-types', {
          params: { query: { limit: 50, cursor: pages.cursor, include_archived: archived ? 'true' : 'false' } },
        }),
      ),
  });
  const archive = useWrite({
    run: (t: EventType) => call(api.DELETE('/v1/event-types/{name}', { params: { path: { name: t.name } } })),
    success: (_, t) => `Event type ${t.name} archived.`,
    invalidate: [webhookKeys.eventTypes],
    onSuccess: () => setArchiving(undefined),
  });
  return (
    <section className="page" aria-labelledby="event-types-title">
      <div className="page-header">
        <div>
          <h1 id="event-types-title">Event types</h1>
          <p className="muted">
            What your product publishes (<code>POST /v1/events</code>) and endpoints subscribe to. A schema makes
            publishing refuse events whose data does not match it.
          </p>
        </div>
        {manage && (
          <button type="button" className="button button-primary" onClick={() => setEditing({})}>
            Add event type
          </button>
        )}
      </div>
      <label className="row small">
        <input
          type="checkbox"
          checked={archived}
          onChange={(e) => {
            setArchived(e.target.checked);
            pages.reset();
          }}
        />
        Show archived event types
      </label>
      <PagedTable
        query={types}
        pages={pages}
        empty={
          <EmptyState title="No event types">
            {manage ? 'Add one for each kind of event your product publishes, e.g. order.created.' : ''}
          </EmptyState>
        }
        columns={['Name', 'Description', 'Schema', 'Updated']}
        actions="Actions"
        row={(t) => (
          <tr key={t.name} data-testid={`event-type-${t.name}`}>
            <td>
              <code>{t.name}</code> {t.built_in && <Badge value="built_in" label="Switchyard" />}
              {t.archived_at && <Badge value="disabled" label="archived" />}
            </td>
            <td>{t.description || <span className="muted">—</span>}</td>
            <td>
              {t.schema ? (
                <button type="button" className="link" onClick={() => setViewing(t)}>
                  View schema<span className="visually-hidden"> of {t.name}</span>
                </button>
              ) : (
                <span className="muted">none</span>
              )}
            </td>
            <td>{t.updated_at ? <Time iso={t.updated_at} /> : <span className="muted">—</span>}</td>
            <td>
              {manage && !t.built_in && (
                <span className="row">
                  <button type="button" className="button button-small" onClick={() => setEditing({ type: t })}>
                    Edit<span className="visually-hidden"> {t.name}</span>
                  </button>
                  {!t.archived_at && (
                    <button type="button" className="button button-small" onClick={() => setArchiving(t)}>
                      Archive<span className="visually-hidden"> {t.name}</span>
                    </button>
                  )}
                </span>
              )}
            </td>
          </tr>
        )}
      />
      {editing && <EventTypeDialog type={editing.type} onClose={() => setEditing(undefined)} />}
      {viewing && (
        <Dialog title={`Schema of ${viewing.name}`} open onClose={() => setViewing(undefined)} wide>
          <JsonBlock value={viewing.schema} label={`JSON Schema of ${viewing.name}`} />
        </Dialog>
      )}
      <ConfirmDialog
        title="Archive event type"
        open={archiving !== undefined}
        confirmLabel="Archive event type"
        pending={archive.isPending}
        onConfirm={() => archiving && archive.mutate(archiving)}
        onClose={() => setArchiving(undefined)}
      >
        <p>
          Archive <code>{archiving?.name}</code>? It then accepts no new events and no new subscriptions; past events
          and their deliveries keep it. Unarchive it from Edit.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function EventTypeDialog({ type, onClose }: { type?: EventType; onClose: () => void }) {
  const [name, setName] = useState(type?.name ?? '');
  const [description, setDescription] = useState(type?.description ?? '');
  const [schemaText, setSchemaText] = useState(type?.schema ? JSON.stringify(type.schema, null, 2) : '');
  const [archived, setArchived] = useState(type?.archived_at != null);
  const [schemaError, setSchemaError] = useState<string | undefined>();
  const save = useWrite({
    run: (schema: Record<string, unknown> | null) =>
      type
        ? call(
            api.PATCH('/v1/event-types/{name}', {
              params: { path: { name: type.name } },
              body: { description, schema, archived },
            }),
          )
        : call(api.POST('/v1/event-types', { body: { name, description, ...(schema ? { schema } : {}) } })),
    success: (saved) => `Event type ${saved.name} saved.`,
    invalidate: [webhookKeys.eventTypes],
    onSuccess: onClose,
    quietErrors: true,
  });
  const errors = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!schemaText.trim()) {
      setSchemaError(undefined);
      save.mutate(null);
      return;
    }
    try {
      const parsed = JSON.parse(schemaText) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        setSchemaError('A JSON Schema is a JSON object, e.g. {"type": "object"}.');
        return;
      }
      setSchemaError(undefined);
      save.mutate(parsed as Record<string, unknown>);
    } catch (error) {
      setSchemaError(`Not valid JSON: ${(error as Error).message}`);
    }
  };
  return (
    <Dialog title={type ? `Edit ${type.name}` : 'Add event type'} open onClose={onClose} wide>
      <form onSubmit={submit}>
        {!type && (
          <Field label="Name" required error={errors.name} help="Dot-separated, e.g. order.created or invoice.paid.">
            {(p) => <input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
        )}
        <Field label="Description" error={errors.description}>
          {(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field
          label="JSON Schema of the data (optional)"
          error={schemaError ?? documentErrors(save.error, 'schema')}
          help="Events whose data does not match are refused when published. Empty: any data."
        >
          {(p) => <textarea {...p} rows={10} value={schemaText} onChange={(e) => setSchemaText(e.target.value)} />}
        </Field>
        {type && (
          <label className="row field">
            <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
            Archived (cannot be published or subscribed to)
          </label>
        )}
        {save.error !== null && !Object.keys(errors).length && <ErrorState error={save.error} />}
        <FormActions onCancel={onClose} pending={save.isPending} pendingLabel="Saving…" label="Save" />
      </form>
    </Dialog>
  );
}
