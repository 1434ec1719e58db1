import { randomBytes } from 'node:crypto';
import { jsonOf, startFakeServer, type FakeReply, type FakeRequest } from './server.js';

/**
 * Fakes of SendGrid's v3 Mail Send (POST /v3/mail/send) and Brevo's transactional email (POST /v3/smtp/email), as
 * their manifests' comments document them (connectors/sendgrid.yaml, connectors/brevo.yaml):
 * - SendGrid: a bearer API key; 202 with no body and the id in X-Message-Id; errors {"errors": [{message, field,
 *   help}]}, 400 for a message without personalizations, recipients, subject or content, or with an address
 *   repeated across to, cc and bcc; 429 {"errors": [{"field": null, "message": "too many requests"}]} with
 *   X-RateLimit-Limit / -Remaining / -Reset (epoch seconds).
 * - Brevo: the api-key header; 201 {"messageId": "<…>"}; errors {code, message}; 429 with x-sib-ratelimit-limit /
 *   -remaining / -reset (seconds until the reset).
 * Messages accepted are kept in `sent`, so a test counts what really went out. Wording marked "unconfirmed" below is
 * the fake's own where the vendor's is not documented.
 */

export type MailVendor = 'sendgrid' | 'brevo';

export type SentMessage = {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text?: string;
  html?: string;
  reply_to?: string;
};

type Json = Record<string, unknown>;
type Problem = { status: number; message: string; field?: string | null; code?: string };

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const addresses = (list: unknown): string[] | undefined =>
  Array.isArray(list) && list.every((r) => !!r && typeof (r as Json).email === 'string')
    ? list.map((r) => (r as { email: string }).email)
    : undefined;

const sgError = (p: Problem): FakeReply => ({
  status: p.status,
  json: { errors: [{ message: p.message, field: p.field ?? null, help: null }] },
});

const brevoError = (p: Problem): FakeReply => ({
  status: p.status,
  json: { code: p.code ?? 'invalid_parameter', message: p.message },
});

/** SendGrid's reading of a mail send body: the message, or the first problem (errors page wording). */
function sendgridMessage(body: Json): SentMessage | Problem {
  const personalizations = body.personalizations as Json[] | undefined;
  if (!Array.isArray(personalizations) || personalizations.length === 0)
    return { status: 400, message: 'You must have at least one personalization.', field: 'personalizations' };
  const p = personalizations[0] as Json;
  const to = addresses(p.to);
  if (!to?.length || !to.every((a) => EMAIL.test(a)))
    return {
      status: 400,
      message:
        'Each to object must at least have an email address and may also contain a name. e.g. {"email": "example@example.com"} or {"email": "example@example.com", "name": "Example Recipient"}',
      field: 'personalizations.0.to',
    };
  const cc = p.cc === undefined ? [] : addresses(p.cc);
  const bcc = p.bcc === undefined ? [] : addresses(p.bcc);
  if (!cc || !bcc) return { status: 400, message: 'Does not contain a valid address.', field: 'personalizations.0' };
  const seen = new Set<string>();
  for (const [list, name] of [
    [to, 'to'],
    [cc, 'cc'],
    [bcc, 'bcc'],
  ] as const) {
    for (const a of list) {
      if (seen.has(a))
        return {
          status: 400,
          message: `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${a}] in the personalizations.0.${name} field.`,
          field: 'personalizations.0',
        };
      seen.add(a);
    }
  }
  const from = (body.from as Json | undefined)?.email;
  // Wording unconfirmed.
  if (typeof from !== 'string' || !EMAIL.test(from))
    return { status: 400, message: 'The from object must be provided for every email send.', field: 'from.email' };
  if (typeof body.subject !== 'string' || body.subject === '')
    return {
      status: 400,
      message:
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
      field: 'subject',
    };
  const content = body.content as { type?: unknown; value?: unknown }[] | undefined;
  if (!Array.isArray(content) || content.length === 0)
    return {
      status: 400,
      message:
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
      field: 'content',
    };
  const empty = content.findIndex((c) => typeof c.value !== 'string' || c.value === '');
  if (empty >= 0)
    return {
      status: 400,
      message: 'The content value must be a string at least one character in length.',
      field: `content.${empty}.value`,
    };
  const byType = (type: string) => content.find((c) => c.type === type)?.value as string | undefined;
  const replyTo = (body.reply_to as Json | undefined)?.email as string | undefined;
  return {
    // X-Message-Id: 22 URL-safe base64 characters, as SendGrid's look.
    id: randomBytes(16).toString('base64url').slice(0, 22),
    from,
    to,
    cc,
    bcc,
    subject: body.subject,
    ...(byType('text/plain') ? { text: byType('text/plain') } : {}),
    ...(byType('text/html') ? { html: byType('text/html') } : {}),
    ...(replyTo ? { reply_to: replyTo } : {}),
  };
}

