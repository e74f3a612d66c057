import request from 'supertest';
import Koa from 'koa';
import { requestBoundary } from '../../src/http/middleware/request-boundary';
import { rateLimit } from '../../src/http/middleware/rate-limit';
import { createLogger } from '../../src/logging/create-logger';
import { API_KEY, OTHER_API_KEY } from '../support/api-harness';
import { useMigratedScratchDatabase } from '../support/test-databases';
import { reportResult } from './support/api-client';
import { apiRoutes, appWithLogs, type ApiRoute } from './support/in-process-app';

const WRONG_CREDENTIALS: Array<[string, Record<string, string>]> = [
  ['no Authorization header', {}],
  ['an unknown key of the same length', { Authorization: `Bearer ${'x'.repeat(API_KEY.length)}` }],
  ['the key with its last character changed', { Authorization: `Bearer ${API_KEY.slice(0, -1)}${API_KEY.endsWith('f') ? 'e' : 'f'}` }],
  ['a prefix of the key', { Authorization: `Bearer ${API_KEY.slice(0, 16)}` }],
  ['the key with a suffix', { Authorization: `Bearer ${API_KEY}x` }],
  ['the key followed by enough to overflow the comparison slot', { Authorization: `Bearer ${API_KEY}${'k'.repeat(400)}` }],
  ['the key with an accented letter in place of its last character', { Authorization: `Bearer ${API_KEY.slice(0, -1)}é` }],
  ['the key under the Basic scheme', { Authorization: `Basic ${API_KEY}` }],
  ['the key without a scheme', { Authorization: API_KEY }],
  ['an empty bearer', { Authorization: 'Bearer ' }],
];

function send(app: Koa, route: Pick<ApiRoute, 'method' | 'path'>, headers: Record<string, string>): request.Test {
  const test = request(app.callback())[route.method.toLowerCase() as 'get'](route.path);
  for (const [name, value] of Object.entries(headers)) test.set(name, value);
  // A body that does not even parse: authentication must refuse before anything reads it.
  if (['POST', 'PATCH'].includes(route.method)) test.set('Content-Type', 'application/json').send('{"broken":');
  return test;
}

