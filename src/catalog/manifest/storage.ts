import { z } from 'zod';

/** The hashes a storage vendor reports for a file, as rclone names them. */
export const hashKinds = ['quickxor', 'dropbox', 'sha256', 'sha1', 'md5', 'crc32c'] as const;
export type HashKind = (typeof hashKinds)[number];

/** The storage adapters (src/storage/adapters): one per listing dialect, shared by the connectors that speak it. */
export const storageAdapters = ['graph', 'google_drive', 'dropbox', 'box', 's3', 'azure_blob', 'gcs'] as const;
export type StorageAdapterName = (typeof storageAdapters)[number];

/**
 * A connector's `storage:` section: it can be browsed and imported from (and exported to) through the named adapter.
 * The feature matrix is data, as rclone keeps it: what the vendor's listing, change feed and hashes offer.
 */
export const storageSectionSchema = z
  .strictObject({
    adapter: z.enum(storageAdapters).describe('The listing dialect (src/storage/adapters)'),
    hashes: z
      .array(z.enum(hashKinds))
      .default([])
      .describe('Hashes the vendor reports per file, best first: the first one present verifies a download'),
    search: z.boolean().default(false).describe('The vendor searches by name'),
    changes: z
      .enum(['delta', 'changes_token', 'cursor', 'listing'])
      .describe(
        'How an import re-runs incrementally: Graph delta, Drive changes token, Dropbox cursor, or a listing by ' +
          'modified time (S3, Azure Blob, GCS)',
      ),
    roots: z
      .enum(['drives', 'buckets', 'containers', 'single'])
      .default('single')
      .describe('What is browsed first: drives and sites, buckets, containers, or one root'),
    upload: z.boolean().default(true).describe('Files can be exported to it'),
    throttling: z
      .strictObject({
        min_sleep_ms: z.number().int().min(0).default(10),
        max_sleep_ms: z.number().int().min(1).default(2000),
      })
      .default({ min_sleep_ms: 10, max_sleep_ms: 2000 })
      .describe('The pacer between calls after a throttle, doubled on each and decayed on success (rclone)'),
    rewrites_office_files: z
      .boolean()
      .default(false)
      .describe(
        'The vendor rewrites Office files on download (SharePoint adds metadata): their listed size and hash do ' +
          'not match the bytes, so they are verified by what was received, and recorded as such',
      ),
    export_formats: z
      .record(z.string(), z.string())
      .default({})
      .describe('Vendor-native documents exported on import: their media type → the media type exported as'),
    export_limit_bytes: z.number().int().positive().optional().describe('The largest native document exported'),
  })
  .meta({ id: 'ConnectorStorage' });

export type StorageSection = z.output<typeof storageSectionSchema>;
