import request from 'supertest';
import type { Server } from 'node:http';
import http from 'node:http';
import { createApp } from '../../src/app';
import type { Database } from '../../src/db/open-database';
import { createLogger } from '../../src/logging/create-logger';
import type { Clock } from '../../src/services/clock';
import { createScratchDatabase, testConfig, type Backend, type ScratchDatabase } from './test-databases';

export const API_KEY = 'test-key-0123456789abcdef0123456789abcdef';
export const OTHER_API_KEY = 'other-key-0123456789abcdef0123456789abcdef';

export interface ApiHarness {
  readonly backend: Backend;
  readonly database: Database;
  readonly server: Server;
  /** supertest against the app, with a valid API key on every request. */
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  patch(path: string, body?: unknown): request.Test;
  del(path: string): request.Test;
  raw(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startApiHarness(
  backend: Backend,
  options: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<ApiHarness> {
  const scratch: ScratchDatabase = await createScratchDatabase(backend);
  const config = testConfig({ API_KEYS: `${API_KEY},${OTHER_API_KEY}`, ...options.env });
  const database = scratch.open(config);
  await database.migrator.up();
  const logger = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'fr' } });
  const app = createApp({ config, logger, database, clock: options.clock });
  // A real listening server (not a fresh one per request) so concurrent requests share it.
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = () => request(server);
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${API_KEY}`);
  return {
    backend,
    database,
    server,
    get: (path) => auth(agent().get(path)),
    post: (path, body) => auth(agent().post(path)).send(body as object),
    patch: (path, body) => auth(agent().patch(path)).send(body as object),
    del: (path) => auth(agent().delete(path)),
    raw: agent,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
      await scratch.drop();
    },
  };
}
