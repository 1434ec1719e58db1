import http from 'node:http';

// The baseline: a bare Node http server that reads the whole request body and answers 202 with a JSON body the
// size of Switchyard's (an id, a status and duplicate_of). It verifies nothing and stores nothing; the ratio is the
// price of the token lookup, signature verification, header capture and the durable write before the answer.
const body = JSON.stringify({ id: 'whie_0000000000000000000000000', status: 'received', duplicate_of: null });
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(202, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
