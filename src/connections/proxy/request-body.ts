import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../core/errors.js';

/**
 * The caller's request body on its way to the vendor: none, held in memory (so that it can be sent again on a
 * retry, or signed), or streamed through as it arrives (a large body: never held whole, never retried).
 */
export type ProxyBody =
  | { kind: 'none'; bytes: () => number }
  | { kind: 'buffer'; data: Buffer; bytes: () => number }
  | { kind: 'stream'; data: AsyncIterable<Buffer>; bytes: () => number };

const none: ProxyBody = { kind: 'none', bytes: () => 0 };

/** Raised while streaming when the body grows past the limit (no Content-Length announced it). */
export class BodyTooLargeError extends ApiError {
  constructor(limit: number) {
    super('body_too_large', `Proxied request bodies are limited to ${limit} bytes (SWITCHYARD_PROXY_BODY_LIMIT).`);
  }
}

function hasBody(req: IncomingMessage): boolean {
  if (req.method === 'HEAD') return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Read the body as far as needed: up to `bufferUpTo` bytes are held in memory (all of it when it fits); past that
 * the bytes already read and the rest of the stream are passed on, counted and held to `limit`.
 */
export async function readRequestBody(
  req: IncomingMessage,
  options: { limit: number; bufferUpTo: number },
): Promise<ProxyBody> {
  if (!hasBody(req)) {
    // Nothing to read; make sure a stray chunk does not keep the socket waiting.
    req.resume();
    return none;
  }
  const { limit } = options;
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > limit) throw new BodyTooLargeError(limit);
  const iterator = (req as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let size = 0;
  // A declared length over the buffer size goes straight to streaming: no point reading a megabyte first.
  if (declared === undefined || declared <= options.bufferUpTo) {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        const data = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held, size);
        return { kind: 'buffer', data, bytes: () => data.length };
      }
      held.push(next.value);
      size += next.value.length;
      if (size > limit) throw new BodyTooLargeError(limit);
      if (size > options.bufferUpTo) break;
    }
  }
  let sent = 0;
  async function* stream(): AsyncGenerator<Buffer> {
    for (const chunk of held.splice(0)) {
      sent += chunk.length;
      yield chunk;
    }
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      sent += next.value.length;
      if (sent > limit) throw new BodyTooLargeError(limit);
      yield next.value;
    }
  }
  return { kind: 'stream', data: stream(), bytes: () => sent };
}
