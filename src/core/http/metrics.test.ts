import { describe, expect, it } from 'vitest';
import { createHttpMetrics } from './metrics.js';

describe('HTTP metrics', () => {
  it('exposes request counts and cumulative latency buckets per method, route template and status', async () => {
    const m = createHttpMetrics({ processMetrics: false });
    m.observe('GET', '/v1/me', 200, 0.0007);
    m.observe('GET', '/v1/me', 200, 0.003);
    m.observe('GET', '/v1/me', 200, 30); // beyond the last bucket: only +Inf
    m.observe('POST', '/v1/secrets', 201, 0.02);
    const text = await m.registry.metrics();
    const sample = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${line} `))
          ?.split(' ')[1],
      );
    const me = 'method="GET",route="/v1/me",status="200"';
    expect(sample(`switchyard_http_requests_total{${me}}`)).toBe(3);
    expect(sample(`switchyard_http_request_duration_seconds_bucket{${me},le="0.0005"}`)).toBe(0);
    expect(sample(`switchyard_http_request_duration_seconds_bucket{${me},le="0.001"}`)).toBe(1);
    expect(sample(`switchyard_http_request_duration_seconds_bucket{${me},le="0.005"}`)).toBe(2);
    expect(sample(`switchyard_http_request_duration_seconds_bucket{${me},le="10"}`)).toBe(2);
    expect(sample(`switchyard_http_request_duration_seconds_bucket{${me},le="+Inf"}`)).toBe(3);
    expect(sample(`switchyard_http_request_duration_seconds_sum{${me}}`)).toBeCloseTo(30.0037);
    expect(sample(`switchyard_http_request_duration_seconds_count{${me}}`)).toBe(3);
    expect(text).toContain('# TYPE switchyard_http_request_duration_seconds histogram');
    expect(sample('switchyard_http_requests_total{method="POST",route="/v1/secrets",status="201"}')).toBe(1);
  });
});
