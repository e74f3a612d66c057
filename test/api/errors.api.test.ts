import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { clientBody } from '../factories/clients';
import { API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `urn:crm:problem:${code}` });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
}

describe.each(testBackends())('problem details on %s', (backend) => {
  let api: ApiHarness;
  let clientId: string;
  beforeAll(async () => {
    api = await startApiHarness(backend, { env: { BODY_LIMIT: '16kb' } });
    clientId = (await api.post('/api/v1/clients', clientBody()).expect(201)).body.id;
  });
  afterAll(async () => {
    await api.close();
  });

  describe('authentication', () => {
    it.each([
      ['no header', undefined],
      ['a wrong key', `Bearer ${'x'.repeat(40)}`],
      ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ['an empty bearer', 'Bearer '],
      ['the key with a prefix', `Bearer x${API_KEY}`],
    ])('refuses %s with 401 and WWW-Authenticate', async (_label, header) => {
      const test = api.raw().get('/api/v1/clients');
      const res = await (header ? test.set('Authorization', header) : test);
      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    });

    it('leaves /health, /openapi.json public', async () => {
      await api.raw().get('/health').expect(200);
      await api.raw().get('/openapi.json').expect(200);
    });
  });

  it('answers malformed JSON with 400 malformed_json', async () => {
    const res = await api.post('/api/v1/clients').set('Content-Type', 'application/json').send('{"name": "x",');
    expectProblem(res, 400, 'malformed_json');
  });

  it('answers a non-JSON body with 415', async () => {
    const res = await api.post('/api/v1/clients').set('Content-Type', 'text/plain').send('name=x');
    expectProblem(res, 415, 'unsupported_media_type');
    const form = await api.post('/api/v1/clients').type('form').send({ name: 'x' });
    expectProblem(form, 415, 'unsupported_media_type');
  });

  it('answers a body over BODY_LIMIT with 413', async () => {
    const res = await api.post('/api/v1/clients', { name: 'big', notes: 'x'.repeat(20_000) });
    expectProblem(res, 413, 'payload_too_large');
  });

  it.each([
    ['an unknown field', { name: 'A', emial: 'a@b.c' }, 'emial'],
    ['a prototype key', JSON.parse('{"name":"A","__proto__":{"admin":true}}'), '__proto__'],
    ['a constructor key', { name: 'A', constructor: 'x' }, 'constructor'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a missing name', { email: 'a@b.c' }, 'name'],
    ['a name too long', { name: 'n'.repeat(201) }, 'name'],
    ['a bad email', { name: 'A', email: 'not-an-email' }, 'email'],
    ['a bad status', { name: 'A', status: 'vip' }, 'status'],
    ['tags not a list', { name: 'A', tags: 'vip' }, 'tags'],
    ['a repeated tag', { name: 'A', tags: ['x', 'x'] }, 'tags'],
    ['a number as name', { name: 42 }, 'name'],
    ['a NUL character', { name: 'A\u0000B' }, 'name'],
    ['a lone surrogate', JSON.parse('{"name":"A\\ud800B"}'), 'name'],
    ['a huge number', { name: 'A', notes: 1e308 }, 'notes'],
    ['deep nesting', { name: 'A', notes: JSON.parse('['.repeat(500) + ']'.repeat(500)) }, 'notes'],
  ])('answers %s with 422 naming the field', async (_label, body, path) => {
    const res = await api.post('/api/v1/clients', body);
    expectProblem(res, 422, 'validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it.each([
    ['an array', [{ name: 'A' }]],
    ['a string', 'A'],
    ['null', null],
  ])('answers a JSON body that is %s with 422', async (_label, body) => {
    const res = await api.post('/api/v1/clients').set('Content-Type', 'application/json').send(JSON.stringify(body));
    expectProblem(res, 422, 'validation_failed');
  });

  it('answers an empty POST body with 422', async () => {
    const res = await api.post('/api/v1/clients').set('Content-Type', 'application/json');
    expectProblem(res, 422, 'validation_failed');
  });

  it('answers a null for a required PATCH field with 422', async () => {
    const res = await api.patch(`/api/v1/clients/${clientId}`, { name: null });
    expectProblem(res, 422, 'validation_failed');
  });

  it.each([
    ['PUT', `/api/v1/clients/CLIENT`, 'DELETE, GET, HEAD, PATCH'],
    ['DELETE', '/api/v1/clients', 'GET, HEAD, POST'],
    ['POST', '/api/v1/exchanges', 'GET, HEAD'],
    ['PUT', '/api/v1/clients/CLIENT/exchanges', 'GET, HEAD, POST'],
  ])('answers %s %s with 405 and Allow', async (method, path, allow) => {
    const res = await api
      .raw()
      [method.toLowerCase() as 'put' | 'delete' | 'post'](path.replace('CLIENT', clientId))
      .set('Authorization', `Bearer ${API_KEY}`);
    expectProblem(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toBe(allow);
  });

  it('answers an unknown route with 404', async () => {
    expectProblem(await api.get('/api/v1/nothing-here'), 404, 'not_found');
    expectProblem(await api.get('/api/v2/clients'), 404, 'not_found');
  });

  it('answers a database failure with a bare 500 (no SQL, stack or path)', async () => {
    const broken = await startApiHarness(backend);
    await broken.database.knex.schema.dropTable('exchanges');
    const res = await broken.get('/api/v1/exchanges');
    await broken.close();
    expectProblem(res, 500, 'internal_error');
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/select|exchanges|sqlite|relation|\/work|node_modules|\.ts:|at /i);
  });
});

describe('modes', () => {
  it('READ_ONLY=true answers writes with 503 and Retry-After, reads with 200', async () => {
    const api = await startApiHarness('sqlite', { env: { READ_ONLY: 'true' } });
    try {
      await api.get('/api/v1/clients').expect(200);
      const res = await api.post('/api/v1/clients', clientBody());
      expectProblem(res, 503, 'service_unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
  });

  it('serves without keys when AUTH_DISABLED=true', async () => {
    const api = await startApiHarness('sqlite', { env: { AUTH_DISABLED: 'true' } });
    try {
      await api.raw().post('/api/v1/clients').send(clientBody()).expect(201);
    } finally {
      await api.close();
    }
  });
});

describe('hostile text', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness('sqlite');
  });
  afterAll(async () => {
    await api.close();
  });

  it('refuses a body that is not valid UTF-8 instead of storing replacement characters', async () => {
    // superagent would JSON-encode a Buffer; send the raw bytes with node's http client.
    const { port } = api.server.address() as AddressInfo;
    const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = http.request(
        {
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/v1/clients',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': bytes.length,
            Authorization: `Bearer ${API_KEY}`,
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'malformed_json', detail: 'The body is not valid UTF-8' });
  });

  it('does not echo a malformed id or an unknown path', async () => {
    const byId = await api.get('/api/v1/clients/..%2F..%2Fetc%2Fpasswd').expect(404);
    expect(JSON.stringify(byId.body)).not.toContain('passwd');
    const byPath = await api.get('/api/v1/etc/passwd').expect(404);
    expect(JSON.stringify(byPath.body)).not.toContain('passwd');
  });
});
