import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { randomToken } from '../../src/core/ids.js';
import { generateMasterKey } from '../../src/vault/keyring.js';
import { startFakeVendor } from '../helpers/fake-vendor.js';
import { createServeDatabase, serveApi, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

const root = path.resolve(import.meta.dirname, '../..');
export const screenshotDir = path.join(root, 'test-output', 'console');

/** Debian's Chromium (the test command installs it): the first `chromium` or `chromium-browser` on PATH. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  throw new Error('Chromium is not installed: scripts/test.sh installs Debian’s chromium package.');
}

/** The console is served from console/dist; build it when a test runs before `npm run build` did. */
function ensureConsoleBuilt(): void {
  if (fs.existsSync(path.join(root, 'console/dist/index.html'))) return;
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'console'], {
    cwd: root,
    stdio: 'ignore',
  });
}

export type FakeVendor = Awaited<ReturnType<typeof startFakeVendor>>;

export type ConsoleEnv = {
  serve: ServeProcess;
  /** A vendor API on loopback that connections made in the console point at. */
  vendor: FakeVendor;
  /** The superuser API token the server was started with. */
  adminToken: string;
  browser: Browser;
  /** A JSON call to the server's API as the superuser (for setting up and checking state). */
  api(method: string, url: string, body?: unknown): Promise<{ status: number; data: Record<string, unknown> }>;
  /** Create a user with a role in the default tenant; answers the credentials to sign in with. */
  createUser(role: string, options?: { superuser?: boolean }): Promise<{ email: string; password: string }>;
  close(): Promise<void>;
};

/**
 * A real `switchyard serve` on loopback (its own database on the engine this run targets), a fake vendor, and
 * Debian's Chromium driven by playwright-core.
 */
export async function startConsoleEnv(extraEnv: Record<string, string> = {}): Promise<ConsoleEnv> {
  ensureConsoleBuilt();
  const database = await createServeDatabase();
  const adminToken = randomToken('syk_');
  const vendor = await startFakeVendor({ 'GET /': { json: { ok: true } }, 'GET /me': { json: { id: 'acct_42' } } });
  const serve = await startServeProcess({
    ...database.env,
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    SWITCHYARD_MASTER_KEY: generateMasterKey(),
    SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    SWITCHYARD_WEBHOOKS_ALLOW_HTTP: 'true',
    SWITCHYARD_LOG_LEVEL: 'warn',
    ...extraEnv,
  });
  await serve.waitHealthy();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const api = (method: string, url: string, body?: unknown) => serveApi(serve, adminToken, method, url, body);
  return {
    serve,
    vendor,
    adminToken,
    browser,
    api,
    async createUser(role, options = {}) {
      const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
      const password = `pw-${randomBytes(12).toString('hex')}`;
      const created = await api('POST', '/v1/users', {
        email,
        name: `${role[0]?.toUpperCase()}${role.slice(1)} user`,
        role,
        password,
        superuser: options.superuser ?? false,
      });
      if (created.status !== 201) throw new Error(`creating a ${role} user failed: ${JSON.stringify(created.data)}`);
      return { email, password };
    },
    async close() {
      await browser.close().catch(() => {});
      await serve.stop();
      await vendor.close();
      await database.remove();
    },
  };
}

export type ConsolePage = {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors, console errors and accessibility violations seen so far (close() asserts none). */
  errors: string[];
  /** Console errors matching these are expected (a request the test provokes to fail). */
  allowErrors(pattern: RegExp): void;
  /** Save a screenshot under test-output/console/ and check the page with axe-core. */
  screenshot(name: string): Promise<void>;
  /** Assert that nothing went wrong in the page, then close it. */
  close(): Promise<void>;
};

/** Runs in the page: the outline of every control a screen reader could not name. */
export const UNLABELLED_CONTROLS = `[...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter((el) => el.tagName === 'BUTTON'
    ? !(el.textContent.trim() || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))
    : !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
  .map((el) => el.outerHTML.slice(0, 160))`;

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules (contrast, labels, names, landmarks, ARIA) on the page (or one frame of it)
 * as it is now: one line per violation and element. Injected through the DevTools protocol, so the page's CSP still
 * applies to everything else.
 */
export async function accessibilityViolations(page: Page | Frame): Promise<string[]> {
  // Once a document: compiling axe's half a megabyte took about a quarter of a second each time.
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(axeSource);
  return page.evaluate<string[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' '))))`);
}

/**
 * Every browser context the tests open: reduced motion, as a user who asks for it sees the console (no spinning
 * spinner). A spinner animating while a test waits on a page kept Chromium rendering frames: about a tenth of the
 * console tests' time.
 */
export const contextDefaults = { reducedMotion: 'reduce' } as const;

export const desktop = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

/** A fresh browser context (no cookies) on the console, recording page and console errors. */
export async function openConsole(env: ConsoleEnv, viewport = desktop): Promise<ConsolePage> {
  const context = await env.browser.newContext({ ...contextDefaults, viewport, baseURL: env.serve.url });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.serve.url });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (!allowed.some((a) => a.test(text))) errors.push(`console error: ${text}`);
  });
  return {
    page,
    context,
    errors,
    allowErrors: (pattern) => allowed.push(pattern),
    async screenshot(name) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
      // Every state worth a picture is also checked for accessibility (reported by close()).
      for (const violation of await accessibilityViolations(page)) errors.push(`axe-core at "${name}": ${violation}`);
    },
    async close() {
      // Every form control has a label and every button a name, on whatever page the scenario ended.
      const unlabelled = await page.evaluate<string[]>(UNLABELLED_CONTROLS);
      expect(unlabelled, 'form controls without a label or buttons without a name').toEqual([]);
      expect(await accessibilityViolations(page), 'axe-core: WCAG 2 A/AA violations').toEqual([]);
      // On a narrow screen the page itself must not scroll sideways (wide tables scroll inside their frame).
      if (viewport.width < 600) {
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, 'the page is wider than the screen').toBeLessThanOrEqual(0);
      }
      await context.close();
      expect(errors).toEqual([]);
    },
  };
}

/** Sign in through the console's form and wait for the signed-in frame. */
export async function signIn(console: ConsolePage, user: { email: string; password: string }): Promise<void> {
  const { page } = console;
  await page.goto('/');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-role').waitFor();
}