/** Brevo's reading of a transactional email body: the message, or the first problem. */
function brevoMessage(body: Json): SentMessage | Problem {
  const sender = (body.sender as Json | undefined)?.email;
  // Wordings of the missing and invalid parameters below are unconfirmed, except the body's.
  if (typeof sender !== 'string') return { status: 400, code: 'missing_parameter', message: 'sender is missing' };
  const to = addresses(body.to);
  if (!to?.length) return { status: 400, code: 'missing_parameter', message: 'to is missing' };
  const cc = body.cc === undefined ? [] : addresses(body.cc);
  const bcc = body.bcc === undefined ? [] : addresses(body.bcc);
  if (!cc || !bcc || ![sender, ...to, ...cc, ...bcc].every((a) => EMAIL.test(a)))
    return { status: 400, code: 'invalid_parameter', message: 'email is not valid' };
  if (typeof body.subject !== 'string' || body.subject === '')
    return { status: 400, code: 'missing_parameter', message: 'subject is missing' };
  const text = typeof body.textContent === 'string' && body.textContent ? body.textContent : undefined;
  const html = typeof body.htmlContent === 'string' && body.htmlContent ? body.htmlContent : undefined;
  // https://github.com/getbrevo/brevo-ruby/issues/8
  if (!text && !html)
    return { status: 400, code: 'missing_parameter', message: 'Either of htmlContent or textContent is required' };
  const replyTo = (body.replyTo as Json | undefined)?.email as string | undefined;
  return {
    id: `<${new Date().toISOString().replace(/\D/g, '').slice(0, 12)}.${randomBytes(6).toString('hex')}@smtp-relay.mailin.fr>`,
    from: sender,
    to,
    cc,
    bcc,
    subject: body.subject,
    ...(text ? { text } : {}),
    ...(html ? { html } : {}),
    ...(replyTo ? { reply_to: replyTo } : {}),
  };
}

const isProblem = (m: SentMessage | Problem): m is Problem => 'status' in m;

export const mailPath: Record<MailVendor, string> = { sendgrid: '/v3/mail/send', brevo: '/v3/smtp/email' };

/** The vendor's rate-limit answer, its window resetting in `resetSeconds`. */
export function mailRateLimited(vendor: MailVendor, resetSeconds: number, now = Date.now()): FakeReply {
  if (vendor === 'sendgrid')
    return {
      ...sgError({ status: 429, message: 'too many requests' }),
      headers: {
        'x-ratelimit-limit': '600',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(now / 1000) + resetSeconds),
      },
    };
  return {
    // The 429 body's wording is unconfirmed.
    ...brevoError({ status: 429, code: 'too_many_requests', message: 'The expected rate limit is exceeded.' }),
    headers: {
      'x-sib-ratelimit-limit': '1000',
      'x-sib-ratelimit-remaining': '0',
      'x-sib-ratelimit-reset': String(resetSeconds),
    },
  };
}

/** Start a mail vendor's fake on loopback; `apiKey` is the key it accepts. */
export async function startMailFake(vendor: MailVendor, options: { apiKey: string }) {
  const sent: SentMessage[] = [];
  let withoutId = 0;
  const handler = (req: FakeRequest): FakeReply => {
    if (req.method !== 'POST' || req.path !== mailPath[vendor]) return { status: 404, json: { errors: [] } };
    if (vendor === 'sendgrid' && req.headers.authorization !== `Bearer ${options.apiKey}`)
      return sgError({ status: 401, message: 'The provided authorization grant is invalid, expired, or revoked' });
    // Brevo's invalid-key wording is unconfirmed.
    if (vendor === 'brevo' && req.headers['api-key'] !== options.apiKey)
      return brevoError({ status: 401, code: 'unauthorized', message: 'Key not found' });
    let body: Json | undefined;
    try {
      body = jsonOf(req);
    } catch {
      body = undefined;
    }
    // Wording unconfirmed.
    if (!body) {
      const problem = { status: 400, message: 'The request body is not valid JSON', code: 'bad_request' };
      return vendor === 'sendgrid' ? sgError(problem) : brevoError(problem);
    }
    const message = vendor === 'sendgrid' ? sendgridMessage(body) : brevoMessage(body);
    if (isProblem(message)) return vendor === 'sendgrid' ? sgError(message) : brevoError(message);
    sent.push(message);
    if (withoutId > 0) {
      withoutId--;
      return vendor === 'sendgrid' ? { status: 202 } : { status: 201, json: {} };
    }
    return vendor === 'sendgrid'
      ? { status: 202, headers: { 'x-message-id': message.id } }
      : { status: 201, json: { messageId: message.id } };
  };
  const server = await startFakeServer(handler);
  const sends = (req: FakeRequest) => req.path === mailPath[vendor];
  return {
    vendor,
    url: server.url,
    requests: server.requests,
    /** Messages the vendor accepted, in order. */
    sent,
    /** Mail send requests received (accepted or not). */
    calls: () => server.requests.filter(sends).length,
    /** The next send is rate-limited, the window resetting in `resetSeconds`. */
    rateLimitNext(resetSeconds = 60) {
      server.inject({ match: sends, reply: mailRateLimited(vendor, resetSeconds) });
    },
    /** The next send is read and never answered (the socket is held until the fake stops or `clearFaults`). */
    stallNext() {
      server.inject({ match: sends, stall: true });
    },
    /** The next send answers `status` with the vendor's error body, the message not accepted. */
    failNext(status = 500) {
      const problem = { status, message: 'Internal server error', code: 'internal_error' };
      server.inject({ match: sends, reply: vendor === 'sendgrid' ? sgError(problem) : brevoError(problem) });
    },
    /** The next send is accepted (kept in `sent`) but answered without its id: a 2xx that cannot be read. */
    acceptWithoutIdNext() {
      withoutId++;
    },
    clearFaults: server.clearFaults,
    close: server.close,
  };
}

export type MailFake = Awaited<ReturnType<typeof startMailFake>>;
