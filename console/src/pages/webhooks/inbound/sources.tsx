import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { inboundKeys } from '../../../query-keys.js';
import { ConfirmDialog, Dialog, EmptyState, useCursorPages } from '../../../ui/components.js';
import { useWrite } from '../../../ui/mutation.js';
import { PagedTable } from '../../../ui/table.js';
import { SecretOnce } from '../shared/secret-once.js';
import { useConnections } from './queries.js';
import { RotateSecretDialog, RotateTokenDialog } from './rotate-dialogs.js';
import { RulesDialog } from './rules-dialog.js';
import type { Source } from './schemes.js';
import { SourceForm } from './source-form.js';
import { sourceColumns, SourceRow } from './source-row.js';

type Revealed = { title: string; note?: string; items: { label: string; value: string; secret?: boolean }[] };

/** The sources table, and the dialogs its buttons and the page's "Add source" open. */
export function Sources({ creating, onDone }: { creating: boolean; onDone: () => void }) {
  const { can } = useSession();
  const manage = can('manage_inbound');
  const pages = useCursorPages();
  const list = useQuery({
    queryKey: inboundKeys.sourcesPage(pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/inbound/sources', {
          params: { query: { limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      ),
  });
  const connections = useConnections();
  const [editing, setEditing] = useState<Source>();
  const [rotatingToken, setRotatingToken] = useState<Source>();
  const [rotatingSecret, setRotatingSecret] = useState<Source>();
  const [deleting, setDeleting] = useState<Source>();
  const [rules, setRules] = useState<Source>();
  const [revealed, setRevealed] = useState<Revealed>();
  const connectionName = (id: string | null) =>
    id ? (connections.data?.data.find((c) => c.id === id)?.name ?? id) : undefined;

  const remove = useWrite({
    run: (source: Source) => call(api.DELETE('/v1/inbound/sources/{id}', { params: { path: { id: source.id } } })),
    success: (_, source) => `Source ${source.name} deleted; its URL no longer accepts requests.`,
    invalidate: [inboundKeys.all],
    onSuccess: () => setDeleting(undefined),
  });
  const actions = manage
    ? { edit: setEditing, rotateToken: setRotatingToken, rotateSecret: setRotatingSecret, remove: setDeleting }
    : undefined;

  return (
    <section className="stack" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <PagedTable
        query={list}
        pages={pages}
        loading="Loading sources"
        empty={
          <EmptyState title="No sources yet — add one to get a URL vendors can send webhooks to">
            {manage
              ? 'Use “Add source”, pick how the vendor signs its requests, and paste the URL into the vendor’s webhook settings.'
              : 'Someone with the manage_inbound capability can add one.'}
          </EmptyState>
        }
        testId="sources-table"
        columns={sourceColumns}
        actions={manage ? 'Actions' : undefined}
        row={(s) => (
          <SourceRow
            key={s.id}
            source={s}
            connectionName={connectionName(s.connection_id)}
            actions={actions}
            onRules={setRules}
          />
        )}
      />
      {manage && (
        <>
          <Dialog title="Add source" open={creating} onClose={onDone}>
            {creating && (
              <SourceForm
                onClose={onDone}
                onCreated={(created) => {
                  onDone();
                  setRevealed({
                    title: 'Source created',
                    note: 'Give this URL to the vendor as its webhook URL.',
                    items: [
                      { label: 'URL', value: created.source.url },
                      ...(created.secret ? [{ label: 'Secret', value: created.secret, secret: true }] : []),
                    ],
                  });
                }}
              />
            )}
          </Dialog>
          <Dialog title="Edit source" open={editing !== undefined} onClose={() => setEditing(undefined)}>
            {editing && <SourceForm source={editing} onClose={() => setEditing(undefined)} />}
          </Dialog>
          <RotateTokenDialog
            source={rotatingToken}
            onClose={() => setRotatingToken(undefined)}
            onRotated={(source) => {
              setRotatingToken(undefined);
              setRevealed({
                title: 'New URL',
                note: 'Update the vendor’s webhook settings with this URL.',
                items: [{ label: 'URL', value: source.url }],
              });
            }}
          />
          <RotateSecretDialog
            source={rotatingSecret}
            onClose={() => setRotatingSecret(undefined)}
            onRotated={(secret) => {
              setRotatingSecret(undefined);
              if (secret)
                setRevealed({ title: 'New secret', items: [{ label: 'Secret', value: secret, secret: true }] });
            }}
          />
          <ConfirmDialog
            title="Delete the source"
            open={deleting !== undefined}
            confirmLabel="Delete source"
            pending={remove.isPending}
            onConfirm={() => deleting && remove.mutate(deleting)}
            onClose={() => setDeleting(undefined)}
          >
            <p>
              <strong>{deleting?.name}</strong>’s URL stops accepting requests at once, and its event log is deleted
              with it.
            </p>
          </ConfirmDialog>
        </>
      )}
      <RulesDialog source={rules} onClose={() => setRules(undefined)} />
      <SecretOnce
        title={revealed?.title ?? ''}
        open={revealed !== undefined}
        onClose={() => setRevealed(undefined)}
        items={revealed?.items ?? []}
        {...(revealed?.note ? { note: revealed.note } : {})}
      />
    </section>
  );
}
