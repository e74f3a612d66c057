import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { openS3Store, type RemoteBackupStore, type S3Settings } from '../../src/backup/s3-store';

/** Credentials s3rver accepts; tests also prove they never reach a log line or an answer. */
export const S3_ACCESS_KEY_ID = 'S3RVER';
export const S3_SECRET_ACCESS_KEY = 'S3RVER';

/**
 * A real S3-protocol server (s3rver) on loopback, with its files in a temporary folder. `stop`
 * and `restart` (same port, same files) let a test take the store away and bring it back.
 */
export interface TestS3Server {
  readonly endpoint: string;
  readonly bucket: string;
  /** A temporary folder removed with the server, for the tests' own files. */
  readonly directory: string;
  /** The backup settings that point at this server, as config values and as environment variables. */
  settings(prefix?: string): S3Settings;
  env(prefix?: string): Record<string, string>;
  /** The store as the app sees it, for listing what landed in the bucket. */
  openStore(prefix?: string): Promise<RemoteBackupStore>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'crm-backups'): Promise<TestS3Server> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-s3-'));
  const directory = path.join(scratch, 'store');
  const create = (port: number) =>
    new S3rver({ port, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  let server: S3rver | null = create(0);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const settings = (prefix = 'crm/'): S3Settings => ({
    bucket,
    endpoint,
    region: 'us-east-1',
    prefix,
    forcePathStyle: true,
    accessKeyId: S3_ACCESS_KEY_ID,
    secretAccessKey: S3_SECRET_ACCESS_KEY,
  });
  return {
    endpoint,
    bucket,
    directory: scratch,
    settings,
    env: (prefix = 'crm/') => ({
      BACKUP_S3_BUCKET: bucket,
      BACKUP_S3_ENDPOINT: endpoint,
      BACKUP_S3_PREFIX: prefix,
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: S3_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY,
    }),
    openStore: (prefix) => openS3Store(settings(prefix), { attempts: 1, firstDelayMs: 0 }),
    async stop() {
      await server?.close();
      server = null;
    },
    async restart() {
      server ??= create(port);
      await server.run();
    },
    async close() {
      await server?.close();
      server = null;
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
