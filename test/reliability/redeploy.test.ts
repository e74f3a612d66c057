import fs from 'node:fs';
import path from 'node:path';
import { API_KEY } from '../support/api-harness';
import { AUTH, listAll, postJson, reportResult, type ClientRecord } from './support/api-client';
import { buildApp, deployTo, startBuilt } from './support/built-app';

const REDEPLOYS = 5;
const CLIENTS_PER_DEPLOY = 10;
const WARNING_FR = "⚠️  Disque persistant non trouvé. Les données peuvent être perdues lors d'un redéploiement.";

// /dev/shm is a real mount point (tmpfs) on Linux machines and CI: it stands for Render's disk.
// A folder below it is not itself a mount point, so the database goes there through
// SQLITE_PATH, which counts as persistent when it lies below a mounted volume.
const SHM = '/dev/shm';
const shmMounted = fs.existsSync('/proc/self/mountinfo') && / \/dev\/shm /.test(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
if (!shmMounted) process.stderr.write('redeploy test skipped: /dev/shm is not a mount point on this machine\n');

describe('redeploys of the built app', () => {
  let build: string;
  const cleanup: string[] = [];
  beforeAll(() => {
    build = buildApp();
    cleanup.push(build);
  }, 60_000);
  afterAll(() => cleanup.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  (shmMounted ? it : it.skip)('keep everything written before each deploy when the database is on the disk', async () => {
    const disk = fs.mkdtempSync(path.join(SHM, 'crm-redeploy-'));
    cleanup.push(disk);
    const env = { API_KEYS: API_KEY, SQLITE_PATH: path.join(disk, 'crm.db'), REQUIRE_PERSISTENT_STORAGE: 'true' };
    const written: ClientRecord[] = [];
    const missing: string[] = [];
    for (let deploy = 0; deploy <= REDEPLOYS; deploy += 1) {
      // A fresh app folder each time; the previous one is gone, as on Render.
      const dir = deployTo(build);
      const app = startBuilt(dir, env);
      try {
        const baseUrl = await app.baseUrl;
        const health = (await (await fetch(`${baseUrl}/health`)).json()) as { storage: { persistent: boolean }; warnings: string[] };
        expect(health.storage.persistent).toBe(true);
        expect(health.warnings).toEqual([]);
        const stored = new Map((await listAll<ClientRecord>(baseUrl, 'clients')).map((c) => [c.id, c]));
        for (const client of written) if (JSON.stringify(stored.get(client.id)) !== JSON.stringify(client)) missing.push(client.id);
        for (let i = 0; i < CLIENTS_PER_DEPLOY; i += 1) {
          const res = await postJson<ClientRecord>(`${baseUrl}/api/v1/clients`, {
            name: `Déploiement ${deploy} n°${i}`,
            tags: [`deploy-${deploy}`],
          });
          expect(res.status).toBe(201);
          written.push(res.body);
        }
      } finally {
        expect(await app.stop()).toBe(0);
        fs.rmSync(dir, { recursive: true, force: true });
      }
      expect(app.output()).not.toContain('Disque persistant non trouvé');
    }
    const checked = written.length - CLIENTS_PER_DEPLOY;
    reportResult(
      `redeploy disk: deploys=${REDEPLOYS + 1} (initial + ${REDEPLOYS}) records checked after redeploys=${checked} lost=${missing.length}`,
    );
    expect(missing).toEqual([]);
  });

  it('without a disk: warns with the exact line, loses the data at the next deploy, and refuses to start when persistence is required', async () => {
    const countAfterDeploys: number[] = [];
    for (let deploy = 0; deploy < 2; deploy += 1) {
      const dir = deployTo(build);
      cleanup.push(dir);
      // The folder exists (as on a service with no disk attached) but is not a mount point.
      const plainFolder = path.join(dir, 'persistent');
      fs.mkdirSync(plainFolder);
      const app = startBuilt(dir, { API_KEYS: API_KEY, PERSISTENT_DISK_PATH: plainFolder });
      try {
        const baseUrl = await app.baseUrl;
        expect(app.output().split('\n')).toContain(WARNING_FR);
        const before = await fetch(`${baseUrl}/api/v1/clients?limit=100`, { headers: AUTH });
        countAfterDeploys.push(((await before.json()) as { data: unknown[] }).data.length);
        expect((await postJson(`${baseUrl}/api/v1/clients`, { name: `Éphémère ${deploy}` })).status).toBe(201);
      } finally {
        expect(await app.stop()).toBe(0);
      }
    }
    // What the guide warns about: the app folder's ./data/crm.db did not survive the deploy.
    expect(countAfterDeploys).toEqual([0, 0]);

    const dir = deployTo(build);
    cleanup.push(dir);
    const refused = startBuilt(dir, {
      API_KEYS: API_KEY,
      PERSISTENT_DISK_PATH: path.join(dir, 'persistent'),
      REQUIRE_PERSISTENT_STORAGE: 'true',
    });
    const code = await refused.exited;
    expect(code).toBe(1);
    expect(refused.output()).toMatch(/REQUIRE_PERSISTENT_STORAGE=true/);
    expect(refused.output()).toMatch(/DATABASE_URL/);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
    reportResult(
      `redeploy no-disk: warning shown, records after next deploy=${countAfterDeploys[1]} (lost, as the guide warns), REQUIRE_PERSISTENT_STORAGE=true exit=${code}`,
    );
  });
});
