import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestAt, shippedManifest } from '../conformance/harness.js';
import { startGraphFake, type GraphFake } from '../fakes/storage-graph.js';
import { openConsole, signIn, startConsoleEnv, type ConsoleEnv } from './harness.js';

// The Files section against a real `switchyard serve` (its storage worker runs the imports): the store (upload,
// previews of text and of a PDF's first page, rename, versions, an expiring link) and Import from cloud from the
// Graph (OneDrive) fake: a root, breadcrumbs, a second vendor page, two files and a folder picked, per-file progress
// to stored with the vendor's hash checked, and the import in the history.

let env: ConsoleEnv;
let admin: { email: string; password: string };
let graph: GraphFake;

/** A one-page PDF (its xref offsets computed), the text drawn with a standard font. */
function onePagePdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = 'BT /F1 24 Tf 40 100 Td (Quarterly report) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

beforeAll(async () => {
  // Two items a page: the Reports folder takes a second page ("Load more").
  graph = await startGraphFake({ pageSize: 2 });
  graph.me.tree.put('/Reports/q1.csv', 'region,total\nnorth,10\n', 'text/csv');
  graph.me.tree.put('/Reports/q2.csv', 'region,total\nsouth,12\n', 'text/csv');
  graph.me.tree.put('/Reports/Archive/2025.csv', 'region,total\neast,7\n', 'text/csv');
  graph.me.tree.put('/Reports/Archive/2024.csv', 'region,total\nwest,5\n', 'text/csv');
  graph.me.tree.put('/Reports/unpicked.txt', 'not imported');
  graph.me.tree.put('/Photos/cat.txt', 'meow');
  env = await startConsoleEnv();
  admin = await env.createUser('administrator');
  // The shipped OneDrive manifest pointed at the fake, signing in with the fake's access token as a bearer token
  // (the OAuth dance is covered by the OAuth tests; here the storage pages are under test).
  const entry = await env.api('POST', '/v1/connectors', {
    ...manifestAt(shippedManifest('onedrive'), graph.url),
    slug: 'onedrive_local',
    name: 'OneDrive (local)',
    auth: [
      {
        type: 'bearer',
        label: 'Access token',
        fields: [{ key: 'token', label: 'Token', type: 'password', secret: true }],
      },
    ],
    features: ['proxy'],
  });
  expect(entry.status, JSON.stringify(entry.data)).toBe(201);
  const made = await env.api('POST', '/v1/connections', {
    connector: 'onedrive_local',
    name: 'Team drive',
    auth_method: 'bearer',
    credentials: { token: 'sync-access' },
    validate: false,
  });
  expect(made.status, JSON.stringify(made.data)).toBe(201);
}, 120_000);

afterAll(async () => {
  await env?.close();
  await graph?.close();
});

