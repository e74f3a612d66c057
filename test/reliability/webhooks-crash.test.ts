import { API_KEY } from '../support/api-harness';
import { spawnServer } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type ScratchDatabase } from '../support/test-databases';
import { startReceiver, type Receiver } from '../support/webhook-receiver';
import { postJson, reportResult, sleep } from './support/api-client';
import { EventLedger, storedVersion } from './support/event-ledger';

const ROUNDS = Number(process.env.WEBHOOK_CRASH_ROUNDS ?? 2);
const WRITERS = 4;
// A short timeout keeps the leases of deliveries cut by a kill short (timeout + 5 s).
const WEBHOOK_ENV = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_RETRY_DELAYS: '200ms,500ms,1s,2s' };

/** Waits until the ledger's acknowledged writes have all been received, or the deadline. */
async function untilAnnounced(ledger: EventLedger, receiver: Receiver, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const seen = new Set(receiver.received.map(({ payload: { type, data } }) => `${type} ${String(data.id)} v${String(data.version)}`));
    if ([...ledger.acknowledged.keys()].every((key) => seen.has(key))) return;
    await sleep(100);
  }
}

async function subscribe(baseUrl: string, url: string): Promise<string> {
  const created = await postJson<{ secret: string }>(`${baseUrl}/api/v1/webhooks`, { url, events: ['*'] });
  if (created.status !== 201) throw new Error(`webhook not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.secret;
}

describe.each(testBackends())('webhooks through kill -9 under write load on %s', (backend) => {
  let scratch: ScratchDatabase;
  let receiver: Receiver;
  let secret = '';
  beforeAll(async () => {
    scratch = await createScratchDatabase(backend);
    receiver = await startReceiver(() => secret);
  });
  afterAll(async () => {
    await receiver.close();
    await scratch.drop();
  });

  it('announces every acknowledged write at least once (same webhook-id on duplicates) and no write that did not commit', async () => {
    const env = { ...scratch.env, API_KEYS: API_KEY, ...WEBHOOK_ENV };
    const ledger = new EventLedger();
    for (let round = 1; round <= ROUNDS; round += 1) {
      const server = await spawnServer(env);
      if (round === 1) secret = await subscribe(server.baseUrl, receiver.url);
      let stopped = false;
      const load = ledger.runLoad(server.baseUrl, WRITERS, () => stopped);
      // A random moment: some writes in flight, some deliveries sent but not yet recorded.
      await sleep(700 + Math.random() * 800);
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      stopped = true;
      await load;
    }

    const final = await spawnServer(env);
    try {
      await untilAnnounced(ledger, receiver, 20_000);
      await sleep(300);
      const result = await ledger.check(receiver.received, storedVersion(final.baseUrl));
      reportResult(
        `webhooks-crash ${backend}: rounds=${ROUNDS} writes acknowledged=${ledger.acknowledged.size} unanswered=${ledger.unanswered.size} ` +
          `requests received=${receiver.received.length} duplicates=${result.duplicates} missing=${result.missing.length} ` +
          `unexplained=${result.unexplained.length} bad signatures=${result.badSignatures}`,
      );
      expect(ledger.anomalies).toEqual([]);
      expect(result.missing).toEqual([]);
      expect(result.unexplained).toEqual([]);
      expect(result.splitIds).toEqual([]);
      expect(result.badSignatures).toBe(0);
      // A scenario that acknowledged nothing would prove nothing.
      expect(ledger.acknowledged.size).toBeGreaterThan(ROUNDS * 20);
    } finally {
      final.child.kill('SIGTERM');
      expect(await final.exited).toBe(0);
    }
  }, 90_000);
});

// PostgreSQL mode is the one Render may scale out; SQLite on a disk runs a single instance.
(testBackends().includes('postgres') ? describe : describe.skip)('webhooks from two instances on one PostgreSQL database', () => {
  it('deliver each event once in normal operation', async () => {
    const scratch = await createScratchDatabase('postgres');
    let secret = '';
    const receiver = await startReceiver(() => secret);
    const env = { ...scratch.env, API_KEYS: API_KEY, ...WEBHOOK_ENV };
    try {
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      try {
        secret = await subscribe(a.baseUrl, receiver.url);
        const ledger = new EventLedger();
        let stopped = false;
        // Writes through both instances; the subscription made on `a` is served by `b` within its poll.
        const load = Promise.all([ledger.runLoad(a.baseUrl, 2, () => stopped), ledger.runLoad(b.baseUrl, 2, () => stopped)]);
        await sleep(2000);
        stopped = true;
        await load;
        await untilAnnounced(ledger, receiver, 15_000);
        await sleep(500);
        const result = await ledger.check(receiver.received, storedVersion(a.baseUrl));
        reportResult(
          `webhooks-two-instances postgres: writes acknowledged=${ledger.acknowledged.size} requests received=${receiver.received.length} ` +
            `duplicates=${result.duplicates} missing=${result.missing.length}`,
        );
        expect(ledger.anomalies).toEqual([]);
        expect(result.missing).toEqual([]);
        expect(result.unexplained).toEqual([]);
        expect(result.duplicates).toBe(0);
        expect(receiver.received).toHaveLength(ledger.acknowledged.size);
        expect(result.badSignatures).toBe(0);
        expect(ledger.acknowledged.size).toBeGreaterThan(50);
      } finally {
        a.child.kill('SIGTERM');
        b.child.kill('SIGTERM');
        expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
      }
    } finally {
      await receiver.close();
      await scratch.drop();
    }
  }, 60_000);
});
