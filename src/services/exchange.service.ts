import { v7 as uuidv7 } from 'uuid';
import { NotFoundError, ValidationError, VersionConflictError } from '../domain/errors';
import type { Exchange, ExchangeDirection, ExchangeFields, ExchangeKind, ExchangeSort } from '../domain/exchange';
import type { UnitOfWork } from '../repositories/unit-of-work';
import { changes, laterThan, type ListResult } from './client.service';
import type { Clock } from './clock';
import { cursorContext, decodeCursor, encodeCursor } from './cursor';
import { updateOptimistically } from './optimistic-update';

export interface ExchangeListParams {
  limit: number;
  sort: ExchangeSort;
  cursor?: string;
  clientId?: string;
  kind?: ExchangeKind;
  direction?: ExchangeDirection;
  occurredFrom?: string;
  occurredTo?: string;
  followUpDue?: boolean;
  updatedSince?: string;
}

export type NewExchangeFields = Pick<ExchangeFields, 'kind'> & Partial<Omit<ExchangeFields, 'kind'>>;

/** An exchange says something: a subject, a body or both. */
function assertHasContent(exchange: Pick<Exchange, 'subject' | 'body'>): void {
  if (exchange.subject === null && exchange.body === null) {
    const message = 'an exchange needs a subject or a body';
    throw new ValidationError([
      { path: 'subject', message },
      { path: 'body', message },
    ]);
  }
}

export class ExchangeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** The same use cases on another unit of work: an open transaction (an idempotent POST's) they join. */
  joining(uow: UnitOfWork): ExchangeService {
    return new ExchangeService(uow, this.clock);
  }

  async create(clientId: string, fields: NewExchangeFields): Promise<Exchange> {
    const now = this.clock();
    const exchange: Exchange = {
      id: uuidv7(),
      clientId,
      kind: fields.kind,
      direction: fields.direction ?? null,
      subject: fields.subject ?? null,
      body: fields.body ?? null,
      occurredAt: fields.occurredAt ?? now,
      followUpAt: fields.followUpAt ?? null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    assertHasContent(exchange);
    // One repository write, atomic by itself (with its tags): no transaction around it.
    await this.uow.repositories.exchanges.insert(exchange);
    return exchange;
  }

  async get(id: string): Promise<Exchange> {
    const exchange = await this.uow.repositories.exchanges.findById(id);
    if (!exchange) throw new NotFoundError('Exchange', id);
    return exchange;
  }

  async update(id: string, patch: Partial<ExchangeFields>, expectedVersion?: number): Promise<Exchange> {
    // Read, then write if the version is still the one read: no transaction needed, and none
    // held open across the round trips.
    const repos = this.uow.repositories;
    return updateOptimistically<Exchange>({
      resource: 'Exchange',
      id,
      expectedVersion,
      load: () => repos.exchanges.findById(id),
      change: (current) => {
        if (!changes(current, patch)) return null;
        const next = { ...current, ...patch, updatedAt: laterThan(this.clock(), current.updatedAt), version: current.version + 1 };
        assertHasContent(next);
        return next;
      },
      save: (next, currentVersion) => repos.exchanges.replace(next, currentVersion),
    });
  }

  async delete(id: string, expectedVersion?: number): Promise<void> {
    const repos = this.uow.repositories;
    if (await repos.exchanges.delete(id, expectedVersion)) return;
    const current = await repos.exchanges.findById(id);
    if (!current) throw new NotFoundError('Exchange', id);
    throw new VersionConflictError(expectedVersion ?? -1, current.version);
  }

  /**
   * A client's timeline: 404 for an unknown client rather than an empty list. A non-empty page
   * proves the client exists (foreign key), so the extra lookup is only paid for empty pages.
   */
  async timeline(clientId: string, params: Omit<ExchangeListParams, 'clientId'>): Promise<ListResult<Exchange>> {
    const page = await this.list({ ...params, clientId });
    if (page.data.length === 0 && !(await this.uow.repositories.clients.findById(clientId))) {
      throw new NotFoundError('Client', clientId);
    }
    return page;
  }

  async list(params: ExchangeListParams): Promise<ListResult<Exchange>> {
    const followUpDueAt = params.followUpDue ? this.clock() : undefined;
    const context = cursorContext(params.sort, 'timestamp', {
      clientId: params.clientId,
      kind: params.kind,
      direction: params.direction,
      occurredFrom: params.occurredFrom,
      occurredTo: params.occurredTo,
      followUpDue: params.followUpDue ? 'true' : undefined,
      updatedSince: params.updatedSince,
    });
    const page = await this.uow.repositories.exchanges.list({
      limit: params.limit,
      sort: params.sort,
      after: params.cursor ? decodeCursor(params.cursor, context) : null,
      clientId: params.clientId,
      kind: params.kind,
      direction: params.direction,
      occurredFrom: params.occurredFrom,
      occurredTo: params.occurredTo,
      followUpDueAt,
      updatedSince: params.updatedSince,
    });
    return { data: page.data, nextCursor: page.nextPosition ? encodeCursor(page.nextPosition, context) : null };
  }
}
