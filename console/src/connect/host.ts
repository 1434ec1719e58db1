/**
 * The page that embeds the Connect UI (the product's own page) and the messages it gets. Messages go only to the
 * origin named in the page's URL, which the server checked against the session's allowed origins before serving
 * this page (and pinned with `frame-ancestors`): never to "*", so no other page can read a connection id.
 */

export type HostMessage =
  | { type: 'ready' }
  | { type: 'connected'; connection_id: string; connector: string }
  | { type: 'error'; error: { code: string; message: string; reason?: string } }
  | { type: 'closed' };

export const MESSAGE_SOURCE = 'switchyard-connect';

export type Host = {
  /** The embedding page's origin, or null when the page was opened on its own (a link in a tab). */
  origin: string | null;
  /** How the page is shown: in the product's iframe, in a popup it opened, or on its own. */
  mode: 'iframe' | 'popup' | 'page';
  post(message: HostMessage): void;
  /** The end user is done: tell the host, and close the window when it is a popup. */
  close(): void;
};

/** An origin as `URL` spells it (`scheme://host[:port]`), or null for anything else. */
export function parseOrigin(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.origin !== 'null' && url.origin === value.replace(/\/$/, '') ? url.origin : null;
  } catch {
    return null;
  }
}

export function createHost(origin: string | null): Host {
  const framed = window.parent !== window;
  const opener = window.opener as Window | null;
  const target: Window | null = framed ? window.parent : opener && !opener.closed ? opener : null;
  const mode = framed ? 'iframe' : opener ? 'popup' : 'page';
  const post = (message: HostMessage) => {
    if (!target || !origin) return;
    try {
      target.postMessage({ source: MESSAGE_SOURCE, ...message }, origin);
    } catch {
      // The opener navigated away or closed: nobody is listening any more.
    }
  };
  return {
    origin,
    mode,
    post,
    close() {
      post({ type: 'closed' });
      if (mode === 'popup') window.close();
    },
  };
}
