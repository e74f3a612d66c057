import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { configSchema } from '../../src/config/schema';
import {
  configEnvNames,
  envVar,
  literalEnv,
  NODE_MAJOR,
  readBlueprint,
  REPO_ROOT,
  webService,
  type Blueprint,
  type BlueprintService,
} from './deploy-files';

// Values from Render's published Blueprint schema (render.com/schema/render.yaml.json). The
// full schema is checked by hand outside the project; these are the parts that matter here.
const RUNTIMES = ['docker', 'elixir', 'go', 'image', 'node', 'python', 'ruby', 'rust', 'static'];
const REGIONS = ['oregon', 'ohio', 'frankfurt', 'singapore', 'virginia'];
const SERVICE_KEYS = new Set([
  'type',
  'name',
  'region',
  'plan',
  'runtime',
  'repo',
  'branch',
  'image',
  'rootDir',
  'dockerCommand',
  'dockerContext',
  'dockerfilePath',
  'numInstances',
  'healthCheckPath',
  'scaling',
  'buildCommand',
  'startCommand',
  'preDeployCommand',
  'registryCredential',
  'domain',
  'domains',
  'envVars',
  'autoDeploy',
  'autoDeployTrigger',
  'initialDeployHook',
  'disk',
  'buildFilter',
  'previews',
  'maxShutdownDelaySeconds',
  'ipAllowList',
]);
const ENV_VAR_KEYS = new Set(['key', 'value', 'generateValue', 'sync', 'previewValue', 'fromDatabase', 'fromService', 'fromGroup']);
const DATABASE_PROPERTIES = ['connectionString', 'host', 'port', 'user', 'password', 'database'];
// Instance types that can attach a disk and run a pre-deploy command (the paid ones).
const PAID_PLANS = ['starter', 'standard', 'pro', 'pro plus', 'pro max', 'pro ultra'];
// Set by or for Render rather than read by the app's configuration.
const PLATFORM_ENV = new Set(['NODE_VERSION']);
// What the compiled server is: dist/ mirrors the repository (tsc rootDir ".").
const START_COMMAND = 'node dist/src/main.js';
// A Render generateValue secret: 256 random bits, base64.
const GENERATED_KEY = 'q0Xw3JrR8m6T1qgqkHqQm0m8V2S3f0YxWb7qj8rZb9Q=';

function sharedChecks(file: string, load: () => Blueprint) {
  describe(`${file} (shared by both blueprints)`, () => {
    const blueprint = load();
    const service = webService(blueprint);

    it('declares a Node web service with only keys Render knows', () => {
      expect(service).toMatchObject({ type: 'web', runtime: 'node' });
      expect(RUNTIMES).toContain(service.runtime);
      expect(typeof service.name).toBe('string');
      for (const key of Object.keys(service)) expect(SERVICE_KEYS).toContain(key);
      if (service.region !== undefined) expect(REGIONS).toContain(service.region);
    });

    it('runs on a paid plan (disks and pre-deploy commands are not on the free plan)', () => {
      expect(PAID_PLANS).toContain(service.plan);
    });

    it('builds with dev dependencies even though NODE_ENV=production is set at build time', () => {
      expect(envVar(service, 'NODE_ENV')?.value).toBe('production');
      // A plain `npm ci` honours NODE_ENV=production and skips TypeScript: the build would fail.
      expect(service.buildCommand).toMatch(/\bnpm ci\b[^&]*--include=dev/);
      expect(service.buildCommand).toMatch(/\bnpm run build\b/);
    });

    it('starts the compiled server directly, not through npm start (prestart would rebuild)', () => {
      expect(service.startCommand).toBe(START_COMMAND);
      expect(fs.existsSync(path.join(REPO_ROOT, 'src', 'main.ts'))).toBe(true);
    });

    it('checks health on the path the app serves without auth', () => {
      expect(service.healthCheckPath).toBe('/health');
    });

    it('pins the Node major version of .node-version', () => {
      expect(NODE_MAJOR).toMatch(/^\d+$/);
      expect(String(envVar(service, 'NODE_VERSION')?.value)).toBe(NODE_MAJOR);
    });

    it('generates API_KEYS instead of committing one', () => {
      const keys = envVar(service, 'API_KEYS');
      expect(keys).toEqual({ key: 'API_KEYS', generateValue: true });
    });

    it('writes every env var well: known keys, string values, each set once', () => {
      const seen = new Set<string>();
      for (const variable of service.envVars ?? []) {
        for (const key of Object.keys(variable)) expect(ENV_VAR_KEYS).toContain(key);
        expect(seen.has(variable.key)).toBe(false);
        seen.add(variable.key);
        // A YAML `true` or `22` unquoted would still pass Render, but quoting keeps what the app reads obvious.
        if (variable.value !== undefined) expect(typeof variable.value).toBe('string');
      }
    });

    it('sets only environment variables the app reads (a typo would be silently ignored)', () => {
      const known = configEnvNames();
      for (const variable of service.envVars ?? []) {
        if (!PLATFORM_ENV.has(variable.key)) expect(known).toContain(variable.key);
      }
    });

    it('points fromDatabase references at a database the blueprint declares', () => {
      const declared = new Set((blueprint.databases ?? []).map((database) => database.name));
      for (const variable of service.envVars ?? []) {
        if (!variable.fromDatabase) continue;
        expect(declared).toContain(variable.fromDatabase.name);
        expect(DATABASE_PROPERTIES).toContain(variable.fromDatabase.property);
      }
    });
  });
}

