import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnEntry, spawnServer } from '../support/spawn-app';
import { createScratchDatabase, testBackends } from '../support/test-databases';

const SUCCESS_FR = '✅ Utilisation du disque persistant Render: ';
const WARNING_FR = "⚠️  Disque persistant non trouvé. Les données peuvent être perdues lors d'un redéploiement.";

interface HealthBody {
  status: string;
  storage: Record<string, unknown>;
  warnings: string[];
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'crm-proc-'));
}

describe('the server process', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('falls back to ./data/crm.db with the exact warning when the disk folder is a plain folder', async () => {
    const cwd = tempDir();
    dirs.push(cwd);
    const plainDisk = path.join(cwd, 'persistent');
    fs.mkdirSync(plainDisk);
    const app = await spawnServer({ PERSISTENT_DISK_PATH: plainDisk }, cwd);
    try {
      expect(app.output().split('\n')).toContain(WARNING_FR);
      expect(fs.existsSync(path.join(cwd, 'data', 'crm.db'))).toBe(true);
      expect(fs.readdirSync(plainDisk)).toEqual([]);
      const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as HealthBody;
      expect(health.storage).toMatchObject({ persistent: false, reason: 'local-fallback' });
      expect(health.warnings).toContain(WARNING_FR);
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
  });

  it('prints the English warning with LOG_LANG=en and a banner on Render', async () => {
    const cwd = tempDir();
    dirs.push(cwd);
    const app = await spawnServer({ PERSISTENT_DISK_PATH: path.join(cwd, 'none'), LOG_LANG: 'en', RENDER: 'true' }, cwd);
    try {
      const lines = app.output().split('\n');
      const warnings = lines.filter((line) => line === '⚠️  Persistent disk not found. Data may be lost on redeploy.');
      expect(warnings.length).toBeGreaterThanOrEqual(3);
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  });

  it('writes every access line still batched when it stops on SIGTERM', async () => {
    const cwd = tempDir();
    dirs.push(cwd);
    const app = await spawnServer({ PERSISTENT_DISK_PATH: path.join(cwd, 'none') }, cwd);
    const ids = Array.from({ length: 7 }, (_, i) => `batched-line-${i}`);
    try {
      for (const id of ids) expect((await fetch(`${app.baseUrl}/health`, { headers: { 'X-Request-Id': id } })).status).toBe(200);
    } finally {
      // At once: the lines are still in the batch (written at least once a second otherwise).
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
    const accessLines = app
      .output()
      .split('\n')
      .filter((line) => line.includes('"msg":"request"'));
    for (const id of ids) expect(accessLines.filter((line) => line.includes(`"reqId":"${id}"`))).toHaveLength(1);
  });

  const shm = '/dev/shm';
  const shmMounted = fs.existsSync('/proc/self/mountinfo') && fs.readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${shm} `);
  (shmMounted ? it : it.skip)('uses a real mount point and prints the exact success line', async () => {
    const cwd = tempDir();
    dirs.push(cwd);
    const file = path.join(shm, 'crm.db');
    const existed = fs.existsSync(file);
    const app = await spawnServer({ PERSISTENT_DISK_PATH: shm, REQUIRE_PERSISTENT_STORAGE: 'true', RENDER: 'true' }, cwd);
    try {
      expect(app.output().split('\n')).toContain(`${SUCCESS_FR}${file}`);
      expect(app.output()).not.toContain('Disque persistant non trouvé');
      const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as HealthBody;
      expect(health).toMatchObject({
        status: 'ok',
        storage: { location: file, persistent: true, reason: 'persistent-disk' },
        warnings: [],
      });
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      if (!existed) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    }
  });

  it('refuses to start without persistent storage when REQUIRE_PERSISTENT_STORAGE=true', async () => {
    const cwd = tempDir();
    dirs.push(cwd);
    const app = spawnEntry('src/main.ts', [], { REQUIRE_PERSISTENT_STORAGE: 'true', PERSISTENT_DISK_PATH: path.join(cwd, 'x') }, cwd);
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/REQUIRE_PERSISTENT_STORAGE=true/);
    expect(app.output()).toMatch(/persistent disk mounted at .* or set DATABASE_URL/);
    expect(fs.existsSync(path.join(cwd, 'data'))).toBe(false);
  });

  (testBackends().includes('postgres') ? it : it.skip)('never shows the PostgreSQL password in logs or /health', async () => {
    const scratch = await createScratchDatabase('postgres');
    const url = new URL(scratch.env.DATABASE_URL ?? '');
    expect(url.password).not.toBe('');
    const app = await spawnServer({ DATABASE_URL: url.toString(), LOG_LEVEL: 'debug' });
    try {
      const health = await (await fetch(`${app.baseUrl}/health`)).text();
      expect(JSON.parse(health).storage.driver).toBe('postgres');
      expect(health).not.toContain(url.password);
      expect(app.output()).toContain(`@${url.host}${url.pathname}`);
      expect(app.output()).not.toContain(url.password);
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      await scratch.drop();
    }
  });

  (testBackends().includes('postgres') ? it : it.skip)(
    'keeps the password out of logs and /health when the database is unreachable',
    async () => {
      const app = spawnEntry('src/main.ts', [], { DATABASE_URL: 'postgres://crm:Unreachable-Secret-42@127.0.0.1:1/crm', PORT: '0' });
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain('start-up failed');
      expect(app.output()).not.toContain('Unreachable-Secret-42');
    },
  );
});
