import { v7 as uuidv7 } from 'uuid';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { fieldChanges, type Actor } from '../domain/history';
import type { Exchange, ExchangeDirection, ExchangeFields, ExchangeKind, ExchangeSort } from '../domain/exchange';
import type { UnitOfWork } from '../repositories/unit-of-work';
import { changes, laterThan, type ListResult } from './client.service';
import type { Clock } from './clock';
import { cursorContext, decodeCursor, encodeCursor } from './cursor';
import { updateOptimistically } from './optimistic-update';
import { DEFAULT_TRASH, deleteRecord, historyEntry, type TrashSettings } from './record-lifecycle';

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

/** The fields a history entry compares, in the API's order. */
export const EXCHANGE_HISTORY_FIELDS = ['clientId', 'kind', 'direction', 'subject', 'body', 'occurredAt', 'followUpAt'] as const;

export class ExchangeService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly trash: TrashSettings = DEFAULT_TRASH,
  ) {}

  /** The same use cases on another unit of work: an open transaction (an idempotent POST's) they join. */
  joining(uow: UnitOfWork): ExchangeService {
    return new ExchangeService(uow, this.clock, this.trash);
  }

  async create(clientId: string, fields: NewExchangeFields, actor: Actor = null): Promise<Exchange> {
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
    const changes = fieldChanges(null, exchange, EXCHANGE_HISTORY_FIELDS);
    await this.uow.repositories.exchanges.insert(exchange, historyEntry('exchange', exchange, 'created', changes, now, actor));
    return exchange;
  }

  async get(id: string): Promise<Exchange> {
    const exchange = await this.uow.repositories.exchanges.findById(id);
    if (!exchange) throw new NotFoundError('Exchange', id);
    return exchange;
  }

  async update(id: string, patch: Partial<ExchangeFields>, expectedVersion?: number, actor: Actor = null): Promise<Exchange> {
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
      save: (next, current) =>
        repos.exchanges.replace(
          next,
          current.version,
          historyEntry('exchange', next, 'updated', fieldChanges(current, next, EXCHANGE_HISTORY_FIELDS), next.updatedAt, actor),
        ),
    });
  }

  /** Moves the exchange to the trash, or deletes it for good (`permanent`, or a retention of 0 days). */
  async delete(id: string, expectedVersion?: number, actor: Actor = null, permanent = false): Promise<void> {
    const exchanges = this.uow.repositories.exchanges;
    const change = { at: this.clock(), actor };
    await deleteRecord(exchanges, async (trashedId) => (await exchanges.findInTrash(trashedId))?.exchange ?? null, {
      resource: 'Exchange',
      id,
      expectedVersion,
      change,
      permanent,
      settings: this.trash,
    });
  }

  /**
   * Brings a trashed exchange back at a new version; a live one is answered as it is. An
   * exchange whose client is in the trash is a conflict: restoring the client brings it back.
   */
  async restore(id: string, actor: Actor = null): Promise<Exchange> {
    const { exchanges, clients } = this.uow.repositories;
    const live = await exchanges.findById(id);
    if (live) return live;
    const trashed = await exchanges.findInTrash(id);
    if (!trashed) {
      const restoredMeanwhile = await exchanges.findById(id);
      if (restoredMeanwhile) return restoredMeanwhile;
      throw new NotFoundError('Exchange', id);
    }
    const clientInTrash = () =>
      new ConflictError(`Client ${trashed.exchange.clientId} is in the trash: restore the client, and its exchanges come back with it`);
    if (trashed.withClient || !(await clients.findById(trashed.exchange.clientId))) throw clientInTrash();
    try {
      const restored = await exchanges.restore(id, { at: this.clock(), actor });
      const found = restored ?? (await exchanges.findById(id));
      if (!found) throw new NotFoundError('Exchange', id);
      return found;
    } catch (error) {
      // The client went to the trash between the check and the write.
      if (error instanceof NotFoundError && error.resource === 'Client') throw clientInTrash();
      throw error;
    }
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
