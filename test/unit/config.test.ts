import type { Config } from '../../src/config/config';
import { ConfigError, loadConfig } from '../../src/config/load-config';
import { spawnEntry } from '../support/spawn-app';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.server.port).toBe(3000);
    expect(config.database.sqliteSynchronous).toBe('FULL');
    expect(config.database.persistentDiskPath).toBe('/opt/render/project/persistent');
    expect(config.database.migrateOnStart).toBe(true);
    expect(config.server.bodyLimit).toBe('1mb');
    expect(config.log.lang).toBe('fr');
  });

  it('lets environment variables override files and parses lists and booleans', () => {
    const config = loadConfig({
      env: {
        PORT: '8080',
        API_KEYS: ` ${'a'.repeat(32)} , ${'b'.repeat(40)},, `,
        READ_ONLY: 'yes',
        MIGRATE_ON_START: 'false',
        LOG_LANG: 'en',
      },
    });
    expect(config.server.port).toBe(8080);
    expect(config.auth.apiKeys).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
    expect(config.server.readOnly).toBe(true);
    expect(config.database.migrateOnStart).toBe(false);
    expect(config.log.lang).toBe('en');
  });

  it('is typed by the schema: each format gives its value type', () => {
    // Checked by the compiler (npm run typecheck); the assertions only keep the values honest.
    const config: Config = loadConfig({ env: {} });
    const port: number = config.server.port;
    const readOnly: boolean = config.server.readOnly;
    const origins: readonly string[] = config.server.corsOrigins;
    const ssl: 'auto' | 'true' | 'false' | 'no-verify' = config.database.ssl;
    const env: 'production' | 'development' | 'test' = config.env;
    const host: string = config.server.host;
    // @ts-expect-error a setting outside the allowed values is not a valid Config value
    const wrongLang: Config['log']['lang'] = 'de';
    expect([port, readOnly, origins, ssl, env, host]).toEqual([3000, false, [], 'auto', 'development', '0.0.0.0']);
    expect(wrongLang).toBe('de');
  });

  it('returns a frozen object', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config.server)).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['LOG_LANG', 'de'],
    ['DATABASE_URL', 'mysql://x'],
    ['SQLITE_SYNCHRONOUS', 'SOMETIMES'],
    ['READ_ONLY', 'maybe'],
    ['DATABASE_POOL_MAX', '-3'],
    ['BODY_LIMIT', 'huge'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(new RegExp(`${name}: `));
  });

  it('keeps deleted records 30 days by default; TRASH_RETENTION_DAYS takes a whole number of days, 0 included', () => {
    expect(loadConfig({ env: {} }).trash.retentionDays).toBe(30);
    expect(loadConfig({ env: { TRASH_RETENTION_DAYS: '0' } }).trash.retentionDays).toBe(0);
    expect(loadConfig({ env: { TRASH_RETENTION_DAYS: ' 90 ' } }).trash.retentionDays).toBe(90);
    expect(loadConfig({ env: { TRASH_RETENTION_DAYS: '36500' } }).trash.retentionDays).toBe(36500);
    const days: number = loadConfig({ env: {} }).trash.retentionDays;
    expect(days).toBe(30);
  });

  it('reads the webhook, import and phone settings with their documented defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.webhooks).toEqual({
      timeoutMs: 10000,
      retryDelays: [5_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 50_400_000],
      allowPrivateNetworks: false,
      logRetentionDays: 14,
    });
    expect(config.imports.bodyLimit).toBe('20mb');
    expect(config.phone.defaultRegion).toBe('FR');
    const custom = loadConfig({
      env: { WEBHOOK_RETRY_DELAYS: '1s, 2s,1m', PHONE_DEFAULT_REGION: 'be', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
    });
    expect(custom.webhooks.retryDelays).toEqual([1000, 2000, 60_000]);
    expect(custom.webhooks.allowPrivateNetworks).toBe(true);
    expect(custom.phone.defaultRegion).toBe('BE');
  });

  it.each([
    ['WEBHOOK_RETRY_DELAYS', '5s,soon', /WEBHOOK_RETRY_DELAYS: must be a comma-separated list of durations/],
    ['WEBHOOK_RETRY_DELAYS', '5s,0', /WEBHOOK_RETRY_DELAYS: must be a comma-separated list of durations/],
    ['PHONE_DEFAULT_REGION', 'france', /PHONE_DEFAULT_REGION: must be a country code/],
    ['WEBHOOK_TIMEOUT_MS', '0', /WEBHOOK_TIMEOUT_MS: must be a whole number of at least 1/],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(message);
  });

  it.each(['-1', '1.5', '30d', 'thirty', '', '36501', '1e3'])('rejects TRASH_RETENTION_DAYS=%j naming the variable', (value) => {
    expect(() => loadConfig({ env: { TRASH_RETENTION_DAYS: value } })).toThrow(
      /^Invalid configuration: TRASH_RETENTION_DAYS: must be a whole number of days from 0 to 36500/,
    );
  });

  it('refuses API keys shorter than 32 characters without echoing them', () => {
    expect(() => loadConfig({ env: { API_KEYS: 'short-secret-key' } })).toThrow(/API_KEYS: 1 key\(s\) shorter than 32/);
    expect(() => loadConfig({ env: { API_KEYS: 'short-secret-key' } })).not.toThrow(/short-secret-key/);
  });

  it('refuses production without an API key unless AUTH_DISABLED=true', () => {
    expect(() => loadConfig({ env: { NODE_ENV: 'production' } })).toThrow(/API_KEYS: NODE_ENV=production needs/);
    expect(loadConfig({ env: { NODE_ENV: 'production', AUTH_DISABLED: 'true' } }).auth.disabled).toBe(true);
    expect(loadConfig({ env: { NODE_ENV: 'production', API_KEYS: 'k'.repeat(32) } }).auth.apiKeys).toHaveLength(1);
  });

  it('never repeats a secret value in its error', () => {
    let message = '';
    try {
      loadConfig({ env: { DATABASE_URL: 'mysql://user:hunter2secret@db/x' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('hunter2secret');
  });
});

describe('the server process with a bad configuration', () => {
  it.each([
    ['PORT', 'abc'],
    ['LOG_LANG', 'de'],
    ['DATABASE_URL', 'mysql://x'],
    ['SQLITE_SYNCHRONOUS', 'SOMETIMES'],
  ])('exits 1 with one readable line for %s=%s', async (name, value) => {
    const app = spawnEntry('src/main.ts', [], { [name]: value });
    expect(await app.exited).toBe(1);
    const lines = app.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${name}: `));
    expect(app.output()).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });
});
