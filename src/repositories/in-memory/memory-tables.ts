import type { Client } from '../../domain/client';
import type { Exchange } from '../../domain/exchange';
import type { Actor, HistoryAction, RecordType } from '../../domain/history';
import type { StoredWebhook, StoredWebhookDelivery, StoredWebhookEvent } from './memory-webhook-rows';

/** A client as the SQL adapters store it: the record plus its derived search and sort columns. */
export interface StoredClient {
  readonly id: string;
  readonly client: Client;
  /** buildSearchText of name, email, company and phone (search_text). */
  readonly searchText: string;
  /** buildSortName of the name (sort_name), and its UTF-8 bytes, the order the databases compare. */
  readonly sortName: string;
  readonly sortKey: Buffer;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StoredExchange {
  readonly id: string;
  readonly clientId: string;
  readonly exchange: Exchange;
  readonly occurredAt: number;
  readonly followUpAt: number | null;
  readonly updatedAt: number;
}

/** A row of clients_trash: the live row as it was moved, and when. */
export interface TrashedClientRow {
  readonly id: string;
  readonly row: StoredClient;
  readonly deletedAt: number;
}

/** A row of exchanges_trash; withClient is the client it went to the trash with, if any. */
export interface TrashedExchangeRow {
  readonly id: string;
  readonly row: StoredExchange;
  readonly deletedAt: number;
  readonly withClient: string | null;
}

/** A row of history: changes kept as the JSON text the SQL adapters store. */
export interface StoredHistoryEntry {
  readonly recordType: RecordType;
  readonly recordId: string;
  readonly version: number;
  readonly action: HistoryAction;
  readonly at: number;
  readonly actor: Actor;
  readonly changes: string;
}

export interface StoredIdempotencyKey {
  readonly requestHash: string;
  /** Null while the request that claimed the key is in flight. */
  readonly response: { readonly status: number; readonly body: string | null; readonly location: string | null } | null;
  readonly expiresAt: number;
}

/**
 * The in-memory database. Stored values are never mutated, only replaced, so a transaction
 * works on a copy of the maps and commits by swapping the copy in: O(rows) a transaction,
 * which is nothing at the sizes of the tests this tier serves. history maps a record id (its
 * primary key is (record id, version)) to its entries in ascending version order.
 */
export class MemoryTables {
  constructor(
    readonly clients = new Map<string, StoredClient>(),
    readonly exchanges = new Map<string, StoredExchange>(),
    readonly idempotencyKeys = new Map<string, StoredIdempotencyKey>(),
    readonly clientsTrash = new Map<string, TrashedClientRow>(),
    readonly exchangesTrash = new Map<string, TrashedExchangeRow>(),
    readonly history = new Map<string, readonly StoredHistoryEntry[]>(),
    readonly webhooks = new Map<string, StoredWebhook>(),
    readonly webhookEvents = new Map<string, StoredWebhookEvent>(),
    readonly webhookDeliveries = new Map<string, StoredWebhookDelivery>(),
  ) {}

  copy(): MemoryTables {
    return new MemoryTables(
      new Map(this.clients),
      new Map(this.exchanges),
      new Map(this.idempotencyKeys),
      new Map(this.clientsTrash),
      new Map(this.exchangesTrash),
      new Map(this.history),
      new Map(this.webhooks),
      new Map(this.webhookEvents),
      new Map(this.webhookDeliveries),
    );
  }
}

/** How a repository reaches the tables: top-level (committed, autocommit) or one transaction's copy. */
export interface MemoryAccess {
  /** The tables to read; throws TransactionScopeError where the call is refused. */
  read(): MemoryTables;
  /** Applies one change to the tables, atomically, after any transaction holding them. */
  write<T>(change: (tables: MemoryTables) => T): Promise<T>;
}

/** Timestamps as the databases compare them: instants, not text. */
export function instant(iso: string): number {
  return Date.parse(iso);
}

/** The stored form of a timestamp, as the SQL adapters read it back: ISO-8601 UTC with milliseconds. */
export function canonicalTimestamp(iso: string): string {
  return new Date(iso).toISOString();
}

/** An instant as the SQL adapters read a timestamp back. */
export function isoOf(at: number): string {
  return new Date(at).toISOString();
}
