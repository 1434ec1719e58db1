import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { createCustomConnector } from '../../test/helpers/catalog.js';
import { connectorsDir } from '../core/paths.js';
import { categories } from './manifest/manifest.js';

type Summary = {
  slug: string;
  name: string;
  category: string;
  popularity: number;
  availability: string;
  auth_methods: string[];
  source: string;
  retired: boolean;
  connectable: boolean;
};
type Library = { data: Summary[]; counts: { total: number; by_category: Record<string, number> } };

let t: TestApp;
let viewer: string;
beforeEach(async () => {
  t = await createTestApp();
  viewer = (await t.keyWithRole('viewer')).token;
});
afterEach(async () => {
  await t.close();
});

async function library(query = '', token = viewer): Promise<Library> {
  const res = await t.request({ url: `/v1/connectors${query}`, token });
  expect(res.statusCode, res.body).toBe(200);
  return res.data as unknown as Library;
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const shipped = (slug: string) => fs.existsSync(path.join(connectorsDir, `${slug}.yaml`));

describe('connector library', () => {
  it('lists the shipped manifests, most popular first then by name, with counts that add up', async () => {
    const all = await library();
    expect(all.data.length).toBeGreaterThan(0);
    expect(all.counts.total).toBe(all.data.length);
    expect(Object.keys(all.counts.by_category).sort()).toEqual([...categories].sort());
    expect(sum(all.counts.by_category)).toBe(all.counts.total);
    for (const c of categories) {
      expect(all.counts.by_category[c], c).toBe(all.data.filter((s) => s.category === c).length);
    }
    for (const s of all.data) {
      expect(s.source).toBe('builtin');
      expect(shipped(s.slug), `${s.slug}.yaml`).toBe(true);
    }
    expect(all.data.map((s) => s.slug)).toContain('generic_rest');
    for (let i = 1; i < all.data.length; i++) {
      const [a, b] = [all.data[i - 1] as Summary, all.data[i] as Summary];
      const ordered =
        a.popularity > b.popularity ||
        (a.popularity === b.popularity && a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) <= 0);
      expect(ordered, `${a.slug} before ${b.slug}`).toBe(true);
    }
  });

  it('filters by category while the category counts stay those of the other filters', async () => {
    const all = await library();
    const category = (all.data[0] as Summary).category;
    const only = await library(`?category=${encodeURIComponent(category)}`);
    expect(only.data.length).toBeGreaterThan(0);
    expect(only.data.every((s) => s.category === category)).toBe(true);
    expect(only.data.map((s) => s.slug)).toEqual(all.data.filter((s) => s.category === category).map((s) => s.slug));
    expect(only.counts.by_category).toEqual(all.counts.by_category);
    expect(only.counts.total).toBe(all.counts.by_category[category]);
  });

  it('searches name, description, category and slug, every word having to match', async () => {
    const generic = await library('?q=generic');
    expect(generic.data.map((s) => s.slug)).toContain('generic_rest');
    expect(sum(generic.counts.by_category)).toBe(generic.counts.total);
    expect((await library('?q=GENERIC%20rest')).data.map((s) => s.slug)).toContain('generic_rest');
    expect((await library('?q=generic_rest')).data.map((s) => s.slug)).toEqual(['generic_rest']);
    expect((await library('?q=generic%20zzzqqq')).data).toEqual([]);
    if (shipped('stripe')) expect((await library('?q=stripe')).data.map((s) => s.slug)).toContain('stripe');
    if (shipped('slack')) expect((await library('?q=communication')).data.map((s) => s.slug)).toContain('slack');
    // The search narrows the category counts too: they are the chips of this search.
    const crm = await library('?q=generic_rest&category=CRM');
    expect(crm.data).toEqual([]);
    expect(crm.counts).toMatchObject({ total: 0, by_category: { Generic: 1, CRM: 0 } });
  });

  it('filters by auth method type and by availability', async () => {
    const all = await library();
    const oauth = await library('?auth=oauth2');
    expect(oauth.data.every((s) => s.auth_methods.includes('oauth2'))).toBe(true);
    expect(oauth.data.length).toBe(all.data.filter((s) => s.auth_methods.includes('oauth2')).length);
    expect(oauth.data.map((s) => s.slug)).not.toContain('generic_rest');
    expect((await library('?auth=jwt')).data.map((s) => s.slug)).toContain('generic_rest');

    const soon = await createCustomConnector(t, { availability: 'coming_soon', description: 'zebrafish soon' });
    const listed = await library('?availability=coming_soon');
    expect(listed.data.every((s) => s.availability === 'coming_soon')).toBe(true);
    expect(listed.data.find((s) => s.slug === soon)).toMatchObject({ connectable: false, source: 'custom' });
    expect((await library('?availability=active')).data.map((s) => s.slug)).not.toContain(soon);
  });

  it('orders and counts entries whose data the test controls', async () => {
    const word = 'quetzalcoatl';
    const a = await createCustomConnector(t, { name: 'Beta', popularity: 70, description: `${word} one` });
    const b = await createCustomConnector(t, { name: 'alpha', popularity: 70, description: `${word} two` });
    const c = await createCustomConnector(t, { name: 'Zed', popularity: 90, category: 'CRM', description: word });
    const d = await createCustomConnector(t, {
      name: 'Old',
      popularity: 99,
      availability: 'deprecated',
      description: word,
    });
    const found = await library(`?q=${word}`);
    expect(found.data.map((s) => s.slug)).toEqual([d, c, b, a]);
    expect(found.data[0]).toMatchObject({ availability: 'deprecated', connectable: true });
    expect(found.counts.total).toBe(4);
    expect(found.counts.by_category).toMatchObject({ Generic: 3, CRM: 1, Storage: 0 });
    const crm = await library(`?q=${word}&category=CRM`);
    expect(crm.data.map((s) => s.slug)).toEqual([c]);
    expect(crm.counts).toEqual({ total: 1, by_category: found.counts.by_category });
  });

  it('hides retired entries; only a superuser may ask for them', async () => {
    const slug = await createCustomConnector(t, { description: 'retiring soon' });
    const retire = await t.request({ method: 'PATCH', url: `/v1/connectors/${slug}`, body: { retired: true } });
    expect(retire.statusCode, retire.body).toBe(200);
    expect((await library('?q=retiring')).data).toEqual([]);
    const refused = await t.request({ url: '/v1/connectors?include_retired=true', token: viewer });
    expect(refused.statusCode).toBe(403);
    expect(refused.data).toMatchObject({ code: 'forbidden', missing_capability: 'manage_registry' });
    const withRetired = await library('?q=retiring&include_retired=true', t.adminToken);
    expect(withRetired.data).toEqual([expect.objectContaining({ slug, retired: true, connectable: false })]);
  });

  it('rejects unknown filter values with the parameter named', async () => {
    const res = await t.request({ url: '/v1/connectors?category=Crm', token: viewer });
    expect(res.statusCode).toBe(400);
    expect((res.data.errors as { path: string }[])[0]?.path).toBe('querystring.category');
  });
});
