import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config';

export type { Logger } from 'pino';

/**
 * Paths that could ever carry a secret are censored even if someone logs a whole request or
 * config object by mistake; the request logger itself never logs headers.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.password',
  'password',
  'apiKeys',
  '*.apiKeys',
  'url',
  '*.url',
  'databaseUrl',
];

export function createLogger(config: Pick<Config, 'env' | 'log'>, destination?: pino.DestinationStream): Logger {
  const format = config.log.format || (config.env === 'production' ? 'json' : 'pretty');
  const options: pino.LoggerOptions = {
    level: config.log.level,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    base: undefined,
  };
  if (destination) return pino(options, destination);
  if (format === 'pretty') {
    return pino(options, pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', singleLine: true, ignore: 'pid,hostname' }));
  }
  // Asynchronous writes: a busy server must not wait on a write(2) per access-log line. pino
  // flushes what is buffered when the process exits, including through process.exit().
  return pino(options, pino.destination({ dest: 1, sync: false }));
}
