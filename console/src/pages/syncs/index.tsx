import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { syncKeys } from '../../query-keys.js';
import { ConfirmDialog, EmptyState, Field, useCursorPages } from '../../ui/components.js';
import { PagedTable } from '../../ui/table.js';
import type { SyncConfig } from './labels.js';
import { useConnectionNames, useDeleteSync, useRunSync, useToggleSync } from './queries.js';
import { SyncStats } from './stats.js';
import { syncColumns, SyncRow } from './sync-row.js';
import './syncs.css';

/** `/syncs`, seed 000's Sync Management tab: the dashboard figures, then every sync configuration. */
export function SyncManagement() {
  const { can } = useSession();
  const pages = useCursorPages();
  const [search, setSearch] = useState('');
  const [draft, setDraft] = useState('');
  const list = useQuery({
    queryKey: syncKeys.listPage(search, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/syncs', {
          params: {
            query: { limit: 25, ...(pages.cursor ? { cursor: pages.cursor } : {}), ...(search ? { search } : {}) },
          },
        }),
      ),
    // Last run and next run move on their own: keep them current, faster while something runs.
    refetchInterval: (q) => (q.state.data?.data.some((s) => s.running_execution_id) ? 2000 : 15_000),
  });
  const connections = useConnectionNames();
  const run = useRunSync();
  const toggle = useToggleSync();
  const [deleting, setDeleting] = useState<SyncConfig>();
  const remove = useDeleteSync(() => setDeleting(undefined));
  const manage = can('manage_syncs');
  const actions = {
    run: can('run_syncs') ? (sync: SyncConfig, fullRefresh: boolean) => run.mutate({ sync, fullRefresh }) : undefined,
    toggle: manage ? (sync: SyncConfig) => toggle.mutate(sync) : undefined,
    remove: manage ? setDeleting : undefined,
    edit: manage,
  };
  const hasActions = can('run_syncs') || manage;
  return (
    <section className="page sy-page" aria-labelledby="syncs-title">
      <header className="page-header">
        <div>
          <h1 id="syncs-title">Sync Management</h1>
          <p className="muted">
            Data syncs between your connections and the record store: their schedules, runs and checkpoints.
          </p>
        </div>
        {manage && (
          <Link className="button button-primary" to="/syncs/new">
            New Sync Config
          </Link>
        )}
      </header>
      <SyncStats />
      <section className="stack" aria-labelledby="sync-list-title">
        <div className="page-header">
          <h2 id="sync-list-title" className="sy-section-title">
            Sync configurations
          </h2>
          <form
            className="filters"
            role="search"
            aria-label="Search syncs"
            onSubmit={(e) => {
              e.preventDefault();
              setSearch(draft.trim());
              pages.reset();
            }}
          >
            <Field label="Name">
              {(props) => <input {...props} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />}
            </Field>
            <button type="submit" className="button sy-align-end">
              Search
            </button>
          </form>
        </div>
        <PagedTable
          query={list}
          pages={pages}
          loading="Loading syncs"
          empty={
            search ? (
              <EmptyState title="No sync matches this name" />
            ) : (
              <EmptyState title="No syncs yet">
                {manage
                  ? 'Use “New Sync Config” to pick a source connection, its streams or tables, and where they go.'
                  : 'Someone with the manage_syncs capability can create one.'}
              </EmptyState>
            )
          }
          testId="syncs-table"
          columns={syncColumns}
          actions={hasActions ? 'Actions' : undefined}
          row={(s) => <SyncRow key={s.id} sync={s} nameOf={connections.nameOf} actions={actions} />}
        />
      </section>
      <ConfirmDialog
        title="Delete the sync"
        open={deleting !== undefined}
        confirmLabel="Delete sync"
        pending={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        <p>
          “{deleting?.name}” stops running. Its runs, their logs and its checkpoints are deleted with it; a run in
          progress is cancelled. The records it already wrote stay where they are.
        </p>
      </ConfirmDialog>
    </section>
  );
}
