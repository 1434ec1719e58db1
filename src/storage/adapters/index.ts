import type { StorageAdapterName } from '../../catalog/manifest/storage.js';
import type { StorageAdapterFactory } from '../adapter.js';
import { azureBlobAdapter } from './azure-blob.js';
import { boxAdapter } from './box.js';
import { dropboxAdapter } from './dropbox.js';
import { gcsAdapter } from './gcs.js';
import { googleDriveAdapter } from './google-drive.js';
import { graphAdapter } from './graph.js';
import { s3Adapter } from './s3.js';

/** The storage adapters by the name a manifest's `storage.adapter` gives. */
export const storageAdapterFactories: Partial<Record<StorageAdapterName, StorageAdapterFactory>> = {
  graph: graphAdapter,
  dropbox: dropboxAdapter,
  google_drive: googleDriveAdapter,
  box: boxAdapter,
  s3: s3Adapter,
  azure_blob: azureBlobAdapter,
  gcs: gcsAdapter,
};
