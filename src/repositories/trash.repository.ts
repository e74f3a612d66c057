import type { Client } from '../domain/client';
import type { Exchange } from '../domain/exchange';
import type { TrashType } from '../domain/trash';
import type { KeysetPosition, Page } from './page';

/** What the trash holds for one record, without the purge date (retention is configuration). */
export type TrashEntry =
  | { readonly type: 'client'; readonly id: string; readonly deletedAt: string; readonly record: Client }
  | { readonly type: 'exchange'; readonly id: string; readonly deletedAt: string; readonly record: Exchange };

export interface TrashListQuery {
  readonly limit: number;
  /** Newest deletedAt first; the position is (deletedAt, id). */
  readonly after: KeysetPosition | null;
  readonly type?: TrashType;
}

export interface TrashStats {
  readonly clients: number;
  readonly exchanges: number;
  /** deletedAt of the oldest record in the trash, or null when it is empty. */
  readonly oldestDeletedAt: string | null;
}

/** The trash as a whole: its list (exchanges trashed with their client are not listed on their own), purge and size. */
export interface TrashRepository {
  list(query: TrashListQuery): Promise<Page<TrashEntry>>;
  /**
   * Deletes for good at most `limit` clients and `limit` exchanges trashed before `cutoff`
   * (a client with the exchanges trashed with it); resolves with the number of records removed.
   */
  purgeBefore(cutoff: string, limit: number): Promise<number>;
  stats(): Promise<TrashStats>;
}
