/// <reference types="vite/client" />
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { ErrorState, Loading } from '../../ui/components.js';

// The worker is one of the console's own assets (the console's CSP allows scripts and workers from itself only).
GlobalWorkerOptions.workerSrc = workerUrl;

/** The preview's width in CSS pixels; the canvas has as many device pixels as the screen shows. */
const WIDTH = 480;

/**
 * The first page of a PDF drawn on a canvas by pdf.js, loaded lazily (this module and pdf.js are their own chunk).
 * pdf.js asks for byte ranges as it needs them, so a large PDF is not read whole for its first page.
 */
export default function PdfFirstPage({ url, name }: { url: string; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<{ pages?: number; error?: unknown }>({});
  useEffect(() => {
    const task = getDocument({ url, disableAutoFetch: true, withCredentials: true });
    let cancelled = false;
    void (async () => {
      try {
        const pdf = await task.promise;
        const page = await pdf.getPage(1);
        const target = canvas.current;
        if (cancelled || !target) return;
        const scale = (WIDTH / page.getViewport({ scale: 1 }).width) * (window.devicePixelRatio || 1);
        const viewport = page.getViewport({ scale });
        target.width = Math.floor(viewport.width);
        target.height = Math.floor(viewport.height);
        await page.render({ canvas: target, viewport }).promise;
        if (!cancelled) setState({ pages: pdf.numPages });
      } catch (error) {
        if (!cancelled) setState({ error });
      }
    })();
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [url]);
  if (state.error) return <ErrorState error={state.error} />;
  return (
    <figure className="fs-pdf">
      {state.pages === undefined && <Loading what="Drawing the first page" />}
      <canvas ref={canvas} role="img" aria-label={`First page of ${name}`} data-testid="pdf-preview" />
      {state.pages !== undefined && (
        <figcaption className="muted small" data-testid="pdf-pages">
          Page 1 of {state.pages}
        </figcaption>
      )}
    </figure>
  );
}
