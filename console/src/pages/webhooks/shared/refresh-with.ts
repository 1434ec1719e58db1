import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';

/**
 * Refresh the queries whose figures a live log's rows change (a source's rejected count beside a rejected row, an
 * endpoint's failures and the statistics beside a failed delivery) whenever the log shows something new. TanStack
 * Query keeps `data` the same object while a refetch returns the same content, so an unchanged poll refreshes nothing.
 */
export function useRefreshWith(data: unknown, keys: readonly QueryKey[]): void {
  const client = useQueryClient();
  const seen = useRef<unknown>(undefined);
  const latestKeys = useRef(keys);
  latestKeys.current = keys;
  useEffect(() => {
    if (data === undefined) return;
    const first = seen.current === undefined;
    seen.current = data;
    if (first) return;
    for (const queryKey of latestKeys.current) void client.invalidateQueries({ queryKey });
  }, [data, client]);
}
