import { NotFoundError } from '../../domain/errors';
import type { Exchange, ExchangeSort } from '../../domain/exchange';
import type { ExchangeListQuery, ExchangeRepository } from '../exchange.repository';
import type { Page } from '../page';
import { instantOrder, memoryKeysetPage, type MemoryKeysetOrder } from './memory-keyset';
import { canonicalTimestamp, instant, type MemoryAccess, type StoredExchange } from './memory-tables';

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

/** A fresh copy, keys in the order the SQL adapters give them (the API's order). */
function copyExchange(exchange: Exchange): Exchange {
  return {
    id: exchange.id,
    clientId: exchange.clientId,
    kind: exchange.kind,
    direction: exchange.direction,
    subject: exchange.subject,
    body: exchange.body,
    occurredAt: canonicalTimestamp(exchange.occurredAt),
    followUpAt: exchange.followUpAt === null ? null : canonicalTimestamp(exchange.followUpAt),
    createdAt: canonicalTimestamp(exchange.createdAt),
    updatedAt: canonicalTimestamp(exchange.updatedAt),
    version: exchange.version,
  };
}

function toStored(exchange: Exchange): StoredExchange {
  const stored = copyExchange(exchange);
  return {
    id: stored.id,
    clientId: stored.clientId,
    exchange: stored,
    occurredAt: instant(stored.occurredAt),
    followUpAt: stored.followUpAt === null ? null : instant(stored.followUpAt),
    updatedAt: instant(stored.updatedAt),
  };
}

export class InMemoryExchangeRepository implements ExchangeRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async insert(exchange: Exchange): Promise<void> {
    const stored = toStored(exchange);
    await this.tables.write(({ clients, exchanges }) => {
      // The foreign key the SQL adapters translate into the same error.
      if (!clients.has(exchange.clientId)) throw new NotFoundError('Client', exchange.clientId);
      if (exchanges.has(exchange.id)) throw new Error(`duplicate key: exchange ${exchange.id} already exists`);
      exchanges.set(exchange.id, stored);
    });
  }

  async findById(id: string): Promise<Exchange | null> {
    const stored = this.tables.read().exchanges.get(id);
    return stored ? copyExchange(stored.exchange) : null;
  }

  async replace(exchange: Exchange, expectedVersion: number): Promise<boolean> {
    return this.tables.write(({ exchanges }) => {
      const current = exchanges.get(exchange.id);
      if (!current || current.exchange.version !== expectedVersion) return false;
      // An update writes neither the client nor createdAt.
      const { clientId, createdAt } = current.exchange;
      exchanges.set(exchange.id, toStored({ ...exchange, clientId, createdAt }));
      return true;
    });
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    return this.tables.write(({ exchanges }) => {
      const current = exchanges.get(id);
      if (!current || (expectedVersion !== undefined && current.exchange.version !== expectedVersion)) return false;
      exchanges.delete(id);
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
