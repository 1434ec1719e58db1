import { z } from 'zod';
import type { Db } from '../../core/db/port.js';
import type { Vault } from '../../vault/vault.js';
import type { Registry } from '../registry.js';

/** What the catalogue's routes are built from. */
export type CatalogDeps = {
  db: Db;
  vault: Vault;
  registry: Registry;
  /** The server's public base URL: OAuth redirect URIs shown in connector forms are built on it. */
  publicUrl: string;
};

export const slugParams = z.object({ slug: z.string().min(1).max(100) });
