import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logging/create-logger';
import { webhookBody } from '../factories/webhooks';
import { API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends, testConfig, useMigratedScratchDatabase } from '../support/test-databases';

/** What a subscription may not be: each refusal names its field and changes nothing. */
describe.each(testBackends())('webhooks API input on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend);
  });
  afterAll(async () => {
    await api.close();
  });

  const errorPaths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((error) => error.path);
  const create = async (overrides: Record<string, unknown> = {}) =>
    (await api.post('/api/v1/webhooks', webhookBody(overrides)).expect(201)).body as { description: string | null };

  describe('refuses bad input with a 422 naming the field', () => {
    it.each([
      ['no url', { url: undefined }, 'url'],
      ['a url that is not text', { url: 42 }, 'url'],
      ['a relative url', { url: '/hook' }, 'url'],
      ['not a url', { url: 'nope' }, 'url'],
      ['another scheme', { url: 'ftp://hooks.example.com/x' }, 'url'],
      ['a javascript: url', { url: 'javascript:alert(1)' }, 'url'],
      ['credentials in the url', { url: 'https://user:pass@hooks.example.com/x' }, 'url'],
      ['a user name in the url', { url: 'https://user@hooks.example.com/x' }, 'url'],
      ['a url over 2048 characters', { url: `https://hooks.example.com/${'a'.repeat(2030)}` }, 'url'],
      ['spaces around the url', { url: ' https://hooks.example.com/x' }, 'url'],
      ['a line break in the url', { url: 'https://hooks.exa\nmple.com/x' }, 'url'],
      ['loopback', { url: 'http://127.0.0.1:8080/hook' }, 'url'],
      ['loopback as one number', { url: 'http://2130706433/' }, 'url'],
      ['IPv6 loopback', { url: 'http://[::1]/hook' }, 'url'],
      ['IPv4-mapped loopback', { url: 'http://[::ffff:127.0.0.1]/hook' }, 'url'],
      ['a private address', { url: 'https://10.1.2.3/hook' }, 'url'],
      ['a private address (192.168)', { url: 'https://192.168.1.10/hook' }, 'url'],
      ['the cloud metadata address', { url: 'http://169.254.169.254/latest/meta-data' }, 'url'],
      ['unique-local IPv6', { url: 'http://[fd00::1]/hook' }, 'url'],
      ['the unspecified address', { url: 'http://0.0.0.0/hook' }, 'url'],
      ['localhost', { url: 'http://localhost:3000/hook' }, 'url'],
      ['a localhost subdomain', { url: 'http://api.localhost/hook' }, 'url'],
      ['no events', { events: undefined }, 'events'],
      ['an empty events list', { events: [] }, 'events'],
      ['events as text', { events: 'client.created' }, 'events'],
      ['an unknown event type', { events: ['client.created', 'client.exploded'] }, 'events.1'],
      ['webhook.test (not subscribable)', { events: ['webhook.test'] }, 'events.0'],
      ['"*" with other types', { events: ['*', 'client.created'] }, 'events'],
      ['a repeated event type', { events: ['client.created', 'client.created'] }, 'events'],
      ['a description over 500 characters', { description: 'x'.repeat(501) }, 'description'],
      ['a description that is not text', { description: 12 }, 'description'],
      ['active that is not a boolean', { active: 'yes' }, 'active'],
      ['a secret of its own', { secret: 'whsec_bWluZQ==' }, 'secret'],
      ['an unknown field', { evnts: ['*'] }, 'evnts'],
    ])('%s', async (_label, overrides, path) => {
      const before = (await api.get('/api/v1/webhooks?limit=100').expect(200)).body.data.length;
      const res = await api.post('/api/v1/webhooks', webhookBody(overrides)).expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res.body)).toEqual([path]);
      expect((await api.get('/api/v1/webhooks?limit=100').expect(200)).body.data).toHaveLength(before);
    });

    it('a body that is not an object (422) or not JSON (400)', async () => {
      await api.post('/api/v1/webhooks', ['https://hooks.example.com']).expect(422);
      const res = await api.post('/api/v1/webhooks').set('Content-Type', 'application/json').send('{"url":').expect(400);
      expect(res.body.code).toBe('malformed_json');
    });

    it('accepts a description of 500 characters and a public IPv6 literal', async () => {
      const made = await create({ description: 'é'.repeat(500), url: 'https://[2606:4700:4700::1111]/hook' });
      expect(made.description).toHaveLength(500);
    });
  });
});

describe('webhook secrets and the logs', () => {
  const scratch = useMigratedScratchDatabase('sqlite', 'all');

  it('never writes a secret to a log line, on create, replay, rotation or a failed request', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      { env: 'test', log: { level: 'debug', format: 'json', lang: 'en' } },
      { write: (line: string) => lines.push(line) },
    );
    // Built after the hooks have opened the database.
    const agent = () => request(createApp({ config: testConfig({ API_KEYS: API_KEY }), logger, database: scratch.database }).callback());
    const post = (path: string, body?: object) => agent().post(path).set('Authorization', `Bearer ${API_KEY}`).send(body);
    const created = await post('/api/v1/webhooks', webhookBody()).set('Idempotency-Key', 'log-check').expect(201);
    await post('/api/v1/webhooks', webhookBody()).set('Idempotency-Key', 'log-check').expect(201);
    const rotated = await post(`/api/v1/webhooks/${created.body.id}/rotate-secret`).expect(200);
    await post('/api/v1/webhooks', webhookBody({ secret: rotated.body.secret })).expect(422);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const secret of [created.body.secret, rotated.body.secret]) {
      expect(lines.filter((line) => line.includes(secret) || line.includes(secret.slice('whsec_'.length)))).toEqual([]);
    }
  });
});

describe.each(testBackends())('webhooks API with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend, { env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it.each([['http://127.0.0.1:9/hook'], ['http://localhost:3000/hook'], ['http://[::1]/hook'], ['https://10.0.0.5/x']])(
    'accepts %s',
    async (url) => {
      expect((await api.post('/api/v1/webhooks', webhookBody({ url })).expect(201)).body.url).toBe(url);
    },
  );

  it('still refuses what is not an http(s) URL, and credentials', async () => {
    await api.post('/api/v1/webhooks', webhookBody({ url: 'file:///etc/passwd' })).expect(422);
    await api.post('/api/v1/webhooks', webhookBody({ url: 'http://a:b@127.0.0.1/' })).expect(422);
  });
});
