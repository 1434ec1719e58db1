import v8 from 'node:v8';

/**
 * Hold the JavaScript heap near what is live: after each full collection the heap may grow by `percent` of the live
 * size before the next one (V8's `--heap-growing-percent`; 0 leaves V8's own factor).
 *
 * V8 lets a heap that allocates fast grow to up to four times its live size between full collections. An import or
 * a sync holds each batch of records while it is written, so batches survive the young generation and are promoted
 * to die in the old one; with V8's factor a 1M-row import's server peaked at 500–620 MB resident, nearly all of it
 * promoted garbage waiting for the next full collection (bench:import, bench:sync). At 50% it peaks near 300 MB;
 * the extra collections (each marks a small live set, mostly on V8's background thread) cost the fastest path, an
 * import into a PostgreSQL table, 5–10% of its rows per second, and the record store and syncs less than the runs'
 * own spread. Like GOGC for a Go server, it trades collector work for memory; raise it (or set 0) on a machine with
 * memory to spare.
 *
 * A process-wide setting, so it is made by the process's entry point (`switchyard serve`), not by a server
 * instance; V8 reads the flag at each full collection, so setting it after start takes effect at the next one.
 */
export function limitHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth must be a whole percent ≥ 0`);
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
