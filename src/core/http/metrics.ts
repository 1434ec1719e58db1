import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type HttpMetrics = {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
};

/**
 * Request counts and latency histograms per route template (never the raw URL, which would explode the label
 * set and leak ids), plus Node process metrics. One registry per app, so tests can build many apps.
 */
export function createHttpMetrics(options: { processMetrics: boolean }): HttpMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'switchyard_' });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'switchyard_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'switchyard_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route template and status',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // prom-client hashes the label set on every call; the label sets are few (routes x methods x statuses), so
  // keep the bound children.
  const children = new Map<string, { count: { inc(): void }; time: { observe(value: number): void } }>();
  return {
    registry,
    observe(method, route, status, seconds) {
      const key = `${method} ${route} ${status}`;
      let child = children.get(key);
      if (!child) {
        const labels = { method, route, status: String(status) };
        child = { count: requests.labels(labels), time: duration.labels(labels) };
        children.set(key, child);
      }
      child.count.inc();
      child.time.observe(seconds);
    },
  };
}
