import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { describeStorage } from './storage-messages';
import type { StorageTarget } from './storage-target';

/**
 * Prints where the data lives, once, as plain lines on stdout: the deployment guide tells
 * operators to look for these exact lines in Render's log view, so they must not be wrapped
 * in JSON. The same facts go to the structured log for log search.
 */
export function announceStorage(
  target: StorageTarget,
  config: Config,
  logger: Logger,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): void {
  for (const line of describeStorage(target, config.log.lang, config.platform.render)) write(line);
  const fields = { driver: target.driver, location: target.location, persistent: target.persistent, reason: target.reason };
  if (target.persistent) logger.info({ storage: fields }, 'storage resolved');
  else logger.warn({ storage: fields }, 'storage is not persistent: data may be lost on redeploy');
}
