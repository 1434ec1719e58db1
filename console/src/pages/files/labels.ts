import type { Schemas } from '../../api.js';
import { timeAgo } from '../../ui/components.js';
import { bytes } from '../webhooks/shared/format.js';

export type { StoredFile } from './upload.js';
export type Transfer = Schemas['StorageTransfer'];
export type TransferItem = Schemas['StorageTransferItem'];
export type CloudItem = Schemas['StorageItem'];
export type Direction = Transfer['direction'];

/** A transfer that may still change: the page polls it. */
export const isRunning = (t: Pick<Transfer, 'state'>) => t.state === 'pending' || t.state === 'running';

/** The media types shown as text in a preview (beside every `text/*`). */
const TEXT_TYPES = /^(text\/|application\/(json|xml|yaml|x-yaml|x-ndjson|javascript|csv|sql|toml)\b)|\+(json|xml)\b/;

/** How a file's first bytes are shown: as text, as an image, as a PDF's first page, or not at all. */
export function previewKind(mediaType: string): 'text' | 'image' | 'pdf' | undefined {
  if (mediaType === 'application/pdf') return 'pdf';
  if (/^image\/(png|jpeg|gif|webp|avif|bmp|svg\+xml)$/.test(mediaType)) return 'image';
  if (TEXT_TYPES.test(mediaType)) return 'text';
  return undefined;
}

/** Where a file's bytes came from, in words: "upload", "import from OneDrive: /Reports/q1.pdf", "export". */
export function sourceText(source: Schemas['File']['source'], connectionName: (id: string) => string): string {
  const kind = typeof source.kind === 'string' ? source.kind : 'unknown';
  if (kind !== 'import') return kind;
  const from = typeof source.connection_id === 'string' ? connectionName(source.connection_id) : 'a connection';
  return typeof source.path === 'string' ? `import from ${from}: ${source.path}` : `import from ${from}`;
}

const HASH_NAMES: Record<string, string> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  quickxor: 'QuickXorHash',
  dropbox: 'Dropbox content hash',
  crc32c: 'CRC32C',
};

export const hashName = (kind: string) => HASH_NAMES[kind] ?? kind;

/** How a transferred file was checked: "verified by MD5", "size only (…)", "as received — …". */
export function verificationText(v: TransferItem['verification']): string | undefined {
  if (!v) return undefined;
  if (v.by === 'size') {
    return `size only: ${bytes(v.received_size ?? 0)} as listed (the vendor gives no hash for it)`;
  }
  if (v.by === 'received') return `as received${v.note ? ` — ${v.note}` : ''}`;
  return `verified by ${hashName(v.by)}`;
}

/** A file's progress in words: "queued", "downloading 42%", "waiting for the vendor's throttle, retries in 5 s". */
export function itemStatus(item: TransferItem, direction: Direction): string {
  switch (item.state) {
    case 'queued':
      if (item.next_attempt_at && new Date(item.next_attempt_at).getTime() > Date.now()) {
        return `waiting (throttled or failed ${item.attempts === 1 ? 'once' : `${item.attempts} times`}), retries ${timeAgo(item.next_attempt_at)}`;
      }
      return item.attempts > 0 ? `queued again after attempt ${item.attempts}` : 'queued';
    case 'running': {
      const phase = item.phase ?? (direction === 'import' ? 'downloading' : 'uploading');
      const share = item.size ? Math.floor((item.bytes_done / item.size) * 100) : undefined;
      return (phase === 'downloading' || phase === 'uploading') && share !== undefined ? `${phase} ${share}%` : phase;
    }
    // Beside the state's badge: what it came to (new file, new version, unchanged …) or why it failed.
    case 'stored':
    case 'skipped':
      return item.phase ?? '';
    case 'failed':
      return item.error?.message ?? 'no reason given';
    case 'cancelled':
      return '';
  }
}

/** A share of a whole, 0…1, for a `<progress>` (an empty whole counts as done once nothing is left). */
export const share = (done: number, total: number | null | undefined, finished: boolean) =>
  total ? Math.min(1, done / total) : finished ? 1 : 0;

/** A store folder as the files store keeps it (`imports/2026/` → `/imports/2026`). */
export function normaliseFolder(text: string): string {
  const parts = text.split('/').filter(Boolean);
  return `/${parts.join('/')}`;
}

/** The folders from the top down to `folder`: `/a/b` → `/`, `/a`, `/a/b`. */
export function folderTrail(folder: string): { name: string; path: string }[] {
  const parts = folder.split('/').filter(Boolean);
  return [
    { name: 'All files', path: '/' },
    ...parts.map((name, i) => ({ name, path: `/${parts.slice(0, i + 1).join('/')}` })),
  ];
}