/** The configuration the app would load on Render with this service's environment. */
function configOnRender(service: BlueprintService, extra: Record<string, string> = {}) {
  return loadConfig({ env: { ...literalEnv(service), API_KEYS: GENERATED_KEY, RENDER: 'true', ...extra } });
}

sharedChecks('render.yaml', () => readBlueprint('render.yaml'));
sharedChecks('render.postgres.yaml', () => readBlueprint('render.postgres.yaml'));

describe('render.yaml: SQLite on a persistent disk', () => {
  const service = webService(readBlueprint('render.yaml'));

  it('mounts the disk where the app looks for it by default', () => {
    expect(service.disk?.mountPath).toBe(configSchema.database.persistentDiskPath.default);
    expect(service.disk?.name).toEqual(expect.any(String));
    expect(service.disk?.sizeGB).toBe(1);
  });

  it('is accepted by the strict configuration, which then finds the disk at the mount path', () => {
    const config = configOnRender(service);
    expect(config.env).toBe('production');
    expect(config.database.persistentDiskPath).toBe(service.disk?.mountPath);
    expect(config.database.url).toBe('');
    expect(config.database.sqlitePath).toBe('');
  });

  it('refuses to start without the disk, and migrates at start-up (the build cannot see the disk)', () => {
    const config = configOnRender(service);
    expect(config.database.requirePersistentStorage).toBe(true);
    expect(config.database.migrateOnStart).toBe(true);
    expect(service.preDeployCommand).toBeUndefined();
  });

  it('runs one instance: a disk belongs to a single instance', () => {
    expect(service.numInstances ?? 1).toBe(1);
    expect(service.scaling).toBeUndefined();
  });
});

describe.each(['render.yaml', 'render.postgres.yaml'])('%s: backups', (file) => {
  const service = webService(readBlueprint(file));

  it('documents the off-site backup settings and leaves the bucket and the credentials to the dashboard', () => {
    for (const key of ['BACKUP_S3_BUCKET', 'BACKUP_S3_ENDPOINT', 'BACKUP_S3_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      expect(envVar(service, key)).toEqual({ key, sync: false });
    }
    expect(envVar(service, 'BACKUP_S3_PREFIX')?.value).toMatch(/\/$/);
  });

  it('is accepted by the strict configuration with the dashboard fields filled in', () => {
    const config = configOnRender(service, {
      DATABASE_URL: file === 'render.yaml' ? '' : 'postgresql://crm:secret@dpg-example-a/crm',
      BACKUP_S3_BUCKET: 'crm-backups',
      BACKUP_S3_ENDPOINT: 'https://0123456789abcdef.r2.cloudflarestorage.com',
      BACKUP_S3_REGION: 'auto',
      AWS_ACCESS_KEY_ID: 'key-id',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(config.backup.s3).toMatchObject({ bucket: 'crm-backups', region: 'auto', prefix: 'crm-backups/' });
    expect(config.backup.keep).toBe(7);
    if (file === 'render.yaml') expect(config.backup.interval).toBe(24 * 60 * 60 * 1000);
  });
});

describe('render.postgres.yaml: Render Postgres', () => {
  const blueprint = readBlueprint('render.postgres.yaml');
  const service = webService(blueprint);
  const databaseUrl = envVar(service, 'DATABASE_URL');

  it('declares a Render Postgres database and takes DATABASE_URL from its connection string', () => {
    expect(blueprint.databases).toHaveLength(1);
    const database = blueprint.databases![0]!;
    expect(databaseUrl?.fromDatabase).toEqual({ name: database.name, property: 'connectionString' });
    // The internal URL only resolves inside the database's region.
    expect(database.region).toBe(service.region);
  });

  it('has no disk and allows more than one instance', () => {
    expect(service.disk).toBeUndefined();
    const instances = service.scaling?.maxInstances ?? service.numInstances ?? 1;
    expect(instances).toBeGreaterThan(1);
  });

  it('migrates in the pre-deploy command, before new instances start', () => {
    expect(service.preDeployCommand).toMatch(/\bmigrate\b.*\bup\b/);
  });

  it('keeps the service name of render.yaml, so switching files updates the same service', () => {
    expect(service.name).toBe(webService(readBlueprint('render.yaml')).name);
  });

  it('is accepted by the strict configuration and selects PostgreSQL', () => {
    const config = configOnRender(service, { DATABASE_URL: 'postgresql://crm:secret@dpg-example-a/crm' });
    expect(config.database.url).toMatch(/^postgresql:/);
    expect(config.database.requirePersistentStorage).toBe(false);
  });
});
