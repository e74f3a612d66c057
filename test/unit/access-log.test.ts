import fc from 'fast-check';
import pino from 'pino';
import { createAccessLog, formatAccessLine, type AccessEntry } from '../../src/logging/access-log';

const TIME = 1796299222995;

/** What pino itself writes for the entry, with the app logger's options and a fixed clock. */
function pinoLine(entry: AccessEntry): string {
  const lines: string[] = [];
  const logger = pino({ base: undefined, timestamp: () => `,"time":${entry.time}` }, { write: (line: string) => lines.push(line) });
  const { time: _time, ...fields } = entry;
  logger[entry.status >= 500 ? 'error' : 'info'](fields, 'request');
  return lines.join('');
}

const entry = (overrides: Partial<AccessEntry> = {}): AccessEntry => ({
  time: TIME,
  reqId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  method: 'GET',
  path: '/api/v1/clients',
  status: 200,
  durationMs: 1.23,
  ...overrides,
});

describe('formatAccessLine', () => {
  it.each([
    ['a plain request', entry()],
    ['a server error (error level)', entry({ status: 500, method: 'POST' })],
    ['a path with quotes and backslashes', entry({ path: '/api/v1/clients/"x"\\y' })],
    ['a path with control characters', entry({ path: '/a\u0000b\nc\u001f' })],
    ['a path with non-ASCII text', entry({ path: '/api/v1/clients/\u00e9l\u00e8ve/\u00ff' })],
    ['a whole-number duration', entry({ durationMs: 3, status: 404 })],
    ['a caller-chosen request id', entry({ reqId: 'trace:abc-123.x_y' })],
  ])('writes exactly the line pino writes for %s', (_label, value) => {
    expect(formatAccessLine(value)).toBe(pinoLine(value));
  });

  it('always writes one line of JSON that reads back as the entry, whatever the path', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 100, max: 599 }), (path, status) => {
        const line = formatAccessLine(entry({ path, status }));
        expect(line.endsWith('\n')).toBe(true);
        expect(line.slice(0, -1)).not.toContain('\n');
        const parsed = JSON.parse(line) as Record<string, unknown>;
        expect(parsed).toEqual({ level: status >= 500 ? 50 : 30, ...entry({ path, status }), msg: 'request' });
      }),
    );
  });
});

describe('createAccessLog', () => {
  function capturingLogger(level: string) {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level, base: undefined }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { logger, lines };
  }

  it('goes through the app logger when it does not write JSON to stdout, 5xx at error level', () => {
    const { logger, lines } = capturingLogger('info');
    const log = createAccessLog(logger);
    log(entry());
    log(entry({ status: 503 }));
    expect(lines.map((line) => [line.level, line.msg, line.status])).toEqual([
      [30, 'request', 200],
      [50, 'request', 503],
    ]);
  });

  it('keeps only server errors when the level is above info', () => {
    const { logger, lines } = capturingLogger('warn');
    const log = createAccessLog(logger);
    log(entry());
    log(entry({ status: 500 }));
    expect(lines.map((line) => line.status)).toEqual([500]);
  });
});
