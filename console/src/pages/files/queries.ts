import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, call } from '../../api.js';
import { useSession } from '../../auth.js';
import { fileKeys, storageKeys } from '../../query-keys.js';
import { isRunning, type Direction } from './labels.js';

/** The subfolders of a folder of the store, with the files and bytes under each. */
export function useFolders(parent: string, enabled = true) {
  return useQuery({
    queryKey: fileKeys.folders(parent),
    queryFn: () => call(api.GET('/v1/files/folders', { params: { query: { parent } } })),
    enabled,
  });
}

/** The tenant's stored bytes against its quota. */
export function useUsage() {
  return useQuery({ queryKey: fileKeys.usage, queryFn: () => call(api.GET('/v1/files/usage')) });
}

/** The connections whose drives or buckets can be browsed, for roles that may browse them. */
export function useStorageConnections() {
  const { can } = useSession();
  const query = useQuery({
    queryKey: storageKeys.connections,
    queryFn: () => call(api.GET('/v1/storage/connections')),
    enabled: can('browse_storage'),
    staleTime: 60_000,
  });
  const all = query.data?.data ?? [];
  return { query, all, nameOf: (id: string) => all.find((c) => c.id === id)?.name ?? id };
}

export function useRoots(connectionId: string) {
  return useQuery({
    queryKey: storageKeys.roots(connectionId),
    queryFn: () => call(api.GET('/v1/storage/connections/{id}/roots', { params: { path: { id: connectionId } } })),
    enabled: connectionId !== '',
    staleTime: 60_000,
  });
}

/** A folder of a root (or a search), one vendor page at a time: "Load more" asks for the next. */
export function useCloudItems(connectionId: string, root: string, folder: string, q: string) {
  return useInfiniteQuery({
    queryKey: storageKeys.items(connectionId, root, folder, q),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/v1/storage/connections/{id}/items', {
          params: {
            path: { id: connectionId },
            query: { root, folder, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: connectionId !== '' && root !== '',
  });
}

const transferPath = (direction: Direction) =>
  direction === 'import' ? ('/v1/storage/imports/{id}' as const) : ('/v1/storage/exports/{id}' as const);
const transferFilesPath = (direction: Direction) =>
  direction === 'import' ? ('/v1/storage/imports/{id}/files' as const) : ('/v1/storage/exports/{id}/files' as const);

/** An import or export, refetched every second while it runs and no more once it has ended. */
export function useTransfer(direction: Direction, id: string) {
  return useQuery({
    queryKey: storageKeys.transfer(direction, id),
    queryFn: () => call(api.GET(transferPath(direction), { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && !isRunning(q.state.data) ? false : 1000),
  });
}

/**
 * Its files (the first 1,000), refetched while it runs — and until the files held have settled too: the transfer
 * may be seen ending between two fetches of its files.
 */
export function useTransferFiles(direction: Direction, id: string, running: boolean) {
  return useQuery({
    queryKey: storageKeys.transferFiles(direction, id),
    queryFn: () => call(api.GET(transferFilesPath(direction), { params: { path: { id }, query: { limit: 1000 } } })),
    refetchInterval: (q) =>
      running || !q.state.data || q.state.data.data.some((i) => i.state === 'queued' || i.state === 'running')
        ? 1000
        : false,
  });
}

/** A page of the import or export history; refetched every two seconds while one on it runs. */
export function useTransferHistory(direction: Direction, cursor: string | undefined) {
  return useQuery({
    queryKey: storageKeys.history(direction, cursor),
    queryFn: () =>
      call(
        api.GET(direction === 'import' ? '/v1/storage/imports' : '/v1/storage/exports', {
          params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.data.some(isRunning) ? 2000 : false),
  });
}
