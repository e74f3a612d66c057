import request from 'supertest';
import { createApp } from '../../src/app';
import { verifyDatabases } from '../../src/db/copy/copy-database';
import { openCopyEndpoint } from '../../src/db/copy/open-endpoint';
import type { Database } from '../../src/db/open-database';
import { createLogger } from '../../src/logging/create-logger';
import { allRows, CRM_TABLES, crmRowCount, fillCrmDatabase, locationOf } from '../support/copy-fixtures';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, testConfig, type Backend, type ScratchDatabase } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';
const KEY = 'copy-test-key-0123456789abcdef0123456789';
const bothBackends = testBackends().length === 2;
const DIRECTIONS: Array<[Backend, Backend]> = [
  ['sqlite', 'postgres'],
  ['postgres', 'sqlite'],
];

function api(database: Database) {
  const app = createApp({
    config: testConfig({ API_KEYS: KEY }),
    logger: createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'fr' } }),
    database,
  });
  const agent = request(app.callback());
  return {
    get: (path: string) => agent.get(path).set('Authorization', `Bearer ${KEY}`),
    post: (path: string, body: object) => agent.post(path).set('Authorization', `Bearer ${KEY}`).send(body),
  };
}

(bothBackends ? describe.each(DIRECTIONS) : describe.skip.each(DIRECTIONS))('crm db copy from %s to %s', (from, to) => {
  let source: ScratchDatabase;
  let sourceDb: Database;
  const cleanup: Array<() => Promise<void>> = [];

  async function freshTarget(): Promise<{ scratch: ScratchDatabase; open: () => Database }> {
    const scratch = await createScratchDatabase(to);
    cleanup.push(() => scratch.drop());
    return {
      scratch,
      open: () => {
        const database = scratch.open();
        cleanup.unshift(() => database.close());
        return database;
      },
    };
  }

  beforeAll(async () => {
    source = await createScratchDatabase(from);
    sourceDb = source.open();
    // A few thousand rows: enough batches at a small --batch-size to stop a copy in the middle.
    await fillCrmDatabase(sourceDb, { clients: 60, exchanges: 2500 });
  });
  afterAll(async () => {
    for (const step of cleanup.splice(0)) await step();
    await sourceDb.close();
    await source.drop();
  });

  it('copies every row with equal checksums; independent reads and the API agree; a corrupted row is caught', async () => {
    const target = await freshTarget();
    // Batches of 7 cut through composite keys (client_tags, idempotency_keys) at odd places.
    const copy = spawnEntry(CRM, ['db', 'copy', '--from', locationOf(source), '--to', locationOf(target.scratch), '--batch-size', '7'], {});
    expect(await copy.exited).toBe(0);
    for (const table of CRM_TABLES)
      expect(copy.output()).toMatch(new RegExp(`^${table}\\s+[\\d,]+\\s+[\\d,]+\\s+match [0-9a-f]{12}$`, 'm'));
    expect(copy.output()).toMatch(/✓ Copied and verified/);
    // The fixture's trash and history (no seeded record has any): the copy is not vacuous there.
    expect(copy.output()).toMatch(/^clients_trash\s+1\s+1\s+match/m);
    expect(copy.output()).toMatch(/^exchanges_trash\s+3\s+3\s+match/m);
    expect(copy.output()).toMatch(/^history\s+5\s+5\s+match/m);
    const passwords = [locationOf(source), locationOf(target.scratch)].flatMap((url) =>
      url.startsWith('postgres') ? [new URL(url).password] : [],
    );
    for (const password of passwords.filter(Boolean)) expect(copy.output()).not.toContain(password);

    const targetDb = target.open();
    for (const table of CRM_TABLES) expect(await allRows(targetDb, table)).toEqual(await allRows(sourceDb, table));
    const [before, after] = [api(sourceDb), api(targetDb)];
    for (const path of ['/api/v1/clients?limit=100&sort=name', '/api/v1/exchanges?limit=100', '/api/v1/clients?q=helene']) {
      const [expected, actual] = [await before.get(path), await after.get(path)];
      expect(actual.status).toBe(200);
      expect(actual.body).toEqual(expected.body);
    }
    // Writes right after the switch: nothing (ids, sequences) collides with the copied rows.
    const created = await after.post('/api/v1/clients', { name: 'Après la copie', tags: ['vip'] });
    expect(created.status).toBe(201);
    expect((await after.post(`/api/v1/clients/${created.body.id}/exchanges`, { kind: 'call', subject: 'Bienvenue' })).status).toBe(201);
    await targetDb.knex('idempotency_keys').where('key', 'alpha-key').delete();
    // Exchanges first: on PostgreSQL their foreign key does not cascade.
    await targetDb.knex('exchanges').where('client_id', created.body.id).delete();
    await targetDb.knex('clients').where('id', created.body.id).delete();

    const [anExchange] = await targetDb.knex('exchanges').select('id').orderBy('id').limit(1);
    await targetDb.knex('exchanges').where('id', anExchange.id).update({ subject: 'tampered' });
    // The trash and the history are checksummed like the live tables.
    await targetDb
      .knex('exchanges_trash')
      .whereNull('trashed_with_client')
      .update({ deleted_at: targetDb.dialect.toDbTimestamp('2026-11-01T00:00:00.001Z') });
    await targetDb.knex('history').where({ version: 2, action: 'updated' }).update({ changes: '{"notes":{"from":null,"to":"tampered"}}' });
    const endpoints = [
      openCopyEndpoint(source.target, testConfig(), 'source'),
      openCopyEndpoint(target.scratch.target, testConfig(), 'target'),
    ] as const;
    try {
      const report = await verifyDatabases(endpoints[0], endpoints[1], { batchSize: 100 });
      const verdict = Object.fromEntries(
        report.tables.map((t) => [t.table, t.sourceChecksum === t.targetChecksum && t.sourceRows === t.targetRows]),
      );
      expect(verdict).toEqual({
        clients: true,
        client_tags: true,
        exchanges: false,
        idempotency_keys: false,
        clients_trash: true,
        exchanges_trash: false,
        history: false,
        webhooks: true,
        webhook_events: true,
        webhook_deliveries: true,
        import_jobs: true,
        import_job_changes: true,
      });
    } finally {
      for (const endpoint of endpoints) await endpoint.close();
    }
    const verify = spawnEntry(CRM, ['db', 'copy', '--verify-only', '--from', locationOf(source), '--to', locationOf(target.scratch)], {});
    expect(await verify.exited).toBe(1);
    expect(verify.output()).toMatch(/^exchanges\s+[\d,]+\s+[\d,]+\s+MISMATCH$/m);
    expect(verify.output()).toMatch(/^history\s+[\d,]+\s+[\d,]+\s+MISMATCH$/m);
    expect(verify.output()).toMatch(/^clients_trash\s+1\s+1\s+match [0-9a-f]{12}$/m);
    expect(verify.output()).toMatch(/✗ Source and target differ/);
  });

  it('a copy killed half-way leaves the target without CRM rows, and a rerun succeeds', async () => {
    const target = await freshTarget();
    const args = ['db', 'copy', '--from', locationOf(source), '--to', locationOf(target.scratch), '--batch-size', '5'];
    const doomed = spawnEntry(CRM, args, {});
    await doomed.waitForOutput(/copying: [1-9][\d,]* \//);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    expect(doomed.output()).not.toMatch(/Copied and verified/);
    const targetDb = target.open();
    expect(await crmRowCount(targetDb)).toBe(0);

    const rerun = spawnEntry(CRM, args, {});
    expect(await rerun.exited).toBe(0);
    expect(await crmRowCount(targetDb)).toBe(await crmRowCount(sourceDb));
  });
});
