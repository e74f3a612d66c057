import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import { CLIENT_READ_COLUMNS } from '../tables/clients.table';
import { EXCHANGE_READ_COLUMNS } from '../tables/exchanges.table';
import { OUTBOX_INSERT, recordObjectSql, subscriptionRow, type JsonValueSql } from '../sql/outbox';
import { clientsTable } from '../tables/clients.table';
import { exchangesTable } from '../tables/exchanges.table';
import type { Table } from '../tables/table-definition';
import type { WebhookEventType } from '../../domain/webhook-event';
import { CLIENT_COLUMNS, EXCHANGE_COLUMNS, guard, HISTORY_INSERT, selectList, type TrashMoves } from './trash-moves';

const REUSABLE: StatementOptions = { reusable: true };
const NEXT_VERSION = { version: 'version + 1' };
const BACK = { version: 'version + 1', updated_at: '?::timestamptz' };
const CLIENTS = CLIENT_COLUMNS.join(', ');
const EXCHANGES = EXCHANGE_COLUMNS.join(', ');

/** A column as the API shows it in JSON: timestamps in its ISO form, tags as an array. */
const jsonValue: JsonValueSql = (column, expression) => {
  if (column.type === 'timestamp') return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (column.type === 'json-text') return `(${expression})::json`;
  return expression;
};

/**
 * The webhook event of the row a WITH query moved (one at most), written if someone subscribed:
 * the record as the API shows it after the move (`version` says which expression gives it).
 */
function eventOf(query: string, table: Table, type: WebhookEventType, replaced: Readonly<Record<string, string>> = {}): string {
  const record = recordObjectSql(table, (pairs) => `json_build_object(${pairs})::text`, jsonValue, replaced);
  return `${OUTBOX_INSERT} SELECT ?::uuid, '${type}', id, ${record}, ?::timestamptz, NULL FROM ${query}, ${subscriptionRow(type)}`;
}

/** History entries for the rows of a WITH query, at their next version. */
function historyOf(query: string, recordType: string, action: string): string {
  return `SELECT id, version + 1, '${recordType}', '${action}', ?::timestamptz, ?::text, '{}' FROM ${query}`;
}

/**
 * A move of a client deletes its exchanges and itself in one statement. An exchange committed
 * by another transaction while the statement waited for the client's row is not in its
 * snapshot: the foreign key (no cascade) then fails the statement rather than let the exchange
 * vanish, and the move is tried again with a fresh snapshot.
 */
async function retryingForeignKey(move: () => Promise<number>): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await move();
    } catch (error) {
      if ((error as { code?: string }).code !== '23503' || attempt >= 3) throw error;
    }
  }
}

async function count(session: SqlSession, sql: string, params: unknown[]): Promise<number> {
  return Number((await session.firstValues(sql, params, REUSABLE))?.[0] ?? 0);
}

function byClient(id: string, expectedVersion: number | undefined): unknown[] {
  return guard(id, expectedVersion).params;
}

