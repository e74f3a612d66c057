import { v7 as uuidv7 } from 'uuid';
import { migrations } from '../../migrations';
import { clientToRow } from '../../src/db/tables/clients.table';
import { exchangeToRow } from '../../src/db/tables/exchanges.table';
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
      expect(report.trash).toMatchObject({ clients: 0, exchanges: 0, oldestDeletedAt: null, retentionDays: 30, overdue: false });
      if (backend === 'postgres') expect(doctor.output()).not.toContain(new URL(scratch.env.DATABASE_URL ?? '').password);

      // A trashed client with its exchange, 40 days old: past the 30-day retention, so the purge has not run.
      const database = scratch.open();
      try {
        const deletedAt = new Date(Date.now() - 40 * 86_400_000 - 3_600_000).toISOString();
        const client = {
          id: uuidv7(),
          name: 'Gone',
          email: null,
          phone: null,
          company: null,
          status: 'lead' as const,
          tags: [],
          notes: null,
          createdAt: '2020-01-01T00:00:00.000Z',
          updatedAt: '2020-01-01T00:00:00.000Z',
          version: 2,
        };
        const at = database.dialect.toDbTimestamp(deletedAt);
        await database.knex('clients_trash').insert({ ...clientToRow(client, database.dialect), deleted_at: at });
        const exchange = {
          id: uuidv7(),
          clientId: client.id,
          kind: 'call' as const,
          direction: null,
          subject: 'Bye',
          body: null,
          occurredAt: '2020-01-01T00:00:00.000Z',
          followUpAt: null,
          createdAt: '2020-01-01T00:00:00.000Z',
          updatedAt: '2020-01-01T00:00:00.000Z',
          version: 1,
        };
        await database
          .knex('exchanges_trash')
          .insert({ ...exchangeToRow(exchange, database.dialect), deleted_at: at, trashed_with_client: client.id });
        const text = spawnEntry(CRM, ['doctor'], scratch.env);
        expect(await text.exited).toBe(0);
        expect(text.output()).toMatch(
          new RegExp(
            `^Trash: +1 client\\(s\\), 1 exchange\\(s\\); oldest deleted 40 d 1 h ago \\(${deletedAt.slice(0, 16)}.*\\); kept 30 days$`,
            'm',
          ),
        );
        expect(text.output()).toMatch(/→ The trash holds records deleted 40 d 1 h ago, past TRASH_RETENTION_DAYS=30/);
        const json = spawnEntry(CRM, ['doctor', '--json'], { ...scratch.env, TRASH_RETENTION_DAYS: '60' });
        expect(await json.exited).toBe(0);
        expect(JSON.parse(json.output()).trash).toEqual({
          clients: 1,
          exchanges: 1,
          oldestDeletedAt: deletedAt,
          oldestAgeSeconds: expect.any(Number),
          retentionDays: 60,
          overdue: false,
        });
        await database.knex('exchanges_trash').delete();
        await database.knex('clients_trash').delete();
      } finally {
        await database.close();
      }

      const down = spawnEntry(CRM, ['migrate', 'down', '--all'], scratch.env);
      expect(await down.exited).toBe(0);
      // Every step, newest first.
      const steps = [...migrations].reverse().map((migration) => migration.name);
      expect(steps.slice(-3)).toEqual(['0003_create_idempotency_keys', '0002_create_exchanges', '0001_create_clients']);
      expect(down.output()).toMatch(new RegExp(`^Reverted: ${steps.join(', ')}$`, 'm'));
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
