import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../../src/logging/create-logger';
import type { BackupReport } from '../../src/services/backup-report';
import { startServer } from '../../src/server';
import { addDemoRows } from '../support/copy-fixtures';
import { startS3Server, type TestS3Server } from '../support/s3-server';
import { createScratchDatabase, testBackends, testConfig, type ScratchDatabase } from '../support/test-databases';

const withPostgres = testBackends().includes('postgres') ? describe : describe.skip;
const INTERVAL_S = 2;

// Two instances of the server on one PostgreSQL database and one bucket, each with a schedule:
// the advisory lock and the bucket's newest copy make one of them take each backup.
withPostgres('scheduled backups with two instances on one PostgreSQL database', () => {
  let s3: TestS3Server;
  let scratch: ScratchDatabase;
  const instances: Array<{ running: Awaited<ReturnType<typeof startServer>>; lines: string[] }> = [];

  beforeAll(async () => {
    s3 = await startS3Server();
    scratch = await createScratchDatabase('postgres');
    const database = scratch.open();
    await database.migrator.up();
    await addDemoRows(database, { clients: 40, exchanges: 80 }, 'two-instances');
    await database.close();
    for (const name of ['a', 'b']) {
      const lines: string[] = [];
      const config = testConfig({
        ...scratch.env,
        ...s3.env(),
        BACKUP_INTERVAL: `${INTERVAL_S}s`,
        BACKUP_KEEP: '20',
        BACKUP_DIR: path.join(s3.directory, `instance-${name}`),
        PORT: '0',
        HOST: '127.0.0.1',
      });
      const logger = createLogger(
        { env: 'test', log: { level: 'info', format: 'json', lang: 'en' } },
        { write: (l: string) => void lines.push(l) },
      );
      instances.push({ running: await startServer({ config, logger }), lines });
    }
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.running.close()));
    await s3?.close();
    await scratch?.drop();
  });

  const made = () => instances.flatMap((instance) => instance.lines.filter((line) => line.includes('"msg":"backup made"')));

  it('takes one backup per interval between them, never two at once, as gzip exports in the bucket', async () => {
    const started = Date.now();
    await waitFor(() => made().length >= 3, 25_000);
    const elapsedS = (Date.now() - started) / 1000 + INTERVAL_S;
    const store = await s3.openStore();
    try {
      const copies = await store.list();
      expect(copies.length).toBe(made().length);
      expect(copies.every((copy) => copy.name.endsWith('.ndjson.gz'))).toBe(true);
      // Two schedules alone would take two copies per interval; shared, consecutive copies
      // are at least half an interval apart.
      const times = copies.map((copy) => copy.at.getTime()).sort((a, b) => a - b);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual((INTERVAL_S * 1000) / 2);
      expect(copies.length).toBeLessThanOrEqual(Math.ceil(elapsedS / INTERVAL_S) + 1);
    } finally {
      store.close();
    }
  });

  it('has both instances report a recent backup in /health, whichever took it', async () => {
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_S * 1000));
    for (const { running } of instances) {
      const body = (await (await fetch(`http://127.0.0.1:${running.port}/health`)).json()) as { backup: BackupReport };
      expect(body.backup).toMatchObject({ ok: true, error: null, overdue: false });
      expect(body.backup.location).toMatch(/^s3:\/\/crm-backups\/crm\/crm-\d{8}T\d{6}Z\.ndjson\.gz$/);
      expect(body.backup.ageSeconds).toBeLessThanOrEqual(2 * INTERVAL_S);
    }
    const takers = instances.filter((instance) => instance.lines.some((line) => line.includes('"msg":"backup made"')));
    expect(takers.length).toBeGreaterThanOrEqual(1);
    // Local copies are in the taker's own folder only.
    const local = instances.map((_, i) => path.join(s3.directory, `instance-${'ab'[i]}`));
    const madeBefore = made().length;
    const files = local.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.ndjson.gz')) : []));
    // The schedules keep running: a backup being uploaded has its local file before its
    // "backup made" line, so one file more than the lines is a backup in flight, not a stray.
    expect(files.length).toBeGreaterThanOrEqual(madeBefore);
    expect(files.length).toBeLessThanOrEqual(made().length + 1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
