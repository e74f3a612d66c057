import knexFactory from 'knex';
import request from 'supertest';
import { openDatabase } from '../../src/db/open-database';
import { redactDatabaseUrl } from '../../src/storage/storage-target';
import { API_KEY } from '../support/api-harness';
import { spawnEntry, spawnServer } from '../support/spawn-app';
import { createScratchDatabase, testBackends, testConfig } from '../support/test-databases';
import { AUTH, JSON_AUTH, reportResult } from './support/api-client';
import { appWithLogs } from './support/in-process-app';

const withPostgres = testBackends().includes('postgres') ? it : it.skip;

describe('secrets stay out of logs, errors and /health', () => {
  it('when the database is unreachable from the start (in process, every log line captured)', async () => {
    const password = 'Unreachable-Db-Secret-7731';
    const url = `postgres://crm:${password}@127.0.0.1:1/crm`;
    const database = openDatabase(
      { driver: 'postgres', url, location: redactDatabaseUrl(url), persistent: true, reason: 'database-url' },
      testConfig({ DATABASE_URL: url }).database,
    );
    try {
      const { app, logs } = appWithLogs(database, { DATABASE_URL: url });
      const agent = request(app.callback());
      const answers = [
        await agent.get('/health'),
        await agent.get('/api/v1/clients').set(AUTH),
        await agent.post('/api/v1/clients').set(JSON_AUTH).send({ name: 'x' }),
        await agent.get(`/api/v1/clients?q=${encodeURIComponent(API_KEY)}`).set(AUTH),
      ];
      expect(answers.map((a) => a.status)).toEqual([503, 500, 500, 500]);
      for (const answer of answers) {
        expect(answer.text).not.toContain(password);
        expect(answer.text).not.toContain(API_KEY);
        // A 500 shows no stack, SQL or driver message either.
        expect(answer.text).not.toMatch(/ECONNREFUSED|select |at .*\.ts:\d+/i);
      }
      expect(logs.lines.length).toBeGreaterThan(4);
      expect(logs.text()).not.toContain(password);
      expect(logs.text()).not.toContain(API_KEY);
    } finally {
      await database.close();
    }
  });

  withPostgres('when the database goes away while the server runs (whole process output at trace level)', async () => {
    const scratch = await createScratchDatabase('postgres');
    const url = new URL(scratch.env.DATABASE_URL ?? '');
    const password = decodeURIComponent(url.password);
    expect(password).not.toBe('');
    const app = await spawnServer({ DATABASE_URL: url.toString(), API_KEYS: API_KEY, LOG_LEVEL: 'trace' });
    const bodies: string[] = [];
    let exit: number | string = 'running';
    try {
      const created = await fetch(`${app.baseUrl}/api/v1/clients`, {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({ name: 'Before' }),
      });
      expect(created.status).toBe(201);
      await fetch(`${app.baseUrl}/api/v1/clients`, { headers: { Authorization: `Bearer ${API_KEY.slice(0, -1)}0` } });
      // The database disappears under the running server (terminating its connections).
      const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL, pool: { min: 0, max: 1 } });
      try {
        await admin.raw(`DROP DATABASE IF EXISTS ${url.pathname.slice(1)} WITH (FORCE)`);
      } finally {
        await admin.destroy();
      }
      const health = await fetch(`${app.baseUrl}/health`);
      expect(health.status).toBe(503);
      bodies.push(await health.text());
      for (const path of ['/api/v1/clients', '/api/v1/exchanges']) {
        const res = await fetch(`${app.baseUrl}${path}`, { headers: AUTH });
        expect(res.status).toBe(500);
        bodies.push(await res.text());
      }
    } finally {
      app.child.kill('SIGTERM');
      exit = await app.exited;
      await scratch.drop();
    }
    for (const body of bodies) {
      expect(body).not.toContain(password);
      expect(body).not.toContain(API_KEY);
    }
    expect(app.output()).toContain('"msg":"request failed"');
    expect(app.output()).not.toContain(password);
    expect(app.output()).not.toContain(API_KEY);
    reportResult(
      `security secrets: database dropped under a running server -> /health 503, API 500, ${app.output().split('\n').length} log lines at trace, password/API key found=0, exit=${exit}`,
    );
  });

  it.each([
    ['one short key', 'short-key-1234567890'],
    ['a good key and a short one', `${API_KEY},tiny-secret-42`],
  ])('refuses to start with %s, naming the rule but not the key', async (_label, keys) => {
    const app = spawnEntry('src/main.ts', [], { API_KEYS: keys, PORT: '0', SQLITE_PATH: ':memory:' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/API_KEYS: 1 key\(s\) shorter than 32 characters/);
    for (const key of keys.split(',')) expect(app.output()).not.toContain(key);
    expect(app.output()).not.toContain('"msg":"listening"');
  });

  it('does not print a database password from a malformed DATABASE_URL', async () => {
    const app = spawnEntry('src/main.ts', [], { DATABASE_URL: 'mysql://crm:Malformed-Url-Secret-55@db.internal/crm', PORT: '0' });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/DATABASE_URL/);
    expect(app.output()).not.toContain('Malformed-Url-Secret-55');
  });
});
