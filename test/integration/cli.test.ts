import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';

describe.each(testBackends())('crm migrate and doctor on %s', (backend) => {
  it('reports, applies and reverts migrations with meaningful exit codes', async () => {
    const scratch = await createScratchDatabase(backend);
    try {
      const pending = spawnEntry(CRM, ['migrate', 'status'], scratch.env);
      expect(await pending.exited).toBe(1);
      expect(pending.output()).toMatch(/pending {2}0001_create_clients/);

      const doctorBefore = spawnEntry(CRM, ['doctor', '--json'], scratch.env);
      expect(await doctorBefore.exited).toBe(1);
      const before = JSON.parse(doctorBefore.output());
      expect(before.problems.join(' ')).toMatch(/migration\(s\) pending/);

      const up = spawnEntry(CRM, ['migrate', 'up'], scratch.env);
      expect(await up.exited).toBe(0);
      expect(up.output()).toMatch(/^Applied: 0001_create_clients, /);

      const doctor = spawnEntry(CRM, ['doctor', '--json'], scratch.env);
      // A temp file is not on a persistent disk: advice, but not a failure off Render.
      expect(await doctor.exited).toBe(0);
      const report = JSON.parse(doctor.output());
      expect(report).toMatchObject({ ok: true, storage: { driver: backend }, integrity: [] });
      expect(report.sizeBytes).toBeGreaterThan(0);
      if (backend === 'postgres') expect(doctor.output()).not.toContain(new URL(scratch.env.DATABASE_URL ?? '').password);

      const down = spawnEntry(CRM, ['migrate', 'down', '--all'], scratch.env);
      expect(await down.exited).toBe(0);
      expect(down.output()).toMatch(
        /^Reverted: 0006_client_search_statistics, 0005_client_search_scan_index, 0004_client_search_index, 0003_/,
      );
    } finally {
      await scratch.drop();
    }
  });
});

describe('crm usage errors', () => {
  it.each([[['migrate', 'sideways']], [['migrate', 'down', '--step', 'two']], [['no-such-command']]])('exits 2 for %j', async (args) => {
    const child = spawnEntry(CRM, args, { SQLITE_PATH: '/tmp/crm-cli-usage-never-created.db' });
    expect(await child.exited).toBe(2);
  });

  it('exits 1 on Render without a disk, explaining why', async () => {
    const child = spawnEntry(CRM, ['doctor'], { RENDER: 'true', PERSISTENT_DISK_PATH: '/nonexistent-disk', SQLITE_PATH: '' }, '/tmp');
    expect(await child.exited).toBe(1);
    expect(child.output()).toMatch(/Persistent: {2}NO/);
    expect(child.output()).toMatch(/Running on Render without persistent storage/);
  });
});
