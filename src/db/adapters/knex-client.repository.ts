import type { Knex } from 'knex';
import type { Client, ClientSort, ClientStatus } from '../../domain/client';
import { buildSearchText, buildSortName } from '../../domain/text-normalization';
import type { ClientListQuery, ClientRepository } from '../../repositories/client.repository';
import type { Page } from '../../repositories/page';
import type { Dialect } from '../dialects';
import { applyKeyset, containsPattern, toPage, type KeysetOrder } from './keyset';

interface ClientRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  status: string;
  tags: string;
  notes: string | null;
  search_text: string;
  sort_name: string;
  created_at: unknown;
  updated_at: unknown;
  version: number;
}

const SORT_ORDERS: Record<ClientSort, KeysetOrder> = {
  '-createdAt': { column: 'created_at', direction: 'desc' },
  createdAt: { column: 'created_at', direction: 'asc' },
  name: { column: 'sort_name', direction: 'asc' },
  '-name': { column: 'sort_name', direction: 'desc' },
  updatedAt: { column: 'updated_at', direction: 'asc' },
  '-updatedAt': { column: 'updated_at', direction: 'desc' },
};

export class KnexClientRepository implements ClientRepository {
  constructor(
    private readonly db: Knex,
    private readonly dialect: Dialect,
  ) {}

  async insert(client: Client): Promise<void> {
    await this.db('clients').insert(this.toRow(client));
    await this.insertTags(client.id, client.tags);
  }

  async findById(id: string): Promise<Client | null> {
    const row: ClientRow | undefined = await this.db('clients').where({ id }).first();
    return row ? this.toDomain(row) : null;
  }

  async replace(client: Client, expectedVersion: number): Promise<boolean> {
    const { id, created_at: _createdAt, ...changes } = this.toRow(client);
    const updated = await this.db('clients').where({ id, version: expectedVersion }).update(changes);
    if (updated === 0) return false;
    await this.db('client_tags').where({ client_id: id }).delete();
    await this.insertTags(id, client.tags);
    return true;
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    const query = this.db('clients').where({ id });
    if (expectedVersion !== undefined) query.andWhere({ version: expectedVersion });
    // Exchanges and tags go with the client through ON DELETE CASCADE.
    return (await query.delete()) > 0;
  }

  async list(query: ClientListQuery): Promise<Page<Client>> {
    const order = SORT_ORDERS[query.sort];
    const builder = this.db<ClientRow>('clients').select('*');
    if (query.search) builder.whereRaw(`search_text LIKE ? ESCAPE '\\'`, [containsPattern(query.search)]);
    if (query.status) builder.where({ status: query.status });
    if (query.updatedSince) builder.where('updated_at', '>=', this.dialect.toDbTimestamp(query.updatedSince));
    if (query.tag) {
      const tag = query.tag;
      builder.whereExists((sub) => sub.select(this.db.raw('1')).from('client_tags').whereRaw('client_tags.client_id = clients.id').andWhere('client_tags.tag', tag));
    }
    const rows: ClientRow[] = await applyKeyset(builder, order, query.after, query.limit);
    return toPage(rows, query.limit, (row) => this.toDomain(row), (row) => this.positionValue(row, order.column));
  }

  private positionValue(row: ClientRow, column: string): string {
    if (column === 'sort_name') return row.sort_name;
    return this.dialect.fromDbTimestamp(column === 'created_at' ? row.created_at : row.updated_at);
  }

  private async insertTags(clientId: string, tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.db('client_tags').insert(tags.map((tag) => ({ client_id: clientId, tag })));
  }

  private toRow(client: Client): ClientRow {
    return {
      id: client.id,
      name: client.name,
      email: client.email,
      phone: client.phone,
      company: client.company,
      status: client.status,
      tags: JSON.stringify(client.tags),
      notes: client.notes,
      search_text: buildSearchText([client.name, client.email, client.company, client.phone]),
      sort_name: buildSortName(client.name),
      created_at: this.dialect.toDbTimestamp(client.createdAt),
      updated_at: this.dialect.toDbTimestamp(client.updatedAt),
      version: client.version,
    };
  }

  private toDomain(row: ClientRow): Client {
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      company: row.company,
      status: row.status as ClientStatus,
      tags: JSON.parse(row.tags) as string[],
      notes: row.notes,
      createdAt: this.dialect.fromDbTimestamp(row.created_at),
      updatedAt: this.dialect.fromDbTimestamp(row.updated_at),
      version: row.version,
    };
  }
}
