import { v7 as uuidv7 } from 'uuid';
import type { ClientRow } from '../../src/db/tables/clients.table';
import type { ExchangeRow } from '../../src/db/tables/exchanges.table';
import type { HistoryRow } from '../../src/db/tables/history.table';
import { fieldChanges } from '../../src/domain/history';
import { CLIENT_HISTORY_FIELDS } from '../../src/services/client.service';
import { EXCHANGE_HISTORY_FIELDS } from '../../src/services/exchange.service';
import { emailKey, nameCompanyKey, phoneKey } from '../../src/domain/duplicate-keys';
import { buildSearchText, buildSortName } from '../../src/domain/text-normalization';

/**
 * What a bare server needs from its database: the same statements the app's Knex adapters send
 * (src/db/adapters/*.ts), over the driver directly. Rows are returned as stored (snake_case).
 */
export interface BaselineStore {
  listClients(limit: number, search: string | null): Promise<ClientRow[]> | ClientRow[];
  getClient(id: string): Promise<ClientRow | undefined> | ClientRow | undefined;
  /** The client, its tags and its history entry, all or none. */
  insertClient(row: ClientRow, tags: readonly string[], history: HistoryRow): Promise<void> | void;
  timeline(clientId: string, limit: number): Promise<ExchangeRow[]> | ExchangeRow[];
  /** The exchange and its history entry; false when the client does not exist (foreign key violation). */
  insertExchange(row: ExchangeRow, history: HistoryRow): Promise<boolean> | boolean;
  ping(): Promise<void> | void;
  close(): Promise<void> | void;
}

// The app's own table row types: a type import is erased at build time, so the baseline still
// runs none of the app's mapping code, and the two cannot drift apart on a column.
export type { ClientRow, ExchangeRow, HistoryRow };

/**
 * The `created` history entry the app writes with every new record (every field set, from
 * null), by the same domain function: a correct create writes one, so the baseline does too.
 * The actor is as long as the app's `key-` and 8 hex digits.
 */
export function createdHistoryRow(type: 'client' | 'exchange', json: Record<string, unknown>, at: unknown): HistoryRow {
  const fields = type === 'client' ? CLIENT_HISTORY_FIELDS : EXCHANGE_HISTORY_FIELDS;
  return {
    record_id: json.id as string,
    version: 1,
    record_type: type,
    action: 'created',
    at,
    actor: 'key-baseline',
    changes: JSON.stringify(fieldChanges(null, json, fields as unknown as string[])),
  } as HistoryRow;
}

/** The timestamp form each driver takes: ISO text for SQLite, the same string for pg. */
export type TimestampIn = (iso: string) => unknown;

/** Builds the row for a new client from an unvalidated body (the baseline trusts its caller). */
export function newClientRow(body: Record<string, unknown>, now: string, toDb: TimestampIn): { row: ClientRow; tags: string[] } {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : null);
  const name = text('name') ?? '';
  const tags = Array.isArray(body.tags) ? (body.tags as string[]) : [];
  const row: ClientRow = {
    id: uuidv7(),
    name,
    email: text('email'),
    phone: text('phone'),
    company: text('company'),
    status: text('status') ?? 'lead',
    tags: JSON.stringify(tags),
    notes: text('notes'),
    search_text: buildSearchText([name, text('email'), text('company'), text('phone')]),
    sort_name: buildSortName(name),
    email_key: emailKey(text('email')),
    phone_key: phoneKey(text('phone'), 'FR'),
    name_key: nameCompanyKey(name, text('company')),
    created_at: toDb(now),
    updated_at: toDb(now),
    version: 1,
  };
  return { row, tags };
}

export function newExchangeRow(clientId: string, body: Record<string, unknown>, now: string, toDb: TimestampIn): ExchangeRow {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : null);
  return {
    id: uuidv7(),
    client_id: clientId,
    kind: text('kind') ?? 'note',
    direction: text('direction'),
    subject: text('subject'),
    body: text('body'),
    occurred_at: toDb(text('occurredAt') ?? now),
    follow_up_at: text('followUpAt') === null ? null : toDb(text('followUpAt') as string),
    created_at: toDb(now),
    updated_at: toDb(now),
    version: 1,
  };
}

function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** The API's JSON shape, so the baseline serialises as many bytes as the app does. */
export function clientJson(row: ClientRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    company: row.company,
    status: row.status,
    tags: JSON.parse(row.tags) as unknown,
    notes: row.notes,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

export function exchangeJson(row: ExchangeRow): Record<string, unknown> {
  return {
    id: row.id,
    clientId: row.client_id,
    kind: row.kind,
    direction: row.direction,
    subject: row.subject,
    body: row.body,
    occurredAt: iso(row.occurred_at),
    followUpAt: row.follow_up_at === null ? null : iso(row.follow_up_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

/** A plain base64url position: the baseline skips the app's MAC (no validation at all). */
export function plainCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([iso(value), id])).toString('base64url');
}
