import http from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { Config } from './config/config';
import { SqlUnitOfWork } from './db/adapters/sql-unit-of-work';
import { openDatabase, type Database } from './db/open-database';
import { systemClock } from './services/clock';
import { IdempotencyService } from './services/idempotency.service';
import { announceStorage } from './storage/announce-storage';
import { createMountProbe, type MountProbe } from './storage/mount-probe';
import { resolveStorage } from './storage/resolve-storage';
import { storageWarnings } from './storage/storage-messages';
import { logUnservedSqlite } from './storage/switch-guard';

export interface RunningServer {
  readonly server: http.Server;
  readonly database: Database;
  readonly port: number;
  /** Stop accepting, let in-flight requests finish (bounded), close the database. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  config: Config;
  logger: Logger;
  probe?: MountProbe;
}

/** load config -> resolve storage -> migrate -> createApp -> listen (DESIGN section 2). */
export async function startServer({ config, logger, probe = createMountProbe() }: StartServerOptions): Promise<RunningServer> {
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
    const app = createApp({ config, logger, database, storageWarnings: storageWarnings(target, config.log.lang) });
    const server = http.createServer(app.callback());
    const releaseConnections = closeConnectionsAfterResponse(server);
    // Render's proxy keeps connections open for a long time; outlive its idle timeout.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => resolve());
    });
    const purge = scheduleIdempotencyPurge(database, logger);
    server.once('close', () => clearInterval(purge));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    logger.info({ port, host: config.server.host }, 'listening');
    const close = () => {
      releaseConnections();
      return stopServer(server, database, config.server.shutdownTimeoutMs, logger);
    };
    return { server, database, port, close };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

export const IDEMPOTENCY_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Expired Idempotency-Key records are dead weight; drop them hourly (and once at start). */
function scheduleIdempotencyPurge(database: Database, logger: Logger): NodeJS.Timeout {
  const service = new IdempotencyService(new SqlUnitOfWork(database.sql, database.dialect), systemClock);
  const purge = () =>
    service.purgeExpired().then(
      (removed) => removed > 0 && logger.info({ removed }, 'expired idempotency keys purged'),
      (error) => logger.warn({ err: error }, 'idempotency key purge failed'),
    );
  void purge();
  return setInterval(purge, IDEMPOTENCY_PURGE_INTERVAL_MS).unref();
}

/**
 * closeIdleConnections() at the signal only closes sockets idle at that instant. A keep-alive
 * socket whose request is still running becomes idle a moment later and then holds
 * server.close() open until the shutdown timeout (found by test/reliability/graceful-stop).
 * The returned function, called at shutdown, makes every response still to come the last one
 * on its socket (Connection: close) and closes the socket once that response has left.
 */
function closeConnectionsAfterResponse(server: http.Server): () => void {
  const inFlight = new Set<http.ServerResponse>();
  let stopping = false;
  const release = (res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
    res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
  };
  // One shared listener rather than a closure per request: this runs on every request.
  function forget(this: http.ServerResponse) {
    inFlight.delete(this);
  }
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    if (stopping) return release(res);
    inFlight.add(res);
    res.on('close', forget);
  });
  return () => {
    stopping = true;
    for (const res of inFlight) release(res);
  };
}

async function stopServer(server: http.Server, database: Database, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
  server.closeIdleConnections();
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
  await database.close();
  logger.info('stopped');
}