describe('security of the HTTP surface', () => {
  const db = useMigratedScratchDatabase('sqlite', 'all');

  it('refuses a missing or wrong key with 401 and WWW-Authenticate on every /api/v1 route the routers declare', async () => {
    const routes = apiRoutes(db.database);
    const { app, logs } = appWithLogs(db.database);
    // A floor against an empty walk: the README lists eleven /api/v1 method-and-path pairs (HEAD comes
    // with GET), so finding fewer than ten means the walk is broken and would pass by checking nothing.
    expect(new Set(routes.map((r) => `${r.method} ${r.template}`)).size).toBeGreaterThanOrEqual(10);
    let refusals = 0;
    for (const route of routes) {
      for (const [, headers] of WRONG_CREDENTIALS) {
        const res = await send(app, route, headers);
        expect({ route: `${route.method} ${route.template}`, status: res.status }).toEqual({
          route: `${route.method} ${route.template}`,
          status: 401,
        });
        expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
        if (route.method !== 'HEAD') expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        refusals += 1;
      }
      // With the right key the same request reaches the route (not the 404 of an unknown path).
      const allowed = await send(app, route, { Authorization: `Bearer ${API_KEY}` });
      expect(allowed.status).not.toBe(401);
      expect(String(allowed.body?.detail ?? '')).not.toMatch(/^No route/);
    }
    expect(logs.text()).not.toContain(API_KEY);
    reportResult(
      `security auth: routes=${routes.length} (enumerated from the routers) x wrong credentials=${WRONG_CREDENTIALS.length} -> 401 on ${refusals}/${refusals}`,
    );
  });

  it('sends nosniff and no X-Powered-By on every kind of response', async () => {
    const { app } = appWithLogs(db.database, { RATE_LIMIT_PER_MINUTE: '2', CORS_ORIGINS: 'https://app.example.com' });
    const auth = { Authorization: `Bearer ${OTHER_API_KEY}` };
    const agent = request(app.callback());
    const responses = [
      await agent.get('/health'),
      await agent.get('/openapi.json'),
      await agent.get('/api/v1/clients').set(auth),
      await agent.get('/api/v1/clients').set(auth),
      await agent.get('/api/v1/clients').set(auth), // 429: the limit is 2 a minute per key
      await agent.get('/api/v1/clients'),
      await agent.get('/api/v1/clients/not-an-id').set('Authorization', `Bearer ${API_KEY}`),
      await agent.put('/api/v1/clients').set('Authorization', `Bearer ${API_KEY}`),
      await agent.get('/nowhere'),
      await agent.options('/api/v1/clients').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST'),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 401, 404, 405, 404, 204]);
    for (const res of responses) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  describe('CORS', () => {
    const allowedOrigin = 'https://app.example.com';
    const preflight = (app: Koa, origin: string) =>
      request(app.callback())
        .options('/api/v1/clients')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'PATCH')
        .set('Access-Control-Request-Headers', 'authorization, content-type, if-match');
    const corsHeaders = (res: request.Response) => Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));

    it('answers a preflight from a listed origin, before authentication, with the Allow-* headers', async () => {
      const { app } = appWithLogs(db.database, { CORS_ORIGINS: `${allowedOrigin},https://admin.example.com` });
      const res = await preflight(app, allowedOrigin);
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(allowedOrigin);
      expect(res.headers['access-control-allow-methods']).toMatch(/PATCH/);
      expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
      expect(res.headers['access-control-allow-headers']).toMatch(/If-Match/);
      expect(res.headers.vary).toMatch(/Origin/);
      const actual = await request(app.callback())
        .get('/api/v1/clients')
        .set('Origin', allowedOrigin)
        .set('Authorization', `Bearer ${API_KEY}`);
      expect(actual.status).toBe(200);
      expect(actual.headers['access-control-allow-origin']).toBe(allowedOrigin);
      expect(actual.headers['access-control-expose-headers']).toMatch(/ETag/);
    });

    it.each(['https://evil.example.com', 'https://app.example.com.evil.com', 'http://app.example.com', 'null', 'https://APP.example.com'])(
      'gives %s no Access-Control-* header at all',
      async (origin) => {
        const { app } = appWithLogs(db.database, { CORS_ORIGINS: allowedOrigin });
        expect(corsHeaders(await preflight(app, origin))).toEqual([]);
        const actual = await request(app.callback()).get('/api/v1/clients').set('Origin', origin).set('Authorization', `Bearer ${API_KEY}`);
        expect(corsHeaders(actual)).toEqual([]);
      },
    );

    it('allows no origin at all when CORS_ORIGINS is empty (the default)', async () => {
      const { app } = appWithLogs(db.database);
      expect(corsHeaders(await preflight(app, allowedOrigin))).toEqual([]);
    });
  });

  describe('rate limit per API key', () => {
    it('answers 429 problem details with Retry-After past the limit, per key, and not at all when 0', async () => {
      const { app } = appWithLogs(db.database, { RATE_LIMIT_PER_MINUTE: '5' });
      const get = (key: string) => request(app.callback()).get('/api/v1/clients').set('Authorization', `Bearer ${key}`);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await get(API_KEY)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const limited = await get(API_KEY);
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      // Another key has its own budget.
      expect((await get(OTHER_API_KEY)).status).toBe(200);
      // Anonymous callers are refused by authentication, never counted against a key.
      expect((await request(app.callback()).get('/api/v1/clients')).status).toBe(401);

      const { app: unlimited } = appWithLogs(db.database, { RATE_LIMIT_PER_MINUTE: '0' });
      const many = await Promise.all(
        Array.from({ length: 60 }, () => request(unlimited.callback()).get('/api/v1/clients').set('Authorization', `Bearer ${API_KEY}`)),
      );
      expect(many.filter((r) => r.status === 429)).toHaveLength(0);
      reportResult(
        `security rate-limit: 5/min -> 6th request 429 rate_limited Retry-After=${retryAfter}s; other key unaffected; 0 = off (60 requests, no 429)`,
      );
    });

    it('gives requests back as the minute passes', async () => {
      let now = 1_000_000;
      const app = new Koa();
      app.use(requestBoundary(createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'en' } })));
      app.use(async (ctx, next) => {
        ctx.state.callerScope = 'key-digest';
        await next();
      });
      app.use(rateLimit(6, () => now));
      app.use((ctx) => {
        ctx.body = { ok: true };
      });
      const hit = async () => (await request(app.callback()).get('/')).status;
      for (let i = 0; i < 6; i += 1) expect(await hit()).toBe(200);
      const limited = await request(app.callback()).get('/');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('10');
      now += 9_000;
      expect(await hit()).toBe(429);
      now += 1_000;
      expect(await hit()).toBe(200);
      now += 10 * 60_000;
      for (let i = 0; i < 6; i += 1) expect(await hit()).toBe(200);
      expect(await hit()).toBe(429);
    });
  });
});
