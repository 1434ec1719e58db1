/**
 * The HubSpot fake of the tests (test/fakes/hubspot.ts) in a process of its own for bench/sync-bidirectional, so that
 * neither Switchyard nor the bench shares a thread with it. PORT is a small control API for the bench:
 *   GET /url                     → the fake's own URL (it listens on a port of its own choosing)
 *   POST /seed {count}           → `count` contacts, e-mail c<i>@bench.test, modified in the past
 *   POST /edit {ids, firstname}  → those contacts' first name set (with the index appended), modified now
 *   GET /contact?id=             → one contact as HubSpot would answer it
 */
import http from 'node:http';
import { startHubspotFake } from '../../test/fakes/hubspot.js';

const fake = await startHubspotFake();
const contacts = fake.objects.get('contacts');
if (!contacts) throw new Error('the fake has no contacts');

const control = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
    const reply = (data: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
    if (url.pathname === '/url') return reply({ url: fake.url });
    if (url.pathname === '/seed') {
      const count = Number(body.count);
      const from = Date.now() - 86_400_000;
      for (let i = 1; i <= count; i++) {
        const id = String(i);
        const at = new Date(from + i).toISOString();
        contacts.set(id, {
          id,
          properties: { email: `c${i}@bench.test`, firstname: `Contact ${i}` },
          createdAt: at,
          updatedAt: at,
          archived: false,
        });
      }
      return reply({ count: contacts.size });
    }
    if (url.pathname === '/edit') {
      const at = new Date().toISOString();
      const ids = body.ids as string[];
      ids.forEach((id, i) => {
        const r = contacts.get(id);
        if (!r) return;
        r.properties = { ...r.properties, firstname: `${String(body.firstname)} ${i}` };
        r.updatedAt = at;
      });
      return reply({ edited: ids.length });
    }
    if (url.pathname === '/contact') return reply(contacts.get(url.searchParams.get('id') ?? '') ?? null);
    res.writeHead(404).end();
  });
});
control.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
