import { z } from 'zod';
import { isoRequired, timestamp } from '../core/http/schemas.js';
import type { FileRow, FileVersionRow } from './sql.js';

/** A file as the API shows it (the files routes, and imports that name their file). */
export const fileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    folder: z.string(),
    size: z.number().int(),
    media_type: z.string(),
    sha256: z.string().describe('SHA-256 of the bytes, hex: the same bytes are stored once'),
    source: z.record(z.string(), z.unknown()).describe('Where the bytes came from: upload, export or import'),
    version: z.number().int().describe('The current version (1 for a new file); the fields above are its own'),
    created_by: z.string().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'File' });

export function presentFile(row: FileRow) {
  return {
    id: row.id,
    name: row.name,
    folder: row.folder,
    size: Number(row.size),
    media_type: row.media_type,
    sha256: row.sha256,
    source: row.source,
    version: row.version,
    created_by: row.created_by,
    created_at: isoRequired(row.created_at),
  };
}

export const fileVersionSchema = z
  .object({
    version: z.number().int(),
    size: z.number().int(),
    media_type: z.string(),
    sha256: z.string(),
    source: z.record(z.string(), z.unknown()),
    created_by: z.string().nullable(),
    created_at: timestamp,
    current: z.boolean().describe('Whether this is the file’s current version'),
  })
  .meta({ id: 'FileVersion' });

export function presentVersion(row: FileVersionRow, current: number) {
  return {
    version: row.version,
    size: Number(row.size),
    media_type: row.media_type,
    sha256: row.sha256,
    source: row.source,
    created_by: row.created_by,
    created_at: isoRequired(row.created_at),
    current: row.version === current,
  };
}
