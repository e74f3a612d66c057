import type { SqlSession } from '../sql/sql-executor';
import { CLIENT_READ_COLUMNS } from '../tables/clients.table';
import { EXCHANGE_READ_COLUMNS } from '../tables/exchanges.table';
import type { WebhookEventType } from '../../domain/webhook-event';
import { OUTBOX_INSERT, recordObjectSql, subscriptionRow, type JsonValueSql } from '../sql/outbox';
import { clientsTable } from '../tables/clients.table';
import { exchangesTable } from '../tables/exchanges.table';
import { CLIENT_COLUMNS, EXCHANGE_COLUMNS, guard, HISTORY_INSERT, selectList, type StoredChange, type TrashMoves } from './trash-moves';

const NEXT_VERSION = { version: 'version + 1' };
const CLIENTS = CLIENT_COLUMNS.join(', ');
const EXCHANGES = EXCHANGE_COLUMNS.join(', ');

/** A history entry per row selected from `table`, at the version the row already has (`version`) or its next. */
function historyFrom(table: string, recordType: string, action: string, version: string, where: string): string {
  return `${HISTORY_INSERT} SELECT id, ${version}, '${recordType}', '${action}', ?, ?, '{}' FROM ${table} WHERE ${where}`;
}

// Timestamps are stored in the API's ISO form already; tags are JSON text.
const jsonValue: JsonValueSql = (column, expression) => (column.type === 'json-text' ? `json(${expression})` : expression);

/**
 * The webhook event of one row of `table` (the live or trash table of `record`), as the API
 * shows it, written if someone subscribed. Parameters: event id, time, then those of `where`.
 */
function eventFrom(
  table: string,
  record: 'client' | 'exchange',
  type: WebhookEventType,
  where: string,
  replaced: Readonly<Record<string, string>> = {},
): string {
  const object = recordObjectSql(
    record === 'client' ? clientsTable : exchangesTable,
    (pairs) => `json_object(${pairs})`,
    jsonValue,
    replaced,
  );
  return `${OUTBOX_INSERT} SELECT ?, '${type}', id, ${object}, ?, NULL FROM ${table}, ${subscriptionRow(type)} WHERE ${where}`;
}

/**
 * SQLite: each move is a few statements in one transaction. One connection writes at a time,
 * so nothing can change between them: no exchange can be added to a client being trashed.
 */
