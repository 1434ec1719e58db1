import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { ErrorState, Loading } from '../../ui/components.js';
import { bytes } from '../webhooks/shared/format.js';
import { fileKeys } from '../../query-keys.js';
import { previewKind } from './labels.js';
import { fileContentUrl, type StoredFile } from './upload.js';

/** pdf.js is large: it is loaded (with its worker) only when a PDF is previewed, not with the console. */
const PdfFirstPage = lazy(() => import('./pdf-preview.js'));

/** Text previews read this much from the start of the file (one Range request), however large the file. */
export const TEXT_PREVIEW_BYTES = 64 * 1024;

/** A look at a file without downloading it: the start of a text, an image, or the first page of a PDF. */
export function FilePreview({ file }: { file: StoredFile }) {
  const kind = previewKind(file.media_type);
  if (kind === 'image') {
    return <img className="fs-image" src={fileContentUrl(file.id)} alt={`Preview of ${file.name}`} />;
  }
  if (kind === 'pdf') {
    return (
      <Suspense fallback={<Loading what="Loading the PDF viewer" />}>
        <PdfFirstPage url={fileContentUrl(file.id)} name={file.name} />
      </Suspense>
    );
  }
  if (kind === 'text') return <TextPreview file={file} />;
  return <p className="muted">No preview for {file.media_type}: download the file to open it.</p>;
}

function TextPreview({ file }: { file: StoredFile }) {
  const text = useQuery({
    queryKey: fileKeys.preview(file.id, file.sha256),
    queryFn: async () => {
      const res = await fetch(fileContentUrl(file.id), { headers: { range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` } });
      if (!res.ok) throw new Error(`The file could not be read (HTTP ${res.status}).`);
      // A cut may fall inside a multi-byte character: the decoder shows it as a replacement character.
      return new TextDecoder('utf-8').decode(await res.arrayBuffer());
    },
    staleTime: Infinity,
  });
  if (text.isPending) return <Loading what="Reading the start of the file" />;
  if (text.error) return <ErrorState error={text.error} />;
  return (
    <>
      <pre className="code fs-text" tabIndex={0} aria-label={`Start of ${file.name}`} data-testid="text-preview">
        {text.data}
      </pre>
      {file.size > TEXT_PREVIEW_BYTES && (
        <p className="muted small">
          The first {bytes(TEXT_PREVIEW_BYTES)} of {bytes(file.size)}.
        </p>
      )}
    </>
  );
}
