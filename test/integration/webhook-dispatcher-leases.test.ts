import { v7 as uuidv7 } from 'uuid';
import { SqlWebhookOutbox } from '../../src/db/adapters/sql-webhook-outbox';
import type { Database } from '../../src/db/open-database';
import { createLogger } from '../../src/logging/create-logger';
import { WebhookDispatcher, type DeliveryTransport } from '../../src/webhooks/dispatcher';
import { HttpDelivery, type AttemptResult } from '../../src/webhooks/http-delivery';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';
import { deliveriesOf, insertEvent, insertWebhook } from '../support/webhook-outbox-rows';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

const silent = createLogger({ env: 'test', log: { level: process.env.DEBUG_WEBHOOKS ? 'info' : 'silent', format: 'json', lang: 'en' } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A transport whose attempts hang until the test settles them: an instance stuck mid-delivery. */
function stuckTransport() {
  const pending: Array<(result: AttemptResult) => void> = [];
  const transport: DeliveryTransport = {
    post: (_url, _headers, _body, signal) =>
      new Promise((resolve) => {
        pending.push(resolve);
        signal?.addEventListener('abort', () => resolve({ delivered: false, status: null, error: 'abandoned at shutdown' }));
      }),
    close: () => undefined,
  };
  return { transport, pending };
}

describe.each(testBackends())('webhook leases on %s', (backend) => {
  const running: WebhookDispatcher[] = [];
  const opened: Database[] = [];
  let endpoint: Receiver | undefined;
  // Declared before the scratch database's hooks, so it runs first: dispatchers stop before the database closes.
  afterEach(async () => {
    await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop(1000)));
    await Promise.all(opened.splice(0).map((database) => database.close()));
    await endpoint?.close();
    endpoint = undefined;
  });
  const scratch = useMigratedScratchDatabase(backend);

  /**
   * What a second instance uses: its own connections on PostgreSQL. A SQLite file is served by
   * one process, whose writes take turns through one executor; a second executor in the same
   * process would block the event loop in SQLite's busy wait, which no deployment does.
   */
  function secondInstance(): Database {
    if (backend === 'sqlite') return scratch.database;
    const other = scratch.scratch.open();
    opened.push(other);
    return other;
  }

  function dispatcher(database: Database, transport: DeliveryTransport, leaseMs: number, concurrency?: number) {
    const started = new WebhookDispatcher({
      store: new SqlWebhookOutbox(database.sql, database.dialect),
      transport,
      logger: silent,
      retryDelays: [50],
      leaseMs,
      pollMs: 50,
      concurrency,
    });
    running.push(started);
    started.start();
    return started;
  }
  const http = () => new HttpDelivery({ timeoutMs: 2000, allowPrivateNetworks: true });

  it('lets another dispatcher deliver once a lease expires, and the late one cannot overwrite it', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'placeholder' });
    endpoint = await startReceiver(hook.secret);
    await database.knex('webhooks').where({ id: hook.id }).update({ url: endpoint.url });
    await insertEvent(database);

    const stuck = stuckTransport();
    dispatcher(database, stuck.transport, 400);
    while (stuck.pending.length === 0) await sleep(10);
    const [leased] = await deliveriesOf(database, hook.id);
    expect(leased).toMatchObject({ status: 'pending', attempts: 0 });
    expect(leased?.leaseUntil).not.toBeNull();

    // Another instance sees a held lease and leaves the delivery alone until it expires.
    dispatcher(secondInstance(), http(), 5000);
    await sleep(200);
    expect(endpoint.received).toHaveLength(0);
    const [got] = await endpoint.waitFor(1, 5000);
    expect(got?.webhookId).toBe(`msg_${leased?.id}`);
    expect(got?.verifyError).toBeNull();
    let [after] = await deliveriesOf(database, hook.id);
    while (after?.status === 'pending') [after] = (await sleep(20), await deliveriesOf(database, hook.id));
    expect(after).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });

    // The stuck instance finally hears back (it took the delivery again each time its own lease
    // expired, before the other instance did): its lease is gone, so it records nothing.
    stuck.pending.forEach((answer, n) =>
      answer(n === 0 ? { delivered: true, status: 202 } : { delivered: false, status: 500, error: 'HTTP 500' }),
    );
    await Promise.all(running.map((d) => d.idle()));
    expect((await deliveriesOf(database, hook.id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatus: 204,
      lastError: null,
    });
  });

  it('records nothing for an instance whose lease expired while another holds the delivery', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'https://hooks.example.com/never-called' });
    await insertEvent(database);
    // One delivery in flight each: neither instance can take the delivery again while it waits.
    const [first, second] = [stuckTransport(), stuckTransport()];
    const a = dispatcher(database, first.transport, 300, 1);
    while (first.pending.length === 0) await sleep(10);
    const b = dispatcher(secondInstance(), second.transport, 60_000, 1);
    while (second.pending.length === 0) await sleep(10);

    first.pending[0]?.({ delivered: true, status: 200 });
    await a.idle();
    const [held] = await deliveriesOf(database, hook.id);
    expect(held).toMatchObject({ status: 'pending', attempts: 0, lastStatus: null });
    expect(held?.leaseUntil).not.toBeNull();

    second.pending[0]?.({ delivered: true, status: 204 });
    await b.idle();
    expect((await deliveriesOf(database, hook.id))[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
  });

  (backend === 'postgres' ? it : it.skip)('two instances on one PostgreSQL database deliver each event once', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'placeholder' });
    endpoint = await startReceiver(hook.secret);
    await database.knex('webhooks').where({ id: hook.id }).update({ url: endpoint.url });
    const second = await insertWebhook(database, { url: endpoint.url, secret: hook.secret });
    const EVENTS = 150;
    for (let n = 0; n < EVENTS; n++) await insertEvent(database, { data: { id: uuidv7(), n, version: 1 } });

    const [a, b] = [dispatcher(database, http(), 5000), dispatcher(secondInstance(), http(), 5000)];
    a.notify();
    b.notify();
    const got = await endpoint.waitFor(2 * EVENTS, 20_000);
    await sleep(300);

    expect(endpoint.received).toHaveLength(2 * EVENTS);
    expect(new Set(got.map((request) => request.webhookId)).size).toBe(2 * EVENTS);
    expect(got.filter((request) => request.verifyError !== null)).toEqual([]);
    const rows = [...(await deliveriesOf(database, hook.id)), ...(await deliveriesOf(database, second.id))];
    expect(rows).toHaveLength(2 * EVENTS);
    expect(rows.every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it('stops claiming at stop(), waits for deliveries in flight, and leaves the ones past the timeout to their lease', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'https://hooks.example.com/never-called' });
    await insertEvent(database);
    await insertEvent(database);
    const stuck = stuckTransport();
    const first = dispatcher(database, stuck.transport, 60_000);
    while (stuck.pending.length < 2) await sleep(10);

    // One answer arrives during the grace period and is recorded; the other never does.
    const stopping = first.stop(300);
    stuck.pending[0]?.({ delivered: true, status: 200 });
    const began = Date.now();
    await stopping;
    expect(Date.now() - began).toBeLessThan(1500);
    await insertEvent(database);
    first.notify();
    await sleep(150);

    const rows = await deliveriesOf(database, hook.id);
    expect(rows.map((row) => row.status).sort()).toEqual(['delivered', 'pending']);
    // The abandoned one keeps its lease (until it expires), and the event written after stop() was not even fanned out.
    expect(rows.find((row) => row.status === 'pending')).toMatchObject({ attempts: 0, lastError: null });
    expect(rows.find((row) => row.status === 'pending')?.leaseUntil).not.toBeNull();
    expect(stuck.pending).toHaveLength(2);
  });
});
