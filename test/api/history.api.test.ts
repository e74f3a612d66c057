import { createHash } from 'node:crypto';
import type request from 'supertest';
import { exchangeBody } from '../factories/exchanges';
import { API_KEY, OTHER_API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

interface HistoryEntryJson {
  version: number;
  action: string;
  at: string;
  actor: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LABEL = 'crm-sync';
const OTHER_FINGERPRINT = `key-${createHash('sha256').update(OTHER_API_KEY).digest('hex').slice(0, 8)}`;

describe.each(testBackends())('history on %s', (backend) => {
  let api: ApiHarness;
  /** Every response body and header seen, to prove no key ever appears in one. */
  const seen: string[] = [];
  beforeAll(async () => {
    // The first key is labelled, the second is not: its actor is its fingerprint.
    api = await startApiHarness(backend, { env: { API_KEYS: `${LABEL}:${API_KEY},${OTHER_API_KEY}` } });
  });
  afterAll(async () => {
    await api.close();
  });

  const record = async (test: request.Test) => {
    const res = await test;
    seen.push(JSON.stringify(res.headers), res.text);
    return res;
  };
  const asOther = (test: request.Test) => test.set('Authorization', `Bearer ${OTHER_API_KEY}`);
  const history = async (path: string, query = ''): Promise<{ data: HistoryEntryJson[]; nextCursor: string | null }> =>
    (await record(api.get(`${path}/history${query}`).expect(200))).body;

  it('records create, updates, delete and restore, newest first, with the fields each one changed', async () => {
    const created = await record(
      api
        .post('/api/v1/clients', { name: 'Hélène Dupont', email: 'helene@example.fr', tags: ['vip'] })
        .set('Idempotency-Key', 'history-1')
        .expect(201),
    );
    const client = created.body;
    const path = `/api/v1/clients/${client.id}`;
    await record(api.patch(path, { status: 'customer', name: 'Hélène Dupont', notes: null }).expect(200));
    await record(
      asOther(
        api
          .raw()
          .patch(path)
          .send({ tags: ['vip', 'paris'], email: null }),
      ).expect(200),
    );
    // A PATCH that changes nothing keeps the version and writes no entry.
    await record(api.patch(path, { status: 'customer' }).expect(200));
    await record(api.del(path).expect(204));
    const restored = (await record(api.post(`${path}/restore`).expect(200))).body;

    const { data, nextCursor } = await history(path);
    expect(nextCursor).toBeNull();
    expect(data.map((entry) => entry.action)).toEqual(['restored', 'deleted', 'updated', 'updated', 'created']);
    const versions = data.map((entry) => entry.version);
    expect(versions).toEqual([...versions].sort((a, b) => b - a));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions[0]).toBe(restored.version);
    expect(versions.slice(2)).toEqual([3, 2, 1]);
    for (const entry of data) {
      expect(Object.keys(entry).sort()).toEqual(['action', 'actor', 'at', 'changes', 'version']);
      expect(entry.at).toMatch(ISO_MS);
    }
    expect(data.map((entry) => entry.actor)).toEqual([LABEL, LABEL, OTHER_FINGERPRINT, LABEL, LABEL]);
    const [, , secondUpdate, firstUpdate, creation] = data;
    expect(creation?.changes).toEqual({
      name: { from: null, to: 'Hélène Dupont' },
      email: { from: null, to: 'helene@example.fr' },
      status: { from: null, to: 'lead' },
      tags: { from: null, to: ['vip'] },
    });
    expect(firstUpdate?.changes).toEqual({ status: { from: 'lead', to: 'customer' } });
    expect(secondUpdate?.changes).toEqual({
      email: { from: 'helene@example.fr', to: null },
      tags: { from: ['vip'], to: ['vip', 'paris'] },
    });
  });

  it('is readable while the record is in the trash, for clients and exchanges alike', async () => {
    const client = (await record(api.post('/api/v1/clients', { name: 'Trashed' }).expect(201))).body;
    const exchange = (await record(api.post(`/api/v1/clients/${client.id}/exchanges`, exchangeBody({ subject: 'Quote' })).expect(201)))
      .body;
    await record(asOther(api.raw().patch(`/api/v1/exchanges/${exchange.id}`).send({ kind: 'email' })).expect(200));
    await record(api.del(`/api/v1/clients/${client.id}`).expect(204));

    const clientHistory = await history(`/api/v1/clients/${client.id}`);
    expect(clientHistory.data.map((entry) => entry.action)).toEqual(['deleted', 'created']);
    expect(clientHistory.data[0]?.actor).toBe(LABEL);
    const exchangeHistory = await history(`/api/v1/exchanges/${exchange.id}`);
    // Trashed with its client, the exchange has its own deleted entry.
    expect(exchangeHistory.data.map((entry) => [entry.action, entry.actor])).toEqual([
      ['deleted', LABEL],
      ['updated', OTHER_FINGERPRINT],
      ['created', LABEL],
    ]);
    expect(exchangeHistory.data[1]?.changes).toEqual({ kind: { from: 'call', to: 'email' } });
    expect(exchangeHistory.data[2]?.changes).toMatchObject({
      clientId: { from: null, to: client.id },
      kind: { from: null, to: 'call' },
      subject: { from: null, to: 'Quote' },
      occurredAt: { from: null, to: exchange.occurredAt },
    });
  });

  it('pages with a cursor bound to the record, and validates limit and cursor', async () => {
    const client = (await record(api.post('/api/v1/clients', { name: 'Many changes' }).expect(201))).body;
    const path = `/api/v1/clients/${client.id}`;
    for (let i = 1; i <= 6; i += 1) await record(api.patch(path, { notes: `note ${i}` }).expect(200));

    const versions: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await history(path, `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      versions.push(...page.data.map((entry) => entry.version));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(versions).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect((await history(path)).data).toHaveLength(7);

    const first = await history(path, '?limit=2');
    const other = (await record(api.post('/api/v1/clients', { name: 'Other' }).expect(201))).body;
    const reused = `/api/v1/clients/${other.id}/history?cursor=${encodeURIComponent(String(first.nextCursor))}`;
    expect((await api.get(reused).expect(400)).body).toMatchObject({ code: 'invalid_parameter' });
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'cursor=garbage', 'sort=version']) {
      expect((await api.get(`${path}/history?${query}`).expect(400)).body).toMatchObject({ code: 'invalid_parameter' });
    }
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const path of ['/api/v1/clients', '/api/v1/exchanges']) {
      await api.get(`${path}/01900000-0000-7000-8000-000000000000/history`).expect(404);
      await api.get(`${path}/not-an-id/history`).expect(404);
    }
  });

  it('never shows a key, in any response of this suite', () => {
    expect(seen.length).toBeGreaterThan(20);
    const text = seen.join('\n');
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(OTHER_API_KEY);
    expect(text).not.toContain(createHash('sha256').update(API_KEY).digest('hex'));
  });
});

describe('history without authentication', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    // The actor is decided before the database is reached: one backend says all there is to say.
    api = await startApiHarness('sqlite', { env: { AUTH_DISABLED: 'true', API_KEYS: '' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('records a null actor', async () => {
    const client = (await api.raw().post('/api/v1/clients').send({ name: 'Anonymous' }).expect(201)).body;
    await api.raw().patch(`/api/v1/clients/${client.id}`).send({ status: 'prospect' }).expect(200);
    const res = await api.raw().get(`/api/v1/clients/${client.id}/history`).expect(200);
    expect(res.body.data.map((entry: HistoryEntryJson) => [entry.action, entry.actor])).toEqual([
      ['updated', null],
      ['created', null],
    ]);
  });
});
