import { v7 as uuidv7 } from 'uuid';
import type { ChangeContext } from '../../domain/history';
import type { SqlSession } from '../sql/sql-executor';
import type { TimestampCodec } from '../tables/row-mappers';
import { clientsTable } from '../tables/clients.table';
import { exchangesTable } from '../tables/exchanges.table';
import { HISTORY_COLUMNS } from '../tables/history.table';

/** When and by whom, as the driver stores them (the timestamp already converted by the dialect). */
export interface StoredChange {
  readonly at: unknown;
  readonly actor: string | null;
  /** The history action of a client moved to the trash: `merged` when a merge took it there. */
  readonly trashedAs?: 'deleted' | 'merged';
  /** The id of the webhook event the move writes, if a subscription asks for it. */
  readonly eventId: string;
}

/**
 * Moves between the live tables and the trash, each one atomic and each writing its history
 * entries: a client moves with its live exchanges, comes back with the exchanges that went
 * with it, and a permanent delete takes every exchange of the client, live or trashed. Every
 * move bumps the version of what it moves. PostgreSQL does each as one statement
 * (data-modifying WITH), SQLite as statements in one transaction.
 * `expectedVersion` guards the record named; undefined means any version.
 */
export interface TrashMoves {
  /** Resolves with 1 when the live client moved, 0 when none matched. */
  trashClient(session: SqlSession, id: string, expectedVersion: number | undefined, change: StoredChange): Promise<number>;
  trashExchange(session: SqlSession, id: string, expectedVersion: number | undefined, change: StoredChange): Promise<number>;
  /** The restored client's row in CLIENT_READ_COLUMNS order, or undefined when it was not in the trash. */
  restoreClient(session: SqlSession, id: string, change: StoredChange): Promise<unknown[] | undefined>;
  /** Only an exchange trashed on its own; a foreign-key error when its client is not live. */
  restoreExchange(session: SqlSession, id: string, change: StoredChange): Promise<unknown[] | undefined>;
  deleteClientPermanently(session: SqlSession, id: string, expectedVersion: number | undefined, change: StoredChange): Promise<number>;
  deleteExchangePermanently(session: SqlSession, id: string, expectedVersion: number | undefined, change: StoredChange): Promise<number>;
}

/** A change as a move stores it, with a fresh id for the event it may write. */
export function storedChange(change: ChangeContext, codec: TimestampCodec): StoredChange {
  return { at: codec.toDbTimestamp(change.at), actor: change.actor, eventId: uuidv7() };
}

export const CLIENT_COLUMNS = clientsTable.columns.map((column) => column.sql);
export const EXCHANGE_COLUMNS = exchangesTable.columns.map((column) => column.sql);
export const HISTORY_INSERT = `INSERT INTO history (${HISTORY_COLUMNS.join(', ')})`;

/** A select list of `columns`, some replaced by expressions (`version + 1`), prefixed by `from.` when given. */
export function selectList(columns: readonly string[], replaced: Readonly<Record<string, string>> = {}, from = ''): string {
  return columns.map((column) => replaced[column] ?? `${from}${column}`).join(', ');
}

/** `id = ?` or `id = ? AND version = ?`, with its parameters. */
export function guard(id: string, expectedVersion: number | undefined): { sql: string; params: unknown[] } {
  return expectedVersion === undefined ? { sql: 'id = ?', params: [id] } : { sql: 'id = ? AND version = ?', params: [id, expectedVersion] };
}
