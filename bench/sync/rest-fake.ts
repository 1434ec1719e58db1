/**
 * A REST listing for bench/sync: `GET /items?limit=100&after=…` answers `{ results: [...], next: "…" | null }`, a
 * page of `limit` (at most 100) records in id order, each ~300 bytes of JSON, `next` the cursor of the following
 * page. RECORDS (default 50,000) records in all, made on the fly from their index (no state). `GET /me` answers 200 for
 * a connection's test call. It runs as its own process so that neither the bare loop nor Switchyard shares a thread
 * with it.
 */
import http from 'node:http';

const total = Number(process.env.RECORDS ?? 50_000);
const port = Number(process.env.PORT ?? 0);

function record(i: number) {
  return {
    id: `it_${String(i).padStart(8, '0')}`,
    name: `Item ${i}`,
    email: `buyer${i}@example.com`,
    amount: (i % 100_000) / 100,
    quantity: i % 1000,
    active: i % 3 === 0,
    tags: [`t${i % 7}`, `g${i % 11}`],
    address: { city: `City ${i % 500}`, zip: String(10_000 + (i % 90_000)) },
    created_at: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    updated_at: new Date(Date.UTC(2024, 5, 1) + i * 1000).toISOString(),
  };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/me') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"bench"}');
    return;
  }
  if (url.pathname !== '/items') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
    return;
  }
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 100)));
  const after = Number(url.searchParams.get('after') ?? 0);
  const end = Math.min(total, after + limit);
  const results = [];
  for (let i = after; i < end; i++) results.push(record(i + 1));
  const body = JSON.stringify({ results, next: end < total ? String(end) : null });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1');
