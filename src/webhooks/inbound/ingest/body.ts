import type { IncomingMessage } from 'node:http';

export type BodyFailure = { failure: 'too_large' | 'timeout' | 'aborted' };

/**
 * Read a request body into one buffer, up to `limit` bytes and within `timeoutMs` for the whole body — a sender
 * trickling bytes (slow loris) is cut off instead of holding a socket and memory. A declared `Content-Length` over
 * the limit fails before anything is read.
 */
export function readBody(
  req: IncomingMessage,
  opts: { limit: number; timeoutMs: number },
): Promise<Buffer | BodyFailure> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > opts.limit) return Promise.resolve({ failure: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Buffer | BodyFailure) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      // Whatever the sender still has to say is not read: pause so it stops filling memory; the reply closes it.
      if (!Buffer.isBuffer(result)) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > opts.limit) return finish({ failure: 'too_large' });
      chunks.push(chunk);
    };
    const onEnd = () => finish(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    const onError = () => finish({ failure: 'aborted' });
    const onAborted = () => finish({ failure: 'aborted' });
    // A timer that fires after the event loop was held up (a busy process) runs before the loop reads the sockets:
    // bytes that arrived in time would still be waiting in the kernel. The timeout waits for that read (setImmediate
    // runs after it), so it cuts off a slow sender, never a sender this process was slow to read.
    const timer = setTimeout(() => setImmediate(() => finish({ failure: 'timeout' })), opts.timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** `type/subtype` of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}

/** Whether `type` is one of the accepted media ranges (`*` matches any type or subtype, `*+json` any JSON subtype). */
export function acceptsMediaType(accepted: readonly string[], type: string): boolean {
  const [main, sub] = type.split('/');
  if (!main || !sub) return false;
  return accepted.some((range) => {
    const [m, s] = range.split('/');
    const subMatches = s === '*' || s === sub || (s?.startsWith('*+') === true && sub.endsWith(s.slice(1)));
    return (m === '*' || m === main) && subMatches;
  });
}

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * The JSON document a form body carries as its only field, `payload` — how GitHub delivers with the
 * `application/x-www-form-urlencoded` content type, and how Slack posts interactivity payloads — or undefined.
 * https://docs.github.com/en/webhooks/using-webhooks/creating-webhooks#content-type
 */
export function formPayloadJson(text: string): unknown {
  const fields = new URLSearchParams(text);
  const payload = fields.get('payload');
  if (payload === null || [...fields.keys()].length !== 1) return undefined;
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return undefined;
  }
}
