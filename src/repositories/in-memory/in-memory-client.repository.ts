import type { Client, ClientSort } from '../../domain/client';
import type { ChangeContext, HistoryEntry } from '../../domain/history';
import type { ClientListQuery, ClientRepository, ClientTrashAction, TrashedClient } from '../client.repository';
import type { Page } from '../page';
import { moveEntry, prepareEntries } from './memory-history';
import { bytewiseOrder, instantOrder, memoryKeysetPage, type MemoryKeysetOrder } from './memory-keyset';
import { assertDistinctTags, copyClient, duplicateKey, movedClient, movedExchange, storedClient } from './memory-records';
import { instant, isoOf, type MemoryAccess, type StoredClient } from './memory-tables';

const SORT_ORDERS: Record<ClientSort, MemoryKeysetOrder<StoredClient>> = {
  '-createdAt': instantOrder(
    'desc',
    (row) => row.createdAt,
    (row) => row.client.createdAt,
  ),
  createdAt: instantOrder(
    'asc',
    (row) => row.createdAt,
    (row) => row.client.createdAt,
  ),
  name: bytewiseOrder(
    'asc',
    (row) => row.sortKey,
    (row) => row.sortName,
  ),
  '-name': bytewiseOrder(
    'desc',
    (row) => row.sortKey,
    (row) => row.sortName,
  ),
  updatedAt: instantOrder(
    'asc',
    (row) => row.updatedAt,
    (row) => row.client.updatedAt,
  ),
  '-updatedAt': instantOrder(
    'desc',
    (row) => row.updatedAt,
    (row) => row.client.updatedAt,
  ),
};

/**
 * Every write checks all it must (versions, keys, history) before it changes anything, so it
 * is atomic by itself, as a compound write is on the databases.
 */
export class InMemoryClientRepository implements ClientRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async insert(client: Client, entry: HistoryEntry): Promise<void> {
    assertDistinctTags(client);
    const stored = storedClient(client);
    await this.tables.write((tables) => {
      if (tables.clients.has(client.id)) throw duplicateKey('clients', client.id);
      const writeEntries = prepareEntries(tables, [entry]);
      tables.clients.set(client.id, stored);
      writeEntries();
    });
  }

  async findById(id: string): Promise<Client | null> {
    const stored = this.tables.read().clients.get(id);
    return stored ? copyClient(stored.client) : null;
  }

  async replace(client: Client, expectedVersion: number, entry: HistoryEntry): Promise<boolean> {
    assertDistinctTags(client);
    return this.tables.write((tables) => {
      const current = tables.clients.get(client.id);
      if (!current || current.client.version !== expectedVersion) return false;
      const writeEntries = prepareEntries(tables, [entry]);
      // createdAt is not among the columns an update writes.
      tables.clients.set(client.id, storedClient({ ...client, createdAt: current.client.createdAt }));
      writeEntries();
      return true;
    });
  }

  async trash(id: string, expectedVersion: number | undefined, change: ChangeContext, as: ClientTrashAction = 'deleted'): Promise<boolean> {
    return this.tables.write((tables) => {
      const current = tables.clients.get(id);
      if (!current || (expectedVersion !== undefined && current.client.version !== expectedVersion)) return false;
      if (tables.clientsTrash.has(id)) throw duplicateKey('clients_trash', id);
      const deletedAt = instant(change.at);
      const client = movedClient(current);
      const exchanges = [...tables.exchanges.values()].filter((row) => row.clientId === id).map((row) => movedExchange(row));
      const writeEntries = prepareEntries(tables, [
        moveEntry('client', id, client.client.version, as, change),
        ...exchanges.map((row) => moveEntry('exchange', row.id, row.exchange.version, 'deleted', change)),
      ]);
      tables.clients.delete(id);
      tables.clientsTrash.set(id, { id, row: client, deletedAt });
      for (const row of exchanges) {
        tables.exchanges.delete(row.id);
        tables.exchangesTrash.set(row.id, { id: row.id, row, deletedAt, withClient: id });
      }
      writeEntries();
      return true;
    });
  }

  /** One writer at a time holds the tables here: reading is locking enough. */
  async findLiveForUpdate(ids: readonly string[]): Promise<Client[]> {
    const clients = this.tables.read().clients;
    return [...new Set(ids)].sort().flatMap((id) => {
      const stored = clients.get(id);
      return stored ? [copyClient(stored.client)] : [];
    });
  }

  async findInTrash(id: string): Promise<TrashedClient | null> {
    const trashed = this.tables.read().clientsTrash.get(id);
    return trashed ? { client: copyClient(trashed.row.client), deletedAt: isoOf(trashed.deletedAt) } : null;
  }

  async restore(id: string, change: ChangeContext): Promise<Client | null> {
    return this.tables.write((tables) => {
      const trashed = tables.clientsTrash.get(id);
      if (!trashed) return null;
      const client = movedClient(trashed.row, change.at);
      // Only the exchanges that went with it: those trashed on their own before stay in the trash.
      const exchanges = [...tables.exchangesTrash.values()]
        .filter((row) => row.withClient === id)
        .map(({ row }) => movedExchange(row, change.at));
      if (tables.clients.has(id)) throw duplicateKey('clients', id);
      for (const row of exchanges) if (tables.exchanges.has(row.id)) throw duplicateKey('exchanges', row.id);
      const writeEntries = prepareEntries(tables, [
        moveEntry('client', id, client.client.version, 'restored', change),
        ...exchanges.map((row) => moveEntry('exchange', row.id, row.exchange.version, 'restored', change)),
      ]);
      tables.clientsTrash.delete(id);
      tables.clients.set(id, client);
      for (const row of exchanges) {
        tables.exchangesTrash.delete(row.id);
        tables.exchanges.set(row.id, row);
      }
      writeEntries();
      return copyClient(client.client);
    });
  }

  async deletePermanently(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean> {
    return this.tables.write((tables) => {
      const current = tables.clients.get(id)?.client ?? tables.clientsTrash.get(id)?.row.client;
      if (!current || (expectedVersion !== undefined && current.version !== expectedVersion)) return false;
      // Every exchange of the client goes, live or trashed; those that were live get their `deleted` entry too.
      const live = [...tables.exchanges.values()].filter((row) => row.clientId === id);
      const trashed = [...tables.exchangesTrash.values()].filter(({ row }) => row.clientId === id);
      const writeEntries = prepareEntries(tables, [
        moveEntry('client', id, current.version + 1, 'deleted', change),
        ...live.map((row) => moveEntry('exchange', row.id, row.exchange.version + 1, 'deleted', change)),
      ]);
      for (const row of live) tables.exchanges.delete(row.id);
      for (const row of trashed) tables.exchangesTrash.delete(row.id);
      tables.clients.delete(id);
      tables.clientsTrash.delete(id);
      writeEntries();
      return true;
    });
  }

  async list(query: ClientListQuery): Promise<Page<Client>> {
    const { search, status, tag } = query;
    const updatedSince = query.updatedSince ? instant(query.updatedSince) : undefined;
    const rows = [...this.tables.read().clients.values()].filter(
      (row) =>
        // A literal substring of the folded text, as LIKE with every wildcard escaped.
        (!search || row.searchText.includes(search)) &&
        (!status || row.client.status === status) &&
        (updatedSince === undefined || row.updatedAt >= updatedSince) &&
        (!tag || row.client.tags.includes(tag)),
    );
    return memoryKeysetPage(rows, SORT_ORDERS[query.sort], query.after, query.limit, (row) => copyClient(row.client));
  }
}
