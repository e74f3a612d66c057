import request from 'supertest';
import { migrations } from '../../migrations';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logging/create-logger';
import { testBackends, testConfig, useMigratedScratchDatabase } from '../support/test-databases';

const silent = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'fr' } });

describe.each(testBackends())('GET /health on %s', (backend) => {
  const db = useMigratedScratchDatabase(backend);

  const app = (warnings: string[] = []) =>
    createApp({ config: testConfig(), logger: silent, database: db.database, storageWarnings: warnings }).callback();

  it('reports the storage and migrations', async () => {
    const res = await request(app()).get('/health').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      status: 'ok',
      storage: {
        driver: backend,
        persistent: db.scratch.target.persistent,
        location: db.scratch.target.location,
        reason: db.scratch.target.reason,
      },
      migrations: { applied: migrations.length, pending: 0, current: migrations.at(-1)?.name },
      backup: null,
      webhooks: { active: 0, deactivated: 0, pendingDeliveries: 0, oldestPendingSeconds: null },
      warnings: [],
    });
  });

  it('says when migrations are pending', async () => {
    await db.database.migrator.down();
    const res = await request(app()).get('/health').expect(200);
    expect(res.body.migrations).toMatchObject({ applied: migrations.length - 1, pending: 1 });
    expect(res.body.warnings).toContain('1 migration(s) pending');
  });

  it('carries standing storage warnings', async () => {
    const res = await request(app(['no disk']))
      .get('/health')
      .expect(200);
    expect(res.body.warnings).toEqual(['no disk']);
  });

  it('answers 503 problem details when the database is gone', async () => {
    const handler = app(['no disk']);
    await db.database.close();
    const res = await request(handler).get('/health').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, code: 'service_unavailable', title: 'Service unavailable', warnings: ['no disk'] });
    expect(res.body.storage.location).toBe(db.scratch.target.location);
  });
});

describe('the HTTP skeleton', () => {
  const db = useMigratedScratchDatabase('sqlite', 'all');
  const app = () => createApp({ config: testConfig(), logger: silent, database: db.database }).callback();

  it('answers an unknown route with a 404 problem', async () => {
    const res = await request(app()).get('/no/such/thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:crm:problem:not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      detail: 'No route matches this path',
    });
  });

  it('answers a known route with a wrong method with 405 and Allow', async () => {
    const res = await request(app()).delete('/health').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body.code).toBe('method_not_allowed');
  });

  it('echoes a well-formed X-Request-Id and replaces a hostile one', async () => {
    const given = await request(app()).get('/health').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const hostile = await request(app()).get('/health').set('X-Request-Id', 'a b<script>');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
  });

  it('gives every request without an id a new one', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, async () => (await request(app()).get('/health')).headers['x-request-id'] as string),
    );
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
  });

  it('closes the connection after each response once the server drains, and only then', async () => {
    let draining = false;
    const callback = createApp({ config: testConfig(), logger: silent, database: db.database, isDraining: () => draining }).callback();
    const before = await request(callback).get('/health').set('Connection', 'keep-alive');
    expect(before.headers.connection).not.toBe('close');
    draining = true;
    const after = await request(callback).get('/health').set('Connection', 'keep-alive');
    expect(after.status).toBe(200);
    expect(after.headers.connection).toBe('close');
  });

  it('sends nosniff and no X-Powered-By', async () => {
    const res = await request(app()).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
