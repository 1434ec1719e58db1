/**
 * `fn` over `items` with at most `limit` in flight, answers in the items' order. A failure stops every lane from
 * taking another item; the first failure is thrown once the calls already started have settled.
 */
export async function mapInLanes<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    for (let i = next++; i < items.length && !failure; i = next++) {
      try {
        results[i] = await fn(items[i] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
  return results;
}
