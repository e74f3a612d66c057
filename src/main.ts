import { ConfigError, loadConfig } from './config/load-config';
import { createLogger } from './logging/create-logger';
import { startServer } from './server';
import { StorageRefusedError } from './storage/resolve-storage';

/** The server process: exits 1 with one readable line on a configuration or storage problem. */
export async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    return fail(error);
  }
  const logger = createLogger(config);
  let running;
  try {
    running = await startServer({ config, logger });
  } catch (error) {
    if (error instanceof StorageRefusedError) return fail(error);
    logger.fatal({ err: error }, 'start-up failed');
    process.exitCode = 1;
    return;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function fail(error: unknown): void {
  const known = error instanceof ConfigError || error instanceof StorageRefusedError;
  process.stderr.write(`${known ? (error as Error).message : 'Start-up failed: ' + String(error)}\n`);
  process.exitCode = 1;
}

if (require.main === module) void main();
