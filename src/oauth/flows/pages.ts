import { createHash } from 'node:crypto';

/**
 * The pages a browser lands on at the end of an authorization flow: small, self-contained HTML (no external
 * assets, every value escaped), sent with `Cache-Control: no-store` and a CSP that allows only this page's own
 * style and script (by hash). When the flow was opened as a popup, the script tells the opener how it ended
 * (`postMessage` to Switchyard's own origin only) and, on success, closes the window.
 */

export type PageMessage = {
  type: 'switchyard.oauth';
  status: 'connected' | 'error';
  flow_id?: string;
  connection_id?: string;
  code?: string;
};

export type Page = { status: number; html: string; headers: Record<string, string> };

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}' +
  'h1{font-size:1.4rem}code{background:#eef1f4;padding:.1rem .3rem;border-radius:4px}.muted{color:#57606a}';

// Reads the result from the inert JSON block below it, so the script itself never changes and its hash can be
// pinned in the CSP.
const SCRIPT =
  '(function(){var d=JSON.parse(document.getElementById("oauth-result").textContent);' +
  'if(window.opener&&!window.opener.closed){window.opener.postMessage(d.message,d.origin);' +
  'if(d.message.status==="connected")window.close();}})();';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const CSP = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const pageHeaders: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': CSP,
  'referrer-policy': 'no-referrer',
};

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** JSON safe inside a script element: nothing in it can close the element or open a comment. */
const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function render(p: {
  status: number;
  title: string;
  paragraphs: string[];
  message: PageMessage;
  origin: string;
  link?: { href: string; text: string };
}): Page {
  const body =
    `<main><h1>${escapeHtml(p.title)}</h1>` +
    p.paragraphs.map((text) => `<p>${text}</p>`).join('') +
    (p.link ? `<p><a href="${escapeHtml(p.link.href)}">${escapeHtml(p.link.text)}</a></p>` : '') +
    '</main>' +
    `<script type="application/json" id="oauth-result">${scriptJson({ message: p.message, origin: p.origin })}</script>` +
    `<script>${SCRIPT}</script>`;
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${escapeHtml(p.title)} · Switchyard</title><style>${STYLE}</style></head><body>${body}</body></html>`;
  return { status: p.status, html, headers: pageHeaders };
}

export function successPage(p: {
  origin: string;
  title: string;
  flowId: string;
  connectionId: string;
  returnTo?: string | null;
}): Page {
  return render({
    status: 200,
    title: p.title,
    paragraphs: ['<span class="muted">You can close this window and go back to Switchyard.</span>'],
    message: { type: 'switchyard.oauth', status: 'connected', flow_id: p.flowId, connection_id: p.connectionId },
    origin: p.origin,
    ...(p.returnTo ? { link: { href: p.returnTo, text: 'Back to Switchyard' } } : {}),
  });
}

export function errorPage(p: {
  origin: string;
  status: number;
  title: string;
  detail: string;
  code: string;
  flowId?: string;
  returnTo?: string | null;
}): Page {
  return render({
    status: p.status,
    title: p.title,
    paragraphs: [
      escapeHtml(p.detail),
      `<span class="muted">Error code: <code>${escapeHtml(p.code)}</code>. Nothing was saved.</span>`,
    ],
    message: {
      type: 'switchyard.oauth',
      status: 'error',
      code: p.code,
      ...(p.flowId ? { flow_id: p.flowId } : {}),
    },
    origin: p.origin,
    ...(p.returnTo ? { link: { href: p.returnTo, text: 'Back to Switchyard' } } : {}),
  });
}
