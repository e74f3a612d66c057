import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { MountProbe } from '../../src/storage/mount-probe';
import type { StorageTarget } from '../../src/storage/storage-target';
import { findUnservedSqlite, unservedSqliteAdvice } from '../../src/storage/switch-guard';
import { fillCrmDatabase } from '../support/copy-fixtures';
import { spawnEntry, spawnServer } from '../support/spawn-app';
import { createScratchDatabase, testBackends, testConfig, type ScratchDatabase } from '../support/test-databases';

const POSTGRES: StorageTarget = {
  driver: 'postgres',
  url: 'postgres://crm:pw@db/crm',
  location: 'postgres://crm@db/crm',
  persistent: true,
  reason: 'database-url',
};

function crmFile(dir: string, clients: number): string {
  const file = path.join(dir, 'crm.db');
  const db = new Sqlite(file);
  db.exec('CREATE TABLE clients (id TEXT PRIMARY KEY); CREATE TABLE exchanges (id TEXT PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO clients VALUES (?)');
  for (let i = 0; i < clients; i++) insert.run(`c${i}`);
  db.close();
  return file;
}

describe('switch guard: rows left in SQLite after DATABASE_URL is set', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-guard-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('finds the crm.db of a mounted disk, SQLITE_PATH and ./data/crm.db, only when they hold rows', () => {
    const [disk, explicit, cwd] = [tempDir(), tempDir(), tempDir()];
    crmFile(disk, 3);
    const emptyFile = crmFile(explicit, 0);
    fs.mkdirSync(path.join(cwd, 'data'));
    crmFile(path.join(cwd, 'data'), 1);
    const mounted: MountProbe = { isMountPoint: (dir) => dir === disk, isWritable: () => true };
    const config = testConfig({ PERSISTENT_DISK_PATH: disk, SQLITE_PATH: emptyFile });

    const found = findUnservedSqlite(config, POSTGRES, mounted, cwd);
    expect(found).toEqual([
      { path: path.join(disk, 'crm.db'), clients: 3, exchanges: 0 },
      { path: path.join(cwd, 'data', 'crm.db'), clients: 1, exchanges: 0 },
    ]);
    // A plain folder at the disk path is not the disk; SQLite in use means nothing is unserved.
    expect(findUnservedSqlite(config, POSTGRES, { ...mounted, isMountPoint: () => false }, cwd)).toHaveLength(1);
    const sqlite: StorageTarget = { driver: 'sqlite', path: emptyFile, location: emptyFile, persistent: false, reason: 'sqlite-path' };
    expect(findUnservedSqlite(config, sqlite, mounted, cwd)).toEqual([]);

    const advice = unservedSqliteAdvice(found[0] as (typeof found)[number]);
    expect(advice).toContain(`db copy --from ${path.join(disk, 'crm.db')} --to "$DATABASE_URL"`);
    expect(advice).toMatch(/3 client\(s\) and 0 exchange\(s\) that are NOT being served/);
  });
});

(testBackends().includes('postgres') ? describe : describe.skip)('switch guard in the server and crm doctor', () => {
  let sqlite: ScratchDatabase;
  let postgres: ScratchDatabase;
  beforeAll(async () => {
    [sqlite, postgres] = [await createScratchDatabase('sqlite'), await createScratchDatabase('postgres')];
    const database = sqlite.open();
    await fillCrmDatabase(database, { clients: 5, exchanges: 20 });
    await database.close();
  });
  afterAll(async () => {
    await sqlite.drop();
    await postgres.drop();
  });

  it('logs at start-up that the SQLite rows are not served and how to copy them; doctor advises the same', async () => {
    const file = sqlite.target.driver === 'sqlite' ? sqlite.target.path : '';
    const env = { ...postgres.env, SQLITE_PATH: file };
    const password = new URL(postgres.env.DATABASE_URL ?? '').password;
    const server = await spawnServer(env);
    try {
      const line =
        server
          .output()
          .split('\n')
          .find((text) => text.includes('"unservedSqlite"')) ?? '';
      expect(JSON.parse(line)).toMatchObject({ level: 40, unservedSqlite: { path: file, clients: 6, exchanges: 21 } });
      expect(line).toContain(`db copy --from ${file} --to \\"$DATABASE_URL\\"`);
      if (password) expect(server.output()).not.toContain(password);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const json = spawnEntry('src/cli/crm.ts', ['doctor', '--json'], env);
    await json.exited;
    const report = JSON.parse(json.output());
    expect(report.advice).toEqual(
      expect.arrayContaining([expect.stringContaining(`${file} holds 6 client(s) and 21 exchange(s) that are NOT being served`)]),
    );
    const text = spawnEntry('src/cli/crm.ts', ['doctor'], env);
    await text.exited;
    expect(text.output()).toContain(`→ The SQLite database ${file} holds 6 client(s)`);
    expect(text.output()).toContain(`--to "$DATABASE_URL"`);
    if (password) expect(text.output() + json.output()).not.toContain(password);
  });
});
