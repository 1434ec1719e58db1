import fs from 'node:fs';
import { loadConfig, type Config } from '../../core/config.js';
import { DataDirInUseError } from '../../core/db/data-dir-lock.js';
import { migrate } from '../../core/db/migrate.js';
import { openDatabase } from '../../core/db/open.js';
import type { Db } from '../../core/db/port.js';
import { loadKeyring, masterKeyFile, type Keyring } from '../../vault/keyring.js';
import { createVault } from '../../vault/vault.js';
import { CliError } from '../errors.js';
import { printNote } from '../output.js';
import type { RotationReport } from './keys.js';

/**
 * Offline rotation: open the database this machine is configured for, check the master key really opens it, then
 * re-wrap every data key under a new key. Refuses (with the online alternative) when a server holds the data dir.
 */
export async function rotateDirectly(): Promise<RotationReport> {
  const config = loadConfig();
  const keyring = readKeyring(config);
  const db = await openForRotation(config);
  try {
    await migrate(db);
    const vault = createVault({ db, keyring });
    await vault.verifyMasterKey();
    const from = keyring.active.id;
    const result = await vault.rotate({
      onProgress: ({ rewrapped, total }) => printNote(`re-wrapped ${rewrapped} of ${total} data keys…`),
    });
    return {
      mode: 'direct',
      source: keyring.source,
      from,
      to: result.masterKeyId,
      rewrapped: result.rewrapped,
      pruned: result.pruned,
      ...(vault.keyring.file ? { keyFile: vault.keyring.file } : {}),
    };
  } finally {
    await db.close();
  }
}

/** The existing key (environment or key file). Never generates one: rotating a database nobody keyed is a mistake. */
function readKeyring(config: Config): Keyring {
  if (!config.masterKey && !fs.existsSync(masterKeyFile(config.dataDir))) {
    throw new CliError(
      `No master key to rotate: SWITCHYARD_MASTER_KEY is unset and ${masterKeyFile(config.dataDir)} does not exist. ` +
        'Point SWITCHYARD_DATA_DIR at the data directory of the server, or pass --url to rotate through it.',
    );
  }
  return loadKeyring({ masterKey: config.masterKey, dataDir: config.dataDir });
}

async function openForRotation(config: Config): Promise<Db> {
  try {
    return await openDatabase(config, { onMessage: (line) => console.error(line) });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new CliError(
      `${error.message}\nA running server holds this database: rotate online through it instead:\n` +
        `  switchyard keys rotate --url ${config.publicUrl} --token <superuser token>\n` +
        '(or set SWITCHYARD_URL and SWITCHYARD_TOKEN).',
    );
  }
}
