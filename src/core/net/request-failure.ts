import { BlockedAddressError } from './blocked-address.js';

/**
 * Why an outbound request got no HTTP answer. An answer, whatever its status, is not a failure here: what a 410 or
 * a 429 means is the caller's policy.
 * - `blocked`: the SSRF guard refused the destination (policy, not an outage: trying again is refused again);
 * - `dns`: the host name does not resolve;
 * - `connect`: the connection was refused, or the host or its network is unreachable;
 * - `timeout`: no answer in time (connecting, waiting for the headers or the body, or the caller's deadline);
 * - `reset`: the peer reset or closed the connection before answering in full;
 * - `tls`: the TLS handshake failed (a certificate not trusted, expired or for another name);
 * - `aborted`: the caller cancelled the request;
 * - `network`: another failure of the connection or the exchange (an answer that is not HTTP…);
 * - `other`: not a network failure at all (a bug, or a refusal of our own such as a missing secret).
 */
export type RequestFailureKind =
  'blocked' | 'dns' | 'connect' | 'timeout' | 'reset' | 'tls' | 'aborted' | 'network' | 'other';

export type RequestFailure = {
  kind: RequestFailureKind;
  /**
   * The code of the error that tells what happened: Node's or undici's (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`,
   * `CERT_HAS_EXPIRED`), `destination_blocked` for the guard; undefined when it carries none (AbortSignal.timeout's
   * DOMException, a plain Error).
   */
  code: string | undefined;
  /** For people, naming the host: "api.example.com refused the connection." Never an address the guard refused. */
  message: string;
  /** That error's own text, as the library wrote it ("connect ECONNREFUSED 10.1.2.3:443"). */
  detail: string;
  /**
   * One technical line for attempt logs, whose wording they keep: "ECONNREFUSED: connect ECONNREFUSED 10.1.2.3:443",
   * "timed out after 300 ms", "connection closed: other side closed", "destination_blocked: …".
   */
  summary: string;
  /**
   * False when nothing of the request can have reached the server: the name did not resolve, the connection was
   * refused or timed out while opening, the guard or the TLS handshake refused it. True when it may have (a POST may
   * have been acted on), and whenever that is not known.
   */
  sent: boolean;
  /** The guard's refusal when `kind` is `blocked`: its range and the refused address, for logs. */
  blocked?: BlockedAddressError;
};

type ErrorLike = { name?: unknown; code?: unknown; message?: unknown; syscall?: unknown; cause?: unknown };

const CODE_KINDS: Readonly<Record<string, RequestFailureKind>> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ECONNREFUSED: 'connect',
  EHOSTUNREACH: 'connect',
  ENETUNREACH: 'connect',
  // undici's own timeouts, and the system's for a connection or a socket.
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  // undici's SocketError: the peer closed the connection ("other side closed").
  UND_ERR_SOCKET: 'reset',
  UND_ERR_ABORTED: 'aborted',
  // OpenSSL's handshake failures that carry no certificate code.
  EPROTO: 'tls',
};

/** Node's TLS errors and OpenSSL's certificate verification codes (X509_V_ERR_* without the prefix). */
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|INVALID_CA$|INVALID_PURPOSE$|PATH_LENGTH_EXCEEDED$)/;

/** Codes of the connection or the exchange with no kind of their own (errno codes, undici's, its HTTP parser's). */
const NETWORK_CODE = /^(E|UND_ERR_|HPE_)/;

function kindOf(error: ErrorLike): RequestFailureKind | undefined {
  // AbortSignal.timeout() and a caller's AbortController reject with a DOMException (numeric `code`), by name.
  if (error.name === 'TimeoutError') return 'timeout';
  if (error.name === 'AbortError') return 'aborted';
  if (typeof error.code !== 'string') return undefined;
  return CODE_KINDS[error.code] ?? (TLS_CODE.test(error.code) ? 'tls' : undefined);
}

/** The error, then its causes (undici's fetch wraps what happened in a TypeError), outermost first. */
function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e = error; typeof e === 'object' && e !== null && chain.length < 5; e = (e as ErrorLike).cause) {
    chain.push(e as ErrorLike);
  }
  return chain;
}

