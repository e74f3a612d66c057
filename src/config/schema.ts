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
  platform: {
    render: { doc: 'Set by Render on its machines', format: 'strict-boolean', default: false, env: 'RENDER' },
  },
} as const;
