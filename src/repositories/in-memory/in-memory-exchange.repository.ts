import { NotFoundError } from '../../domain/errors';
import type { Exchange, ExchangeSort } from '../../domain/exchange';
import type { ChangeContext, HistoryEntry } from '../../domain/history';
import type { ExchangeListQuery, ExchangeRepository, TrashedExchange } from '../exchange.repository';
import type { Page } from '../page';
import { moveEntry, prepareEntries } from './memory-history';
import { instantOrder, memoryKeysetPage, type MemoryKeysetOrder } from './memory-keyset';
import { copyExchange, duplicateKey, movedExchange, storedExchange } from './memory-records';
import { instant, isoOf, type MemoryAccess, type StoredExchange } from './memory-tables';

const SORT_ORDERS: Record<ExchangeSort, MemoryKeysetOrder<StoredExchange>> = {
  '-occurredAt': instantOrder(
    'desc',
    (row) => row.occurredAt,
    (row) => row.exchange.occurredAt,
  ),
  occurredAt: instantOrder(
    'asc',
    (row) => row.occurredAt,
    (row) => row.exchange.occurredAt,
  ),
};

/** Every write checks all it must before it changes anything: atomic by itself, history entry included. */
export class InMemoryExchangeRepository implements ExchangeRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async insert(exchange: Exchange, entry: HistoryEntry): Promise<void> {
    const stored = storedExchange(exchange);
    await this.tables.write((tables) => {
      // The foreign key the SQL adapters translate into the same error: a trashed client is not live.
      if (!tables.clients.has(exchange.clientId)) throw new NotFoundError('Client', exchange.clientId);
      if (tables.exchanges.has(exchange.id)) throw duplicateKey('exchanges', exchange.id);
      const writeEntries = prepareEntries(tables, [entry]);
      tables.exchanges.set(exchange.id, stored);
      writeEntries();
    });
  }

  async findById(id: string): Promise<Exchange | null> {
    const stored = this.tables.read().exchanges.get(id);
    return stored ? copyExchange(stored.exchange) : null;
  }

  async replace(exchange: Exchange, expectedVersion: number, entry: HistoryEntry): Promise<boolean> {
    return this.tables.write((tables) => {
      const current = tables.exchanges.get(exchange.id);
      if (!current || current.exchange.version !== expectedVersion) return false;
      const writeEntries = prepareEntries(tables, [entry]);
      // An update writes neither the client nor createdAt.
      const { clientId, createdAt } = current.exchange;
      tables.exchanges.set(exchange.id, storedExchange({ ...exchange, clientId, createdAt }));
      writeEntries();
      return true;
    });
  }

  async trash(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean> {
    return this.tables.write((tables) => {
      const current = tables.exchanges.get(id);
      if (!current || (expectedVersion !== undefined && current.exchange.version !== expectedVersion)) return false;
      if (tables.exchangesTrash.has(id)) throw duplicateKey('exchanges_trash', id);
      const row = movedExchange(current);
      const writeEntries = prepareEntries(tables, [moveEntry('exchange', id, row.exchange.version, 'deleted', change)]);
      tables.exchanges.delete(id);
      tables.exchangesTrash.set(id, { id, row, deletedAt: instant(change.at), withClient: null });
      writeEntries();
      return true;
    });
  }

  async findInTrash(id: string): Promise<TrashedExchange | null> {
    const trashed = this.tables.read().exchangesTrash.get(id);
    if (!trashed) return null;
    return { exchange: copyExchange(trashed.row.exchange), deletedAt: isoOf(trashed.deletedAt), withClient: trashed.withClient !== null };
  }

  async moveToClient(fromClientId: string, toClientId: string, change: ChangeContext): Promise<number> {
    return this.tables.write((tables) => {
      const moving = [...tables.exchanges.values()].filter((row) => row.clientId === fromClientId);
      if (moving.length === 0) return 0;
      // The foreign key the SQL adapters translate: only a live client receives exchanges.
      if (!tables.clients.has(toClientId)) throw new NotFoundError('Client', toClientId);
      const moved = moving.map(({ exchange }) =>
        storedExchange({ ...exchange, clientId: toClientId, version: exchange.version + 1, updatedAt: change.at }),
      );
      const changes = { clientId: { from: fromClientId, to: toClientId } };
      const writeEntries = prepareEntries(
        tables,
        moved.map((row) => ({ ...moveEntry('exchange', row.id, row.exchange.version, 'merged', change), changes })),
      );
      for (const row of moved) tables.exchanges.set(row.id, row);
      writeEntries();
      return moved.length;
    });
  }

  async restore(id: string, change: ChangeContext): Promise<Exchange | null> {
    return this.tables.write((tables) => {
      const trashed = tables.exchangesTrash.get(id);
      // One that went with its client comes back with it only.
      if (!trashed || trashed.withClient !== null) return null;
      const { clientId } = trashed.row;
      if (!tables.clients.has(clientId)) throw new NotFoundError('Client', clientId);
      if (tables.exchanges.has(id)) throw duplicateKey('exchanges', id);
      const row = movedExchange(trashed.row, change.at);
      const writeEntries = prepareEntries(tables, [moveEntry('exchange', id, row.exchange.version, 'restored', change)]);
      tables.exchangesTrash.delete(id);
      tables.exchanges.set(id, row);
      writeEntries();
      return copyExchange(row.exchange);
    });
  }

  async deletePermanently(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean> {
    return this.tables.write((tables) => {
      const current = tables.exchanges.get(id)?.exchange ?? tables.exchangesTrash.get(id)?.row.exchange;
      if (!current || (expectedVersion !== undefined && current.version !== expectedVersion)) return false;
      const writeEntries = prepareEntries(tables, [moveEntry('exchange', id, current.version + 1, 'deleted', change)]);
      tables.exchanges.delete(id);
      tables.exchangesTrash.delete(id);
      writeEntries();
      return true;
    });
  }

  async list(query: ExchangeListQuery): Promise<Page<Exchange>> {
    const { clientId, kind, direction } = query;
    const bound = (iso: string | undefined) => (iso ? instant(iso) : undefined);
    const [from, to, due, updatedSince] = [query.occurredFrom, query.occurredTo, query.followUpDueAt, query.updatedSince].map(bound);
    const rows = [...this.tables.read().exchanges.values()].filter(
      (row) =>
        (!clientId || row.clientId === clientId) &&
        (!kind || row.exchange.kind === kind) &&
        (!direction || row.exchange.direction === direction) &&
        // From inclusive, to exclusive: consecutive periods share no exchange.
        (from === undefined || row.occurredAt >= from) &&
        (to === undefined || row.occurredAt < to) &&
        (due === undefined || (row.followUpAt !== null && row.followUpAt <= due)) &&
        (updatedSince === undefined || row.updatedAt >= updatedSince),
    );
    return memoryKeysetPage(rows, SORT_ORDERS[query.sort], query.after, query.limit, (row) => copyExchange(row.exchange));
  }
}