describe('console: files', () => {
  it('uploads, previews, renames, versions and shares a file', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Files' }).click();
    await page.getByRole('heading', { name: 'Files', level: 1 }).waitFor();

    await page.getByLabel('Into folder').fill('/docs');
    await page.getByLabel('Choose a file').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello files\nsecond line\n'),
    });
    await page.getByTestId('notice-success').filter({ hasText: 'File “notes.txt” uploaded (24 B).' }).waitFor();
    const rows = page.getByTestId('file-row');
    await rows.filter({ hasText: 'notes.txt' }).getByRole('button', { name: 'notes.txt', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'notes.txt' });
    await expect.poll(() => panel.getByTestId('text-preview').textContent()).toBe('hello files\nsecond line\n');
    expect(await panel.locator('dl').textContent()).toContain('Source' + 'upload');

    // Rename it: the panel and the list follow.
    await panel.getByRole('textbox', { name: 'Name', exact: true }).fill('readme.txt');
    await panel.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Saved as /docs/readme.txt.' }).waitFor();
    await page.getByRole('dialog', { name: 'readme.txt' }).waitFor();
    await page.getByRole('dialog', { name: 'readme.txt' }).getByRole('button', { name: 'Close' }).click();
    await rows.filter({ hasText: 'readme.txt' }).waitFor();
    expect(await rows.filter({ hasText: 'notes.txt' }).count()).toBe(0);

    // The same name uploaded again into the same folder: a second version.
    await page.getByLabel('Into folder').fill('/docs');
    await page.getByLabel('Choose a file').setInputFiles({
      name: 'readme.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello again\n'),
    });
    await page.getByTestId('notice-success').filter({ hasText: 'File “readme.txt” uploaded (12 B).' }).waitFor();
    const readme = rows.filter({ hasText: 'readme.txt' });
    await expect.poll(() => readme.locator('td').nth(6).textContent()).toBe('2');
    await readme.getByRole('button', { name: 'readme.txt', exact: true }).click();
    const second = page.getByRole('dialog', { name: 'readme.txt' });
    await expect.poll(() => second.getByTestId('text-preview').textContent()).toBe('hello again\n');
    const versions = second.getByTestId('version-row');
    await expect.poll(() => versions.count()).toBe(2);
    expect(await versions.first().textContent()).toContain('2 current');
    await second.getByRole('button', { name: 'Restore version 1' }).waitFor();

    // An expiring link: copied, and it downloads the bytes without signing in.
    await second.getByLabel('Expires after').selectOption('86400');
    await second.getByRole('button', { name: 'Make link' }).click();
    const link = await second.getByTestId('share-link').locator('code').textContent();
    expect(link).toMatch(/\/files\/shared\//);
    await second.getByRole('button', { name: 'Copy link' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(link);
    const shared = await fetch(link as string);
    expect(shared.status).toBe(200);
    expect(await shared.text()).toBe('hello again\n');
    await c.screenshot('files-panel');
    await second.getByRole('button', { name: 'Close' }).click();

    // A PDF's first page, drawn by the lazily loaded pdf.js.
    await page.getByLabel('Into folder').fill('/docs');
    await page.getByLabel('Choose a file').setInputFiles({
      name: 'report.pdf',
      mimeType: 'application/pdf',
      buffer: onePagePdf(),
    });
    await rows.filter({ hasText: 'report.pdf' }).getByRole('button', { name: 'report.pdf', exact: true }).click();
    const pdf = page.getByRole('dialog', { name: 'report.pdf' });
    await pdf.getByTestId('pdf-pages').filter({ hasText: 'Page 1 of 1' }).waitFor();
    // Dark pixels on the canvas: the title drawn in black on the white page.
    const drawn = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector('[data-testid="pdf-preview"]');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] < 128) dark++;
      return dark;
    })()`);
    expect(drawn, 'the page text is drawn').toBeGreaterThan(50);
    await pdf.getByRole('button', { name: 'Close' }).click();

    // The folder tree leads into /docs, and the breadcrumbs back out.
    await page.getByTestId('folder-tree').getByRole('link', { name: 'docs' }).click();
    expect(new URL(page.url()).searchParams.get('folder')).toBe('/docs');
    await expect.poll(() => rows.count()).toBe(2);
    await page
      .getByTestId('files-usage')
      .getByText(/Storage used/)
      .waitFor();
    await c.screenshot('files-store');
    await page
      .getByRole('navigation', { name: 'Folder', exact: true })
      .getByRole('link', { name: 'All files' })
      .click();
    await expect.poll(() => new URL(page.url()).searchParams.get('folder')).toBe(null);
    await c.close();
  });

  it('imports two files and a folder from OneDrive, file by file, into the history', async () => {
    const c = await openConsole(env);
    const { page } = c;
    await signIn(c, admin);
    await page.goto('/files');
    await page.getByRole('link', { name: 'Import from cloud' }).first().click();
    await page.getByRole('heading', { name: 'Import from cloud', level: 1 }).waitFor();
    const browser = page.getByTestId('cloud-browser');
    await browser.getByLabel('Connection').selectOption({ label: 'Team drive (OneDrive (local))' });
    await browser.getByLabel('Drive, site or bucket').selectOption({ label: 'OneDrive (drive)' });
    const items = browser.getByTestId('cloud-item');
    const names = async () => (await items.locator('td:nth-child(2)').allTextContents()).map((t) => t.trim());
    await expect.poll(names).toEqual(['📁 Reports', '📁 Photos']);

    // Into Reports: two items a page, the rest after "Load more".
    await browser.getByRole('button', { name: 'Reports', exact: true }).click();
    const trail = browser.getByTestId('cloud-trail');
    await expect.poll(() => trail.locator('li').allTextContents()).toEqual(['OneDrive', 'Reports']);
    await expect.poll(() => items.count()).toBe(2);
    await browser.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => items.count()).toBe(4);
    await browser.getByLabel('Select q1.csv').check();
    await browser.getByLabel('Select q2.csv').check();
    await browser.getByLabel('Select Archive').check();
    expect(await items.filter({ hasText: 'q1.csv' }).locator('td').nth(4).textContent()).toBe('QuickXorHash');

    // The breadcrumbs lead back up; what is picked stays picked.
    await trail.getByRole('button', { name: 'OneDrive', exact: true }).click();
    await expect.poll(names).toEqual(['📁 Reports', '📁 Photos']);
    const summary = page.getByTestId('import-summary');
    expect(await summary.textContent()).toContain('3 picked: 2 files (44 B) and 1 folder');
    await c.screenshot('files-import-browse');

    await summary.getByLabel('Into folder').fill('/cloud');
    await summary.getByRole('button', { name: 'Import' }).click();
    await page.waitForURL(/\/files\/imports\/stimp_/);
    const rows = page.getByTestId('transfer-item');
    // The folder is listed when the import runs: its two files join the two picked, below a folder of its name.
    await expect
      .poll(async () => (await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-state')))).sort(), {
        timeout: 30_000,
      })
      .toEqual(['stored', 'stored', 'stored', 'stored']);
    const q1 = rows.filter({ hasText: 'q1.csv' });
    expect(await q1.getByTestId('item-status').textContent()).toBe('new file');
    expect(await q1.getByTestId('item-verification').textContent()).toBe('verified by QuickXorHash');
    expect(await q1.locator('progress').getAttribute('value')).toBe('1');
    expect(await rows.filter({ hasText: '2024.csv' }).locator('td').last().textContent()).toBe(
      '/cloud/Archive/2024.csv',
    );
    expect(await rows.locator('td:first-child strong').allTextContents()).toEqual([
      'q1.csv',
      'q2.csv',
      '2025.csv',
      '2024.csv',
    ]);
    await page.getByRole('heading', { name: /Import\s+succeeded/ }).waitFor();
    expect(await page.getByTestId('transfer-files').textContent()).toMatch(/^Files: 4 of 4 done — 4 stored/);
    await c.screenshot('files-import-progress');

    // Stored in the files store, saying where from.
    await q1.getByRole('link', { name: '/cloud/q1.csv' }).click();
    const panel = page.getByRole('dialog', { name: 'q1.csv' });
    await expect.poll(() => panel.getByTestId('text-preview').textContent()).toBe('region,total\nnorth,10\n');
    expect(await panel.locator('dl').textContent()).toContain('import from Team drive: /Reports/q1.csv');
    await panel.getByRole('button', { name: 'Close' }).click();

    // The history: the import with its connection and outcome, leading back to its files.
    await page.getByRole('navigation', { name: 'Files' }).getByRole('link', { name: 'Imports and exports' }).click();
    const history = page.getByTestId('import-history').getByTestId('transfer-row');
    await expect.poll(() => history.count()).toBe(1);
    expect(await history.textContent()).toContain('succeeded');
    expect(await history.getByTestId('transfer-counts').textContent()).toBe('4 stored, 0 skipped, 0 failed');
    await c.screenshot('files-transfers');
    await history.getByRole('link', { name: 'Team drive' }).click();
    await page.waitForURL(/\/files\/imports\/stimp_/);
    await expect.poll(() => rows.count()).toBe(4);

    // Export: an imported file picked in the store, written into the drive's Photos folder.
    await page.goto('/files?folder=/cloud');
    await page.getByLabel('Select q2.csv').check();
    await page.getByRole('button', { name: 'Export to cloud' }).click();
    await page.getByRole('heading', { name: 'Export to cloud', level: 1 }).waitFor();
    const target = page.getByTestId('cloud-browser');
    await target.getByLabel('Connection').selectOption({ label: 'Team drive (OneDrive (local))' });
    await target.getByLabel('Drive, site or bucket').selectOption({ label: 'OneDrive (drive)' });
    await target.getByRole('button', { name: 'Photos', exact: true }).click();
    await page.getByRole('button', { name: 'Export into /Photos' }).click();
    await page.waitForURL(/\/files\/exports\/stexp_/);
    await page.getByRole('heading', { name: /Export\s+succeeded/ }).waitFor({ timeout: 30_000 });
    // The heading can come before the item list's own fetch: wait for the row.
    await expect.poll(() => rows.getByTestId('item-status').allTextContents()).toEqual(['/Photos/q2.csv']);
    const written = graph.me.tree.all().find((n) => graph.me.tree.pathOf(n.id) === '/Photos/q2.csv');
    expect(written?.data.toString()).toBe('region,total\nsouth,12\n');
    await c.close();
  });
});
