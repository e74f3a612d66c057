import type { Logger } from 'pino';
import { jsonStdoutOf } from './create-logger';
import { LineBatcher } from './line-batcher';

/** What the access log says of one request: fixed fields, never headers, bodies or queries. */
export interface AccessEntry {
  /** When the response was decided, in ms since the epoch. */
  readonly time: number;
  readonly reqId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
}

type AccessLog = (entry: AccessEntry) => void;

const STDOUT_FD = 1;
const INFO = 30;
const ERROR = 50;

/**
 * The one-line-per-request log, at the app logger's level (5xx lines at error level). On JSON
 * stdout, the production setting, entries are kept as they are and formatted here a batch at a
 * time (LineBatcher): pino would format the same fields through its generic serialiser, line
 * by line, which measured at a tenth of a get-by-id in a busy server. Elsewhere
 * (pretty output, a test's capture) the line goes through pino as any other. The fields are
 * fixed, so the redaction pass of the app logger has nothing to find and is skipped.
 */
export function createAccessLog(logger: Logger): AccessLog {
  const stdout = jsonStdoutOf(logger);
  const infoEnabled = logger.isLevelEnabled('info');
  if (stdout && infoEnabled) {
    const batcher = new LineBatcher(stdout, STDOUT_FD, formatAccessLine);
    return (entry) => batcher.write(entry);
  }
  const direct = logger.child({}, { redact: [] });
  return (entry) => {
    const level = entry.status >= 500 ? 'error' : 'info';
    if (!direct.isLevelEnabled(level)) return;
    const { time: _time, ...fields } = entry;
    direct[level](fields, 'request');
  };
}

/**
 * The line pino writes for `logger.info(entry, 'request')` with `base: undefined`: same keys,
 * same order, so log pipelines cannot tell the two apart. The method comes from Node's HTTP
 * parser (a known token); the request id and the path are the caller's text and are escaped
 * when they hold anything JSON must escape (or a lone surrogate, which UTF-8 cannot carry).
 */
export function formatAccessLine(entry: AccessEntry): string {
  const level = entry.status >= 500 ? ERROR : INFO;
  return `{"level":${level},"time":${entry.time},"reqId":${jsonString(entry.reqId)},"method":"${entry.method}","path":${jsonString(entry.path)},"status":${entry.status},"durationMs":${entry.durationMs},"msg":"request"}\n`;
}

// Control characters are exactly what this pattern looks for.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without its cost for the usual text that needs no escape. */
function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}
