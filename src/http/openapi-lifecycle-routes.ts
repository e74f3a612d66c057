import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { API_PREFIX } from './clients.router';
import { api, etag, idParam, json, problem, writeResponses } from './openapi-responses';
import { ClientSchema } from './schemas/client.schemas';
import { ExchangeSchema } from './schemas/exchange.schemas';
import { HistoryPageSchema, HistoryQuery } from './schemas/history.schemas';
import { TrashPageSchema, TrashQuery } from './schemas/trash.schemas';

const RESTORE_BODY = 'No body is needed; an empty JSON object is accepted, any field in it is a 422.';

/** Restore and history of clients and exchanges, and the trash itself. */
export function registerRecordLifecycles(registry: OpenAPIRegistry): void {
  const clients = `${API_PREFIX}/clients/{id}`;
  const exchanges = `${API_PREFIX}/exchanges/{id}`;
  api(registry, {
    method: 'post',
    path: `${clients}/restore`,
    operationId: 'restoreClient',
    tags: ['Clients'],
    summary: 'Restore a client',
    description: `Brings the client back from the trash at a new version, with the exchanges trashed with it (not those deleted on their own before). A live client is answered as it is, so a retry is safe. ${RESTORE_BODY}`,
    request: { params: idParam },
    responses: {
      200: json('The restored (or already live) client', ClientSchema, { ETag: etag }),
      404: problem('No such client, or purged or deleted for good'),
      ...writeResponses,
    },
  });
  api(registry, {
    method: 'post',
    path: `${exchanges}/restore`,
    operationId: 'restoreExchange',
    tags: ['Exchanges'],
    summary: 'Restore an exchange',
    description: `Brings the exchange back from the trash at a new version. A live exchange is answered as it is, so a retry is safe. ${RESTORE_BODY}`,
    request: { params: idParam },
    responses: {
      200: json('The restored (or already live) exchange', ExchangeSchema, { ETag: etag }),
      404: problem('No such exchange, or purged or deleted for good'),
      409: problem('The exchange’s client is in the trash: restore the client, and the exchange comes back with it'),
      ...writeResponses,
    },
  });
  for (const [path, operationId, tag, what] of [
    [clients, 'listClientHistory', 'Clients', 'client'],
    [exchanges, 'listExchangeHistory', 'Exchanges', 'exchange'],
  ] as const) {
    api(registry, {
      method: 'get',
      path: `${path}/history`,
      operationId,
      tags: [tag],
      summary: `List a${what === 'exchange' ? 'n' : ''} ${what}'s history`,
      description: `Every change of the ${what}, newest version first, keyset-paginated; readable while the ${what} is in the trash.`,
      request: { params: idParam, query: HistoryQuery },
      responses: {
        200: json('A page of history entries', HistoryPageSchema),
        400: problem('Invalid query parameter or cursor'),
        404: problem(`No such ${what}`),
      },
    });
  }
  api(registry, {
    method: 'get',
    path: `${API_PREFIX}/trash`,
    operationId: 'listTrash',
    tags: ['Trash'],
    summary: 'List the trash',
    description:
      'Trashed clients and exchanges, newest deletedAt first, keyset-paginated. Exchanges trashed with their client are not listed: they come back with it.',
    request: { query: TrashQuery },
    responses: { 200: json('A page of trashed records', TrashPageSchema), 400: problem('Invalid query parameter or cursor') },
  });
}
