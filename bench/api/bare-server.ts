import http from 'node:http';

// The baseline: a bare Node http server answering the same JSON body as Switchyard's GET /v1/me, with the same
// content type. It checks nothing; the ratio is the price of authentication, rate limiting, validation,
// serialisation, request ids, access logs and metrics.
const body = process.env.BENCH_BODY ?? '{}';
const server = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
