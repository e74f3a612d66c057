import type { Exchange, ExchangeDirection, ExchangeKind, ExchangeSort } from '../domain/exchange';
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

export interface ExchangeRepository {
  /** Throws NotFoundError('Client') when the client does not exist. */
  insert(exchange: Exchange): Promise<void>;
  findById(id: string): Promise<Exchange | null>;
  replace(exchange: Exchange, expectedVersion: number): Promise<boolean>;
  delete(id: string, expectedVersion?: number): Promise<boolean>;
  list(query: ExchangeListQuery): Promise<Page<Exchange>>;
}
