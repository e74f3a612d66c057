import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

interface ClientJson {
  id: string;
  name: string;
}
interface GroupJson {
  reason: string;
  key: string;
  total: number;
  clients: ClientJson[];
}

const DUPLICATES = '/api/v1/clients/duplicates';

async function allGroups(api: ApiHarness, limit: number): Promise<{ groups: GroupJson[]; pages: number }> {
  const groups: GroupJson[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `${DUPLICATES}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await api.get(url).expect(200);
    groups.push(...res.body.data);
    cursor = res.body.nextCursor;
    pages += 1;
  } while (cursor);
  return { groups, pages };
}

const summary = (groups: GroupJson[]) => groups.map((g) => [g.reason, g.key, g.clients.map((c) => c.name)]);

describe.each(testBackends())('GET /api/v1/clients/duplicates on %s', (backend) => {
  let api: ApiHarness;
  const ids: Record<string, string> = {};
  const create = async (body: Record<string, unknown>) => {
    const res = await api.post('/api/v1/clients', body).expect(201);
    ids[body.name as string] = res.body.id;
    return res.body.id as string;
  };

  beforeAll(async () => {
    api = await startApiHarness(backend);
    await create({ name: 'Hélène Dupont', email: 'Helene@Exemple.fr', phone: '06 12 34 56 78', company: 'Dupont & Fils' });
    await create({ name: 'HELENE  DUPONT', email: 'HELENE@exemple.FR', company: 'dupont fils.' });
    await create({ name: 'H. Dupont', email: 'other@exemple.fr', phone: '+33 6 12 34 56 78' });
    await create({ name: 'Solo', email: 'solo@exemple.fr', phone: '01 23 45 67 89', company: 'Solo SA' });
    // Same email as Solo, but in the trash: live clients only.
    const trashed = await create({ name: 'Solo bis', email: 'SOLO@exemple.fr' });
    await api.del(`/api/v1/clients/${trashed}`).expect(204);
  });
  afterAll(async () => {
    await api.close();
  });

  it('groups live clients by folded email, normalised phone and folded name + company, oldest first', async () => {
    const res = await api.get(DUPLICATES).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'nextCursor']);
    expect(res.body.nextCursor).toBeNull();
    expect(summary(res.body.data)).toEqual([
      ['email', 'helene@exemple.fr', ['Hélène Dupont', 'HELENE  DUPONT']],
      ['phone', '+33612345678', ['Hélène Dupont', 'H. Dupont']],
      ['name_company', 'helenedupont|dupontfils', ['Hélène Dupont', 'HELENE  DUPONT']],
    ]);
    expect(res.body.data.map((g: GroupJson) => g.total)).toEqual([2, 2, 2]);
    // Members are whole clients, as GET /clients/:id shows them.
    const one = await api.get(`/api/v1/clients/${ids['Hélène Dupont']}`).expect(200);
    expect(res.body.data[0].clients[0]).toEqual(one.body);
  });

  it('pages over the groups with a cursor, without repeating or skipping one', async () => {
    const whole = (await api.get(DUPLICATES).expect(200)).body.data;
    const { groups, pages } = await allGroups(api, 1);
    expect(pages).toBe(3);
    expect(summary(groups)).toEqual(summary(whole));
    const two = await api.get(`${DUPLICATES}?limit=2`).expect(200);
    expect(two.body.data).toHaveLength(2);
    expect(two.body.nextCursor).toEqual(expect.any(String));
  });

  it('follows writes: an update recomputes the keys, a restore brings the trashed client back into a group', async () => {
    await api.patch(`/api/v1/clients/${ids['H. Dupont']}`, { phone: '+44 20 7946 0958' }).expect(200);
    let groups = (await api.get(DUPLICATES).expect(200)).body.data as GroupJson[];
    expect(groups.map((g) => g.reason)).toEqual(['email', 'name_company']);

    await api.post(`/api/v1/clients/${ids['Solo bis']}/restore`).expect(200);
    groups = (await api.get(DUPLICATES).expect(200)).body.data;
    expect(summary(groups)).toContainEqual(['email', 'solo@exemple.fr', ['Solo', 'Solo bis']]);

    await api.patch(`/api/v1/clients/${ids['H. Dupont']}`, { phone: '0612345678' }).expect(200);
    groups = (await api.get(DUPLICATES).expect(200)).body.data;
    expect(summary(groups)).toContainEqual(['phone', '+33612345678', ['Hélène Dupont', 'H. Dupont']]);
  });

  it('refuses a bad limit, an unknown parameter and an altered cursor with 400 problem details', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'sort=name', 'cursor=nonsense']) {
      const res = await api.get(`${DUPLICATES}?${query}`).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('invalid_parameter');
    }
    const cursor = (await api.get(`${DUPLICATES}?limit=1`).expect(200)).body.nextCursor as string;
    const [payload, mac] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify([1, 'phone', ''])).toString('base64url');
    await api.get(`${DUPLICATES}?cursor=${forged}.${mac}`).expect(400);
    await api.get(`${DUPLICATES}?cursor=${payload}.${mac!.slice(0, -1)}`).expect(400);
  });

  it('needs the API key, like every /api/v1 route', async () => {
    await api.raw().get(DUPLICATES).expect(401);
  });
});
