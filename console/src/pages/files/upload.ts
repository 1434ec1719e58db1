import { api, call, SwitchyardError, type Schemas } from '../../api.js';

export type StoredFile = Schemas['File'];

/** Files up to this size go in one request; larger ones through a resumable upload, a chunk at a time. */
export const SINGLE_REQUEST_LIMIT = 4 * 1024 * 1024;
/** The bytes appended per request of a resumable upload: a failed chunk costs at most this much again. */
export const CHUNK_SIZE = 2 * 1024 * 1024;
/** Failed appends in a row before the upload gives up (each waits a little longer than the one before). */
const MAX_FAILURES = 5;

export type UploadProgress = { sent: number; total: number; resumed: number };

const mediaTypeOk = (type: string) => /^[\w.+-]+\/[\w.+-]+$/.test(type);

/** The raw bytes as the body, with headers of our own (the SDK would otherwise send JSON). */
const raw = { bodySerializer: (body: unknown) => body as BodyInit };

/** A failure worth trying again: the network dropped, the server was briefly away, or another append moved it on. */
const retryable = (error: unknown) =>
  error instanceof TypeError ||
  (error instanceof SwitchyardError && (error.status >= 500 || error.code === 'upload_offset_mismatch'));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Store a file in the files store. A small one is sent in one request; a larger one through a resumable upload:
 * declare its size, append it a chunk at a time at the server's offset, and after a failed chunk ask the server
 * where it stands and go on from there (the server may have kept some or all of the chunk that failed).
 */
export async function uploadFile(
  file: File,
  options: { folder?: string; onProgress?: (progress: UploadProgress) => void } = {},
): Promise<StoredFile> {
  const folder = options.folder?.trim() ? { folder: options.folder.trim() } : {};
  const report = (sent: number, resumed = 0) => options.onProgress?.({ sent, total: file.size, resumed });
  if (file.size <= SINGLE_REQUEST_LIMIT) {
    report(0);
    const stored = await call(
      api.POST('/v1/files', {
        params: { query: { name: file.name, ...folder } },
        body: file as never,
        headers: { 'content-type': mediaTypeOk(file.type) ? file.type : 'application/octet-stream' },
        ...raw,
      }),
    );
    report(file.size);
    return stored;
  }
  const upload = await call(
    api.POST('/v1/files/uploads', {
      body: {
        name: file.name,
        size: file.size,
        ...folder,
        ...(mediaTypeOk(file.type) ? { media_type: file.type } : {}),
      },
    }),
  );
  let offset = upload.offset;
  let failures = 0;
  let resumed = 0;
  report(offset);
  for (;;) {
    try {
      const appended = await call(
        api.PATCH('/v1/files/uploads/{id}', {
          params: { path: { id: upload.id } },
          body: file.slice(offset, offset + CHUNK_SIZE) as never,
          headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
          ...raw,
        }),
      );
      failures = 0;
      offset = appended.offset;
      report(offset, resumed);
      if (appended.file) return appended.file;
    } catch (error) {
      failures += 1;
      if (!retryable(error) || failures >= MAX_FAILURES) throw error;
      await pause(250 * 2 ** failures);
      // The server's offset, not ours: it may hold part or all of the chunk whose answer was lost. Asking may fail
      // too while the network is down; the next append then fails again and counts towards giving up.
      const state = await call(api.GET('/v1/files/uploads/{id}', { params: { path: { id: upload.id } } })).catch(
        (e: unknown) => {
          if (retryable(e)) return undefined;
          throw e;
        },
      );
      if (!state) continue;
      if (state.file_id) {
        report(file.size, resumed + 1);
        return call(api.GET('/v1/files/{id}', { params: { path: { id: state.file_id } } }));
      }
      offset = state.offset;
      resumed += 1;
      report(offset, resumed);
    }
  }
}

/** The address a file downloads from (the session cookie authenticates a plain link). */
export const fileContentUrl = (id: string) => `/v1/files/${encodeURIComponent(id)}/content`;
