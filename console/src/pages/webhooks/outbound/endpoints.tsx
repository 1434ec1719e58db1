import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call, type Schemas } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { webhookKeys } from '../../../query-keys.js';
import { ConfirmDialog, EmptyState, useCursorPages } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { PagedTable } from '../../../ui/table.js';
import { SecretOnce } from '../shared/secret-once.js';
import { EndpointForm } from './endpoint-form.js';
import { endpointColumns, EndpointRow, type Endpoint } from './endpoint-row.js';

type NewSecret = Schemas['WebhookEndpointNewSecret'];

/** The endpoints table, and the dialogs its buttons and the page's "Add endpoint" open. */
export function Endpoints({
  creating,
  onCreated,
  onCancel,
}: {
  creating: boolean;
  onCreated: () => void;
  onCancel: () => void;
}) {
  const { can } = useSession();
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: webhookKeys.endpointsPage(pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/webhooks/endpoints', {
          params: { query: { limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
  });
  const [editing, setEditing] = useState<Endpoint>();
  const [rotating, setRotating] = useState<Endpoint>();
  const [deleting, setDeleting] = useState<Endpoint>();
  const [secret, setSecret] = useState<{ title: string; secret: NewSecret; url: string }>();
  const manage = can('manage_webhooks');

  const rotate = useWrite({
    run: (endpoint: Endpoint) =>
      call(
        api.POST('/v1/webhooks/endpoints/{id}/secrets/rotate', {
          params: { path: { id: endpoint.id } },
          body: {},
        }),
      ),
    success: 'Signing secret rotated. The previous one keeps signing for 24 hours.',
    invalidate: [webhookKeys.endpoints],
    onSuccess: (result) => {
      setRotating(undefined);
      setSecret({ title: 'New signing secret', secret: result.signing_secret, url: result.endpoint.url });
    },
  });
  const remove = useWrite({
    run: (endpoint: Endpoint) =>
      call(api.DELETE('/v1/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } })),
    success: (_, endpoint) => `Endpoint ${endpoint.url} deleted.`,
    invalidate: [webhookKeys.all],
    onSuccess: () => setDeleting(undefined),
  });

  const actions = manage ? { edit: setEditing, rotate: setRotating, remove: setDeleting } : undefined;

  return (
    <section className="stack" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">Endpoints</h2>
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading endpoints"
        empty={
          <EmptyState title="No endpoints yet — add one to receive your events">
            {manage
              ? 'Use “Add endpoint” with the HTTPS URL of your receiver; every event you publish is then signed and delivered to it.'
              : 'Someone with the manage_webhooks capability can add one.'}
          </EmptyState>
        }
        testId="endpoints-table"
        columns={endpointColumns}
        actions={manage ? 'Actions' : undefined}
        row={(e) => <EndpointRow key={e.id} endpoint={e} actions={actions} />}
      />

      {manage && (
        <>
          <EndpointForm
            open={creating}
            onClose={onCancel}
            onSaved={(created) => {
              onCreated();
              if (created) setSecret({ title: 'Endpoint created', secret: created.signing_secret, url: created.url });
            }}
          />
          <EndpointForm
            open={editing !== undefined}
            endpoint={editing}
            onClose={() => setEditing(undefined)}
            onSaved={() => setEditing(undefined)}
          />
          <ConfirmDialog
            title="Rotate the signing secret"
            open={rotating !== undefined}
            confirmLabel="Rotate secret"
            pending={rotate.isPending}
            onConfirm={() => rotating && rotate.mutate(rotating)}
            onClose={() => setRotating(undefined)}
          >
            <p>
              A new secret signs deliveries to <code>{rotating?.url}</code> from now on. The current one keeps signing
              too for 24 hours, so the receiver can switch without rejecting anything.
            </p>
          </ConfirmDialog>
          <ConfirmDialog
            title="Delete the endpoint"
            open={deleting !== undefined}
            confirmLabel="Delete endpoint"
            pending={remove.isPending}
            onConfirm={() => deleting && remove.mutate(deleting)}
            onClose={() => setDeleting(undefined)}
          >
            <p>
              <code>{deleting?.url}</code> stops receiving events. Its signing secrets and its deliveries, pending ones
              included, are deleted with it.
            </p>
          </ConfirmDialog>
        </>
      )}
      <SecretOnce
        title={secret?.title ?? ''}
        open={secret !== undefined}
        onClose={() => setSecret(undefined)}
        note={secret ? `Deliveries to ${secret.url} are signed with it.` : undefined}
        items={
          secret
            ? [
                { label: 'Signing secret', value: secret.secret.secret, secret: true },
                ...(secret.secret.public_key ? [{ label: 'Public key', value: secret.secret.public_key }] : []),
              ]
            : []
        }
      />
    </section>
  );
}
