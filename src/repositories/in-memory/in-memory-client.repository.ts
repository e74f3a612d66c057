import type { Client, ClientSort } from '../../domain/client';
import { buildSearchText, buildSortName } from '../../domain/text-normalization';
import type { ClientListQuery, ClientRepository } from '../client.repository';
import type { Page } from '../page';
import { bytewiseOrder, instantOrder, memoryKeysetPage, type MemoryKeysetOrder } from './memory-keyset';
import { canonicalTimestamp, instant, type MemoryAccess, type StoredClient } from './memory-tables';

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

/** A fresh copy, keys in the order the SQL adapters give them (the API's order). */
function copyClient(client: Client): Client {
  return {
    id: client.id,
    name: client.name,
    email: client.email,
    phone: client.phone,
    company: client.company,
    status: client.status,
    tags: [...client.tags],
    notes: client.notes,
    createdAt: canonicalTimestamp(client.createdAt),
    updatedAt: canonicalTimestamp(client.updatedAt),
    version: client.version,
  };
}

/** The row the SQL adapters would write: derived columns from the same functions (clientToRow). */
function toStored(client: Client): StoredClient {
  const stored = copyClient(client);
  const sortName = buildSortName(stored.name);
  return {
    id: stored.id,
    client: stored,
    searchText: buildSearchText([stored.name, stored.email, stored.company, stored.phone]),
    sortName,
    sortKey: Buffer.from(sortName, 'utf8'),
    createdAt: instant(stored.createdAt),
    updatedAt: instant(stored.updatedAt),
  };
}

/** client_tags has the primary key (client_id, tag): a repeated tag fails the whole write there, so here too. */
function assertDistinctTags(client: Client): void {
  if (new Set(client.tags).size !== client.tags.length) throw new Error(`duplicate key: client ${client.id} has a tag twice`);
}

export class InMemoryClientRepository implements ClientRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async insert(client: Client): Promise<void> {
    assertDistinctTags(client);
    const stored = toStored(client);
    await this.tables.write(({ clients }) => {
      if (clients.has(client.id)) throw new Error(`duplicate key: client ${client.id} already exists`);
      clients.set(client.id, stored);
    });
  }

  async findById(id: string): Promise<Client | null> {
    const stored = this.tables.read().clients.get(id);
    return stored ? copyClient(stored.client) : null;
  }

  async replace(client: Client, expectedVersion: number): Promise<boolean> {
    assertDistinctTags(client);
    return this.tables.write(({ clients }) => {
      const current = clients.get(client.id);
      if (!current || current.client.version !== expectedVersion) return false;
      // createdAt is not among the columns an update writes.
      clients.set(client.id, toStored({ ...client, createdAt: current.client.createdAt }));
      return true;
    });
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    return this.tables.write(({ clients, exchanges }) => {
      const current = clients.get(id);
      if (!current || (expectedVersion !== undefined && current.client.version !== expectedVersion)) return false;
      clients.delete(id);
      // What ON DELETE CASCADE does for the SQL adapters (tags live in the client here).
      for (const exchange of exchanges.values()) if (exchange.clientId === id) exchanges.delete(exchange.id);
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
