import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config';
import { backupTime } from './backup-files';
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry';

export type S3Settings = Config['backup']['s3'];

/** A backup in the bucket. */
export interface RemoteCopy {
  readonly key: string;
  readonly name: string;
  /** s3://bucket/key: what /health, doctor and `crm db restore --from` show and take. */
  readonly url: string;
  readonly bytes: number;
  readonly at: Date;
}

/** Where off-site copies go: the port the schedule, the CLI and the restore use. */
export interface RemoteBackupStore {
  /** s3://bucket/prefix */
  readonly location: string;
  upload(file: string, signal?: AbortSignal): Promise<RemoteCopy>;
  /** The copies under the prefix, newest first; other objects are ignored. */
  list(): Promise<RemoteCopy[]>;
  remove(copies: readonly RemoteCopy[]): Promise<void>;
  download(url: string, file: string): Promise<void>;
  close(): void;
}

// Parts above S3's 5 MiB minimum; two in flight bound memory to about 32 MiB per upload.
const PART_SIZE = 16 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/**
 * The S3 adapter (AWS, Cloudflare R2, Backblaze B2, MinIO). The AWS SDK is loaded here, on
 * first use, and only when a bucket is configured: it is large, and at load it prints a notice
 * about Node versions that a server without off-site backups has no reason to show.
 */
export async function openS3Store(settings: S3Settings, retry: RetryPolicy = DEFAULT_RETRY): Promise<RemoteBackupStore> {
  const s3 = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client: S3Client = new s3.S3Client({
    // An empty value (a dashboard field left blank) means the SDK's usual default.
    region: settings.region || 'us-east-1',
    endpoint: settings.endpoint || undefined,
    forcePathStyle: settings.forcePathStyle,
    // Explicit keys when given; otherwise the SDK's own chain (instance roles, profiles).
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
    // Checksums only where S3 requires them: several S3-compatible stores refuse the newer
    // default (CRC32 headers on every upload).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
  });
  const bucket = settings.bucket;
  const prefix = settings.prefix === '' || settings.prefix.endsWith('/') ? settings.prefix : `${settings.prefix}/`;
  const secrets = [settings.accessKeyId, settings.secretAccessKey];
  const attempt = <T>(work: () => Promise<T>, signal?: AbortSignal) =>
    withRetries(work, isTransient, retry, signal).catch((error: unknown) => {
      throw new S3StoreError(describeS3Error(error, secrets), isTransient(error));
    });
  const copyOf = (key: string, bytes: number): RemoteCopy | null => {
    const name = key.slice(prefix.length);
    const at = backupTime(name);
    return at && !name.includes('/') ? { key, name, url: `s3://${bucket}/${key}`, bytes, at } : null;
  };

  return {
    location: `s3://${bucket}/${prefix}`,
    async upload(file, signal) {
      const key = `${prefix}${path.basename(file)}`;
      await attempt(async () => {
        const upload = new Upload({
          client,
          params: { Bucket: bucket, Key: key, Body: fs.createReadStream(file) },
          partSize: PART_SIZE,
          queueSize: PARTS_IN_FLIGHT,
        });
        const onAbort = () => void upload.abort();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await upload.done();
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      }, signal);
      return copyOf(key, fs.statSync(file).size) as RemoteCopy;
    },
    async list() {
      const copies: RemoteCopy[] = [];
      let token: string | undefined;
      do {
        const page = await attempt(() =>
          client.send(new s3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
        );
        for (const object of page.Contents ?? []) {
          const copy = object.Key ? copyOf(object.Key, object.Size ?? 0) : null;
          if (copy) copies.push(copy);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return copies.sort((a, b) => (a.name < b.name ? 1 : -1));
    },
    async remove(copies) {
      // One request per key: DeleteObjects needs a Content-MD5 that some compatible stores
      // check differently, and retention removes one or two copies at a time.
      for (const copy of copies) await attempt(() => client.send(new s3.DeleteObjectCommand({ Bucket: bucket, Key: copy.key })));
    },
    async download(url, file) {
      const { bucket: from, key } = parseS3Url(url);
      await attempt(async () => {
        const object = await client.send(new s3.GetObjectCommand({ Bucket: from, Key: key }));
        await pipeline(object.Body as Readable, fs.createWriteStream(file));
      });
    },
    close: () => client.destroy(),
  };
}

/** An S3 request failed for good; the message names the operation's error, never a credential. */
export class S3StoreError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new Error(`not an s3://bucket/key address: ${url}`);
  return { bucket: match[1] as string, key: match[2] as string };
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const TRANSIENT_NAMES = new Set(['RequestTimeout', 'SlowDown', 'Throttling', 'ThrottlingException', 'InternalError', 'ServiceUnavailable']);

/** Network failures, throttling and 5xx are worth another try; 4xx (wrong bucket, refused key) are not. */
function isTransient(error: unknown): boolean {
  const sdk = error as SdkError;
  if (sdk?.name === 'AbortError') return false;
  const status = sdk?.$metadata?.httpStatusCode;
  if (status === undefined) return true;
  return status >= 500 || status === 429 || TRANSIENT_NAMES.has(sdk.name ?? '');
}

function describeS3Error(error: unknown, secrets: readonly string[]): string {
  const sdk = error as SdkError;
  const status = sdk?.$metadata?.httpStatusCode;
  // Network failures arrive as "AWS SDK error wrapper for Error: connect ECONNREFUSED ...".
  const message = (sdk?.message ?? String(error)).replace(/^AWS SDK error wrapper for /, '');
  const name = sdk?.name && sdk.name !== 'Error' && !message.startsWith(sdk.name) ? `${sdk.name}: ` : '';
  const text = `${name}${status ? `HTTP ${status}: ` : ''}${message}`;
  // Stores quote the access key id in some errors (InvalidAccessKeyId); no key reaches a log.
  return secrets.filter((secret) => secret.length > 0).reduce((message, secret) => message.split(secret).join('***'), text);
}
