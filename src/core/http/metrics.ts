import { Registry, collectDefaultMetrics } from 'prom-client';

export type HttpMetrics = {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
};

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Sample = { metricName?: string; labels: Record<string, string | number>; value: number };

/** What prom-client's registry reads from a metric at scrape time. */
type ScrapedMetric = { name: string; help: string; type: 'counter' | 'histogram'; aggregator: 'sum'; values: Sample[] };

function register(registry: Registry, metric: Omit<ScrapedMetric, 'values'>, values: () => Sample[]): void {
  const get = async (): Promise<ScrapedMetric> => ({ ...metric, values: values() });
  registry.registerMetric({ ...metric, labelNames: ['method', 'route', 'status'], get } as unknown as Parameters<
    Registry['registerMetric']
  >[0]);
}

type Series = {
  labels: { method: string; route: string; status: string };
  counts: Float64Array;
  sum: number;
  count: number;
};

/**
 * Request counts and latency histograms per route template (never the raw URL, which would explode the label set
 * and leak ids), plus Node process metrics, in a prom-client registry (one per app, so tests can build many).
 *
 * The two request metrics share one small structure per label set, updated with a bucket search and three
 * increments, and are turned into Prometheus samples only when scraped: through prom-client's Histogram and
 * Counter the same bookkeeping cost several percent of authenticated read throughput (bench/api).
 */
export function createHttpMetrics(options: { processMetrics: boolean }): HttpMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'switchyard_' });
  const series = new Map<string, Series>();

  register(
    registry,
    {
      name: 'switchyard_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      type: 'counter',
      aggregator: 'sum',
    },
    () => [...series.values()].map((s) => ({ labels: s.labels, value: s.count })),
  );
  register(
    registry,
    {
      name: 'switchyard_http_request_duration_seconds',
      help: 'HTTP request latency in seconds, by method, route template and status',
      type: 'histogram',
      aggregator: 'sum',
    },
    () => [...series.values()].flatMap((s) => histogramSamples(s)),
  );

  return {
    registry,
    observe(method, route, status, seconds) {
      const key = `${method} ${route} ${status}`;
      let s = series.get(key);
      if (!s) {
        s = {
          labels: { method, route, status: String(status) },
          counts: new Float64Array(BUCKETS.length),
          sum: 0,
          count: 0,
        };
        series.set(key, s);
      }
      let i = 0;
      while (i < BUCKETS.length && seconds > (BUCKETS[i] as number)) i++;
      if (i < BUCKETS.length) (s.counts[i] as number)++;
      s.sum += seconds;
      s.count++;
    },
  };
}

function histogramSamples(s: Series): Sample[] {
  const out: Sample[] = [];
  let cumulative = 0;
  BUCKETS.forEach((le, i) => {
    cumulative += s.counts[i] as number;
    out.push({
      metricName: 'switchyard_http_request_duration_seconds_bucket',
      labels: { ...s.labels, le },
      value: cumulative,
    });
  });
  out.push({
    metricName: 'switchyard_http_request_duration_seconds_bucket',
    labels: { ...s.labels, le: '+Inf' },
    value: s.count,
  });
  out.push({ metricName: 'switchyard_http_request_duration_seconds_sum', labels: s.labels, value: s.sum });
  out.push({ metricName: 'switchyard_http_request_duration_seconds_count', labels: s.labels, value: s.count });
  return out;
}
