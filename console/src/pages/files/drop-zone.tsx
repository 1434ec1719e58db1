import { useMutation } from '@tanstack/react-query';
import { useId, useState, type DragEvent } from 'react';
import { ErrorState } from '../../ui/components.js';
import { bytes } from '../webhooks/shared/format.js';
import { uploadFile, type StoredFile, type UploadProgress } from './upload.js';
import './files.css';

/**
 * Where a file is dropped or picked, and its upload's progress. Large files go up in chunks (see uploadFile); the
 * bar follows the bytes the server has acknowledged, and says when it resumed after a failed chunk.
 */
export function FileDrop({
  folder,
  accept,
  hint,
  onUploaded,
}: {
  folder?: string;
  /** Extensions and media types offered first in the picker (any file can still be chosen). */
  accept?: string;
  hint?: string;
  onUploaded: (file: StoredFile) => void;
}) {
  const id = useId();
  const [progress, setProgress] = useState<UploadProgress & { name: string }>();
  const [over, setOver] = useState(false);
  const upload = useMutation({
    mutationFn: (file: File) =>
      uploadFile(file, {
        ...(folder !== undefined ? { folder } : {}),
        onProgress: (p) => setProgress({ ...p, name: file.name }),
      }),
    onSuccess: onUploaded,
  });
  const start = (file: File | undefined) => {
    if (!file || upload.isPending) return;
    setProgress({ sent: 0, total: file.size, resumed: 0, name: file.name });
    upload.mutate(file);
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    start(e.dataTransfer.files[0]);
  };
  return (
    <div className="stack">
      <div
        className={`fd-zone${over ? ' fd-over' : ''}`}
        data-testid="file-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p className="fd-title">Drop a file here</p>
        <p className="muted small">or</p>
        <input
          id={id}
          type="file"
          className="visually-hidden fd-input"
          {...(accept ? { accept } : {})}
          disabled={upload.isPending}
          onChange={(e) => {
            start(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <label htmlFor={id} className="button">
          Choose a file
        </label>
        {hint && <p className="muted small">{hint}</p>}
      </div>
      {progress && (upload.isPending || upload.isSuccess) && <Progress progress={progress} done={upload.isSuccess} />}
      {upload.error ? <ErrorState error={upload.error} /> : null}
    </div>
  );
}

function Progress({ progress: p, done }: { progress: UploadProgress & { name: string }; done: boolean }) {
  const share = p.total === 0 ? 1 : p.sent / p.total;
  return (
    <div className="fd-progress" data-testid="upload-progress" aria-live="polite">
      <label>
        {done ? 'Uploaded' : 'Uploading'} <strong>{p.name}</strong>
        <progress max={1} value={share} />
      </label>
      <span className="muted small">
        {bytes(p.sent)} of {bytes(p.total)} ({Math.floor(share * 100)}%)
        {p.resumed > 0 && ` · resumed ${p.resumed === 1 ? 'once' : `${p.resumed} times`} after a failed chunk`}
      </span>
    </div>
  );
}
