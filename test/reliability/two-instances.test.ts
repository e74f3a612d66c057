import { API_KEY } from '../support/api-harness';
import { spawnServer } from '../support/spawn-app';
import { createScratchDatabase, testBackends } from '../support/test-databases';
import { AUTH, JSON_AUTH, reportResult, type ClientRecord } from './support/api-client';
import { sameJson } from './support/write-ledger';

const KEYS = 25;

interface Answer {
  status: number;
  replayed: boolean;
  body: ClientRecord;
}

async function post(baseUrl: string, key: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${baseUrl}/api/v1/clients`, {
    method: 'POST',
    headers: { ...JSON_AUTH, 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('Idempotent-Replayed') === 'true', body: (await res.json()) as ClientRecord };
}

// PostgreSQL mode is the one Render may scale out; SQLite on a disk runs a single instance.
(testBackends().includes('postgres') ? describe : describe.skip)('two instances on one PostgreSQL database', () => {
  it('start together on an empty database, migrate once, share data and honour idempotency keys across instances', async () => {
    const scratch = await createScratchDatabase('postgres');
    const env = { ...scratch.env, API_KEYS: API_KEY };
    try {
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      try {
        for (const server of [a, b]) expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
        const db = scratch.open();
        let migrations: string[];
        try {
          migrations = (await db.knex('crm_migrations').select('name')).map((row: { name: string }) => row.name);
        } finally {
          await db.close();
        }
        expect(migrations.length).toBeGreaterThan(0);
        expect(new Set(migrations).size).toBe(migrations.length);

        // The same key and body sent to both instances at the same moment: one record, and
        // both callers get the same answer (one of them as a replay).
        const runs = await Promise.all(
          Array.from({ length: KEYS }, async (_, i) => {
            const body = { name: `Twin ${i}`, tags: ['twin'] };
            const [first, second] = await Promise.all([post(a.baseUrl, `twin-key-${i}`, body), post(b.baseUrl, `twin-key-${i}`, body)]);
            return { first, second };
          }),
        );
        for (const { first, second } of runs) {
          expect([first.status, second.status]).toEqual([201, 201]);
          expect(sameJson(first.body, second.body)).toBe(true);
          expect([first.replayed, second.replayed].filter(Boolean)).toHaveLength(1);
        }
        const listed = await fetch(`${b.baseUrl}/api/v1/clients?tag=twin&limit=100`, { headers: AUTH });
        const twins = ((await listed.json()) as { data: ClientRecord[] }).data;
        expect(twins).toHaveLength(KEYS);

        // Another body under a used key is refused whichever instance sees it.
        const reused = await post(b.baseUrl, 'twin-key-0', { name: 'Someone else' });
        expect(reused.status).toBe(422);
        expect((reused.body as unknown as { code: string }).code).toBe('idempotency_conflict');

        // A write through one instance is read, updated and seen through the other.
        const created = runs[0]?.first.body as ClientRecord;
        const patch = await fetch(`${b.baseUrl}/api/v1/clients/${created.id}`, {
          method: 'PATCH',
          headers: { ...JSON_AUTH, 'If-Match': `"${created.version}"` },
          body: JSON.stringify({ status: 'customer' }),
        });
        expect(patch.status).toBe(200);
        const readBack = (await (await fetch(`${a.baseUrl}/api/v1/clients/${created.id}`, { headers: AUTH })).json()) as ClientRecord;
        expect(readBack).toMatchObject({ status: 'customer', version: created.version + 1 });

        reportResult(
          `two-instances postgres: both healthy, migrations recorded=${migrations.length} (each once), ` +
            `idempotent keys sent to both at once=${KEYS} -> records=${twins.length}, replays=${KEYS}`,
        );
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
