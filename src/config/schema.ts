/**
 * The allowed values of a setting, as a mutable array (convict's typings take no readonly one)
 * whose element type keeps the literals, so that the Config type can be derived from it.
 */
function oneOf<const Value extends string>(...values: Value[]): Value[] {
  return values;
}

/**
 * The configuration schema: every setting, its environment variable and its default. Files in
 * config/ may override the defaults; environment variables override the files. `as const` keeps
 * each format literal: the Config type (config.ts) is derived from them.
 */
export const configSchema = {
  env: {
    doc: 'Runtime environment',
    format: oneOf('production', 'development', 'test'),
    default: 'development',
    env: 'NODE_ENV',
  },
  server: {
    port: { doc: 'HTTP port', format: 'port', default: 3000, env: 'PORT' },
    host: { doc: 'Interface to listen on', format: String, default: '0.0.0.0', env: 'HOST' },
    bodyLimit: { doc: 'Largest accepted request body', format: 'byte-size', default: '1mb', env: 'BODY_LIMIT' },
    corsOrigins: { doc: 'Origins allowed by CORS (comma-separated)', format: 'comma-list', default: [] as string[], env: 'CORS_ORIGINS' },
    rateLimitPerMinute: { doc: 'Requests per minute per API key, 0 = off', format: 'nat', default: 0, env: 'RATE_LIMIT_PER_MINUTE' },
    readOnly: {
      doc: 'Refuse writes with 503 (used while switching databases)',
      format: 'strict-boolean',
      default: false,
      env: 'READ_ONLY',
    },
    shutdownTimeoutMs: {
      doc: 'How long in-flight requests may run after SIGTERM',
      format: 'nat',
      default: 10000,
      env: 'SHUTDOWN_TIMEOUT_MS',
    },
  },
  database: {
    url: {
      doc: 'PostgreSQL connection URL; when set, PostgreSQL is used',
      format: 'postgres-url',
      default: '',
      env: 'DATABASE_URL',
      sensitive: true,
    },
    ssl: {
      doc: 'TLS to PostgreSQL: auto follows sslmode in the URL',
      format: oneOf('auto', 'true', 'false', 'no-verify'),
      default: 'auto',
      env: 'DATABASE_SSL',
    },
    poolMax: { doc: 'PostgreSQL pool size', format: 'nat', default: 10, env: 'DATABASE_POOL_MAX' },
    sqlitePath: { doc: 'Explicit SQLite file path', format: String, default: '', env: 'SQLITE_PATH' },
    persistentDiskPath: {
      doc: 'Mount path of the Render persistent disk',
      format: String,
      default: '/opt/render/project/persistent',
      env: 'PERSISTENT_DISK_PATH',
    },
    requirePersistentStorage: {
      doc: 'Refuse to start on storage a redeploy would wipe',
      format: 'strict-boolean',
      default: false,
      env: 'REQUIRE_PERSISTENT_STORAGE',
    },
    sqliteSynchronous: {
      doc: 'SQLite synchronous pragma',
      format: oneOf('FULL', 'NORMAL', 'EXTRA', 'OFF'),
      default: 'FULL',
      env: 'SQLITE_SYNCHRONOUS',
    },
    migrateOnStart: { doc: 'Apply pending migrations at start-up', format: 'strict-boolean', default: true, env: 'MIGRATE_ON_START' },
  },
  auth: {
    apiKeys: {
      doc: 'Accepted API keys (comma-separated)',
      format: 'comma-list',
      default: [] as string[],
      env: 'API_KEYS',
      sensitive: true,
    },
    disabled: { doc: 'Serve /api/v1 without keys, even in production', format: 'strict-boolean', default: false, env: 'AUTH_DISABLED' },
  },
  log: {
    level: {
      doc: 'Log level',
      format: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
      default: 'info',
      env: 'LOG_LEVEL',
    },
    format: {
      doc: 'json or pretty; empty = json in production, pretty elsewhere',
      format: oneOf('', 'json', 'pretty'),
      default: '',
      env: 'LOG_FORMAT',
    },
    lang: { doc: 'Language of the operator storage lines', format: oneOf('fr', 'en'), default: 'fr', env: 'LOG_LANG' },
  },
  backup: {
    interval: {
      doc: 'Time between scheduled backups (6h, 30m, 1s); 0 = off; unset = 24h on a persistent disk or with BACKUP_S3_BUCKET, off otherwise',
      format: 'duration',
      default: null,
      env: 'BACKUP_INTERVAL',
    },
    keep: { doc: 'Backups kept, locally and in the bucket, the newest first', format: 'positive-int', default: 7, env: 'BACKUP_KEEP' },
    dir: {
      doc: 'Folder of the local backups; empty = backups/ beside the SQLite file, or data/backups',
      format: String,
      default: '',
      env: 'BACKUP_DIR',
    },
    s3: {
      bucket: { doc: 'S3-compatible bucket for off-site copies; empty = none', format: String, default: '', env: 'BACKUP_S3_BUCKET' },
      endpoint: { doc: 'S3 endpoint URL (R2, B2, MinIO); empty = AWS', format: String, default: '', env: 'BACKUP_S3_ENDPOINT' },
      region: { doc: 'S3 region (auto for Cloudflare R2)', format: String, default: 'us-east-1', env: 'BACKUP_S3_REGION' },
      prefix: { doc: 'Key prefix of the copies in the bucket', format: String, default: '', env: 'BACKUP_S3_PREFIX' },
      forcePathStyle: {
        doc: 'Address the bucket in the path (MinIO-like stores) rather than in the host name',
        format: 'strict-boolean',
        default: false,
        env: 'BACKUP_S3_FORCE_PATH_STYLE',
      },
      accessKeyId: {
        doc: 'S3 access key id; empty = the AWS SDK default chain',
        format: String,
        default: '',
        env: 'AWS_ACCESS_KEY_ID',
        sensitive: true,
      },
      secretAccessKey: { doc: 'S3 secret access key', format: String, default: '', env: 'AWS_SECRET_ACCESS_KEY', sensitive: true },
    },
  },
  trash: {
    retentionDays: {
      doc: 'Days a deleted client or exchange stays in the trash before it is purged; 0 = a delete is immediate and permanent',
      format: 'days',
      default: 30,
      env: 'TRASH_RETENTION_DAYS',
    },
  },
  webhooks: {
    timeoutMs: {
      doc: 'How long a webhook endpoint has to answer a delivery, in milliseconds',
      format: 'positive-int',
      default: 10000,
      env: 'WEBHOOK_TIMEOUT_MS',
    },
    retryDelays: {
      doc: 'Delays before each new attempt of a failed delivery (with jitter); after the last one it is marked failed',
      format: 'duration-list',
      default: [5_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 50_400_000] as number[],
      env: 'WEBHOOK_RETRY_DELAYS',
    },
    allowPrivateNetworks: {
      doc: 'Deliver to loopback, private and link-local addresses (tests, private setups)',
      format: 'strict-boolean',
      default: false,
      env: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS',
    },
    logRetentionDays: {
      doc: 'Days delivered and failed deliveries stay in the delivery log',
      format: 'days',
      default: 14,
      env: 'WEBHOOK_LOG_RETENTION_DAYS',
    },
  },
  imports: {
    bodyLimit: { doc: 'Largest accepted CSV upload', format: 'byte-size', default: '20mb', env: 'IMPORT_BODY_LIMIT' },
  },
  phone: {
    defaultRegion: {
      doc: 'Country assumed for phone numbers written without an international prefix (ISO 3166 code), for duplicate detection',
      format: 'phone-region',
      default: 'FR',
      env: 'PHONE_DEFAULT_REGION',
    },
  },
  platform: {
    render: { doc: 'Set by Render on its machines', format: 'strict-boolean', default: false, env: 'RENDER' },
  },
} as const;
