import type { Client, ClientStatus } from '../domain/client';
import type { Exchange, ExchangeDirection, ExchangeKind } from '../domain/exchange';
import { buildSearchText, buildSortName } from '../domain/text-normalization';
import type { Dialect } from './dialects';

/**
 * Domain records <-> table rows, shared by the repositories and the bulk paths (seed, import,
 * export, copy), so every path stores exactly the same derived columns (search_text,
 * sort_name, client_tags) and timestamp forms, and reads them back the same way.
 * (Type aliases, not interfaces: rows must fit the dialect's Record<string, unknown>.)
 */
export type ClientRow = {
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
};

export type ExchangeRow = {
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
};

export type ClientTagRow = {
  client_id: string;
  tag: string;
};

export function clientToRow(client: Client, dialect: Dialect): ClientRow {
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
    created_at: dialect.toDbTimestamp(client.createdAt),
    updated_at: dialect.toDbTimestamp(client.updatedAt),
    version: client.version,
  };
}

export function clientTagRows(client: Client): ClientTagRow[] {
  return client.tags.map((tag) => ({ client_id: client.id, tag }));
}

export function exchangeToRow(exchange: Exchange, dialect: Dialect): ExchangeRow {
  return {
    id: exchange.id,
    client_id: exchange.clientId,
    kind: exchange.kind,
    direction: exchange.direction,
    subject: exchange.subject,
    body: exchange.body,
    occurred_at: dialect.toDbTimestamp(exchange.occurredAt),
    follow_up_at: exchange.followUpAt === null ? null : dialect.toDbTimestamp(exchange.followUpAt),
    created_at: dialect.toDbTimestamp(exchange.createdAt),
    updated_at: dialect.toDbTimestamp(exchange.updatedAt),
    version: exchange.version,
  };
}

/** Key order is the API's and is part of the export format: it makes exports byte-comparable. */
export function rowToClient(row: Omit<ClientRow, 'search_text' | 'sort_name'>, dialect: Dialect): Client {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    status: row.status as ClientStatus,
    tags: JSON.parse(row.tags) as string[],
    notes: row.notes,
    createdAt: dialect.fromDbTimestamp(row.created_at),
    updatedAt: dialect.fromDbTimestamp(row.updated_at),
    version: row.version,
  };
}

export function rowToExchange(row: ExchangeRow, dialect: Dialect): Exchange {
  return {
    id: row.id,
    clientId: row.client_id,
    kind: row.kind as ExchangeKind,
    direction: row.direction as ExchangeDirection | null,
    subject: row.subject,
    body: row.body,
    occurredAt: dialect.fromDbTimestamp(row.occurred_at),
    followUpAt: row.follow_up_at === null ? null : dialect.fromDbTimestamp(row.follow_up_at),
    createdAt: dialect.fromDbTimestamp(row.created_at),
    updatedAt: dialect.fromDbTimestamp(row.updated_at),
    version: row.version,
  };
}
