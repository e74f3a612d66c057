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

/**
 * The columns the API reads back, in the order the value mappers below take them: the read
 * paths fetch rows as arrays (SqlSession.values), so a select list and its mapper must agree.
 * search_text is never read back; sort_name is, for the name-sorted cursor.
 */
export const CLIENT_READ_COLUMNS = ['id', 'name', 'email', 'phone', 'company', 'status', 'tags', 'notes', 'sort_name', 'created_at', 'updated_at', 'version'] as const;
export const EXCHANGE_READ_COLUMNS = ['id', 'client_id', 'kind', 'direction', 'subject', 'body', 'occurred_at', 'follow_up_at', 'created_at', 'updated_at', 'version'] as const;

/** Where each read column sits in a values row. */
export const CLIENT_AT = positions(CLIENT_READ_COLUMNS);
export const EXCHANGE_AT = positions(EXCHANGE_READ_COLUMNS);

function positions<C extends string>(columns: readonly C[]): Readonly<Record<C, number>> {
  return Object.fromEntries(columns.map((column, index) => [column, index])) as Record<C, number>;
}

/** Key order is the API's and is part of the export format: it makes exports byte-comparable. */
export function valuesToClient(values: readonly unknown[], dialect: Dialect): Client {
  return {
    id: values[0] as string,
    name: values[1] as string,
    email: values[2] as string | null,
    phone: values[3] as string | null,
    company: values[4] as string | null,
    status: values[5] as ClientStatus,
    tags: JSON.parse(values[6] as string) as string[],
    notes: values[7] as string | null,
    createdAt: dialect.fromDbTimestamp(values[9]),
    updatedAt: dialect.fromDbTimestamp(values[10]),
    version: values[11] as number,
  };
}

export function valuesToExchange(values: readonly unknown[], dialect: Dialect): Exchange {
  return {
    id: values[0] as string,
    clientId: values[1] as string,
    kind: values[2] as ExchangeKind,
    direction: values[3] as ExchangeDirection | null,
    subject: values[4] as string | null,
    body: values[5] as string | null,
    occurredAt: dialect.fromDbTimestamp(values[6]),
    followUpAt: values[7] === null ? null : dialect.fromDbTimestamp(values[7]),
    createdAt: dialect.fromDbTimestamp(values[8]),
    updatedAt: dialect.fromDbTimestamp(values[9]),
    version: values[10] as number,
  };
}

/** Rows read as objects (export streams them that way) go through the same mappers. */
export function rowToClient(row: Omit<ClientRow, 'search_text' | 'sort_name'>, dialect: Dialect): Client {
  const columns: Record<string, unknown> = row;
  return valuesToClient(CLIENT_READ_COLUMNS.map((column) => columns[column]), dialect);
}

export function rowToExchange(row: ExchangeRow, dialect: Dialect): Exchange {
  return valuesToExchange(EXCHANGE_READ_COLUMNS.map((column) => row[column]), dialect);
}