/** PostgreSQL: each move is one statement, atomic without BEGIN/COMMIT, one round trip. */
export const postgresTrashMoves: TrashMoves = {
  trashClient: (session, id, expectedVersion, change) =>
    retryingForeignKey(() =>
      count(
        session,
        `WITH moved AS (DELETE FROM clients WHERE ${guard(id, expectedVersion).sql} RETURNING ${CLIENTS}),
        moved_exchanges AS (DELETE FROM exchanges WHERE client_id IN (SELECT id FROM moved) RETURNING ${EXCHANGES}),
        trashed AS (INSERT INTO clients_trash (${CLIENTS}, deleted_at) SELECT ${selectList(CLIENT_COLUMNS, NEXT_VERSION)}, ?::timestamptz FROM moved),
        trashed_exchanges AS (INSERT INTO exchanges_trash (${EXCHANGES}, deleted_at, trashed_with_client)
          SELECT ${selectList(EXCHANGE_COLUMNS, NEXT_VERSION)}, ?::timestamptz, client_id FROM moved_exchanges),
        entries AS (${HISTORY_INSERT} ${historyOf('moved', 'client', change.trashedAs ?? 'deleted')} UNION ALL ${historyOf('moved_exchanges', 'exchange', 'deleted')}),
        event AS (${eventOf('moved', clientsTable, 'client.deleted', NEXT_VERSION)})
        SELECT count(*)::int FROM moved`,
        [
          ...byClient(id, expectedVersion),
          change.at,
          change.at,
          change.at,
          change.actor,
          change.at,
          change.actor,
          change.eventId,
          change.at,
        ],
      ),
    ),

  trashExchange: (session, id, expectedVersion, change) =>
    count(
      session,
      `WITH moved AS (DELETE FROM exchanges WHERE ${guard(id, expectedVersion).sql} RETURNING ${EXCHANGES}),
      trashed AS (INSERT INTO exchanges_trash (${EXCHANGES}, deleted_at, trashed_with_client)
        SELECT ${selectList(EXCHANGE_COLUMNS, NEXT_VERSION)}, ?::timestamptz, NULL FROM moved),
      entries AS (${HISTORY_INSERT} ${historyOf('moved', 'exchange', 'deleted')}),
      event AS (${eventOf('moved', exchangesTable, 'exchange.deleted', NEXT_VERSION)})
      SELECT count(*)::int FROM moved`,
      [...byClient(id, expectedVersion), change.at, change.at, change.actor, change.eventId, change.at],
    ),

  restoreClient: (session, id, change) =>
    session.firstValues(
      `WITH back AS (DELETE FROM clients_trash WHERE id = ? RETURNING ${CLIENTS}),
      back_exchanges AS (DELETE FROM exchanges_trash WHERE trashed_with_client IN (SELECT id FROM back) RETURNING ${EXCHANGES}),
      restored AS (INSERT INTO clients (${CLIENTS}) SELECT ${selectList(CLIENT_COLUMNS, BACK)} FROM back RETURNING ${CLIENT_READ_COLUMNS.join(', ')}),
      tags AS (INSERT INTO client_tags (client_id, tag) SELECT id, json_array_elements_text(tags::json) FROM back),
      restored_exchanges AS (INSERT INTO exchanges (${EXCHANGES}) SELECT ${selectList(EXCHANGE_COLUMNS, BACK)} FROM back_exchanges),
      entries AS (${HISTORY_INSERT} ${historyOf('back', 'client', 'restored')} UNION ALL ${historyOf('back_exchanges', 'exchange', 'restored')}),
      event AS (${eventOf('restored', clientsTable, 'client.restored')})
      SELECT * FROM restored`,
      [id, change.at, change.at, change.at, change.actor, change.at, change.actor, change.eventId, change.at],
      REUSABLE,
    ),

  restoreExchange: (session, id, change) =>
    session.firstValues(
      `WITH back AS (DELETE FROM exchanges_trash WHERE id = ? AND trashed_with_client IS NULL RETURNING ${EXCHANGES}),
      restored AS (INSERT INTO exchanges (${EXCHANGES}) SELECT ${selectList(EXCHANGE_COLUMNS, BACK)} FROM back RETURNING ${EXCHANGE_READ_COLUMNS.join(', ')}),
      entries AS (${HISTORY_INSERT} ${historyOf('back', 'exchange', 'restored')}),
      event AS (${eventOf('restored', exchangesTable, 'exchange.restored')})
      SELECT * FROM restored`,
      [id, change.at, change.at, change.actor, change.eventId, change.at],
      REUSABLE,
    ),

  deleteClientPermanently: (session, id, expectedVersion, change) =>
    retryingForeignKey(() =>
      count(
        session,
        `WITH gone AS (DELETE FROM clients WHERE ${guard(id, expectedVersion).sql} RETURNING ${CLIENTS}),
        gone_trashed AS (DELETE FROM clients_trash WHERE ${guard(id, expectedVersion).sql} RETURNING id, version),
        every_gone AS (SELECT id, version FROM gone UNION ALL SELECT id, version FROM gone_trashed),
        exchanges_gone AS (DELETE FROM exchanges WHERE client_id IN (SELECT id FROM every_gone) RETURNING id, version),
        trashed_exchanges_gone AS (DELETE FROM exchanges_trash WHERE client_id IN (SELECT id FROM every_gone)),
        entries AS (${HISTORY_INSERT} ${historyOf('every_gone', 'client', 'deleted')} UNION ALL ${historyOf('exchanges_gone', 'exchange', 'deleted')}),
        event AS (${eventOf('gone', clientsTable, 'client.deleted', NEXT_VERSION)})
        SELECT count(*)::int FROM every_gone`,
        [
          ...byClient(id, expectedVersion),
          ...byClient(id, expectedVersion),
          change.at,
          change.actor,
          change.at,
          change.actor,
          change.eventId,
          change.at,
        ],
      ),
    ),

  deleteExchangePermanently: (session, id, expectedVersion, change) =>
    count(
      session,
      `WITH gone AS (DELETE FROM exchanges WHERE ${guard(id, expectedVersion).sql} RETURNING ${EXCHANGES}),
      gone_trashed AS (DELETE FROM exchanges_trash WHERE ${guard(id, expectedVersion).sql} RETURNING id, version),
      every_gone AS (SELECT id, version FROM gone UNION ALL SELECT id, version FROM gone_trashed),
      entries AS (${HISTORY_INSERT} ${historyOf('every_gone', 'exchange', 'deleted')}),
      event AS (${eventOf('gone', exchangesTable, 'exchange.deleted', NEXT_VERSION)})
      SELECT count(*)::int FROM every_gone`,
      [...byClient(id, expectedVersion), ...byClient(id, expectedVersion), change.at, change.actor, change.eventId, change.at],
    ),
};
