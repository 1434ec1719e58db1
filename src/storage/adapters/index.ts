import type { StorageAdapterName } from '../../catalog/manifest/storage.js';
import type { StorageAdapterFactory } from '../adapter.js';
import { boxAdapter } from './box.js';
import { dropboxAdapter } from './dropbox.js';
import { googleDriveAdapter } from './google-drive.js';
import { graphAdapter } from './graph.js';

/** The storage adapters by the name a manifest's `storage.adapter` gives. */
export const storageAdapterFactories: Partial<Record<StorageAdapterName, StorageAdapterFactory>> = {
  graph: graphAdapter,
  dropbox: dropboxAdapter,
  google_drive: googleDriveAdapter,
  box: boxAdapter,
};
