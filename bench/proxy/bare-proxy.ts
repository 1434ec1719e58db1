import http from 'node:http';
import { Pool } from 'undici';

// A reference floor for any proxy: a bare Node http server that sends each request on to the upstream over a
// keep-alive undici pool and streams the answer back — no authentication, no credentials, no SSRF guard, no retries,
// no request log. What Switchyard's proxy costs beyond this is its own; what this costs is the price of a hop.
const upstream = new Pool(String(process.env.UPSTREAM), { connections: 128 });
const server = http.createServer((req, res) => {
  req.resume();
  upstream.request({ method: 'GET', path: req.url ?? '/' }).then(
    (answer) => {
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && name !== 'connection' && name !== 'keep-alive') headers[name] = value;
      }
      res.writeHead(answer.statusCode, headers);
      answer.body.pipe(res);
    },
    () => res.writeHead(502).end(),
  );
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
