import http from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app';
import { backupPlan } from './backup/backup-plan';
import { BackupSchedule } from './backup/backup-schedule';
import type { Config } from './config/config';
import { SqlImportStore } from './db/adapters/sql-import-store';
import { SqlUnitOfWork } from './db/adapters/sql-unit-of-work';
import { openDatabase, type Database } from './db/open-database';
import { configurePhoneRegion } from './domain/duplicate-keys';
import { systemClock } from './services/clock';
import { IdempotencyService } from './services/idempotency.service';
import { ImportPurgeSchedule } from './services/import-purge-schedule';
import { ImportService } from './services/import.service';
import { TrashPurgeSchedule } from './services/trash-purge-schedule';
import { announceStorage } from './storage/announce-storage';
import { createMountProbe, type MountProbe } from './storage/mount-probe';
import { resolveStorage } from './storage/resolve-storage';
import { storageWarnings } from './storage/storage-messages';
import { logUnservedSqlite } from './storage/switch-guard';
import { createWebhookWorkers } from './webhooks/webhook-workers';

interface RunningServer {
  readonly server: http.Server;
  readonly database: Database;
  readonly port: number;
  /** Stop accepting, let in-flight requests finish (bounded), close the database. */
  close(): Promise<void>;
}

interface StartServerOptions {
  config: Config;
  logger: Logger;
  probe?: MountProbe;
}

/**
 * resolve storage -> open -> migrate -> createApp -> listen. Pending migrations (MIGRATE_ON_START)
 * are applied before the port opens, so no request meets a schema older than the code.
 */
export async function startServer({ config, logger, probe = createMountProbe() }: StartServerOptions): Promise<RunningServer> {
  // Before the migrations: 0009 computes phone keys of existing clients in this region.
  configurePhoneRegion(config.phone.defaultRegion);
  const target = resolveStorage(config, { probe });
  announceStorage(target, config, logger);
  logUnservedSqlite(config, target, probe, logger);
  const database = openDatabase(target, config.database);
  try {
    if (config.database.migrateOnStart) {
      const applied = await database.migrator.up();
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    if (config.auth.apiKeys.length === 0 || config.auth.disabled) {
      logger.warn('API authentication is disabled: anyone who can reach this port can read and change the data. Set API_KEYS.');
    }
    let draining = false;
    const plan = backupPlan(config, target);
    const backups =
      plan.intervalMs > 0
        ? new BackupSchedule({ plan, database, logger, openExportDatabase: () => openDatabase(target, config.database) })
        : null;
    // Deliveries run beside the API, never inside a request; writes wake the dispatcher.
    const webhooks = createWebhookWorkers({ database, config, logger });
    const app = createApp({
      config,
      logger,
      database,
      storageWarnings: storageWarnings(target, config.log.lang),
      isDraining: () => draining,
      backups: backups ?? undefined,
      outboxSignal: webhooks.dispatcher,
      webhookSubscriptions: webhooks.dispatcher,
    });
    const server = http.createServer(app.callback());
    // Render's proxy keeps connections open for a long time; outlive its idle timeout.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => resolve());
    });
    backups?.start();
    webhooks.start();
    const purge = scheduleIdempotencyPurge(database, logger, config.env !== 'production');
    server.once('close', () => clearInterval(purge));
    // What outlived TRASH_RETENTION_DAYS, at start-up and hourly (with 0 the trash stays empty).
    const trashPurge = new TrashPurgeSchedule({
      uow: new SqlUnitOfWork(database.sql, database.dialect, { checkTransactionScope: config.env !== 'production' }),
      clock: systemClock,
      settings: { retentionDays: config.trash.retentionDays },
      logger,
    });
    trashPurge.start();
    server.once('close', () => void trashPurge.stop());
    // CSV uploads nobody committed within their day, at start-up and hourly.
    const importStore = new SqlImportStore(database.sql, database.dialect, database.tools);
    const importPurge = new ImportPurgeSchedule(new ImportService(importStore, systemClock), logger);
    importPurge.start();
    server.once('close', () => void importPurge.stop());
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    logger.info({ port, host: config.server.host }, 'listening');
    const close = () => {
      draining = true;
      // A running backup finishes or is abandoned within the same timeout as the requests.
      const backupsStopped = backups?.stop(config.server.shutdownTimeoutMs) ?? Promise.resolve();
      // A purge in progress stops after its current batch, before the database closes.
      const purgeStopped = Promise.all([trashPurge.stop(), importPurge.stop()]);
      // Deliveries in flight get the same time to finish; what is left is delivered after a restart.
      const webhooksStopped = webhooks.stop(config.server.shutdownTimeoutMs);
      return stopServer(
        server,
        database,
        config.server.shutdownTimeoutMs,
        logger,
        Promise.all([backupsStopped, purgeStopped, webhooksStopped]),
      );
    };
    return { server, database, port, close };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Expired Idempotency-Key records are dead weight; drop them hourly (and once at start). */
function scheduleIdempotencyPurge(database: Database, logger: Logger, checkTransactionScope: boolean): NodeJS.Timeout {
  const service = new IdempotencyService(new SqlUnitOfWork(database.sql, database.dialect, { checkTransactionScope }), systemClock);
  const purge = () =>
    service.purgeExpired().then(
      (removed) => removed > 0 && logger.info({ removed }, 'expired idempotency keys purged'),
      (error) => logger.warn({ err: error }, 'idempotency key purge failed'),
    );
  void purge();
  return setInterval(purge, IDEMPOTENCY_PURGE_INTERVAL_MS).unref();
}

const IDLE_SWEEP_MS = 50;

async function stopServer(
  server: http.Server,
  database: Database,
  timeoutMs: number,
  logger: Logger,
  workStopped: Promise<unknown>,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
  // closeIdleConnections() only closes the sockets idle at the instant it runs, and a socket
  // whose response was already on its way at the signal turns idle a moment later (found by
  // test/reliability/graceful-stop): sweep again until every connection is gone. Responses
  // decided after the signal say Connection: close themselves (requestBoundary).
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  void closed.then(() => clearInterval(sweeper));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([closed.then(() => 'drained' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.warn({ timeoutMs }, 'shutdown timeout reached; closing remaining connections');
    server.closeAllConnections();
    await closed;
  }
  await workStopped;
  await database.close();
  logger.info('stopped');
}
