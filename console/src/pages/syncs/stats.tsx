import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, call } from '../../api.js';
import { syncKeys } from '../../query-keys.js';
import { ErrorState, Loading } from '../../ui/components.js';
import { count, percent } from './labels.js';

/**
 * Seed 000's dashboard figures (total syncs, active syncs, successful and failed runs) with what the API adds to them:
 * runs in progress now, the success rate, the records moved over the last seven days, and the two-way syncs'
 * conflicts waiting in the inbox (now, not over the seven days).
 */
export function SyncStats() {
  const stats = useQuery({
    queryKey: syncKeys.stats,
    queryFn: () => call(api.GET('/v1/syncs/stats', { params: { query: { days: 7 } } })),
    refetchInterval: 15_000,
  });
  return (
    <section className="card stack" aria-labelledby="sync-stats-title" data-testid="sync-stats">
      <h2 id="sync-stats-title" className="sy-section-title">
        Last 7 days
      </h2>
      {stats.isPending ? (
        <Loading what="Loading statistics" />
      ) : stats.error ? (
        <ErrorState error={stats.error} retry={() => void stats.refetch()} />
      ) : (
        <dl className="metrics">
          <div>
            <dt>Total syncs</dt>
            <dd data-testid="stat-configs">{stats.data.configs}</dd>
          </div>
          <div>
            <dt>Active syncs</dt>
            <dd data-testid="stat-enabled">{stats.data.enabled}</dd>
          </div>
          <div>
            <dt>Running now</dt>
            <dd data-testid="stat-running">{stats.data.running}</dd>
          </div>
          <div>
            <dt>Successful runs</dt>
            <dd data-testid="stat-succeeded">{stats.data.succeeded}</dd>
          </div>
          <div>
            <dt>Failed runs</dt>
            <dd data-testid="stat-failed">{stats.data.failed}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd data-testid="stat-success-rate">{percent(stats.data.success_rate)}</dd>
          </div>
          <div>
            <dt>Records moved</dt>
            <dd data-testid="stat-records">{count(stats.data.records)}</dd>
          </div>
          <div>
            <dt>Open conflicts</dt>
            <dd data-testid="stat-open-conflicts">
              {stats.data.open_conflicts > 0 ? (
                <Link to="/syncs/conflicts" aria-label={`${count(stats.data.open_conflicts)} open conflicts`}>
                  {count(stats.data.open_conflicts)}
                </Link>
              ) : (
                0
              )}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
