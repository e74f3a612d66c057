import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config';
import { LineBatcher, type FlushableStream } from './line-batcher';

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

const STDOUT_FD = 1;

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
  // Asynchronous writes, line by line: an application log line (an error above all) leaves at
  // once; only the access log is batched (accessLogger).
  const stdout = pino.destination({ dest: STDOUT_FD, sync: false });
  const logger = pino(options, stdout);
  batchableStdout.set(logger, stdout);
  return logger;
}

/** Loggers writing JSON to the process's stdout, whose access lines may be batched. */
const batchableStdout = new WeakMap<Logger, FlushableStream>();

/**
 * The logger for the one-line-per-request access log, at the app logger's level. It skips the
 * redaction pass, which copies every logged object and cost more than the rest of the line
 * together; that is safe because the access line is built from fixed fields (request id,
 * method, path, status, duration), never from headers or bodies. On stdout in JSON its lines
 * are written in batches (LineBatcher); elsewhere (pretty, a test's capture) line by line.
 */
export function accessLogger(logger: Logger): Logger {
  const stdout = batchableStdout.get(logger);
  if (stdout && logger.isLevelEnabled('info')) return pino({ level: logger.level, base: undefined }, new LineBatcher(stdout, STDOUT_FD));
  return logger.child({}, { redact: [] });
}
