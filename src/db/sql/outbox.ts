import { v7 as uuidv7 } from 'uuid';
import type { HistoryEntry } from '../../domain/history';
import { eventTypeOf, type WebhookEventType } from '../../domain/webhook-event';
import { historyRow, historyTable } from '../tables/history.table';
import type { TimestampCodec } from '../tables/row-mappers';
import type { Column, Table } from '../tables/table-definition';
import { webhookEventsTable, type WebhookEventRow } from '../tables/webhooks.tables';
import type { TableRows } from './compound-write';

/**
 * The transactional outbox: a change writes its webhook event in the same statement or
 * transaction as itself, so an acknowledged write always has its event and a rolled-back one
 * never does. The event is written only when an active subscription asks for its type; the
 * check is part of the write, so it sees subscriptions made on any instance, and with none it
 * costs a lookup in an empty table.
 *
 * The check is a FROM item, one row when someone subscribed and none otherwise, that the
 * event's SELECT reads from. Written as a WHERE EXISTS condition instead, a create's statement
 * cost its PostgreSQL backend about 25 µs more (186 µs against 161, the statement run alone in
 * a loop), subscribed or not.
 */
export function subscriptionRow(type: WebhookEventType): string {
  return `(SELECT 1 AS subscribed FROM webhooks WHERE active = 1 AND (events LIKE '%"*"%' OR events LIKE '%"${type}"%') LIMIT 1) AS subscription`;
}

export const OUTBOX_COLUMNS = webhookEventsTable.columns.map((column) => column.sql);
export const OUTBOX_INSERT = `INSERT INTO webhook_events (${OUTBOX_COLUMNS.join(', ')})`;

/**
 * The event announcing a history entry of a record the application holds (a create, an
 * update), as rows for a compound write: written only if the change matched and someone
 * subscribed. Nothing when the entry announces nothing.
 */
export function outboxRows(entry: HistoryEntry, record: object, codec: TimestampCodec): TableRows | null {
  const row = eventRow(entry, record, codec);
  return row ? { table: webhookEventsTable, rows: [row], onlyWith: subscriptionRow(row.type), single: true } : null;
}

/** The outbox row announcing a history entry of `record`; null when the entry announces nothing. */
export function eventRow(
  entry: HistoryEntry,
  record: object,
  codec: TimestampCodec,
): (WebhookEventRow & { type: WebhookEventType }) | null {
  const type = eventTypeOf(entry.recordType, entry.action, entry.version);
  if (type === null) return null;
  const at = codec.toDbTimestamp(entry.at);
  return { id: uuidv7(), type, record_id: entry.recordId, payload: JSON.stringify(record), created_at: at, fanned_out_at: null };
}

/**
 * One row when an active subscription asks for `type`: for writes in bulk (an import), which
 * ask once and then write their events in multi-row statements with the rest, in the same
 * transaction.
 */
export function subscriptionQuery(type: WebhookEventType): string {
  return `SELECT subscribed FROM ${subscriptionRow(type)}`;
}

/** How a dialect writes one column of a row as a JSON value of the API's representation. */
export type JsonValueSql = (column: Column, expression: string) => string;

/**
 * The API's JSON object of a row, built by the database from the columns the API shows, in
 * their order: what an event carries when the row moves inside one statement (to the trash
 * and back) and the application never holds it. `replaced` gives expressions for some columns
 * (the version a move writes).
 */
export function recordObjectSql(
  table: Table,
  buildObject: (pairs: string) => string,
  valueSql: JsonValueSql,
  replaced: Readonly<Record<string, string>> = {},
): string {
  const pairs = table.columns
    .filter((column) => column.api !== undefined)
    .map((column) => `'${column.api}', ${valueSql(column, replaced[column.sql] ?? column.sql)}`);
  return buildObject(pairs.join(', '));
}

/** What every change of a record writes besides the record: its history entry, and its event for subscribers. */
export function changeRecordRows(entry: HistoryEntry, record: object, codec: TimestampCodec): TableRows[] {
  const history: TableRows = { table: historyTable, rows: [historyRow(entry, codec)], single: true };
  const event = outboxRows(entry, record, codec);
  return event ? [history, event] : [history];
}
