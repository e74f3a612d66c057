import type Router from '@koa/router';
import type Koa from 'koa';
import { createApp, createRouters } from '../../../src/app';
import type { Database } from '../../../src/db/open-database';
import { API_PREFIX } from '../../../src/http/clients.router';
import { createLogger } from '../../../src/logging/create-logger';
import { API_KEY, OTHER_API_KEY } from '../../support/api-harness';
import { testConfig } from '../../support/test-databases';

/** Every log line the app writes, captured through the logger's destination stream. */
interface LogCapture {
  readonly lines: string[];
  text(): string;
}

function captureLogs(): { capture: LogCapture; destination: { write(line: string): void } } {
  const lines: string[] = [];
  return { capture: { lines, text: () => lines.join('') }, destination: { write: (line: string) => void lines.push(line) } };
}

/** The app over `database`, with both test keys, logging everything at trace level into a capture. */
export function appWithLogs(database: Database, env: Record<string, string> = {}): { app: Koa; logs: LogCapture } {
  const config = testConfig({ API_KEYS: `${API_KEY},${OTHER_API_KEY}`, ...env });
  const { capture, destination } = captureLogs();
  const logger = createLogger({ env: 'test', log: { level: 'trace', format: 'json', lang: 'en' } }, destination);
  return { app: createApp({ config, logger, database }), logs: capture };
}

export interface ApiRoute {
  readonly method: string;
  readonly template: string;
  /** The template with each :param replaced by a well-formed id. */
  readonly path: string;
}

const SAMPLE_ID = '01900000-0000-7000-8000-000000000000';

/** Every method+path under /api/v1 that the app's own routers declare (no hand-kept list). */
export function apiRoutes(database: Database): ApiRoute[] {
  const config = testConfig({ API_KEYS: API_KEY });
  const logger = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'en' } });
  const routers: Router[] = createRouters({ config, logger, database });
  const routes: ApiRoute[] = [];
  for (const router of routers) {
    for (const layer of router.stack) {
      // Our routers declare string paths only; a RegExp route would need its own sample path.
      const template = String(layer.path);
      if (!template.startsWith(API_PREFIX)) continue;
      for (const method of layer.methods) {
        routes.push({ method, template, path: template.replace(/:\w+/g, SAMPLE_ID) });
      }
    }
  }
  return routes;
}
