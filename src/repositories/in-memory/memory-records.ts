import type { Client } from '../../domain/client';
import type { Exchange } from '../../domain/exchange';
import { buildSearchText, buildSortName } from '../../domain/text-normalization';
import { canonicalTimestamp, instant, type StoredClient, type StoredExchange } from './memory-tables';

/** A fresh copy, keys in the order the SQL adapters give them (the API's order). */
export function copyClient(client: Client): Client {
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
export function storedClient(client: Client): StoredClient {
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
export function assertDistinctTags(client: Client): void {
  if (new Set(client.tags).size !== client.tags.length) throw new Error(`duplicate key: client ${client.id} has a tag twice`);
}

/** A primary key already taken: the write fails whole, as on the databases. */
export function duplicateKey(table: string, id: string): Error {
  return new Error(`duplicate key: ${table} already holds ${id}`);
}

/** A fresh copy, keys in the order the SQL adapters give them (the API's order). */
export function copyExchange(exchange: Exchange): Exchange {
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

export function storedExchange(exchange: Exchange): StoredExchange {
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

/**
 * A record moved to or from the trash: its next version, and, when it comes back, updatedAt
 * set to the time of the move (a trash move keeps updatedAt, as the SQL moves do).
 */
export function movedClient(row: StoredClient, updatedAt?: string): StoredClient {
  return storedClient({ ...row.client, version: row.client.version + 1, updatedAt: updatedAt ?? row.client.updatedAt });
}

export function movedExchange(row: StoredExchange, updatedAt?: string): StoredExchange {
  return storedExchange({ ...row.exchange, version: row.exchange.version + 1, updatedAt: updatedAt ?? row.exchange.updatedAt });
}
