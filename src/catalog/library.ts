import type { AuthType } from './manifest/auth.js';
import { categories, type Manifest } from './manifest/manifest.js';
import type { Category } from './present.js';
import type { ConnectorRow } from './sql.js';

export type LibraryFilter = {
  /** Words that must each appear in the name, description, category or slug (case-insensitive). */
  q?: string;
  category?: Category;
  auth?: AuthType;
  availability?: Manifest['availability'];
  includeRetired: boolean;
};

export type LibraryResult = { rows: ConnectorRow[]; byCategory: Record<Category, number> };

/**
 * The connector library: entries matching every filter, most popular first, and per category how many entries
 * every filter but the category one leaves — what each of the console's category chips would show if picked.
 */
export function searchLibrary(all: ConnectorRow[], filter: LibraryFilter): LibraryResult {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const candidates = all.filter(
    (row) =>
      (filter.includeRetired || row.retired_at === null) &&
      (!filter.auth || row.manifest.auth.some((a) => a.type === filter.auth)) &&
      (!filter.availability || row.availability === filter.availability) &&
      matchesWords(row, words),
  );
  const byCategory = Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>;
  for (const row of candidates) byCategory[row.manifest.category] += 1;
  const rows = filter.category ? candidates.filter((row) => row.manifest.category === filter.category) : candidates;
  return { rows: rows.sort(byPopularityThenName), byCategory };
}

function matchesWords(row: ConnectorRow, words: string[]): boolean {
  if (words.length === 0) return true;
  const m = row.manifest;
  const text = `${m.name}\n${m.description}\n${m.category}\n${row.slug}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

function byPopularityThenName(a: ConnectorRow, b: ConnectorRow): number {
  return (
    b.manifest.popularity - a.manifest.popularity ||
    a.manifest.name.localeCompare(b.manifest.name, 'en', { sensitivity: 'base' }) ||
    (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  );
}
