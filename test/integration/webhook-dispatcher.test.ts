import { SqlWebhookOutbox } from '../../src/db/adapters/sql-webhook-outbox';
import type { Database } from '../../src/db/open-database';
import { createLogger } from '../../src/logging/create-logger';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher';
import { HttpDelivery } from '../../src/webhooks/http-delivery';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';
import { deliveriesOf, insertEvent, insertWebhook, T0 } from '../support/webhook-outbox-rows';
import { closedPort, startReceiver, type Receiver } from '../support/webhook-receiver';

const silent = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'en' } });

interface Settings {
  retryDelays?: number[];
  timeoutMs?: number;
  allowPrivateNetworks?: boolean;
}

describe.each(testBackends())('the webhook dispatcher on %s', (backend) => {
  const running: WebhookDispatcher[] = [];
  const receivers: Receiver[] = [];
  // Declared before the scratch database's hooks, so it runs first: dispatchers stop before the database closes.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop(1000)));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });
  const scratch = useMigratedScratchDatabase(backend);

  function dispatch(database: Database, { retryDelays = [50, 50], timeoutMs = 2000, allowPrivateNetworks = true }: Settings = {}) {
    const dispatcher = new WebhookDispatcher({
      store: new SqlWebhookOutbox(database.sql, database.dialect),
      transport: new HttpDelivery({ timeoutMs, allowPrivateNetworks }),
      logger: silent,
      retryDelays,
      leaseMs: timeoutMs + 2000,
      pollMs: 50,
    });
    running.push(dispatcher);
    dispatcher.start();
    return dispatcher;
  }

  async function receiver(secret: string, respond?: Parameters<typeof startReceiver>[1]) {
    const started = await startReceiver(secret, respond);
    receivers.push(started);
    return started;
  }

  /** Polls the delivery rows until `done` holds for them. */
  async function settled(database: Database, webhookId: string, done: (statuses: string[]) => boolean, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await deliveriesOf(database, webhookId);
      if (done(rows.map((row) => row.status))) return rows;
      if (Date.now() > deadline) throw new Error(`deliveries not settled: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const allFinal = (statuses: string[]) => statuses.length > 0 && statuses.every((status) => status !== 'pending');

  it('delivers each event once to each subscription that asked for it, signed so standardwebhooks verifies it', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'placeholder', events: ['client.created'] });
    const endpoint = await receiver(hook.secret);
    await database.knex('webhooks').where({ id: hook.id }).update({ url: endpoint.url });
    const otherType = await insertWebhook(database, { url: endpoint.url, events: ['exchange.created'] });
    const inactive = await insertWebhook(database, { url: endpoint.url, active: false });
    const event = await insertEvent(database, { type: 'client.created' });
    // Created after the event was written: it was not there to ask for it.
    const later = await insertWebhook(database, { url: endpoint.url, createdAt: '2026-11-24T18:00:01.000Z' });

    dispatch(database).notify();
    const [got] = await endpoint.waitFor(1);
    const [delivery] = await settled(database, hook.id, allFinal);

    expect(got?.verifyError).toBeNull();
    expect(got?.contentType).toBe('application/json');
    expect(got?.webhookId).toBe(`msg_${delivery?.id}`);
    expect(got?.payload).toEqual({ type: 'client.created', timestamp: T0, data: event.data });
    expect(Math.abs(Number(got?.timestamp) - Date.now() / 1000)).toBeLessThan(30);
    expect(delivery).toMatchObject({
      eventId: event.id,
      status: 'delivered',
      attempts: 1,
      lastStatus: 204,
      lastError: null,
      leaseUntil: null,
    });
    for (const id of [otherType.id, inactive.id, later.id]) expect(await deliveriesOf(database, id)).toEqual([]);
    const fanned = await database.knex('webhook_events').where({ id: event.id }).first();
    expect(fanned.fanned_out_at).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(endpoint.received).toHaveLength(1);
  });

  it('retries a failed delivery under the same webhook-id, each attempt signed anew, until a 2xx', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'placeholder' });
    const endpoint = await receiver(hook.secret, (n) => (n < 3 ? 500 : 200));
    await database.knex('webhooks').where({ id: hook.id }).update({ url: endpoint.url });
    await insertEvent(database);

    dispatch(database, { retryDelays: [50, 50, 50] }).notify();
    const got = await endpoint.waitFor(3);
    const [delivery] = await settled(database, hook.id, allFinal);

    expect(new Set(got.map((request) => request.webhookId))).toEqual(new Set([`msg_${delivery?.id}`]));
    expect(got.map((request) => request.verifyError)).toEqual([null, null, null]);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null });
  });

  it('marks a delivery failed after the last delay: 500s, a timeout, a refused connection', async () => {
    const { database } = scratch;
    const failing = await insertWebhook(database, { url: 'placeholder' });
    const endpoint = await receiver(failing.secret, () => 500);
    await database.knex('webhooks').where({ id: failing.id }).update({ url: endpoint.url });
    const silentOne = await insertWebhook(database, { url: 'placeholder' });
    const hanging = await receiver(silentOne.secret, () => 'hang');
    await database.knex('webhooks').where({ id: silentOne.id }).update({ url: hanging.url });
    const refused = await insertWebhook(database, { url: `http://127.0.0.1:${await closedPort()}/hook` });
    await insertEvent(database);

    const started = Date.now();
    dispatch(database, { retryDelays: [50, 50], timeoutMs: 300 }).notify();
    const [failed] = await settled(database, failing.id, allFinal);
    const [timedOut] = await settled(database, silentOne.id, allFinal);
    const [unreachable] = await settled(database, refused.id, allFinal);

    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(endpoint.received).toHaveLength(3);
    expect(new Set(endpoint.received.map((request) => request.webhookId)).size).toBe(1);
    expect(timedOut).toMatchObject({ status: 'failed', attempts: 3, lastStatus: null, lastError: 'timeout after 300 ms' });
    expect(hanging.received).toHaveLength(3);
    expect(unreachable).toMatchObject({ status: 'failed', attempts: 3, lastStatus: null, lastError: 'connection refused' });
    // Three timeouts of 300 ms and two delays of ~50 ms: the attempts did not wait for each other.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'placeholder' });
    const target = await receiver(hook.secret);
    const redirecting = await receiver(hook.secret, (_n, _request, response) => {
      response.writeHead(307, { Location: target.url }).end();
      return 'handled';
    });
    await database.knex('webhooks').where({ id: hook.id }).update({ url: redirecting.url });
    await insertEvent(database);

    dispatch(database, { retryDelays: [] }).notify();
    const [delivery] = await settled(database, hook.id, allFinal);

    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastStatus: 307, lastError: 'HTTP 307 (redirects are not followed)' });
    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('reads at most a few KB of a response: an endless body does not hold the attempt', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'placeholder' });
    let written = 0;
    let closedAfter = -1;
    const endless = await receiver(hook.secret, (_n, _request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1024, 'x');
      const timer = setInterval(() => {
        written += chunk.length;
        response.write(chunk);
      }, 5);
      response.on('close', () => {
        clearInterval(timer);
        closedAfter = written;
      });
      return 'handled';
    });
    await database.knex('webhooks').where({ id: hook.id }).update({ url: endless.url });
    await insertEvent(database);

    const started = Date.now();
    dispatch(database, { timeoutMs: 10_000 }).notify();
    const [delivery] = await settled(database, hook.id, allFinal);

    expect(delivery).toMatchObject({ status: 'delivered', lastStatus: 200 });
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The dispatcher hung up after ~4 KB; without the cap the stream would run to the timeout.
    expect(closedAfter).toBeGreaterThan(0);
    expect(closedAfter).toBeLessThan(64 * 1024);
  });

  it('refuses loopback destinations unless private networks are allowed, by literal and by resolved name', async () => {
    const { database } = scratch;
    const literal = await insertWebhook(database, { url: 'placeholder' });
    const endpoint = await receiver(literal.secret);
    await database.knex('webhooks').where({ id: literal.id }).update({ url: endpoint.url });
    const named = await insertWebhook(database, { url: `http://localhost:${endpoint.port}/hook` });
    await insertEvent(database);

    dispatch(database, { retryDelays: [], allowPrivateNetworks: false }).notify();
    const [byLiteral] = await settled(database, literal.id, allFinal);
    const [byName] = await settled(database, named.id, allFinal);

    expect(byLiteral).toMatchObject({
      status: 'failed',
      lastStatus: null,
      lastError: 'address not allowed: 127.0.0.1 is not a public address',
    });
    expect(byName?.status).toBe('failed');
    expect(byName?.lastError).toMatch(/^address not allowed: (127\.0\.0\.1|::1) is not a public address$/);
    expect(endpoint.received).toHaveLength(0);
  });
});
