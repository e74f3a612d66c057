import { v7 as uuidv7 } from 'uuid';
import type { Client, ClientFields, ClientSort, ClientStatus } from '../domain/client';
import { NotFoundError, VersionConflictError } from '../domain/errors';
import { foldSearchTerm } from '../domain/text-normalization';
import type { UnitOfWork } from '../repositories/unit-of-work';
import type { Clock } from './clock';
import { cursorContext, decodeCursor, encodeCursor } from './cursor';
import { updateOptimistically } from './optimistic-update';

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

export class ClientService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** The same use cases on another unit of work: an open transaction (an idempotent POST's) they join. */
  joining(uow: UnitOfWork): ClientService {
    return new ClientService(uow, this.clock);
  }

  async create(fields: ClientFields): Promise<Client> {
    const now = this.clock();
    const client: Client = { id: uuidv7(), ...fields, createdAt: now, updatedAt: now, version: 1 };
    // One repository write, atomic by itself (with its tags): no transaction around it.
    await this.uow.repositories.clients.insert(client);
    return client;
  }

  async get(id: string): Promise<Client> {
    const client = await this.uow.repositories.clients.findById(id);
    if (!client) throw new NotFoundError('Client', id);
    return client;
  }

  async update(id: string, patch: Partial<ClientFields>, expectedVersion?: number): Promise<Client> {
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
      save: (next, currentVersion) => repos.clients.replace(next, currentVersion),
    });
  }

  async delete(id: string, expectedVersion?: number): Promise<void> {
    const repos = this.uow.repositories;
    if (await repos.clients.delete(id, expectedVersion)) return;
    const current = await repos.clients.findById(id);
    if (!current) throw new NotFoundError('Client', id);
    throw new VersionConflictError(expectedVersion ?? -1, current.version);
  }

  async list(params: ClientListParams): Promise<ListResult<Client>> {
    const search = params.q === undefined ? undefined : foldSearchTerm(params.q);
    const context = cursorContext(params.sort, params.sort.endsWith('name') ? 'text' : 'timestamp', {
      q: search,
      status: params.status,
      tag: params.tag,
      updatedSince: params.updatedSince,
    });
    const page = await this.uow.repositories.clients.list({
      limit: params.limit,
      sort: params.sort,
      after: params.cursor ? decodeCursor(params.cursor, context) : null,
      search: search || undefined,
      status: params.status,
      tag: params.tag,
      updatedSince: params.updatedSince,
    });
    return { data: page.data, nextCursor: page.nextPosition ? encodeCursor(page.nextPosition, context) : null };
  }
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
