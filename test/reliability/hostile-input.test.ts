import fc from 'fast-check';
import { buildSearchText, foldSearchTerm } from '../../src/domain/text-normalization';
import { API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';
import { reportResult, type ClientRecord, type ExchangeRecord } from './support/api-client';
import { contentType, hostileBody, hostileHeaderValue, hostileQuery, hostileSegment, storableText } from './support/hostile-arbitraries';
import { apiRoutes, type ApiRoute } from './support/in-process-app';
import { closeRawAgent, rawRequest, type RawRequest, type RawResponse } from './support/raw-http';
import { contractViolation } from './support/response-rules';
import { sameJson } from './support/write-ledger';

// Bounded so both backends together stay well under 30 s; HOSTILE_RUNS raises it for a soak.
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);
const AUTH = { Authorization: `Bearer ${API_KEY}` };

afterAll(() => closeRawAgent());

describe.each(testBackends())('hostile input on %s', (backend) => {
  let api: ApiHarness;
  let routes: ApiRoute[];
  let clientId: string;
  let exchangeId: string;
  const counts = { requests: 0, serverErrors: 0, violations: 0 };

  async function send(request: RawRequest): Promise<RawResponse> {
    counts.requests += 1;
    const response = await rawRequest(api.server, request);
    if (response.status >= 500) counts.serverErrors += 1;
    const violation = contractViolation(request, response);
    if (violation) {
      counts.violations += 1;
      throw new Error(violation);
    }
    return response;
  }
  const json = (body: unknown) => ({ headers: { ...AUTH, 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify(body)) });

  beforeAll(async () => {
    api = await startApiHarness(backend);
    routes = apiRoutes(api.database);
    clientId = (await api.post('/api/v1/clients', { name: 'Anchor' }).expect(201)).body.id;
    exchangeId = (await api.post(`/api/v1/clients/${clientId}/exchanges`, { kind: 'note', body: 'anchor' }).expect(201)).body.id;
  });
  afterAll(async () => {
    reportResult(
      `hostile-input ${backend}: ${counts.requests} generated requests over ${routes.length} routes, ` +
        `responses >= 500: ${counts.serverErrors}, contract violations: ${counts.violations}`,
    );
    await api.close();
  });

  it('answers every route, whatever the path, query, headers and body, without a 5xx and with problem details', async () => {
    const segment = fc.oneof(hostileSegment, fc.constant(clientId), fc.constant(exchangeId));
    const headers = fc.record(
      {
        'If-Match': hostileHeaderValue,
        'Idempotency-Key': hostileHeaderValue,
        'X-Request-Id': hostileHeaderValue,
        'Content-Type': contentType,
        'Accept-Charset': hostileHeaderValue,
      },
      { requiredKeys: ['Content-Type'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), segment, hostileQuery, headers, hostileBody, async (route, id, query, extra, body) => {
        const path = route.template.replace(/:\w+/g, id) + (query ? `?${query}` : '');
        const sendBody = ['POST', 'PATCH', 'DELETE'].includes(route.method);
        await send({ method: route.method, path, headers: { ...extra, ...AUTH }, body: sendBody ? body : undefined });
      }),
      { numRuns: RUNS },
    );
  });

  it('stores hostile but valid client text and reads it back equal, by id and by list', async () => {
    const optionalText = (max: number) => fc.option(storableText(max), { nil: null });
    const fields = fc.record({
      name: storableText(200),
      company: optionalText(200),
      notes: optionalText(10_000),
      tags: fc.uniqueArray(
        storableText(50).filter((t) => !/\p{Cc}/u.test(t)),
        { maxLength: 4 },
      ),
      status: fc.constantFrom('lead', 'prospect', 'customer', 'inactive'),
    });
    await fc.assert(
      fc.asyncProperty(fields, fields, async (created, patch) => {
        const post = await send({ method: 'POST', path: '/api/v1/clients', ...json(created) });
        expect(post.status).toBe(201);
        const record = JSON.parse(post.text) as ClientRecord;
        expect(sameJson({ ...record, ...created }, record)).toBe(true);
        const read = await send({ method: 'GET', path: `/api/v1/clients/${record.id}`, headers: AUTH });
        expect(sameJson(JSON.parse(read.text), record)).toBe(true);
        const patched = await send({ method: 'PATCH', path: `/api/v1/clients/${record.id}`, ...json(patch) });
        expect(patched.status).toBe(200);
        const after = JSON.parse((await send({ method: 'GET', path: `/api/v1/clients/${record.id}`, headers: AUTH })).text) as ClientRecord;
        expect(sameJson({ ...after, ...patch }, after)).toBe(true);
        expect(sameJson(after, JSON.parse(patched.text))).toBe(true);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('stores hostile but valid exchange text and reads it back equal', async () => {
    // Its own client: the route property above may well have deleted the anchor.
    const owner = JSON.parse((await send({ method: 'POST', path: '/api/v1/clients', ...json({ name: 'Owner' }) })).text) as ClientRecord;
    const body = fc.record({
      kind: fc.constantFrom('call', 'email', 'meeting', 'message', 'note', 'other'),
      subject: storableText(500),
      body: storableText(100_000),
    });
    await fc.assert(
      fc.asyncProperty(body, async (exchange) => {
        const post = await send({ method: 'POST', path: `/api/v1/clients/${owner.id}/exchanges`, ...json(exchange) });
        expect(post.status).toBe(201);
        const record = JSON.parse(post.text) as ExchangeRecord;
        expect(sameJson({ ...record, ...exchange }, record)).toBe(true);
        const read = await send({ method: 'GET', path: `/api/v1/exchanges/${record.id}`, headers: AUTH });
        expect(sameJson(JSON.parse(read.text), record)).toBe(true);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('treats SQL and LIKE metacharacters in q as literal text', async () => {
    const alphabet = fc.constantFrom('%', '_', '\\', "'", '"', 'a', 'A', 'é', 'E', ' ', '[', '*', '?', ';', '-');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 6 });
    // A blank name is refused (422) by design; names here must be storable.
    const name = word.filter((w) => w.trim() !== '');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 3 }), word, async (names, q) => {
        run += 1;
        const tag = `search-${backend}-${run}-${Date.now()}`;
        for (const name of names)
          expect((await send({ method: 'POST', path: '/api/v1/clients', ...json({ name: `${name}`, tags: [tag] }) })).status).toBe(201);
        const res = await send({
          method: 'GET',
          path: `/api/v1/clients?limit=100&tag=${encodeURIComponent(tag)}&q=${encodeURIComponent(q)}`,
          headers: AUTH,
        });
        const found = (JSON.parse(res.text) as { data: ClientRecord[] }).data.map((c) => c.name).sort();
        const expected = names.filter((name) => buildSearchText([name]).includes(foldSearchTerm(q))).sort();
        expect(found).toEqual(expected);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('refuses unknown and prototype keys with 422 naming them, and pollutes nothing', async () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'id', 'version', 'Name', 'name '),
      storableText(20),
    );
    await fc.assert(
      fc.asyncProperty(key, async (extra) => {
        fc.pre(!['name', 'email', 'phone', 'company', 'status', 'tags', 'notes'].includes(extra));
        // Written as text: an object literal would turn a __proto__ key into a prototype.
        const text = `{"name":"Proto",${JSON.stringify(extra)}:{"polluted":true}}`;
        const res = await send({
          method: 'POST',
          path: '/api/v1/clients',
          headers: { ...AUTH, 'Content-Type': 'application/json' },
          body: Buffer.from(text),
        });
        expect(res.status).toBe(422);
        const problem = JSON.parse(res.text) as { errors: Array<{ path: string }> };
        expect(problem.errors.map((e) => e.path)).toContain(extra);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
