import type { Exchange, ExchangeDirection, ExchangeKind, ExchangeSort } from '../domain/exchange';
import type { ChangeContext, HistoryEntry } from '../domain/history';
import type { KeysetPosition, Page } from './page';

export interface ExchangeListQuery {
  readonly limit: number;
  readonly sort: ExchangeSort;
  readonly after: KeysetPosition | null;
  readonly clientId?: string;
  readonly kind?: ExchangeKind;
  readonly direction?: ExchangeDirection;
  readonly occurredFrom?: string;
  readonly occurredTo?: string;
  /** Only exchanges whose followUpAt is set and not after this instant. */
  readonly followUpDueAt?: string;
  readonly updatedSince?: string;
}

export interface TrashedExchange {
  readonly exchange: Exchange;
  readonly deletedAt: string;
  /** True when it went to the trash with its client: it comes back with it, not on its own. */
  readonly withClient: boolean;
}

/** Exchanges, live and in the trash; every write is atomic by itself, history entry included. */
export interface ExchangeRepository {
  /** Writes the exchange and its `created` entry; NotFoundError when its client is not live. */
  insert(exchange: Exchange, entry: HistoryEntry): Promise<void>;
  /** A live exchange; null for unknown and trashed ids. */
  findById(id: string): Promise<Exchange | null>;
  replace(exchange: Exchange, expectedVersion: number, entry: HistoryEntry): Promise<boolean>;
  /** Moves the live exchange (at expectedVersion, when given) to the trash at its next version. */
  trash(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean>;
  findInTrash(id: string): Promise<TrashedExchange | null>;
  /**
   * Moves every live exchange of one client to another (a merge), each at its next version with
   * updatedAt = change.at and a `merged` entry whose changes are `clientId: { from, to }`.
   * Resolves with how many moved; NotFoundError when the receiving client is not live.
   */
  moveToClient(fromClientId: string, toClientId: string, change: ChangeContext): Promise<number>;
  /** Brings it back at its next version; null when not in the trash; NotFoundError when its client is not live. */
  restore(id: string, change: ChangeContext): Promise<Exchange | null>;
  /** Deletes it for good, live or trashed; false when neither. */
  deletePermanently(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean>;
  list(query: ExchangeListQuery): Promise<Page<Exchange>>;
}
