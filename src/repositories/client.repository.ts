import type { Client, ClientSort, ClientStatus } from '../domain/client';
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
export interface ClientRepository {
  insert(client: Client): Promise<void>;
  findById(id: string): Promise<Client | null>;
  /** Replaces the row if it is still at expectedVersion; returns false when it is not. */
  replace(client: Client, expectedVersion: number): Promise<boolean>;
  /** Deletes the client and its exchanges; with expectedVersion, only at that version. */
  delete(id: string, expectedVersion?: number): Promise<boolean>;
  list(query: ClientListQuery): Promise<Page<Client>>;
}