export const sqliteTrashMoves: TrashMoves = {
  trashClient: (session, id, expectedVersion, change) =>
    session.atomically(async (tx) => {
      const { sql, params } = guard(id, expectedVersion);
      const moved = await tx.run(
        `INSERT INTO clients_trash (${CLIENTS}, deleted_at) SELECT ${selectList(CLIENT_COLUMNS, NEXT_VERSION)}, ? FROM clients WHERE ${sql}`,
        [change.at, ...params],
      );
      if (moved === 0) return 0;
      await tx.run(
        `INSERT INTO exchanges_trash (${EXCHANGES}, deleted_at, trashed_with_client) SELECT ${selectList(EXCHANGE_COLUMNS, NEXT_VERSION)}, ?, client_id FROM exchanges WHERE client_id = ?`,
        [change.at, id],
      );
      await tx.run(historyFrom('clients_trash', 'client', change.trashedAs ?? 'deleted', 'version', 'id = ?'), [
        change.at,
        change.actor,
        id,
      ]);
      await tx.run(eventFrom('clients_trash', 'client', 'client.deleted', 'id = ?'), [change.eventId, change.at, id]);
      await tx.run(historyFrom('exchanges_trash', 'exchange', 'deleted', 'version', 'trashed_with_client = ?'), [
        change.at,
        change.actor,
        id,
      ]);
      await tx.run('DELETE FROM exchanges WHERE client_id = ?', [id]);
      await tx.run('DELETE FROM clients WHERE id = ?', [id]);
      return moved;
    }),

  trashExchange: (session, id, expectedVersion, change) =>
    session.atomically(async (tx) => {
      const { sql, params } = guard(id, expectedVersion);
      const moved = await tx.run(
        `INSERT INTO exchanges_trash (${EXCHANGES}, deleted_at, trashed_with_client) SELECT ${selectList(EXCHANGE_COLUMNS, NEXT_VERSION)}, ?, NULL FROM exchanges WHERE ${sql}`,
        [change.at, ...params],
      );
      if (moved === 0) return 0;
      await tx.run(historyFrom('exchanges_trash', 'exchange', 'deleted', 'version', 'id = ?'), [change.at, change.actor, id]);
      await tx.run(eventFrom('exchanges_trash', 'exchange', 'exchange.deleted', 'id = ?'), [change.eventId, change.at, id]);
      await tx.run('DELETE FROM exchanges WHERE id = ?', [id]);
      return moved;
    }),

  restoreClient: (session, id, change) =>
    session.atomically(async (tx) => {
      const back = { version: 'version + 1', updated_at: '?' };
      const restored = await tx.run(
        `INSERT INTO clients (${CLIENTS}) SELECT ${selectList(CLIENT_COLUMNS, back)} FROM clients_trash WHERE id = ?`,
        [change.at, id],
      );
      if (restored === 0) return undefined;
      await tx.run('INSERT INTO client_tags (client_id, tag) SELECT ?, value FROM json_each((SELECT tags FROM clients WHERE id = ?))', [
        id,
        id,
      ]);
      await tx.run(
        `INSERT INTO exchanges (${EXCHANGES}) SELECT ${selectList(EXCHANGE_COLUMNS, back)} FROM exchanges_trash WHERE trashed_with_client = ?`,
        [change.at, id],
      );
      await tx.run(historyFrom('clients', 'client', 'restored', 'version', 'id = ?'), [change.at, change.actor, id]);
      await tx.run(eventFrom('clients', 'client', 'client.restored', 'id = ?'), [change.eventId, change.at, id]);
      await tx.run(historyFrom('exchanges_trash', 'exchange', 'restored', 'version + 1', 'trashed_with_client = ?'), [
        change.at,
        change.actor,
        id,
      ]);
      await tx.run('DELETE FROM exchanges_trash WHERE trashed_with_client = ?', [id]);
      await tx.run('DELETE FROM clients_trash WHERE id = ?', [id]);
      return tx.firstValues(`SELECT ${CLIENT_READ_COLUMNS.join(', ')} FROM clients WHERE id = ?`, [id]);
    }),

  restoreExchange: (session, id, change) =>
    session.atomically(async (tx) => {
      const back = { version: 'version + 1', updated_at: '?' };
      const restored = await tx.run(
        `INSERT INTO exchanges (${EXCHANGES}) SELECT ${selectList(EXCHANGE_COLUMNS, back)} FROM exchanges_trash WHERE id = ? AND trashed_with_client IS NULL`,
        [change.at, id],
      );
      if (restored === 0) return undefined;
      await tx.run(historyFrom('exchanges', 'exchange', 'restored', 'version', 'id = ?'), [change.at, change.actor, id]);
      await tx.run(eventFrom('exchanges', 'exchange', 'exchange.restored', 'id = ?'), [change.eventId, change.at, id]);
      await tx.run('DELETE FROM exchanges_trash WHERE id = ?', [id]);
      return tx.firstValues(`SELECT ${EXCHANGE_READ_COLUMNS.join(', ')} FROM exchanges WHERE id = ?`, [id]);
    }),

  deleteClientPermanently: (session, id, expectedVersion, change) =>
    session.atomically(async (tx) => {
      if ((await recordDeletion(tx, 'clients', 'client', id, expectedVersion, change)) === 0) return 0;
      // Its live exchanges end here too, each with its entry; trashed ones already have theirs.
      await tx.run(historyFrom('exchanges', 'exchange', 'deleted', 'version + 1', 'client_id = ?'), [change.at, change.actor, id]);
      await tx.run('DELETE FROM exchanges WHERE client_id = ?', [id]);
      await tx.run('DELETE FROM exchanges_trash WHERE client_id = ?', [id]);
      await tx.run('DELETE FROM clients WHERE id = ?', [id]);
      await tx.run('DELETE FROM clients_trash WHERE id = ?', [id]);
      return 1;
    }),

  deleteExchangePermanently: (session, id, expectedVersion, change) =>
    session.atomically(async (tx) => {
      if ((await recordDeletion(tx, 'exchanges', 'exchange', id, expectedVersion, change)) === 0) return 0;
      await tx.run('DELETE FROM exchanges WHERE id = ?', [id]);
      await tx.run('DELETE FROM exchanges_trash WHERE id = ?', [id]);
      return 1;
    }),
};

/** The `deleted` entry of a record deleted for good, from its live row or else its trashed one; 0 when neither matches. */
async function recordDeletion(
  tx: SqlSession,
  table: 'clients' | 'exchanges',
  recordType: 'client' | 'exchange',
  id: string,
  expectedVersion: number | undefined,
  change: StoredChange,
): Promise<number> {
  const { sql, params } = guard(id, expectedVersion);
  for (const source of [table, `${table}_trash`]) {
    const written = await tx.run(historyFrom(source, recordType, 'deleted', 'version + 1', sql), [change.at, change.actor, ...params]);
    if (written === 0) continue;
    // A trashed record already had its deleted event when it left the live records.
    if (source === table)
      await tx.run(eventFrom(source, recordType, `${recordType}.deleted`, sql, { version: 'version + 1' }), [
        change.eventId,
        change.at,
        ...params,
      ]);
    return written;
  }
  return 0;
}
