import { clientBody } from '../factories/clients';
import { exchangeBody } from '../factories/exchanges';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

interface ExchangeJson {
  id: string;
  clientId: string;
  occurredAt: string;
  kind: string;
}

describe.each(testBackends())('exchanges API on %s', (backend) => {
  let api: ApiHarness;
  let clientId: string;
  let otherClientId: string;
  beforeAll(async () => {
    api = await startApiHarness(backend);
    clientId = (await api.post('/api/v1/clients', clientBody()).expect(201)).body.id;
    otherClientId = (await api.post('/api/v1/clients', clientBody()).expect(201)).body.id;
  });
  afterAll(async () => {
    await api.close();
  });

  it('records an exchange with defaults, Location and ETag', async () => {
    const before = new Date().toISOString();
    const res = await api.post(`/api/v1/clients/${clientId}/exchanges`, { kind: 'email', subject: 'Devis' }).expect(201);
    expect(res.body).toMatchObject({
      clientId,
      kind: 'email',
      direction: null,
      subject: 'Devis',
      body: null,
      followUpAt: null,
      version: 1,
    });
    expect(res.body.occurredAt >= before).toBe(true);
    expect(res.headers.location).toBe(`/api/v1/exchanges/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    const read = await api.get(String(res.headers.location)).expect(200);
    expect(read.body).toEqual(res.body);
  });

  it('normalises timestamps to UTC with milliseconds', async () => {
    const res = await api
      .post(
        `/api/v1/clients/${clientId}/exchanges`,
        exchangeBody({ occurredAt: '2026-03-01T10:00:00+02:00', followUpAt: '2026-03-02T09:30:00.123456Z' }),
      )
      .expect(201);
    expect(res.body.occurredAt).toBe('2026-03-01T08:00:00.000Z');
    expect(res.body.followUpAt).toBe('2026-03-02T09:30:00.123Z');
  });

  it('needs a subject or a body, also after a PATCH', async () => {
    const res = await api.post(`/api/v1/clients/${clientId}/exchanges`, { kind: 'call' }).expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body', 'subject']);
    const { body: ex } = await api.post(`/api/v1/clients/${clientId}/exchanges`, { kind: 'call', subject: 's' }).expect(201);
    await api.patch(`/api/v1/exchanges/${ex.id}`, { subject: null }).expect(422);
    const ok = await api.patch(`/api/v1/exchanges/${ex.id}`, { subject: null, body: 'b' }).expect(200);
    expect(ok.body).toMatchObject({ subject: null, body: 'b', version: 2 });
  });

  it('answers 404 when recording for an unknown client', async () => {
    await api.post('/api/v1/clients/01900000-0000-7000-8000-000000000000/exchanges', exchangeBody()).expect(404);
    await api.post('/api/v1/clients/nope/exchanges', exchangeBody()).expect(404);
  });

  it('gives a timeline newest first, paginated, only for that client', async () => {
    const times = ['2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'];
    const { body: c } = await api.post('/api/v1/clients', clientBody()).expect(201);
    for (const occurredAt of times) await api.post(`/api/v1/clients/${c.id}/exchanges`, exchangeBody({ occurredAt })).expect(201);
    await api.post(`/api/v1/clients/${otherClientId}/exchanges`, exchangeBody({ occurredAt: '2025-02-01T00:00:00.000Z' })).expect(201);
    const page1 = await api.get(`/api/v1/clients/${c.id}/exchanges?limit=3`).expect(200);
    expect(page1.body.data.map((e: ExchangeJson) => e.occurredAt)).toEqual([times[1], times[3], times[0]]);
    const page2 = await api
      .get(`/api/v1/clients/${c.id}/exchanges?limit=3&cursor=${encodeURIComponent(page1.body.nextCursor)}`)
      .expect(200);
    expect(page2.body).toEqual({ data: [expect.objectContaining({ occurredAt: times[2] })], nextCursor: null });
    const oldestFirst = await api.get(`/api/v1/clients/${c.id}/exchanges?sort=occurredAt`).expect(200);
    expect(oldestFirst.body.data[0].occurredAt).toBe(times[2]);
  });

  it('lists all exchanges with filters', async () => {
    const { body: c } = await api.post('/api/v1/clients', clientBody()).expect(201);
    const post = (b: Record<string, unknown>) => api.post(`/api/v1/clients/${c.id}/exchanges`, exchangeBody(b)).expect(201);
    await post({ kind: 'meeting', direction: 'inbound', occurredAt: '2023-05-05T10:00:00Z' });
    await post({ kind: 'meeting', direction: 'outbound', occurredAt: '2023-05-06T10:00:00Z', followUpAt: '2020-01-01T00:00:00Z' });
    await post({ kind: 'note', direction: null, occurredAt: '2023-05-07T10:00:00Z', followUpAt: '2999-01-01T00:00:00Z' });
    const byClient = await api.get(`/api/v1/exchanges?clientId=${c.id}`).expect(200);
    expect(byClient.body.data).toHaveLength(3);
    const meetings = await api.get(`/api/v1/exchanges?clientId=${c.id}&kind=meeting`).expect(200);
    expect(meetings.body.data).toHaveLength(2);
    const inbound = await api.get(`/api/v1/exchanges?clientId=${c.id}&direction=inbound`).expect(200);
    expect(inbound.body.data.map((e: ExchangeJson) => e.kind)).toEqual(['meeting']);
    const period = await api
      .get(`/api/v1/exchanges?clientId=${c.id}&occurredFrom=2023-05-06T10:00:00Z&occurredTo=2023-05-07T10:00:00Z`)
      .expect(200);
    expect(period.body.data.map((e: ExchangeJson) => e.occurredAt)).toEqual(['2023-05-06T10:00:00.000Z']);
    const due = await api.get(`/api/v1/exchanges?clientId=${c.id}&followUpDue=true`).expect(200);
    expect(due.body.data.map((e: ExchangeJson) => e.occurredAt)).toEqual(['2023-05-06T10:00:00.000Z']);
    const uppercase = await api.get(`/api/v1/exchanges?clientId=${c.id.toUpperCase()}`).expect(200);
    expect(uppercase.body.data).toHaveLength(3);
    const bad = await api.get('/api/v1/exchanges?clientId=nope').expect(400);
    expect(bad.body.errors[0].path).toBe('clientId');
  });

  it('updates with If-Match and deletes an exchange', async () => {
    const { body: ex } = await api.post(`/api/v1/clients/${clientId}/exchanges`, exchangeBody()).expect(201);
    await api.patch(`/api/v1/exchanges/${ex.id}`, { kind: 'email' }).set('If-Match', '"2"').expect(412);
    const res = await api.patch(`/api/v1/exchanges/${ex.id}`, { kind: 'email', direction: null }).set('If-Match', '"1"').expect(200);
    expect(res.body).toMatchObject({ kind: 'email', direction: null, version: 2 });
    expect(res.headers.etag).toBe('"2"');
    await api.del(`/api/v1/exchanges/${ex.id}`).set('If-Match', '"1"').expect(412);
    await api.del(`/api/v1/exchanges/${ex.id}`).expect(204);
    await api.get(`/api/v1/exchanges/${ex.id}`).expect(404);
  });

  it('rejects moving an exchange to another client and unknown fields', async () => {
    const { body: ex } = await api.post(`/api/v1/clients/${clientId}/exchanges`, exchangeBody()).expect(201);
    const res = await api.patch(`/api/v1/exchanges/${ex.id}`, { clientId: otherClientId, sujet: 'typo' }).expect(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'clientId', message: 'unknown field' },
        { path: 'sujet', message: 'unknown field' },
      ]),
    );
  });

  it('replays an idempotent exchange creation', async () => {
    const body = exchangeBody({ subject: 'once' });
    const a = await api.post(`/api/v1/clients/${clientId}/exchanges`, body).set('Idempotency-Key', 'ex-1').expect(201);
    const b = await api.post(`/api/v1/clients/${clientId}/exchanges`, body).set('Idempotency-Key', 'ex-1').expect(201);
    expect(b.body).toEqual(a.body);
    // Same key and body on another path is another request.
    await api.post(`/api/v1/clients/${otherClientId}/exchanges`, body).set('Idempotency-Key', 'ex-1').expect(422);
  });
});

describe('timestamps in requests', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness('sqlite');
  });
  afterAll(async () => {
    await api.close();
  });

  it('accepts a bare date as midnight UTC and refuses impossible dates', async () => {
    const { body: c } = await api.post('/api/v1/clients', clientBody()).expect(201);
    const ok = await api.post(`/api/v1/clients/${c.id}/exchanges`, exchangeBody({ occurredAt: '2026-02-28' })).expect(201);
    expect(ok.body.occurredAt).toBe('2026-02-28T00:00:00.000Z');
    for (const occurredAt of ['2026-02-30', '2026-13-01T00:00:00Z', '2026-01-01T00:00:00', 'yesterday', '+275760-09-13T00:00:00Z']) {
      const res = await api.post(`/api/v1/clients/${c.id}/exchanges`, exchangeBody({ occurredAt })).expect(422);
      expect(res.body.errors[0].path).toBe('occurredAt');
    }
    await api.get('/api/v1/exchanges?occurredFrom=2026-02-28').expect(200);
  });
});
