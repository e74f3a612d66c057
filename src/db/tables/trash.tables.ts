import { clientsTable } from './clients.table';
import { exchangesTable } from './exchanges.table';
import type { Column, Table } from './table-definition';

/**
 * The trash tables hold trashed rows column for column as the live tables do (derived ones
 * included), so moving a record is `INSERT … SELECT` one way and the other, and a trashed row
 * reads back through the live table's mapper.
 */
const DELETED_AT: Column = { sql: 'deleted_at', type: 'timestamp' };

/** The live table's columns as the trash keeps them: none insert-only (a restore writes them all). */
function trashColumns(table: Table): Column[] {
  return table.columns.map(({ sql, type, nullable, api, derive, readBack }) => ({ sql, type, nullable, api, derive, readBack }));
}

export const clientsTrashTable: Table = {
  name: 'clients_trash',
  primaryKey: ['id'],
  columns: [...trashColumns(clientsTable), DELETED_AT],
};

export const exchangesTrashTable: Table = {
  name: 'exchanges_trash',
  primaryKey: ['id'],
  columns: [
    ...trashColumns(exchangesTable),
    DELETED_AT,
    // The client it went to the trash with: it comes back with that client, not on its own.
    { sql: 'trashed_with_client', type: 'uuid', nullable: true },
  ],
};
