import { API_KEY } from '../support/api-harness';
import { spawnServer } from '../support/spawn-app';
import { createScratchDatabase, testBackends } from '../support/test-databases';

const auth = { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' };

async function createClient(baseUrl: string, name: string): Promise<{ id: string; name: string }> {
  const res = await fetch(`${baseUrl}/api/v1/clients`, { method: 'POST', headers: auth, body: JSON.stringify({ name }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; name: string };
}

describe.each(testBackends())('restarts on %s', (backend) => {
  it('sees after a restart every write acknowledged before SIGTERM', async () => {
    const scratch = await createScratchDatabase(backend);
    const env = { ...scratch.env, API_KEYS: API_KEY };
    try {
      const first = await spawnServer(env);
      const created = await Promise.all(['Anaïs', 'Björn', 'Çelik', 'Dàvid'].map((name) => createClient(first.baseUrl, name)));
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(first.output()).toContain('"msg":"stopped"');

      const second = await spawnServer(env);
      try {
        for (const client of created) {
          const res = await fetch(`${second.baseUrl}/api/v1/clients/${client.id}`, { headers: auth });
          expect(res.status).toBe(200);
          expect(((await res.json()) as { name: string }).name).toBe(client.name);
        }
      } finally {
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      }
    } finally {
      await scratch.drop();
    }
  });
});

(testBackends().includes('postgres') ? describe : describe.skip)('two servers on one empty PostgreSQL database', () => {
  it('both become healthy, each migration is recorded once, and they share the data', async () => {
    const scratch = await createScratchDatabase('postgres');
    const env = { ...scratch.env, API_KEYS: API_KEY };
    try {
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      try {
        for (const server of [a, b]) expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
        const db = scratch.open();
        try {
          const rows: Array<{ name: string }> = await db.knex('crm_migrations').select('name');
          const names = rows.map((r) => r.name);
          expect(names.length).toBe(new Set(names).size);
          expect((await db.migrator.status()).pending).toEqual([]);
        } finally {
          await db.close();
        }
        const created = await createClient(a.baseUrl, 'Shared');
        const read = await fetch(`${b.baseUrl}/api/v1/clients/${created.id}`, { headers: auth });
        expect(read.status).toBe(200);
      } finally {
        a.child.kill('SIGTERM');
        b.child.kill('SIGTERM');
        expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
      }
    } finally {
      await scratch.drop();
    }
  });
});
