import type { Client } from '../../domain/client';
import { defineTable, type RowOf } from './table-definition';

/** A client's tags, one per row, so that a tag filter is an index lookup. */
export const clientTagsTable = defineTable()({
  name: 'client_tags',
  derivedFrom: 'clients',
  primaryKey: ['client_id', 'tag'],
  columns: [
    { sql: 'client_id', type: 'uuid' },
    { sql: 'tag', type: 'text' },
  ],
});

export type ClientTagRow = RowOf<typeof clientTagsTable>;

export function clientTagRows(client: Client): ClientTagRow[] {
  return client.tags.map((tag) => ({ client_id: client.id, tag }));
}
