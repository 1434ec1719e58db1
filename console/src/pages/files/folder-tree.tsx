import { useState } from 'react';
import { Link } from 'react-router';
import { Loading } from '../../ui/components.js';
import { bytes } from '../webhooks/shared/format.js';
import { folderTrail } from './labels.js';
import { useFolders } from './queries.js';

const folderLink = (path: string, q?: string) => {
  const params = new URLSearchParams(path === '/' ? {} : { folder: path });
  if (q) params.set('q', q);
  const text = params.toString();
  return text ? `/files?${text}` : '/files';
};

/** Where the list is: All files › reports › 2026, each a link up. */
export function FolderTrail({ folder }: { folder: string }) {
  const trail = folderTrail(folder);
  return (
    <nav aria-label="Folder" className="fs-trail">
      <ol>
        {trail.map((step, i) => (
          <li key={step.path}>
            {i === trail.length - 1 ? (
              <span aria-current="page">{step.name}</span>
            ) : (
              <Link to={folderLink(step.path)}>{step.name}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The store's folders as a tree: each level is read when it is opened (folders exist while files are in them). */
export function FolderTree({ current }: { current: string }) {
  return (
    <nav aria-label="Folders" className="fs-tree" data-testid="folder-tree">
      <ul>
        <li>
          <Link to="/files" aria-current={current === '/' ? 'page' : undefined}>
            All files
          </Link>
          <Subfolders parent="/" current={current} />
        </li>
      </ul>
    </nav>
  );
}

function Subfolders({ parent, current }: { parent: string; current: string }) {
  const folders = useFolders(parent);
  if (folders.isPending) return <Loading what="Loading folders" />;
  if (folders.error) return <p className="small sy-error-text">The folders could not be read.</p>;
  if (folders.data.folders.length === 0) return null;
  return (
    <ul>
      {folders.data.folders.map((f) => (
        <FolderNode key={f.path} folder={f} current={current} />
      ))}
    </ul>
  );
}

function FolderNode({
  folder,
  current,
}: {
  folder: { name: string; path: string; files: number; bytes: number };
  current: string;
}) {
  // Open along the way to the current folder; otherwise when asked.
  const onPath = current === folder.path || current.startsWith(`${folder.path}/`);
  const [open, setOpen] = useState(onPath);
  const expanded = open || onPath;
  return (
    <li>
      <span className="fs-node">
        <button
          type="button"
          className="link fs-toggle"
          aria-expanded={expanded}
          aria-label={`${expanded ? 'Close' : 'Open'} ${folder.name}`}
          onClick={() => setOpen(!expanded)}
        >
          {expanded ? '▾' : '▸'}
        </button>
        <Link to={folderLink(folder.path)} aria-current={current === folder.path ? 'page' : undefined}>
          {folder.name}
        </Link>
        <span className="muted small">
          {folder.files} · {bytes(folder.bytes)}
        </span>
      </span>
      {expanded && <Subfolders parent={folder.path} current={current} />}
    </li>
  );
}

/** The tenant's stored bytes against its quota (every version's distinct bytes counted once). */
export function UsageBar({ used, quota, files }: { used: number; quota: number | null; files: number }) {
  return (
    <div className="fs-usage" data-testid="files-usage">
      <label>
        <span>
          Storage used: <strong>{bytes(used)}</strong>
          {quota !== null ? ` of ${bytes(quota)}` : ' (no quota)'} · {files} {files === 1 ? 'file' : 'files'}
        </span>
        {quota !== null && <progress max={1} value={quota === 0 ? 1 : Math.min(1, used / quota)} />}
      </label>
    </div>
  );
}
