import request from 'supertest';
import { createApp } from '../../src/app';
import { SqlWebhookOutbox } from '../../src/db/adapters/sql-webhook-outbox';
import { createLogger } from '../../src/logging/create-logger';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher';
import { HttpDelivery } from '../../src/webhooks/http-delivery';
import { WebhookLogPurgeSchedule } from '../../src/webhooks/log-purge-schedule';
import { createWebhookWorkers } from '../../src/webhooks/webhook-workers';
import { testBackends, testConfig, useMigratedScratchDatabase } from '../support/test-databases';
import {
  deliveriesOf,
  insertDeliveries,
  insertEvent,
  insertWebhook,
  markFannedOut,
  T0,
  webhookState,
} from '../support/webhook-outbox-rows';
import { startReceiver, type Receiver } from '../support/webhook-receiver';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
const after = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function logCapture() {
  const lines: string[] = [];
  const logger = createLogger(
    { env: 'test', log: { level: 'info', format: 'json', lang: 'en' } },
    { write: (line: string) => void lines.push(line) },
  );
  return { logger, messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg) };
}

describe.each(testBackends())('webhook upkeep on %s', (backend) => {
  const receivers: Receiver[] = [];
  const running: WebhookDispatcher[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop(1000)));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });
  const scratch = useMigratedScratchDatabase(backend);

  it('switches off a subscription whose deliveries have all failed for 24 hours, and /health warns; a success clears the count', async () => {
    const { database } = scratch;
    const dead = await insertWebhook(database, { url: 'placeholder' });
    const deadEnd = await startReceiver(dead.secret, () => 500);
    const flaky = await insertWebhook(database, { url: 'placeholder' });
    const flakyEnd = await startReceiver(flaky.secret, (n) => (n === 1 ? 503 : 200));
    receivers.push(deadEnd, flakyEnd);
    await database.knex('webhooks').where({ id: dead.id }).update({ url: deadEnd.url });
    await database.knex('webhooks').where({ id: flaky.id }).update({ url: flakyEnd.url });
    await insertEvent(database);

    let now = T0;
    const clock = () => now;
    const { logger, messages } = logCapture();
    const dispatcher = new WebhookDispatcher({
      store: new SqlWebhookOutbox(database.sql, database.dialect),
      transport: new HttpDelivery({ timeoutMs: 2000, allowPrivateNetworks: true }),
      logger,
      clock,
      retryDelays: Array(40).fill(HOUR_MS),
      leaseMs: 10_000,
      pollMs: 60_000,
    });
    running.push(dispatcher);
    const passAt = async (at: string) => {
      now = at;
      await dispatcher.refreshSubscriptions();
      await dispatcher.idle();
    };
    dispatcher.start();
    await passAt(T0);
    expect(await webhookState(database, dead.id)).toEqual({ active: 1, version: 1, failingSince: T0 });
    expect((await webhookState(database, flaky.id)).failingSince).toBe(T0);

    // Two hours later the flaky endpoint answers: it is not failing any more; the dead one still is.
    await passAt(after(2 * HOUR_MS));
    expect(await webhookState(database, flaky.id)).toEqual({ active: 1, version: 1, failingSince: null });
    expect(await webhookState(database, dead.id)).toEqual({ active: 1, version: 1, failingSince: T0 });

    // A day and an hour after the first failure, the next failure switches it off: a new version.
    await passAt(after(DAY_MS + HOUR_MS));
    expect(await webhookState(database, dead.id)).toEqual({ active: 0, version: 2, failingSince: T0 });
    expect((await deliveriesOf(database, dead.id))[0]).toMatchObject({ status: 'pending', attempts: 3 });
    expect(messages()).toContain('webhook subscription switched off: every delivery to it has failed for 24 hours');
    expect(deadEnd.received).toHaveLength(3);

    // Switched off, it gets nothing more, even when its retry comes due.
    await passAt(after(3 * DAY_MS));
    expect(deadEnd.received).toHaveLength(3);

    const app = createApp({ config: testConfig(), logger, database, clock }).callback();
    const health = await request(app).get('/health').expect(200);
    expect(health.body.webhooks).toEqual({ active: 1, deactivated: 1, pendingDeliveries: 0, oldestPendingSeconds: null });
    expect(health.body.warnings).toContain('1 webhook subscription(s) switched off after 24 hours of failed deliveries');
    expect(JSON.stringify(health.body)).not.toContain(dead.secret);
    expect(JSON.stringify(health.body)).not.toContain(deadEnd.url);
  });

  it('sends nothing and writes nothing while READ_ONLY freezes the database', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'placeholder' });
    const endpoint = await startReceiver(hook.secret);
    receivers.push(endpoint);
    await database.knex('webhooks').where({ id: hook.id }).update({ url: endpoint.url });
    const event = await insertEvent(database);
    const { logger, messages } = logCapture();
    const workers = createWebhookWorkers({
      database,
      config: testConfig({ READ_ONLY: 'true', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }),
      logger,
    });

    workers.start();
    workers.dispatcher.notify();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await workers.stop(1000);

    expect(endpoint.received).toHaveLength(0);
    expect(await deliveriesOf(database)).toEqual([]);
    expect((await database.knex('webhook_events').where({ id: event.id }).first()).fanned_out_at).toBeNull();
    expect(messages()).toContain('READ_ONLY: webhook deliveries wait until writes are allowed again');
  });

  it('purges delivered and failed deliveries past WEBHOOK_LOG_RETENTION_DAYS in batches, then events nothing refers to', async () => {
    const { database } = scratch;
    const hook = await insertWebhook(database, { url: 'https://hooks.example.com/crm', createdAt: after(-30 * DAY_MS) });
    const old = after(-15 * DAY_MS);
    const recent = after(-13 * DAY_MS);
    const done = await insertEvent(database, { createdAt: old });
    const waiting = await insertEvent(database, { createdAt: old });
    const noDeliveries = await insertEvent(database, { createdAt: recent });
    const notFannedOut = await insertEvent(database, { createdAt: after(-20 * DAY_MS) });
    for (const event of [done, waiting]) await markFannedOut(database, event.id, old);
    await markFannedOut(database, noDeliveries.id, recent);
    // More than two batches of old rows, so the purge has to come back for them.
    await insertDeliveries(database, { webhookId: hook.id, eventId: done.id, status: 'delivered', at: old, count: 1100 });
    await insertDeliveries(database, { webhookId: hook.id, eventId: done.id, status: 'failed', at: old });
    await insertDeliveries(database, { webhookId: hook.id, eventId: waiting.id, status: 'delivered', at: recent });
    await insertDeliveries(database, { webhookId: hook.id, eventId: waiting.id, status: 'pending', at: old });

    const { logger } = logCapture();
    const purge = new WebhookLogPurgeSchedule({
      store: new SqlWebhookOutbox(database.sql, database.dialect),
      clock: () => T0,
      retentionDays: 14,
      logger,
    });
    expect(await purge.runNow()).toBe(1101 + 1);

    const left = await deliveriesOf(database);
    expect(left.map((row) => row.status).sort()).toEqual(['delivered', 'pending']);
    expect(left.every((row) => row.eventId === waiting.id)).toBe(true);
    const events = (await database.knex('webhook_events').select('id')).map((row: { id: string }) => row.id).sort();
    expect(events).toEqual([waiting.id, noDeliveries.id, notFannedOut.id].sort());

    const app = createApp({ config: testConfig(), logger, database, clock: () => T0 }).callback();
    const health = await request(app).get('/health').expect(200);
    // The oldest event still waiting is the one never fanned out (20 days), older than the pending delivery's (15).
    expect(health.body.webhooks).toEqual({ active: 1, deactivated: 0, pendingDeliveries: 1, oldestPendingSeconds: 20 * 86_400 });
  });
});
