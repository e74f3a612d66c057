import path from 'node:path';
import type { Config } from '../config/config';
import { isOnMountedVolume, type MountProbe } from './mount-probe';
import { redactDatabaseUrl, type StorageTarget } from './storage-target';

export const LOCAL_SQLITE_PATH = path.join('data', 'crm.db');
export const DISK_DATABASE_FILE = 'crm.db';

/** The operator asked for persistent storage and there is none: the process must not serve. */
export class StorageRefusedError extends Error {
  override readonly name = 'StorageRefusedError';
}

interface ResolveStorageOptions {
  probe: MountProbe;
  /** Folder the local fallback is relative to (the working directory in production). */
  cwd?: string;
}

/**
 * First match wins: DATABASE_URL (PostgreSQL), SQLITE_PATH, a mounted writable disk, a local file.
 * An explicit setting beats detection, and the local file comes last because on Render a redeploy wipes it.
 * A folder at the disk path that is not a mount point is deliberately not trusted: on Render
 * it is part of the ephemeral app filesystem and is wiped by the next deploy.
 */
export function resolveStorage(config: Config, options: ResolveStorageOptions): StorageTarget {
  const { database } = config;
  const cwd = options.cwd ?? process.cwd();

  if (database.url) {
    return {
      driver: 'postgres',
      url: database.url,
      location: redactDatabaseUrl(database.url),
      persistent: true,
      reason: 'database-url',
    };
  }

  if (database.sqlitePath) {
    const file = path.resolve(cwd, database.sqlitePath);
    const persistent = isOnMountedVolume(file, options.probe);
    refuseIfRequired(config, persistent, file);
    return { driver: 'sqlite', path: file, location: file, persistent, reason: 'sqlite-path' };
  }

  const disk = database.persistentDiskPath;
  if (disk && options.probe.isMountPoint(disk) && options.probe.isWritable(disk)) {
    const file = path.join(disk, DISK_DATABASE_FILE);
    return { driver: 'sqlite', path: file, location: file, persistent: true, reason: 'persistent-disk' };
  }

  const file = path.resolve(cwd, LOCAL_SQLITE_PATH);
  refuseIfRequired(config, false, file);
  return { driver: 'sqlite', path: file, location: file, persistent: false, reason: 'local-fallback' };
}

function refuseIfRequired(config: Config, persistent: boolean, file: string): void {
  if (persistent || !config.database.requirePersistentStorage) return;
  const disk = config.database.persistentDiskPath;
  throw new StorageRefusedError(
    `REQUIRE_PERSISTENT_STORAGE=true but ${file} is not on a persistent disk. ` +
      `Attach a Render persistent disk mounted at ${disk} (Settings > Disks), ` +
      `or set DATABASE_URL to a PostgreSQL database, then redeploy.`,
  );
}
