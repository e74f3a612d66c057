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
