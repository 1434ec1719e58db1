import { unwrap, type ApiResult } from './problem.js';

/** The shape of every list endpoint: a page of items and the cursor of the next page (null on the last). */
export type Page<T> = { data: T[]; next_cursor: string | null };

/**
 * Walk every page of a list endpoint, yielding items one by one. `fetchPage` receives the cursor to pass on
 * (undefined for the first page). A failed page throws a `SwitchyardError`.
 *
 * @example
 * for await (const key of paginate((cursor) =>
 *   client.GET('/v1/api-keys', { params: { query: { cursor, limit: 200 } } }),
 * )) {
 *   console.log(key.name);
 * }
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<ApiResult<Page<T>>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await unwrap(fetchPage(cursor));
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * Collect every item of a list endpoint into an array (for lists known to be small, such as tenants or roles).
 *
 * @example
 * const users = await listAll((cursor) => client.GET('/v1/users', { params: { query: { cursor } } }));
 */
export async function listAll<T>(fetchPage: (cursor: string | undefined) => Promise<ApiResult<Page<T>>>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of paginate(fetchPage)) items.push(item);
  return items;
}
