import http from 'node:http';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { Config } from './config/config';
import { openDatabase, type Database } from './db/open-database';
import { announceStorage } from './storage/announce-storage';
import { createMountProbe, type MountProbe } from './storage/mount-probe';
import { resolveStorage } from './storage/resolve-storage';
import { storageWarnings } from './storage/storage-messages';

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
    // Render's proxy keeps connections open for a long time; outlive its idle timeout.
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.server.port, config.server.host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.server.port;
    logger.info({ port, host: config.server.host }, 'listening');
    return { server, database, port, close: () => stopServer(server, database, config.server.shutdownTimeoutMs, logger) };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
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
