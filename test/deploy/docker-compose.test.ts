import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { configSchema } from '../../src/config/schema';
import {
  composeEnv,
  composePorts,
  composeVolumes,
  configEnvNames,
  readYaml,
  REPO_ROOT,
  type ComposeFile,
  type ComposeService,
} from './deploy-files';

const compose = readYaml<ComposeFile>('docker-compose.yml');
const services = compose.services;
const APP_PORT = configSchema.server.port.default;
const DISK_PATH = configSchema.database.persistentDiskPath.default;

/** The service that runs the official PostgreSQL image. */
function databaseService(): [string, ComposeService] {
  const found = Object.entries(services).filter(([, service]) => /^postgres:/.test(service.image ?? ''));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Services built from the project's Dockerfile: the app, in each of its modes. */
const appServices = Object.entries(services).filter(([, service]) => service.build !== undefined);

function buildContext(service: ComposeService): { context: string; dockerfile: string } {
  if (typeof service.build === 'string') return { context: service.build, dockerfile: 'Dockerfile' };
  return { context: service.build?.context ?? '.', dockerfile: service.build?.dockerfile ?? 'Dockerfile' };
}

function isNamedVolume(source: string): boolean {
  return source !== '' && !source.startsWith('.') && !source.startsWith('/') && !source.startsWith('~');
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 16 from the official image, on a named volume, with a pg_isready healthcheck', () => {
    const [, db] = databaseService();
    expect(db.image).toBe('postgres:16');
    const data = composeVolumes(db).find((volume) => volume.target === '/var/lib/postgresql/data');
    expect(data && isNamedVolume(data.source)).toBe(true);
    expect(Object.keys(compose.volumes ?? {})).toContain(data!.source);
    const test = [db.healthcheck?.test ?? []].flat().join(' ');
    expect(test).toMatch(/pg_isready/);
  });

  it('builds the app services from the project Dockerfile', () => {
    expect(appServices.map(([name]) => name)).toEqual(expect.arrayContaining(['app', 'app-sqlite']));
    for (const [, service] of appServices) {
      const { context, dockerfile } = buildContext(service);
      expect(fs.existsSync(path.join(REPO_ROOT, context, dockerfile))).toBe(true);
    }
  });

  it("points the app's DATABASE_URL at the db service with the db's own credentials", () => {
    const [dbName, db] = databaseService();
    const dbEnv = composeEnv(db);
    const url = new URL(composeEnv(services.app!).DATABASE_URL ?? '');
    expect(['postgres:', 'postgresql:']).toContain(url.protocol);
    expect(url.hostname).toBe(dbName);
    // Inside the compose network the container port counts, not the host mapping.
    expect(url.port === '' || url.port === '5432').toBe(true);
    expect(decodeURIComponent(url.username)).toBe(dbEnv.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(dbEnv.POSTGRES_PASSWORD);
    // The image names the database after the user when POSTGRES_DB is unset.
    expect(url.pathname.slice(1)).toBe(dbEnv.POSTGRES_DB ?? dbEnv.POSTGRES_USER);
  });

  it('starts the app only once the database is healthy', () => {
    const [dbName] = databaseService();
    expect(services.app!.depends_on).toEqual({ [dbName]: expect.objectContaining({ condition: 'service_healthy' }) });
  });

  it('publishes the app on port 3000, and the SQLite variant on another host port', () => {
    const app = composePorts(services.app!);
    const sqlite = composePorts(services['app-sqlite']!);
    expect(app).toContainEqual({ published: '3000', target: APP_PORT });
    expect(sqlite.map((port) => port.target)).toContain(APP_PORT);
    expect(sqlite.map((port) => port.published)).not.toContain('3000');
  });

  it('gives every app service a configuration the app accepts, with a development key of 32+ characters', () => {
    const known = configEnvNames();
    for (const [, service] of appServices) {
      const env = composeEnv(service);
      for (const key of Object.keys(env)) expect(known).toContain(key);
      const keys = (env.API_KEYS ?? '').split(',').filter(Boolean);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key.length).toBeGreaterThanOrEqual(32);
      expect(() => loadConfig({ env })).not.toThrow();
    }
  });

  it('runs the sqlite profile on SQLite with a named volume at the Render disk path', () => {
    const service = services['app-sqlite']!;
    expect(service.profiles).toEqual(['sqlite']);
    const env = composeEnv(service);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SQLITE_PATH).toBeUndefined();
    // A named volume is a real mount point, so the app's disk detection accepts it as on Render.
    const disk = composeVolumes(service).find((volume) => volume.target === DISK_PATH);
    expect(disk && isNamedVolume(disk.source)).toBe(true);
    expect(Object.keys(compose.volumes ?? {})).toContain(disk!.source);
    expect(loadConfig({ env }).database.requirePersistentStorage).toBe(true);
  });

  it('keeps the default services out of profiles, so `docker compose up` starts db and app', () => {
    expect(services.db!.profiles).toBeUndefined();
    expect(services.app!.profiles).toBeUndefined();
  });
});
