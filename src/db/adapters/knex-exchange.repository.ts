import type { Knex } from 'knex';
import { NotFoundError } from '../../domain/errors';
import type { Exchange, ExchangeDirection, ExchangeKind, ExchangeSort } from '../../domain/exchange';
import type { ExchangeListQuery, ExchangeRepository } from '../../repositories/exchange.repository';
import type { Page } from '../../repositories/page';
import type { Dialect } from '../dialects';
import { applyKeyset, toPage, type KeysetOrder } from './keyset';

interface ExchangeRow {
  id: string;
  client_id: string;
  kind: string;
  direction: string | null;
  subject: string | null;
  body: string | null;
  occurred_at: unknown;
  follow_up_at: unknown;
  created_at: unknown;
  updated_at: unknown;
  version: number;
}

const SORT_ORDERS: Record<ExchangeSort, KeysetOrder> = {
  '-occurredAt': { column: 'occurred_at', direction: 'desc' },
  occurredAt: { column: 'occurred_at', direction: 'asc' },
};

export class KnexExchangeRepository implements ExchangeRepository {
  constructor(
    private readonly db: Knex,
    private readonly dialect: Dialect,
  ) {}

  async insert(exchange: Exchange): Promise<void> {
    try {
      await this.db('exchanges').insert(this.toRow(exchange));
    } catch (error) {
      if (this.dialect.classifyError(error) === 'foreign_key_violation') throw new NotFoundError('Client', exchange.clientId);
      throw error;
    }
  }

  async findById(id: string): Promise<Exchange | null> {
    const row: ExchangeRow | undefined = await this.db('exchanges').where({ id }).first();
    return row ? this.toDomain(row) : null;
  }

  async replace(exchange: Exchange, expectedVersion: number): Promise<boolean> {
    const { id, client_id: _clientId, created_at: _createdAt, ...changes } = this.toRow(exchange);
    return (await this.db('exchanges').where({ id, version: expectedVersion }).update(changes)) > 0;
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const query = this.db('exchanges').where({ id });
    if (expectedVersion !== undefined) query.andWhere({ version: expectedVersion });
    return (await query.delete()) > 0;
  }

  async list(query: ExchangeListQuery): Promise<Page<Exchange>> {
    const order = SORT_ORDERS[query.sort];
    const ts = (iso: string) => this.dialect.toDbTimestamp(iso);
    const builder = this.db<ExchangeRow>('exchanges').select('*');
    if (query.clientId) builder.where({ client_id: query.clientId });
    if (query.kind) builder.where({ kind: query.kind });
    if (query.direction) builder.where({ direction: query.direction });
    if (query.occurredFrom) builder.where('occurred_at', '>=', ts(query.occurredFrom));
    if (query.occurredTo) builder.where('occurred_at', '<', ts(query.occurredTo));
    if (query.followUpDueAt) builder.whereNotNull('follow_up_at').andWhere('follow_up_at', '<=', ts(query.followUpDueAt));
    if (query.updatedSince) builder.where('updated_at', '>=', ts(query.updatedSince));
    const rows: ExchangeRow[] = await applyKeyset(builder, order, query.after, query.limit);
    return toPage(rows, query.limit, (row) => this.toDomain(row), (row) => this.dialect.fromDbTimestamp(row.occurred_at));
  }

  private toRow(exchange: Exchange): ExchangeRow {
    return {
      id: exchange.id,
      client_id: exchange.clientId,
      kind: exchange.kind,
      direction: exchange.direction,
      subject: exchange.subject,
      body: exchange.body,
      occurred_at: this.dialect.toDbTimestamp(exchange.occurredAt),
      follow_up_at: exchange.followUpAt === null ? null : this.dialect.toDbTimestamp(exchange.followUpAt),
      created_at: this.dialect.toDbTimestamp(exchange.createdAt),
      updated_at: this.dialect.toDbTimestamp(exchange.updatedAt),
      version: exchange.version,
    };
  }

  private toDomain(row: ExchangeRow): Exchange {
    return {
      id: row.id,
      clientId: row.client_id,
      kind: row.kind as ExchangeKind,
      direction: row.direction as ExchangeDirection | null,
      subject: row.subject,
      body: row.body,
      occurredAt: this.dialect.fromDbTimestamp(row.occurred_at),
      followUpAt: row.follow_up_at === null ? null : this.dialect.fromDbTimestamp(row.follow_up_at),
      createdAt: this.dialect.fromDbTimestamp(row.created_at),
      updatedAt: this.dialect.fromDbTimestamp(row.updated_at),
      version: row.version,
    };
  }
}
