import http from 'node:http';
import { foldSearchTerm } from '../../src/domain/text-normalization';
import {
  clientJson,
  createdHistoryRow,
  exchangeJson,
  newClientRow,
  newExchangeRow,
  plainCursor,
  type BaselineStore,
  type TimestampIn,
} from './baseline-store';

/**
 * The ceiling the app is compared with: node:http, one regular expression per route, no
 * validation, no auth, no logging, no middleware. It answers the routes the benchmark drives
 * with the same SQL and the same JSON as the app, nothing more.
 */
const CLIENT_PATH = /^\/api\/v1\/clients\/([^/]+)$/;
const TIMELINE_PATH = /^\/api\/v1\/clients\/([^/]+)\/exchanges$/;

function createBaselineServer(store: BaselineStore, toDb: TimestampIn): http.Server {
  return http.createServer((req, res) => {
    handle(store, toDb, req, res).catch((error: unknown) => {
      process.stderr.write(`baseline: ${String(error)}\n`);
      send(res, 500, { error: 'internal' });
    });
  });
}

async function handle(store: BaselineStore, toDb: TimestampIn, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
  const limit = Math.min(100, Number(query.get('limit') ?? 20) || 20);

  if (path === '/health') {
    await store.ping();
    return send(res, 200, { status: 'ok' });
  }
  if (path === '/api/v1/clients') {
    if (req.method === 'POST') {
      const { row, tags } = newClientRow(await readJson(req), new Date().toISOString(), toDb);
      const json = clientJson(row);
      await store.insertClient(row, tags, createdHistoryRow('client', json, row.created_at));
      res.setHeader('Location', `/api/v1/clients/${row.id}`);
      return send(res, 201, json);
    }
    const q = query.get('q');
    const search = q ? foldSearchTerm(q) : null;
    const rows = await store.listClients(limit, search);
    return sendPage(res, rows, limit, clientJson, (row) => plainCursor(row.created_at, row.id));
  }
  let match = TIMELINE_PATH.exec(path);
  if (match) {
    const clientId = decodeURIComponent(match[1] as string);
    if (req.method === 'POST') {
      const row = newExchangeRow(clientId, await readJson(req), new Date().toISOString(), toDb);
      const json = exchangeJson(row);
      if (!(await store.insertExchange(row, createdHistoryRow('exchange', json, row.created_at))))
        return send(res, 404, { error: 'not found' });
      return send(res, 201, json);
    }
    const rows = await store.timeline(clientId, limit);
    return sendPage(res, rows, limit, exchangeJson, (row) => plainCursor(row.occurred_at, row.id));
  }
  match = CLIENT_PATH.exec(path);
  if (match) {
    const row = await store.getClient(decodeURIComponent(match[1] as string));
    if (!row) return send(res, 404, { error: 'not found' });
    res.setHeader('ETag', `"${row.version}"`);
    return send(res, 200, clientJson(row));
  }
  send(res, 404, { error: 'not found' });
}

function sendPage<Row extends { id: string }>(
  res: http.ServerResponse,
  rows: Row[],
  limit: number,
  toJson: (row: Row) => unknown,
  cursor: (row: Row) => string,
): void {
  // The stores fetch limit + 1 rows, as the app does, to know whether a next page exists.
  const page = rows.length > limit ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  send(res, 200, { data: page.map(toJson), nextCursor: rows.length > limit && last ? cursor(last) : null });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

/** Listens on PORT (127.0.0.1) and closes the store on SIGTERM; shared by both baselines. */
export function serveBaseline(store: BaselineStore, toDb: TimestampIn): void {
  const server = createBaselineServer(store, toDb);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    server.closeIdleConnections();
    Promise.resolve(store.close()).finally(() => process.exit(0));
  });
}
