import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config';
import type { FlushableStream } from './line-batcher';

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
    return pino(
      options,
      pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', singleLine: true, ignore: 'pid,hostname' }),
    );
  }
  // Asynchronous writes, line by line: an application log line (an error above all) leaves at
  // once; only the access log is batched (access-log.ts).
  const stdout = pino.destination({ dest: STDOUT_FD, sync: false });
  const logger = pino(options, stdout);
  batchableStdout.set(logger, stdout);
  return logger;
}

/** Loggers writing JSON to the process's stdout, whose access lines may be batched. */
const batchableStdout = new WeakMap<Logger, FlushableStream>();

/** The JSON stdout destination of a logger made by createLogger, if it has one. */
export function jsonStdoutOf(logger: Logger): FlushableStream | undefined {
  return batchableStdout.get(logger);
}
