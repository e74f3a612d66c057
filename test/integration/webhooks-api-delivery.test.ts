import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createApp } from '../../src/app';
import { WEBHOOK_TEST_EVENT } from '../../src/domain/webhook-event';
import { createLogger } from '../../src/logging/create-logger';
import { createWebhookWorkers, type WebhookWorkers } from '../../src/webhooks/webhook-workers';
import { clientBody } from '../factories/clients';
import { webhookBody } from '../factories/webhooks';
import { API_KEY } from '../support/api-harness';
import { testBackends, testConfig, useMigratedScratchDatabase } from '../support/test-databases';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A loopback endpoint that keeps every request as it came, answering `status`. */
async function startEndpoint() {
  const received: Received[] = [];
  const endpoint = { status: 204, received, url: '', close: async () => undefined as void };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(req.headers[name])]),
      );
      received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = endpoint.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  endpoint.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return endpoint;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The standardwebhooks package's verdict, as a receiver would get it. */
function verifies(secret: string, received: Received): boolean {
  try {
    new Webhook(secret).verify(received.body, received.headers);
    return true;
  } catch {
    return false;
  }
}

describe.each(testBackends())('the webhooks API with the dispatcher on %s', (backend) => {
  const scratch = useMigratedScratchDatabase(backend);
  let workers: WebhookWorkers;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  let agent: () => ReturnType<typeof request>;

  beforeEach(async () => {
    const config = testConfig({ API_KEYS: API_KEY, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_DELAYS: '50ms,50ms' });
    const logger = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'en' } });
    workers = createWebhookWorkers({ database: scratch.database, config, logger });
    workers.start();
    const app = createApp({
      config,
      logger,
      database: scratch.database,
      outboxSignal: workers.dispatcher,
      webhookSubscriptions: workers.dispatcher,
    });
    agent = () => request(app.callback());
    endpoint = await startEndpoint();
  });
  afterEach(async () => {
    await workers.stop(2000);
    await endpoint.close();
  });

  const post = (path: string, body?: object) => agent().post(path).set('Authorization', `Bearer ${API_KEY}`).send(body);
  const get = (path: string) => agent().get(path).set('Authorization', `Bearer ${API_KEY}`);
  const deliveries = async (webhookId: string) =>
    (await get(`/api/v1/webhooks/${webhookId}/deliveries`).expect(200)).body.data as Array<Record<string, unknown>>;

  it('sends the test event signed with the secret create showed; after a rotation, a retry is signed with the new one', async () => {
    const created = (await post('/api/v1/webhooks', webhookBody({ url: endpoint.url })).expect(201)).body;
    const queued = (await post(`/api/v1/webhooks/${created.id}/test`).expect(202)).body;

    const [first] = await until(
      async () => endpoint.received.slice(),
      (got) => got.length === 1,
      'the test event',
    );
    expect(verifies(created.secret, first!)).toBe(true);
    expect(JSON.parse(first!.body)).toEqual({
      type: WEBHOOK_TEST_EVENT,
      timestamp: queued.createdAt,
      data: { webhookId: created.id, message: expect.any(String) },
    });
    const [delivered] = await until(
      () => deliveries(created.id),
      (list) => list[0]?.status === 'delivered',
      'the delivery log',
    );
    expect(delivered).toMatchObject({ id: queued.id, type: WEBHOOK_TEST_EVENT, attempts: 1, lastStatus: 204, lastError: null });
    expect(delivered?.deliveredAt).toEqual(expect.any(String));

    const rotated = (await post(`/api/v1/webhooks/${created.id}/rotate-secret`).expect(200)).body;
    await post(`/api/v1/webhooks/${created.id}/deliveries/${queued.id}/retry`).expect(202);
    const [, again] = await until(
      async () => endpoint.received.slice(),
      (got) => got.length === 2,
      'the retried delivery',
    );
    expect(again!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(again!.body).toBe(first!.body);
    expect(verifies(rotated.secret, again!)).toBe(true);
    expect(verifies(created.secret, again!)).toBe(false);
  });

  it('sends a change to the subscriptions that asked for it; a failed delivery, retried by hand, arrives', async () => {
    const clients = (await post('/api/v1/webhooks', webhookBody({ url: endpoint.url, events: ['client.created'] })).expect(201)).body;
    const exchanges = (await post('/api/v1/webhooks', webhookBody({ url: endpoint.url, events: ['exchange.created'] })).expect(201)).body;
    endpoint.status = 500;
    const client = (await post('/api/v1/clients', clientBody({ name: 'Hélène Webhook' })).expect(201)).body;

    // Three attempts (WEBHOOK_RETRY_DELAYS has two delays), then failed.
    const [failed] = await until(
      () => deliveries(clients.id),
      (list) => list[0]?.status === 'failed',
      'the failed delivery',
    );
    expect(failed).toMatchObject({ type: 'client.created', attempts: 3, lastStatus: 500, nextAttemptAt: null, deliveredAt: null });
    expect(await deliveries(exchanges.id)).toEqual([]);
    expect((await get(`/api/v1/webhooks/${clients.id}/deliveries?status=failed`).expect(200)).body.data).toEqual([failed]);
    expect(endpoint.received).toHaveLength(3);
    expect(endpoint.received.every((got) => verifies(clients.secret, got))).toBe(true);

    endpoint.status = 200;
    await post(`/api/v1/webhooks/${clients.id}/deliveries/${String(failed?.id)}/retry`).expect(202);
    const [delivered] = await until(
      () => deliveries(clients.id),
      (list) => list[0]?.status === 'delivered',
      'the retried delivery',
    );
    expect(delivered).toMatchObject({ id: failed?.id, attempts: 4, lastStatus: 200 });
    const last = endpoint.received.at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ type: 'client.created', data: client });
    expect(new Set(endpoint.received.map((got) => got.headers['webhook-id'])).size).toBe(1);
  });
});
