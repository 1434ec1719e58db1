import { startFakeServer, type FakeReply, type FakeRequest } from './server.js';

// Stripe API v1, as documented:
// - lists: GET /v1/{resource}?limit (1..100, default 10)&starting_after=<id> -> {object: "list", url, has_more, data},
//   newest first; https://docs.stripe.com/api/pagination
// - events: GET /v1/events?created[gte]=<unix> (the last 30 days); https://docs.stripe.com/api/events/list
// - writes: form-encoded POST /v1/customers (create) and /v1/customers/{id} (update); Idempotency-Key replays the
//   first answer for the same key; https://docs.stripe.com/api/idempotent_requests
// - errors {error: {type, code, message, param}}; 429 code rate_limit; Stripe-Should-Retry says whether a retry may
//   succeed; https://docs.stripe.com/rate-limits, https://docs.stripe.com/api/errors

export type StripeObject = { id: string; object: string; created: number; [k: string]: unknown };

export const STRIPE_LISTS: Record<string, string> = {
  charges: 'ch',
  payment_intents: 'pi',
  customers: 'cus',
  invoices: 'in',
  subscriptions: 'sub',
  products: 'prod',
  prices: 'price',
  balance_transactions: 'txn',
  payouts: 'po',
  refunds: 're',
  disputes: 'dp',
  events: 'evt',
};

export async function startStripeFake() {
  const lists = new Map<string, StripeObject[]>(Object.keys(STRIPE_LISTS).map((k) => [k, []]));
  const replays = new Map<string, FakeReply>();
  let n = 0;
  const error = (status: number, message: string, extra: Record<string, string> = {}): FakeReply => ({
    status,
    json: { error: { type: 'invalid_request_error', message, ...extra } },
  });

  function handle(req: FakeRequest): FakeReply {
    const m = /^\/v1\/([a-z_]+)(?:\/([A-Za-z0-9_]+))?$/.exec(req.path);
    const items = m ? lists.get(m[1] as string) : undefined;
    if (!m || !items) return error(404, `Unrecognized request URL (${req.method}: ${req.path})`);
    if (req.headers.authorization !== 'Bearer sk_test_sync') return error(401, 'Invalid API Key provided');
    if (req.method === 'GET' && !m[2]) return list(m[1] as string, items, req.query);
    if (req.method === 'POST') {
      const key = req.headers['idempotency-key'] as string | undefined;
      const replay = key ? replays.get(key) : undefined;
      if (replay) return { ...replay, headers: { ...replay.headers, 'idempotent-replayed': 'true' } };
      const reply = write(m[1] as string, items, m[2], new URLSearchParams(req.body.toString()));
      if (key) replays.set(key, reply);
      return reply;
    }
    return error(405, 'Method not allowed');
  }

  function list(name: string, items: StripeObject[], q: URLSearchParams): FakeReply {
    const limit = Number(q.get('limit') ?? 10);
    if (!(limit >= 1 && limit <= 100))
      return error(400, 'Invalid integer: limit must be between 1 and 100', { param: 'limit' });
    // Newest first: created descending, then id descending.
    let rows = [...items].sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const gte = q.get('created[gte]');
    if (gte !== null) rows = rows.filter((r) => r.created >= Number(gte));
    const after = q.get('starting_after');
    if (after) {
      const i = rows.findIndex((r) => r.id === after);
      if (i < 0) return error(400, `No such object: '${after}'`, { param: 'starting_after' });
      rows = rows.slice(i + 1);
    }
    return { json: { object: 'list', url: `/v1/${name}`, has_more: rows.length > limit, data: rows.slice(0, limit) } };
  }

  function write(name: string, items: StripeObject[], id: string | undefined, form: URLSearchParams): FakeReply {
    const fields = Object.fromEntries(form);
    if (fields.email !== undefined && !fields.email.includes('@'))
      return error(400, 'Invalid email address: ' + fields.email, { param: 'email', code: 'email_invalid' });
    if (id) {
      const existing = items.find((r) => r.id === id);
      if (!existing) return error(404, `No such ${name.slice(0, -1)}: '${id}'`, { code: 'resource_missing' });
      Object.assign(existing, fields);
      return { json: existing };
    }
    const created: StripeObject = {
      id: `${STRIPE_LISTS[name]}_${String(++n).padStart(6, '0')}`,
      object: name.slice(0, -1),
      created: Math.floor(Date.now() / 1000),
      ...fields,
    };
    items.push(created);
    return { json: created };
  }

  const server = await startFakeServer(handle);
  return {
    ...server,
    lists,
    /** `count` objects of a list, created one second apart from `from` (epoch seconds). */
    seed(name: string, count: number, from: number) {
      for (let i = 0; i < count; i++) {
        const id = `${STRIPE_LISTS[name]}_${String(++n).padStart(6, '0')}`;
        lists.get(name)?.push({ id, object: name.slice(0, -1), created: from + i });
      }
    },
    rateLimit: (): FakeReply => ({
      status: 429,
      headers: { 'stripe-should-retry': 'true' },
      json: {
        error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests. Try again later.' },
      },
    }),
  };
}
