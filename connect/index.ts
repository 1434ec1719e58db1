/**
 * `@switchyard/connect`: open Switchyard's hosted Connect UI from a product's web page, in a popup or an iframe, and
 * learn how it ended. The product's backend creates a connect session (`POST /v1/connect/sessions` with this page's
 * origin in `allowed_origins`) and hands its `url` to the page; the end user picks an app and connects their account;
 * the promise resolves with the new connection's id, or rejects with a `ConnectError` saying why not.
 *
 * Messages are accepted only from the Connect UI's own origin and window, and the Connect UI sends them only to the
 * origin this page has (which the session must allow): a connection id never reaches another page.
 */

/** Why `openConnect` rejected. */
export type ConnectErrorReason =
  /** The end user closed the window or the frame (or `signal` aborted) before connecting. */
  | 'closed'
  /** The session cannot be used: expired, already used or unknown. Create a new one. */
  | 'session_invalid'
  /** The browser blocked the popup, or the Connect UI refused this page (origin not allowed) or did not load. */
  | 'blocked'
  /** Anything else the Connect UI reported. */
  | 'error';

export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  constructor(
    readonly reason: ConnectErrorReason,
    /** A stable code: `popup_blocked`, `not_loaded`, `aborted`, `closed`, or the server's (`connect_session_invalid`). */
    readonly code: string,
    message: string,
    /** For `session_invalid`: `expired`, `used` or `unknown`, when the server said. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** What the Connect UI reports, as it happens. */
export type ConnectEvent =
  | { type: 'ready' }
  | { type: 'connected'; connectionId: string; connector: string }
  | { type: 'error'; code: string; message: string; reason?: string }
  | { type: 'closed' };

export type OpenConnectOptions = {
  /** The session's `url` as the API answered it (`…/connect?session=…`). */
  url: string;
  /** `iframe` when a `container` is given, else `popup`. */
  mode?: 'popup' | 'iframe';
  /** Iframe mode: the element the frame fills (it is sized 100% × 100% of it). */
  container?: HTMLElement;
  /** Every event of the Connect UI, as it happens (the promise settles once; this sees all of them). */
  onEvent?: (event: ConnectEvent) => void;
  /** Abort to close the Connect UI from the product's side; the promise then rejects with reason `closed`. */
  signal?: AbortSignal;
  /** How long a loaded frame may take to say it is ready before the page counts as refused (`blocked`). */
  readyTimeoutMs?: number;
};

export type ConnectResult = { connectionId: string; connector: string };

const SOURCE = 'switchyard-connect';
const POPUP = { width: 520, height: 720 };

/**
 * Open the Connect UI and wait for the end user. In popup mode, call it from the click handler itself, or the
 * browser blocks the window. The UI stays open after success until the end user closes it (it shows what was
 * connected); the promise resolves as soon as the connection exists.
 *
 * @example
 * ```ts
 * import { openConnect, ConnectError } from '@switchyard/connect';
 *
 * button.addEventListener('click', async () => {
 *   const { url } = await fetch('/api/switchyard-session', { method: 'POST' }).then((r) => r.json());
 *   try {
 *     const { connectionId } = await openConnect({ url, mode: 'iframe', container: dialog });
 *     await saveConnection(connectionId);
 *   } catch (error) {
 *     if (error instanceof ConnectError && error.reason !== 'closed') showError(error.message);
 *   }
 * });
 * ```
 */
export function openConnect(options: OpenConnectOptions): Promise<ConnectResult> {
  const mode = options.mode ?? (options.container ? 'iframe' : 'popup');
  const url = new URL(options.url, window.location.href);
  url.searchParams.set('origin', window.location.origin);
  const uiOrigin = url.origin;

  return new Promise<ConnectResult>((resolve, reject) => {
    let settled = false;
    let target: Window | null = null;
    const frame = mode === 'iframe' ? document.createElement('iframe') : undefined;
    let ready = false;
    let closedPoll: ReturnType<typeof setInterval> | undefined;
    const timers: ReturnType<typeof setTimeout>[] = [];

    const emit = (event: ConnectEvent) => {
      try {
        options.onEvent?.(event);
      } catch {
        // A failing listener must not stop the Connect UI's own bookkeeping.
      }
    };
    const settle = (outcome: { result: ConnectResult } | { error: ConnectError }) => {
      if (settled) return;
      settled = true;
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    const cleanUp = () => {
      window.removeEventListener('message', onMessage);
      options.signal?.removeEventListener('abort', onAbort);
      timers.forEach(clearTimeout);
      clearInterval(closedPoll);
      frame?.remove();
      if (mode === 'popup' && target && !target.closed) target.close();
    };
    const fail = (reason: ConnectErrorReason, code: string, message: string, detail?: string) => {
      settle({ error: new ConnectError(reason, code, message, detail) });
    };

    const onMessage = (event: MessageEvent) => {
      if (event.origin !== uiOrigin || !target || event.source !== target) return;
      const data = event.data as Record<string, unknown> | null;
      if (!data || data.source !== SOURCE || typeof data.type !== 'string') return;
      if (data.type === 'ready') {
        ready = true;
        emit({ type: 'ready' });
      } else if (data.type === 'connected' && typeof data.connection_id === 'string') {
        const result = { connectionId: data.connection_id, connector: String(data.connector ?? '') };
        emit({ type: 'connected', ...result });
        settle({ result });
      } else if (data.type === 'error') {
        const error = (data.error ?? {}) as { code?: unknown; message?: unknown; reason?: unknown };
        const code = typeof error.code === 'string' ? error.code : 'error';
        const message = typeof error.message === 'string' ? error.message : 'The Connect UI reported an error.';
        const reason = typeof error.reason === 'string' ? error.reason : undefined;
        emit({ type: 'error', code, message, ...(reason ? { reason } : {}) });
        fail(code === 'connect_session_invalid' ? 'session_invalid' : 'error', code, message, reason);
      } else if (data.type === 'closed') {
        emit({ type: 'closed' });
        fail('closed', 'closed', 'The Connect UI was closed before an account was connected.');
        cleanUp();
      }
    };

    const onAbort = () => {
      fail('closed', 'aborted', 'The Connect UI was closed by the page.');
      cleanUp();
    };

    if (options.signal?.aborted) {
      fail('closed', 'aborted', 'The Connect UI was closed by the page.');
      return;
    }
    window.addEventListener('message', onMessage);
    options.signal?.addEventListener('abort', onAbort);

    if (mode === 'popup') {
      const left = Math.max(0, window.screenX + (window.outerWidth - POPUP.width) / 2);
      const top = Math.max(0, window.screenY + (window.outerHeight - POPUP.height) / 2);
      target = window.open(
        url.href,
        'switchyard-connect',
        `popup,width=${POPUP.width},height=${POPUP.height},left=${Math.round(left)},top=${Math.round(top)}`,
      );
      if (!target) {
        fail('blocked', 'popup_blocked', 'The browser blocked the Connect UI window: open it from a click.');
        cleanUp();
        return;
      }
      // A message sent just before the window closed can arrive after the close is visible: give it a moment.
      closedPoll = setInterval(() => {
        if (!target?.closed) return;
        clearInterval(closedPoll);
        timers.push(
          setTimeout(() => {
            if (!settled) emit({ type: 'closed' });
            fail('closed', 'closed', 'The Connect UI window was closed before an account was connected.');
            cleanUp();
          }, 500),
        );
      }, 300);
      return;
    }

    const container = options.container;
    if (!container || !frame) {
      fail('error', 'no_container', 'Iframe mode needs a container element.');
      cleanUp();
      return;
    }
    frame.src = url.href;
    frame.title = 'Connect an account';
    frame.style.width = '100%';
    frame.style.height = '100%';
    frame.style.border = '0';
    frame.style.display = 'block';
    // A page the browser refused to frame (frame-ancestors: this origin is not allowed) or an error page still fires
    // `load`, but never says `ready`.
    frame.addEventListener('load', () => {
      timers.push(
        setTimeout(() => {
          if (ready || settled) return;
          fail(
            'blocked',
            'not_loaded',
            'The Connect UI did not load in the frame: this page’s origin may not be one of the session’s allowed origins.',
          );
          cleanUp();
        }, options.readyTimeoutMs ?? 5000),
      );
    });
    container.appendChild(frame);
    target = frame.contentWindow;
  });
}
