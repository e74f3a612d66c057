import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

interface ClientJson {
  id: string;
  name: string;
  createdAt: string;
}

async function collect(api: ApiHarness, path: string, limit: number): Promise<ClientJson[]> {
  const seen: ClientJson[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url: string = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api.get(url).expect(200);
    seen.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

describe.each(testBackends())('client lists on %s', (backend) => {
  let api: ApiHarness;
  const names = ['Émile Zola', 'alice', 'Bob', 'Charlie', 'Élodie', 'Emma', 'émilie', 'Zoé', 'bob', 'Ève'];
  beforeAll(async () => {
    api = await startApiHarness(backend);
    for (const [i, name] of names.entries()) {
      await api
        .post('/api/v1/clients', {
          name,
          email: `${name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s/g, '.')}@example.org`,
          company: i % 2 === 0 ? 'Société Générale' : 'ACME 100%_off',
          phone: `+33 6 00 00 00 ${String(i).padStart(2, '0')}`,
          status: i % 3 === 0 ? 'customer' : 'lead',
          tags: i % 2 === 0 ? ['vip', 'paris'] : ['lyon'],
        })
        .expect(201);
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it('lists newest first by default with { data, nextCursor }', async () => {
    const res = await api.get('/api/v1/clients').expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'nextCursor']);
    expect(res.body.nextCursor).toBeNull();
    const created = res.body.data.map((c: ClientJson) => c.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    expect(res.body.data[0].name).toBe('Ève');
  });

  it('sorts by name the way a person reads, identically on every backend', async () => {
    const all = await collect(api, '/api/v1/clients?sort=name', 3);
    expect(all.map((c) => c.name)).toEqual(['alice', 'Bob', 'bob', 'Charlie', 'Élodie', 'Émile Zola', 'émilie', 'Emma', 'Ève', 'Zoé']);
    const reversed = await collect(api, '/api/v1/clients?sort=-name', 4);
    expect(reversed.map((c) => c.name)).toEqual(all.map((c) => c.name).reverse());
  });

  it.each(['-createdAt', 'createdAt', 'updatedAt', '-updatedAt', 'name', '-name'])(
    'pages through sort=%s without gaps or repeats',
    async (sort) => {
      const all = await collect(api, `/api/v1/clients?sort=${sort}`, 3);
      expect(all).toHaveLength(names.length);
      expect(new Set(all.map((c) => c.id)).size).toBe(names.length);
    },
  );

  it('never repeats or skips a row when rows are inserted between pages', async () => {
    const first = await api.get('/api/v1/clients?limit=4').expect(200);
    const inserted = await api.post('/api/v1/clients', { name: 'Inserted Between Pages' }).expect(201);
    const rest: ClientJson[] = [];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const res = await api.get(`/api/v1/clients?limit=4&cursor=${encodeURIComponent(cursor)}`).expect(200);
      rest.push(...res.body.data);
      cursor = res.body.nextCursor;
    }
    const ids = [...first.body.data, ...rest].map((c: ClientJson) => c.id);
    expect(ids).toHaveLength(names.length);
    expect(new Set(ids).size).toBe(names.length);
    expect(ids).not.toContain(inserted.body.id);
    await api.del(`/api/v1/clients/${inserted.body.id}`).expect(204);
  });

  it.each([
    ['helene-style accents: emile', 'emile', ['Émile Zola']],
    ['upper case: ZOLA', 'ZOLA', ['Émile Zola']],
    ['accented query: ÉVE', 'ÉVE', ['Ève']],
    ['email', 'alice@example', ['alice']],
    ['company without accents', 'societe', ['Émile Zola', 'Bob', 'Élodie', 'émilie', 'bob']],
    ['phone', '00 00 07', ['Zoé']],
    ['% literally', '100%_', ['alice', 'Charlie', 'Emma', 'Zoé', 'Ève']],
    ['_ literally', 'e_', []],
    ['a percent sign alone', '%', ['alice', 'Charlie', 'Emma', 'Zoé', 'Ève']],
  ])('searches q (%s)', async (_label, q, expected) => {
    const res = await api.get(`/api/v1/clients?sort=name&q=${encodeURIComponent(q)}`).expect(200);
    expect(res.body.data.map((c: ClientJson) => c.name).sort()).toEqual([...expected].sort());
  });

  it('filters by status and tag, and combines them', async () => {
    const customers = await api.get('/api/v1/clients?status=customer&limit=100').expect(200);
    expect(customers.body.data.map((c: ClientJson) => c.name).sort()).toEqual(['Charlie', 'Émile Zola', 'émilie', 'Ève'].sort());
    const vip = await api.get('/api/v1/clients?tag=vip&limit=100').expect(200);
    expect(vip.body.data).toHaveLength(5);
    const both = await api.get('/api/v1/clients?tag=vip&status=customer').expect(200);
    expect(both.body.data.map((c: ClientJson) => c.name).sort()).toEqual(['Émile Zola', 'émilie'].sort());
    const none = await api.get('/api/v1/clients?tag=vi').expect(200);
    expect(none.body.data).toEqual([]);
  });

  it('filters by updatedSince', async () => {
    const { body: latest } = await api.get('/api/v1/clients?sort=-updatedAt&limit=1').expect(200);
    const since = latest.data[0].updatedAt;
    const res = await api.get(`/api/v1/clients?updatedSince=${encodeURIComponent(since)}`).expect(200);
    expect(res.body.data.map((c: ClientJson) => c.id)).toContain(latest.data[0].id);
    const future = await api.get('/api/v1/clients?updatedSince=2999-01-01T00:00:00Z').expect(200);
    expect(future.body.data).toEqual([]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=-1', 'limit'],
    ['sort=email', 'sort'],
    ['status=vip', 'status'],
    ['updatedSince=yesterday', 'updatedSince'],
    ['stauts=lead', 'stauts'],
    ['limit=5&limit=6', 'limit'],
    ['cursor=garbage', 'cursor'],
  ])('answers 400 invalid_parameter for %s', async (query, path) => {
    const res = await api.get(`/api/v1/clients?${query}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('invalid_parameter');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('refuses a tampered, truncated or foreign cursor with 400', async () => {
    const { body } = await api.get('/api/v1/clients?limit=2').expect(200);
    const cursor: string = body.nextCursor;
    const [payload, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify([1, '-createdAt', 'x', '2000-01-01T00:00:00.000Z', '01900000-0000-7000-8000-000000000000']),
    ).toString('base64url');
    for (const bad of [cursor.slice(0, -3), `${forged}.${mac}`, `${payload}.${mac}x`, `${payload}`]) {
      const res = await api.get(`/api/v1/clients?limit=2&cursor=${encodeURIComponent(bad)}`).expect(400);
      expect(res.body.code).toBe('invalid_parameter');
    }
    const otherSort = await api.get(`/api/v1/clients?limit=2&sort=name&cursor=${encodeURIComponent(cursor)}`).expect(400);
    expect(otherSort.body.detail).toMatch(/cursor/);
  });
});
