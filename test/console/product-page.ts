import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations, contextDefaults, screenshotDir, UNLABELLED_CONTROLS } from './harness.js';

/**
 * A product's web page on its own origin (a loopback port of its own), embedding the Connect UI with the built
 * `@switchyard/connect` module as a product would: a button that calls `openConnect` with a session URL its
 * backend made (here: the test, passed in the page's query), and the outcome written into the page.
 */
export type ProductSite = { origin: string; close(): Promise<void> };

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32"><rect width="120" height="32" fill="#5b3cc4"/><text x="8" y="22" fill="#fff" font-size="16">Acme CRM</text></svg>`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme CRM</title><link rel="icon" href="data:,"></head>
<body><main>
<h1>Acme CRM</h1>
<button type="button" id="connect">Connect an app</button>
<p id="result" role="status"></p>
<div id="connect-frame" style="width: 480px; height: 680px"></div>
</main>
<script type="module">
import { openConnect } from '/connect.js';
const params = new URLSearchParams(location.search);
const result = document.getElementById('result');
window.connectEvents = [];
document.getElementById('connect').addEventListener('click', () => {
  const mode = params.get('mode') ?? 'iframe';
  openConnect({
    url: params.get('url'),
    mode,
    ...(mode === 'iframe' ? { container: document.getElementById('connect-frame') } : {}),
    readyTimeoutMs: 3000,
    onEvent: (e) => window.connectEvents.push(e.type),
  }).then(
    (r) => { result.textContent = 'connected ' + r.connectionId + ' ' + r.connector; },
    (e) => { result.textContent = 'rejected ' + e.reason + ' ' + e.code; },
  );
});
</script>
</body></html>`;

/** Serve the product page, the built package module at /connect.js and a logo at /logo.svg. */
export async function startProductSite(moduleFile: string): Promise<ProductSite> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/connect.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(moduleFile));
    } else if (path === '/logo.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(LOGO);
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type EmbeddedConnect = {
  page: Page;
  /** The Connect UI inside the product page's iframe. */
  ui: FrameLocator;
  /** The same frame, for evaluating in it. */
  frame(): Promise<Frame>;
  /** What the product page's promise ended with ('' while pending). */
  result(): Promise<string>;
  /** The event types `onEvent` saw, in order. */
  events(): Promise<string[]>;
  /** Screenshot the product page and check the Connect UI's frame with axe-core and for unlabelled controls. */
  check(name: string): Promise<void>;
  allowErrors(pattern: RegExp): void;
  /** Assert no page error, console error or accessibility problem was seen, then close. */
  close(): Promise<void>;
};

/**
 * The product page in a fresh browser context with `sessionUrl`, its Connect button already pressed. Console errors
 * the scenario provokes from the start (a refused session's 401) are allowed with `allowErrors`.
 */
export async function openProductPage(
  browser: Browser,
  site: ProductSite,
  sessionUrl: string,
  options: { mode?: 'popup' | 'iframe'; allowErrors?: RegExp } = {},
): Promise<EmbeddedConnect> {
  const context = await browser.newContext({ ...contextDefaults, viewport: { width: 1024, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  const allowed: RegExp[] = options.allowErrors ? [options.allowErrors] : [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !allowed.some((a) => a.test(text))) errors.push(`console error: ${text}`);
  });
  const query = new URLSearchParams({ url: sessionUrl, ...(options.mode ? { mode: options.mode } : {}) });
  await page.goto(`${site.origin}/?${query}`);
  await page.getByRole('button', { name: 'Connect an app' }).click();
  const frame = async (): Promise<Frame> => {
    const handle = await page.locator('#connect-frame iframe').elementHandle();
    const found = await handle?.contentFrame();
    if (!found) throw new Error('the Connect UI frame is not there');
    return found;
  };
  return {
    page,
    ui: page.frameLocator('#connect-frame iframe'),
    frame,
    result: () => page.locator('#result').innerText(),
    events: () => page.evaluate<string[]>('window.connectEvents'),
    async check(name) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: `${screenshotDir}/${name}.png` });
      const ui = await frame();
      for (const v of await accessibilityViolations(ui)) errors.push(`axe-core at "${name}": ${v}`);
      for (const c of await ui.evaluate<string[]>(UNLABELLED_CONTROLS)) errors.push(`unlabelled at "${name}": ${c}`);
    },
    allowErrors: (pattern) => allowed.push(pattern),
    async close() {
      await context.close();
      expect(errors).toEqual([]);
    },
  };
}
