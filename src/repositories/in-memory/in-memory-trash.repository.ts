import type { Page } from '../page';
import type { TrashEntry, TrashListQuery, TrashRepository, TrashStats } from '../trash.repository';
import { instantOrder, memoryKeysetPage } from './memory-keyset';
import { copyClient, copyExchange } from './memory-records';
import { instant, isoOf, type MemoryAccess, type TrashedClientRow, type TrashedExchangeRow } from './memory-tables';

type TrashRow =
  { readonly type: 'client'; readonly trashed: TrashedClientRow } | { readonly type: 'exchange'; readonly trashed: TrashedExchangeRow };
type Listed = TrashRow & { readonly id: string; readonly deletedAt: number };

/** Newest deletions first, ties by id, as the SQL adapters page on (deleted_at, id). */
const NEWEST_FIRST = instantOrder<Listed>(
  'desc',
  (row) => row.deletedAt,
  (row) => isoOf(row.deletedAt),
);

function toEntry(row: Listed): TrashEntry {
  const deletedAt = isoOf(row.deletedAt);
  return row.type === 'client'
    ? { type: 'client', id: row.id, deletedAt, record: copyClient(row.trashed.row.client) }
    : { type: 'exchange', id: row.id, deletedAt, record: copyExchange(row.trashed.row.exchange) };
}

/** The oldest `limit` rows deleted before `cutoff`, by (deletedAt, id): the order the purge takes them in. */
function oldest<Row extends { readonly id: string; readonly deletedAt: number }>(
  rows: Iterable<Row>,
  cutoff: number,
  limit: number,
): Row[] {
  return [...rows]
    .filter((row) => row.deletedAt < cutoff)
    .sort((a, b) => a.deletedAt - b.deletedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, limit);
}

export class InMemoryTrashRepository implements TrashRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async list(query: TrashListQuery): Promise<Page<TrashEntry>> {
    const { clientsTrash, exchangesTrash } = this.tables.read();
    const rows: Listed[] = [];
    if (query.type !== 'exchange')
      for (const trashed of clientsTrash.values()) rows.push({ type: 'client', trashed, id: trashed.id, deletedAt: trashed.deletedAt });
    // Exchanges that went with their client come back with it: not listed on their own.
    if (query.type !== 'client')
      for (const trashed of exchangesTrash.values())
        if (trashed.withClient === null) rows.push({ type: 'exchange', trashed, id: trashed.id, deletedAt: trashed.deletedAt });
    return memoryKeysetPage(rows, NEWEST_FIRST, query.after, query.limit, toEntry);
  }

  async purgeBefore(cutoff: string, limit: number): Promise<number> {
    const before = instant(cutoff);
    return this.tables.write(({ clientsTrash, exchangesTrash }) => {
      const clients = oldest(clientsTrash.values(), before, limit);
      const alone = oldest(
        [...exchangesTrash.values()].filter((row) => row.withClient === null),
        before,
        limit,
      );
      const gone = new Set(clients.map((row) => row.id));
      let removed = clients.length + alone.length;
      for (const row of clients) clientsTrash.delete(row.id);
      for (const row of alone) exchangesTrash.delete(row.id);
      for (const row of exchangesTrash.values()) {
        if (row.withClient !== null && gone.has(row.withClient)) {
          exchangesTrash.delete(row.id);
          removed += 1;
        }
      }
      return removed;
    });
  }

  async stats(): Promise<TrashStats> {
    const { clientsTrash, exchangesTrash } = this.tables.read();
    let oldestAt: number | null = null;
    for (const row of [...clientsTrash.values(), ...exchangesTrash.values()])
      if (oldestAt === null || row.deletedAt < oldestAt) oldestAt = row.deletedAt;
    return { clients: clientsTrash.size, exchanges: exchangesTrash.size, oldestDeletedAt: oldestAt === null ? null : isoOf(oldestAt) };
  }
}