const textOf = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * Classify what a request through `createOutbound` (`send`, its dispatcher's `request`, or undici's `fetch` over
 * it) threw. The cause chain is read here once: the first error in it whose code or name says what happened is the
 * one reported; failing that, the first with a network code; failing that, the error itself (`other`). `url` names
 * the host in `message`; `timeoutMs` is quoted by a timeout's `summary`.
 *
 * @example
 * try {
 *   response = await outbound.send(req, { timeoutMs });
 * } catch (error) {
 *   const failure = classifyRequestError(error, { url: req.url, timeoutMs });
 *   if (failure.kind === 'blocked') return refuse(failure.message);
 *   if (failure.kind === 'timeout') return throttle(failure.summary);
 * }
 */
export function classifyRequestError(
  error: unknown,
  options: { url?: URL | string; timeoutMs?: number } = {},
): RequestFailure {
  // Never throws: it runs in catch blocks. A URL that does not parse only loses the host from the message.
  const url = options.url !== undefined && URL.canParse(String(options.url)) ? new URL(options.url) : undefined;
  const host = url?.host ?? 'the server';
  const chain = causeChain(error);
  const blocked = chain.find((e): e is BlockedAddressError => e instanceof BlockedAddressError);
  if (blocked) {
    // The guard's message names the range, not the address, so that a tenant may read it.
    const message = blocked.message;
    const summary = `${blocked.code}: ${message}`;
    return { kind: 'blocked', code: blocked.code, message, detail: message, summary, sent: false, blocked };
  }
  let kind: RequestFailureKind = 'other';
  let carrier = chain.find((e) => kindOf(e) !== undefined);
  if (carrier) kind = kindOf(carrier) as RequestFailureKind;
  else {
    carrier = chain.find(
      (e) => typeof e.code === 'string' && NETWORK_CODE.test(e.code) && e.code !== 'UND_ERR_INVALID_ARG',
    );
    if (carrier) kind = 'network';
  }
  carrier ??= chain[0];
  const code = typeof carrier?.code === 'string' ? carrier.code : undefined;
  const detail = carrier ? textOf(carrier.message) : String(error);
  return {
    kind,
    code,
    message: messageFor(kind, code, detail, url, host),
    detail,
    summary: summaryOf(kind, code, detail, carrier, options.timeoutMs),
    sent: wasSent(kind, code, carrier),
  };
}

function messageFor(
  kind: RequestFailureKind,
  code: string | undefined,
  detail: string,
  url: URL | undefined,
  host: string,
): string {
  switch (kind) {
    case 'dns':
      // The name is what does not resolve; a port has nothing to do with it.
      return `${url?.hostname ?? host} does not resolve.`;
    case 'connect':
      if (code === 'ECONNREFUSED') return `${host} refused the connection.`;
      break;
    case 'reset':
      return `${host} closed the connection.`;
    case 'timeout':
      return `${host} did not answer in time.`;
    case 'aborted':
      return `The request to ${host} was cancelled.`;
  }
  return `Could not reach ${host}: ${detail}`;
}

function summaryOf(
  kind: RequestFailureKind,
  code: string | undefined,
  detail: string,
  carrier: ErrorLike | undefined,
  timeoutMs: number | undefined,
): string {
  if (kind === 'timeout') return timeoutMs === undefined ? 'timed out' : `timed out after ${timeoutMs} ms`;
  if (code === 'UND_ERR_SOCKET') return `connection closed: ${detail}`.trim();
  if (!carrier) return detail;
  const label = code ?? (typeof carrier.name === 'string' ? carrier.name : 'error');
  return `${label}: ${detail}`.trim();
}

function wasSent(kind: RequestFailureKind, code: string | undefined, carrier: ErrorLike | undefined): boolean {
  switch (kind) {
    // A failed TLS handshake too: the request was never written.
    case 'blocked':
    case 'dns':
    case 'connect':
    case 'tls':
      return false;
    case 'timeout':
      // undici's connect timeout, or the system's on connect(2); any other timeout may follow a sent request.
      return !(code === 'UND_ERR_CONNECT_TIMEOUT' || carrier?.syscall === 'connect');
    default:
      return true;
  }
}
