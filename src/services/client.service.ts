import { v7 as uuidv7 } from 'uuid';
import type { Client, ClientFields, ClientSort, ClientStatus } from '../domain/client';
import { NotFoundError } from '../domain/errors';
import { fieldChanges, type Actor } from '../domain/history';
import { foldSearchTerm } from '../domain/text-normalization';
import type { ClientListQuery } from '../repositories/client.repository';
import type { KeysetPosition } from '../repositories/page';
import type { UnitOfWork } from '../repositories/unit-of-work';
import type { Clock } from './clock';
import { cursorContext, decodeCursor, encodeCursor } from './cursor';
import { updateOptimistically } from './optimistic-update';
import { DEFAULT_TRASH, deleteRecord, historyEntry, type TrashSettings } from './record-lifecycle';

export interface ClientListParams {
  limit: number;
  sort: ClientSort;
  cursor?: string;
  q?: string;
  status?: ClientStatus;
  tag?: string;
  updatedSince?: string;
}

export interface ListResult<T> {
  data: T[];
  nextCursor: string | null;
}

/** The fields a history entry compares, in the API's order. */
export const CLIENT_HISTORY_FIELDS = ['name', 'email', 'phone', 'company', 'status', 'tags', 'notes'] as const;

export class ClientService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly trash: TrashSettings = DEFAULT_TRASH,
  ) {}

  /** The same use cases on another unit of work: an open transaction (an idempotent POST's) they join. */
  joining(uow: UnitOfWork): ClientService {
    return new ClientService(uow, this.clock, this.trash);
  }

  async create(fields: ClientFields, actor: Actor = null): Promise<Client> {
    const now = this.clock();
    const client: Client = { id: uuidv7(), ...fields, createdAt: now, updatedAt: now, version: 1 };
    const changes = fieldChanges(null, client, CLIENT_HISTORY_FIELDS);
    // One repository write, atomic by itself (with its tags and history): no transaction around it.
    await this.uow.repositories.clients.insert(client, historyEntry('client', client, 'created', changes, now, actor));
    return client;
  }

  async get(id: string): Promise<Client> {
    const client = await this.uow.repositories.clients.findById(id);
    if (!client) throw new NotFoundError('Client', id);
    return client;
  }

  async update(id: string, patch: Partial<ClientFields>, expectedVersion?: number, actor: Actor = null): Promise<Client> {
    // Read, then write if the version is still the one read: no transaction needed, and none
    // held open across the round trips.
    const repos = this.uow.repositories;
    return updateOptimistically<Client>({
      resource: 'Client',
      id,
      expectedVersion,
      load: () => repos.clients.findById(id),
      change: (current) => {
        if (!changes(current, patch)) return null;
        return { ...current, ...patch, updatedAt: laterThan(this.clock(), current.updatedAt), version: current.version + 1 };
      },
      save: (next, current) =>
        repos.clients.replace(
          next,
          current.version,
          historyEntry('client', next, 'updated', fieldChanges(current, next, CLIENT_HISTORY_FIELDS), next.updatedAt, actor),
        ),
    });
  }

  /**
   * Moves the client and its exchanges to the trash, or deletes them for good (`permanent`, or
   * a retention of 0 days). NotFoundError for unknown ids (and trashed ones, unless permanent).
   */
  async delete(id: string, expectedVersion?: number, actor: Actor = null, permanent = false): Promise<void> {
    const clients = this.uow.repositories.clients;
    const change = { at: this.clock(), actor };
    await deleteRecord(clients, async (trashedId) => (await clients.findInTrash(trashedId))?.client ?? null, {
      resource: 'Client',
      id,
      expectedVersion,
      change,
      permanent,
      settings: this.trash,
    });
  }

  /**
   * Brings a trashed client back (with the exchanges trashed with it) at a new version. A live
   * client is answered as it is, so a retried restore is harmless; unknown and purged ids are a 404.
   */
  async restore(id: string, actor: Actor = null): Promise<Client> {
    const clients = this.uow.repositories.clients;
    const live = await clients.findById(id);
    if (live) return live;
    const restored = await clients.restore(id, { at: this.clock(), actor });
    // Null: not in the trash, or restored by a concurrent request meanwhile.
    const found = restored ?? (await clients.findById(id));
    if (!found) throw new NotFoundError('Client', id);
    return found;
  }

  async list(params: ClientListParams): Promise<ListResult<Client>> {
    const search = params.q === undefined ? undefined : foldSearchTerm(params.q);
    const context = cursorContext(params.sort, params.sort.endsWith('name') ? 'text' : 'timestamp', {
      q: search,
      status: params.status,
      tag: params.tag,
      updatedSince: params.updatedSince,
    });
    const after = params.cursor ? decodeCursor(params.cursor, context) : null;
    const page = await this.uow.repositories.clients.list(clientListQuery(params, params.limit, after));
    return { data: page.data, nextCursor: page.nextPosition ? encodeCursor(page.nextPosition, context) : null };
  }
}

/** The list's filters and sort, without its paging (a CSV export is every match). */
export type ClientListFilter = Omit<ClientListParams, 'limit' | 'cursor'>;

/** The repository's query for one page of the list: the search term folded, an empty one dropped. */
export function clientListQuery(filter: ClientListFilter, limit: number, after: KeysetPosition | null): ClientListQuery {
  return {
    limit,
    sort: filter.sort,
    after,
    search: filter.q === undefined ? undefined : foldSearchTerm(filter.q) || undefined,
    status: filter.status,
    tag: filter.tag,
    updatedSince: filter.updatedSince,
  };
}

/** Whether applying the patch would change anything (tags compared by value). */
export function changes<T extends object>(current: T, patch: Partial<T>): boolean {
  return Object.entries(patch).some(([key, value]) => JSON.stringify(current[key as keyof T]) !== JSON.stringify(value));
}

/**
 * updatedAt must move forward with every version, or `updatedSince` readers would miss a change
 * made within the same millisecond as the previous one.
 */
export function laterThan(now: string, previous: string): string {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}
