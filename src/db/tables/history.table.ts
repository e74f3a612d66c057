import type { FieldChanges, HistoryAction, HistoryEntry, RecordType } from '../../domain/history';
import type { TimestampCodec } from './row-mappers';
import { defineTable, type RowOf } from './table-definition';

/** One entry per change of a record; it outlives the record. */
export const historyTable = defineTable()({
  name: 'history',
  primaryKey: ['record_id', 'version'],
  columns: [
    { sql: 'record_id', type: 'uuid' },
    { sql: 'version', type: 'int' },
    { sql: 'record_type', type: 'text' },
    { sql: 'action', type: 'text' },
    { sql: 'at', type: 'timestamp' },
    { sql: 'actor', type: 'text', nullable: true },
    { sql: 'changes', type: 'json-text' },
  ],
});

export type HistoryRow = RowOf<typeof historyTable>;
export const HISTORY_COLUMNS = historyTable.columns.map((column) => column.sql);

/** The row of an entry; timestamps go through the dialect, changes as JSON text. */
export function historyRow(entry: HistoryEntry, codec: TimestampCodec): HistoryRow {
  return {
    record_id: entry.recordId,
    version: entry.version,
    record_type: entry.recordType,
    action: entry.action,
    at: codec.toDbTimestamp(entry.at),
    actor: entry.actor,
    changes: JSON.stringify(entry.changes),
  };
}

/** An entry from a row selected as HISTORY_COLUMNS, in that order. */
export function historyEntryFrom(values: readonly unknown[], codec: TimestampCodec): HistoryEntry {
  const [recordId, version, recordType, action, at, actor, changes] = values;
  return {
    recordType: recordType as RecordType,
    recordId: recordId as string,
    version: Number(version),
    action: action as HistoryAction,
    at: codec.fromDbTimestamp(at),
    actor: (actor as string | null) ?? null,
    changes: JSON.parse(changes as string) as FieldChanges,
  };
}
