import type { Client, ClientSort, ClientStatus } from '../domain/client';
import type { ChangeContext, HistoryEntry } from '../domain/history';
import type { KeysetPosition, Page } from './page';

export interface ClientListQuery {
  readonly limit: number;
  readonly sort: ClientSort;
  readonly after: KeysetPosition | null;
  /** Already folded (see foldSearchTerm); matched as a literal substring. */
  readonly search?: string;
  readonly status?: ClientStatus;
  readonly tag?: string;
  readonly updatedSince?: string;
}

/** Storage of clients. Writes are conditional on the version read, so no update is lost. */
/** A client in the trash and when it went there. */
export interface TrashedClient {
  readonly client: Client;
  readonly deletedAt: string;
}

/** The history action of a client's move to the trash: `merged` when a merge folded it into another client. */
export type ClientTrashAction = 'deleted' | 'merged';

/**
 * Clients, live and in the trash. Every write is atomic by itself, record, tags, exchanges
 * moved with it and history entries included.
 */
export interface ClientRepository {
  /** Writes the client and its `created` history entry. */
  insert(client: Client, entry: HistoryEntry): Promise<void>;
  /** A live client; null for unknown and trashed ids. */
  findById(id: string): Promise<Client | null>;
  /** Writes the new state if the live client is still at expectedVersion, with its history entry. */
  replace(client: Client, expectedVersion: number, entry: HistoryEntry): Promise<boolean>;
  /**
   * Moves the live client (at expectedVersion, when given) and its live exchanges to the
   * trash, each at its next version with a `deleted` entry (`as` names the client's: `merged`
   * by a merge). False when no live client matched.
   */
  trash(id: string, expectedVersion: number | undefined, change: ChangeContext, as?: ClientTrashAction): Promise<boolean>;
  /**
   * The live clients among ids, in id order, each locked against other writers until the
   * transaction ends: read inside one, they cannot change or leave before it commits. Taking
   * the locks in id order means two transactions locking overlapping sets never deadlock.
   */
  findLiveForUpdate(ids: readonly string[]): Promise<Client[]>;
  findInTrash(id: string): Promise<TrashedClient | null>;
  /**
   * Brings the trashed client back at its next version, with the exchanges trashed with it
   * (not those deleted on their own before), each with a `restored` entry. Null when the
   * client is not in the trash.
   */
  restore(id: string, change: ChangeContext): Promise<Client | null>;
  /**
   * Deletes for good the client, live or trashed (at expectedVersion, when given), and every
   * exchange of it, live or trashed; history is kept: the client and each live exchange get a
   * `deleted` entry (trashed ones have theirs already). False when no client matched.
   */
  deletePermanently(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean>;
  list(query: ClientListQuery): Promise<Page<Client>>;
}
