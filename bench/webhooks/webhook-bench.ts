import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBenchDatabase, type Backend } from '../bench-database';
import { drive, type LoadSettings } from '../load';
import { canPin, machineInfo, pinSelf } from '../machine';
import { PostgresObserver } from '../postgres-observer';
import { SCENARIOS } from '../scenarios';
import { seedDatabase } from '../seed-database';
import { startServer } from '../server-process';
import { API_KEY, serverSpec } from '../server-specs';
import { percentileOfSorted, SampleBuffer } from '../stats';
import { BenchReceiver } from './receiver';

/** What one backend's webhook bench measured. */
export interface WebhookBenchResult {
  backend: Backend;
  /** S3 (create a client) with no subscription, and with one active subscription to client.created. */
  createRps: { withoutWebhook: number; withWebhook: number; ratio: number };
  createP99Ms: { withoutWebhook: number; withWebhook: number };
  deliveries: {
    count: number;
    duplicates: number;
    /** Event written -> received by the local receiver, over every delivery, under load. */
    lagMs: { p50: number; p99: number; max: number };
    /** Deliveries per second from the first event of an on-slice to its last arrival. */
    perSecond: number;
  };
  settings: { clients: number; connections: number; sliceSeconds: number; slices: number };
}

const CLIENTS = 5_000;
const EXCHANGES = 20_000;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function api(baseUrl: string, method: string, pathName: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${pathName}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathName}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Creates per side, the seconds measured per side, and how long the on-slices took until delivered. */
interface SliceTotals {
  readonly sides: { off: SampleBuffer; on: SampleBuffer };
  readonly seconds: { off: number; on: number };
  deliverySeconds: number;
}

/**
 * S3 with and without one active webhook, in alternating slices on the same server (the data
 * grows as S3 writes, so back-to-back halves would not compare). After each slice with the
 * webhook on, the bench waits until the receiver has every event of it before the next slice:
 * the delivery work of one slice never lands in the next, and the lag covers every event.
 */
async function measureSlices(
  baseUrl: string,
  receiver: BenchReceiver,
  settings: LoadSettings & { slices: number },
  toggle: (active: boolean) => Promise<unknown>,
): Promise<SliceTotals> {
  const s3 = SCENARIOS.find((scenario) => scenario.id === 'S3');
  if (!s3) throw new Error('no S3 scenario');
  const next = s3.requests([], `webhooks-${Date.now()}`);
  await toggle(false);
  await drive(baseUrl, next, settings, settings.warmupSeconds, null);
  const totals: SliceTotals = {
    sides: { off: new SampleBuffer(), on: new SampleBuffer() },
    seconds: { off: 0, on: 0 },
    deliverySeconds: 0,
  };
  for (let slice = 0; slice < settings.slices; slice++) {
    for (const side of slice % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      await toggle(side === 'on');
      const created = totals.sides[side];
      const [createdBefore, receivedBefore, started] = [created.length, receiver.receipts.length, Date.now()];
      const result = await drive(baseUrl, next, settings, settings.durationSeconds, created);
      totals.seconds[side] += result.duration;
      if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
      if (side === 'off') continue;
      const expected = receivedBefore + (created.length - createdBefore);
      if (!(await receiver.waitFor(expected, 180_000))) throw new Error(`${receiver.receipts.length} of ${expected} deliveries arrived`);
      totals.deliverySeconds += (Date.now() - started) / 1000;
    }
  }
  await toggle(false);
  return totals;
}

function summarise(
  backend: Backend,
  totals: SliceTotals,
  receiver: BenchReceiver,
  settings: LoadSettings & { slices: number },
): WebhookBenchResult {
  const { sides, seconds } = totals;
  const lags = Float64Array.from(receiver.receipts.map((receipt) => receipt.lagMs)).sort();
  const rps = { off: sides.off.length / seconds.off, on: sides.on.length / seconds.on };
  const p99 = (buffer: SampleBuffer) => round(percentileOfSorted(buffer.values().sort(), 99));
  return {
    backend,
    createRps: { withoutWebhook: round(rps.off), withWebhook: round(rps.on), ratio: Math.round((rps.on / rps.off) * 100) / 100 },
    createP99Ms: { withoutWebhook: p99(sides.off), withWebhook: p99(sides.on) },
    deliveries: {
      count: receiver.receipts.length,
      duplicates: receiver.duplicates,
      lagMs: { p50: round(percentileOfSorted(lags, 50)), p99: round(percentileOfSorted(lags, 99)), max: round(lags[lags.length - 1] ?? 0) },
      perSecond: round(receiver.receipts.length / totals.deliverySeconds),
    },
    settings: { clients: CLIENTS, connections: settings.connections, sliceSeconds: settings.durationSeconds, slices: settings.slices },
  };
}

/** One backend: seed, serve from the build with a receiver on loopback, measure, clean up. */
export async function benchWebhooks(backend: Backend, settings: LoadSettings & { slices: number }): Promise<WebhookBenchResult> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-webhooks-'));
  const database = await createBenchDatabase(backend);
  const receiver = new BenchReceiver();
  let observer: PostgresObserver | undefined;
  let unpin: (() => void) | undefined;
  try {
    log(`webhooks ${backend}: seeding ${CLIENTS} clients`);
    await seedDatabase(database.env, CLIENTS, EXCHANGES, 7);
    await database.afterSeed();
    // As in the main bench: the server (and PostgreSQL) on core 0; this process, which drives
    // the load and plays the receiver, on core 1, so the receiver's work is not charged to the server.
    const pinned = canPin();
    if (pinned) pinSelf(1);
    observer = backend === 'postgres' ? await PostgresObserver.open(database.env.DATABASE_URL as string) : undefined;
    unpin = pinned && observer ? observer.pin(0) : undefined;
    const url = await receiver.start();
    const spec = serverSpec({
      backend,
      side: 'app',
      synchronous: 'FULL',
      dbEnv: database.env,
      logLevel: 'warn',
      logDir,
      core: pinned ? 0 : null,
    });
    const server = await startServer({ ...spec, env: { ...spec.env, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      const webhook = await api(server.baseUrl, 'POST', '/api/v1/webhooks', { url, events: ['client.created'], description: 'bench' });
      const toggle = (active: boolean) => api(server.baseUrl, 'PATCH', `/api/v1/webhooks/${String(webhook.id)}`, { active });
      const result = summarise(backend, await measureSlices(server.baseUrl, receiver, settings, toggle), receiver, settings);
      // Server logs only matter when something failed.
      fs.rmSync(logDir, { recursive: true, force: true });
      return result;
    } catch (error) {
      throw new Error(`webhooks ${backend}: ${error instanceof Error ? error.message : String(error)}; server log in ${logDir}`);
    } finally {
      await server.stop();
    }
  } finally {
    unpin?.();
    await observer?.close();
    await receiver.stop();
    await database.drop();
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The machine line the results carry, as the other benches do. */
export function webhookBenchMachine() {
  return machineInfo(false);
}
