import Sqlite from 'better-sqlite3';
import { API_KEY } from '../support/api-harness';
import { spawnServer } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type ScratchDatabase } from '../support/test-databases';
import { reportResult, sleep } from './support/api-client';
import { WriteLedger } from './support/write-ledger';

// Three kills per backend keep the scenario near 10 s; CRASH_ROUNDS raises it for a soak run.
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const WRITERS = 6;

function integrityCheck(file: string): string {
  // Opening the file after a SIGKILL is exactly what the next start does: WAL recovery first.
  const db = new Sqlite(file);
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

describe.each(testBackends())('kill -9 under write load on %s', (backend) => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase(backend);
  });
  afterAll(() => scratch.drop());

  it('keeps every acknowledged write, with the acknowledged content, across SIGKILL and restart', async () => {
    const env = { ...scratch.env, API_KEYS: API_KEY, SQLITE_SYNCHRONOUS: 'FULL' };
    const ledger = new WriteLedger();
    const lost: string[] = [];
    const integrity: string[] = [];

    for (let round = 1; round <= ROUNDS; round += 1) {
      const server = await spawnServer(env);
      if (round > 1) lost.push(...(await ledger.verify(server.baseUrl)));
      let stopped = false;
      const load = ledger.runLoad(server.baseUrl, WRITERS, () => stopped);
      // A random moment: the kill lands in the middle of some request, transaction or fsync.
      await sleep(300 + Math.random() * 900);
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      stopped = true;
      await load;
      if (scratch.target.driver === 'sqlite') integrity.push(integrityCheck(scratch.target.path));
    }

    const final = await spawnServer(env);
    try {
      lost.push(...(await ledger.verify(final.baseUrl)));
    } finally {
      final.child.kill('SIGTERM');
      expect(await final.exited).toBe(0);
    }
    if (scratch.target.driver === 'sqlite') integrity.push(integrityCheck(scratch.target.path));

    reportResult(
      `crash ${backend}: rounds=${ROUNDS} writes acknowledged=${ledger.acknowledged} ` +
        `(clients=${ledger.clients.size}, exchanges=${ledger.exchanges.size}) ` +
        `in-flight updates found committed=${ledger.inFlightCommitted} lost=${lost.length}` +
        (backend === 'sqlite' ? ` integrity_check=${[...new Set(integrity)].join(',')}` : ''),
    );
    expect(ledger.anomalies).toEqual([]);
    expect(lost).toEqual([]);
    if (backend === 'sqlite') expect(integrity.every((result) => result === 'ok')).toBe(true);
    // A scenario that acknowledged nothing would prove nothing.
    expect(ledger.acknowledged).toBeGreaterThan(ROUNDS * 20);
  });
});
