import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from '../../api.js';
import { useSession } from '../../auth.js';
import { connectionKeys, syncKeys } from '../../query-keys.js';
import { useWrite } from '../../ui/mutation.js';
import { isLive, type Execution, type SyncConfig } from './labels.js';

/** Every connection by name (source and target pickers, names in summaries). */
export function useConnectionNames() {
  const { can } = useSession();
  const connections = useQuery({
    queryKey: connectionKeys.picker,
    queryFn: () => call(api.GET('/v1/connections', { params: { query: { limit: 200, sort: 'name' } } })),
    enabled: can('list_connections'),
  });
  const all = connections.data?.data ?? [];
  return {
    query: connections,
    options: all.map((c) => ({ value: c.id, label: `${c.name} (${c.connector.name})` })),
    nameOf: (id: string) => all.find((c) => c.id === id)?.name ?? id,
  };
}

/** A sync configuration; refetched while a run of it is in progress, so its last run and state stay current. */
export function useSync(id: string) {
  return useQuery({
    queryKey: syncKeys.detail(id),
    queryFn: () => call(api.GET('/v1/syncs/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data?.running_execution_id ? 2000 : false),
  });
}

/** One run, refetched every second and a half while it is waiting or running (per-stream progress is live). */
export function useExecution(id: string) {
  return useQuery({
    queryKey: syncKeys.execution(id),
    queryFn: () => call(api.GET('/v1/syncs/executions/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && isLive(q.state.data.status) ? 1500 : false),
  });
}

type LogPage = { entries: Schemas['SyncLogEntry'][]; after: string | null; finished: boolean };

/**
 * A run's log, followed: each fetch asks only for the entries after the last one held and appends them, until the
 * API says the run has finished (everything it will write is then written).
 */
export function useExecutionLog(id: string) {
  const client = useQueryClient();
  const key = syncKeys.logs(id);
  return useQuery({
    queryKey: key,
    queryFn: async (): Promise<LogPage> => {
      const held = client.getQueryData<LogPage>(key);
      const entries = [...(held?.entries ?? [])];
      let after = held?.after ?? null;
      for (;;) {
        const page = await call(
          api.GET('/v1/syncs/executions/{id}/logs', {
            params: { path: { id }, query: { limit: 500, ...(after ? { after } : {}) } },
          }),
        );
        entries.push(...page.data);
        after = page.next_after;
        if (page.data.length < 500) return { entries, after, finished: page.finished };
      }
    },
    refetchInterval: (q) => (q.state.data?.finished ? false : 1500),
  });
}

/** Start a run now (`full_refresh` reads everything again; `dryRun`, for a file import, checks without writing). */
export function useRunSync() {
  return useWrite({
    run: ({ sync, fullRefresh, dryRun }: { sync: SyncConfig; fullRefresh: boolean; dryRun?: boolean }) =>
      call(
        api.POST('/v1/syncs/{id}/run', {
          params: { path: { id: sync.id } },
          body: { streams: [], full_refresh: fullRefresh, ...(dryRun ? { dry_run: true } : {}) },
        }),
      ),
    success: (result, { sync, dryRun }) =>
      result.outcome === 'started'
        ? `${dryRun ? 'Dry run of' : 'Sync'} “${sync.name}” started.`
        : result.outcome === 'queued'
          ? `Sync “${sync.name}” is running; another run is queued behind it.`
          : `A run of “${sync.name}” is already waiting.`,
    invalidate: [syncKeys.all],
  });
}

/** Ask a waiting run not to start, or a running one to stop after the batch in hand. */
export function useCancelExecution() {
  return useWrite({
    run: (execution: Execution) =>
      call(api.POST('/v1/syncs/executions/{id}/cancel', { params: { path: { id: execution.id } } })),
    success: (result) =>
      result.status === 'cancelled' ? 'Run cancelled.' : 'Cancelling: the run stops after the batch in hand.',
    invalidate: [syncKeys.all],
  });
}

/** Enable or disable a sync (a disabled one is neither scheduled nor run). */
export function useToggleSync() {
  return useWrite({
    run: (sync: SyncConfig) =>
      call(api.PATCH('/v1/syncs/{id}', { params: { path: { id: sync.id } }, body: { enabled: !sync.enabled } })),
    success: (result) => `Sync “${result.name}” ${result.enabled ? 'enabled' : 'disabled'}.`,
    invalidate: [syncKeys.all],
  });
}

export function useDeleteSync(onDeleted: () => void) {
  return useWrite({
    run: (sync: SyncConfig) => call(api.DELETE('/v1/syncs/{id}', { params: { path: { id: sync.id } } })),
    success: (_, sync) => `Sync “${sync.name}” deleted.`,
    invalidate: [syncKeys.all],
    onSuccess: onDeleted,
  });
}
