import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../../../api.js';
import { webhookKeys } from '../../../query-keys.js';
import { ErrorState, Field, Loading, SelectField } from '../../../ui/components.js';
import { useEndpointNames } from './queries.js';
import { StatsFigures, windows } from './stats-figures.js';

/** Delivery statistics over a window, for every endpoint or one. */
export function StatsPanel() {
  const [window, setWindow] = useState<keyof typeof windows>('24h');
  const [endpointId, setEndpointId] = useState('');
  const endpoints = useEndpointNames();
  const stats = useQuery({
    queryKey: webhookKeys.stats(window, endpointId),
    queryFn: () => {
      const until = new Date();
      const since = new Date(until.getTime() - windows[window].ms);
      return call(
        api.GET('/v1/webhooks/stats', {
          params: {
            query: {
              since: since.toISOString(),
              until: until.toISOString(),
              ...(endpointId ? { endpoint_id: endpointId } : {}),
            },
          },
        }),
      );
    },
    refetchInterval: 30_000,
  });
  return (
    <section className="card stack" aria-labelledby="stats-title" data-testid="delivery-stats">
      <div className="page-header">
        <h2 id="stats-title" className="wh-section-title">
          Statistics
        </h2>
        <div className="filters">
          <Field label="Window">
            {(props) => (
              <select {...props} value={window} onChange={(e) => setWindow(e.target.value as keyof typeof windows)}>
                <option value="24h">Last 24 hours</option>
                <option value="7d">Last 7 days</option>
              </select>
            )}
          </Field>
          <SelectField
            label="Endpoint"
            value={endpointId}
            onChange={(v) => setEndpointId(v)}
            empty="All endpoints"
            options={endpoints.options}
          />
        </div>
      </div>
      {stats.isPending ? (
        <Loading what="Loading statistics" />
      ) : stats.error ? (
        <ErrorState error={stats.error} retry={() => void stats.refetch()} />
      ) : (
        <StatsFigures stats={stats.data} window={window} />
      )}
    </section>
  );
}
