import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, call } from '../../../api.js';
import { useSession } from '../../../auth.js';
import { syncKeys } from '../../../query-keys.js';
import { EmptyState, ErrorState, Loading, Pager, SelectField, useCursorPages } from '../../../ui/components.js';
import type { Conflict } from '../labels.js';
import '../syncs.css';
import { ConflictCard } from './conflict-card.js';

const states = [
  { value: 'open', label: 'Open' },
  { value: 'resolved', label: 'Resolved, not yet written' },
  { value: 'applied', label: 'Written to both sides' },
  { value: 'all', label: 'All' },
];

/**
 * `/syncs/conflicts`: the conflicts inbox of bidirectional syncs with the Manual Resolution policy, for one sync
 * (`?sync=ID`) or all of them. Open conflicts first; each waits, written to neither side, until resolved here.
 */
export function ConflictsInbox() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const syncId = params.get('sync') ?? '';
  const state = params.get('state') ?? 'open';
  const pages = useCursorPages();
  const syncs = useQuery({
    queryKey: syncKeys.picker,
    queryFn: () => call(api.GET('/v1/syncs', { params: { query: { limit: 200 } } })),
  });
  const list = useQuery({
    queryKey: syncKeys.conflicts(syncId, state, pages.cursor),
    queryFn: () =>
      call(
        api.GET('/v1/syncs/conflicts', {
          params: {
            query: {
              limit: 20,
              ...(syncId ? { sync_id: syncId } : {}),
              ...(state !== 'all' ? { state: state as Conflict['state'] } : {}),
              ...(pages.cursor ? { cursor: pages.cursor } : {}),
            },
          },
        }),
      ),
    refetchInterval: 15_000,
  });
  const filter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    pages.reset();
  };
  const twoWay = (syncs.data?.data ?? [])
    .filter((s) => s.direction === 'bidirectional')
    .map((s) => ({ value: s.id, label: s.name }));
  // The sync filtered by stays chosen while the names load (and if it is no longer two-way).
  const syncOptions =
    syncId && !twoWay.some((o) => o.value === syncId) ? [...twoWay, { value: syncId, label: syncId }] : twoWay;
  return (
    <section className="page sy-page" aria-labelledby="conflicts-title">
      <header className="page-header">
        <div>
          <h1 id="conflicts-title">Conflicts</h1>
          <p className="muted">
            Records changed on both sides of a two-way sync since they last agreed. Each waits here, written to neither
            side, until you take A’s values, B’s, or edit them.
          </p>
        </div>
      </header>
      <div className="filters" role="search" aria-label="Filter conflicts">
        <SelectField
          label="Sync"
          value={syncId}
          empty="Every two-way sync"
          onChange={(v) => filter('sync', v)}
          options={syncOptions}
        />
        <SelectField label="State" value={state} onChange={(v) => filter('state', v)} options={states} />
      </div>
      {list.isPending ? (
        <Loading what="Loading conflicts" />
      ) : list.error ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.data.length === 0 && pages.page === 1 ? (
        <EmptyState title={state === 'open' ? 'No open conflicts' : 'No conflicts'}>
          {state === 'open' && 'Conflicts appear here when a two-way sync with Manual Resolution meets one.'}
        </EmptyState>
      ) : (
        <div className="stack" data-testid="conflicts">
          {list.data.data.map((c) => (
            <ConflictCard key={c.id} conflict={c} canResolve={can('run_syncs')} />
          ))}
          <Pager pages={pages} nextCursor={list.data.next_cursor} />
        </div>
      )}
    </section>
  );
}
