import http from 'node:http';

/**
 * The vendors a routing bench calls: bare Node http servers in one process, one per port in PORTS (comma-separated),
 * each answering any GET with an FMP-shaped quote (`/stable/quote?symbol=` answers a one-element array) after the
 * delay in the same place of DELAYS (ms; 0 answers at once, in the same tick). `POST /control` with
 * `{"failing": true}` makes that server answer 503 until `{"failing": false}`; `{"delay_ms": n}` changes its delay.
 * Answers are built once per symbol, so the server's own cost stays that of a bare one.
 */
const ports = (process.env.PORTS ?? '').split(',').filter(Boolean).map(Number);
const delays = (process.env.DELAYS ?? '').split(',').map(Number);

/** A quote as FMP's /stable/quote answers it (the fields its connector maps), priced a little apart per server. */
function quoteBody(symbol: string, index: number): string {
  return JSON.stringify([
    {
      symbol,
      name: `${symbol} Inc.`,
      price: 227.52 + index * 0.01,
      changePercentage: 0.8213,
      change: 1.85,
      volume: 41_243_100,
      dayLow: 224.91,
      dayHigh: 228.3,
      yearHigh: 260.1,
      yearLow: 164.08,
      marketCap: 3_418_000_000_000,
      priceAvg50: 221.4,
      priceAvg200: 212.77,
      exchange: 'NASDAQ',
      open: 225.1,
      previousClose: 225.67,
      timestamp: 1_767_297_600,
    },
  ]);
}

const UNAVAILABLE = JSON.stringify({ 'Error Message': 'Service Unavailable' });

for (const [index, port] of ports.entries()) {
  const state = { failing: false, delay: delays[index] ?? 0 };
  const bodies = new Map<string, string>();
  const send = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/control') {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        const change = JSON.parse(text || '{}') as { failing?: boolean; delay_ms?: number };
        if (change.failing !== undefined) state.failing = change.failing;
        if (change.delay_ms !== undefined) state.delay = change.delay_ms;
        send(res, 200, JSON.stringify({ failing: state.failing, delay_ms: state.delay }));
      });
      return;
    }
    req.resume();
    if (state.failing) {
      send(res, 503, UNAVAILABLE);
      return;
    }
    const at = req.url?.indexOf('symbol=') ?? -1;
    const symbol = at < 0 ? 'AAPL' : decodeURIComponent((req.url as string).slice(at + 7).split('&')[0] as string);
    let body = bodies.get(symbol);
    if (body === undefined) bodies.set(symbol, (body = quoteBody(symbol, index)));
    const answer = body;
    if (state.delay > 0) setTimeout(() => send(res, 200, answer), state.delay);
    else send(res, 200, answer);
  });
  server.keepAliveTimeout = 72_000;
  server.listen(port, '127.0.0.1');
}
process.on('SIGTERM', () => process.exit(0));
