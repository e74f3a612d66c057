import { v7 as uuidv7 } from 'uuid';
import type { Client } from '../../src/domain/client';
import type { Exchange } from '../../src/domain/exchange';
import { fieldChanges, type Actor, type ChangeContext, type HistoryEntry } from '../../src/domain/history';
import { CLIENT_HISTORY_FIELDS } from '../../src/services/client.service';
import { EXCHANGE_HISTORY_FIELDS } from '../../src/services/exchange.service';
import { clientFields } from './clients';

const NOW = '2026-01-02T03:04:05.678Z';

/** A client record as a repository stores it, at version 1 unless told otherwise. */
export function makeClient(overrides: Partial<Client> = {}): Client {
  return { id: uuidv7(), ...clientFields(), createdAt: NOW, updatedAt: NOW, version: 1, ...overrides };
}

/** An exchange record of the client, at version 1 unless told otherwise. */
export function makeExchange(clientId: string, overrides: Partial<Exchange> = {}): Exchange {
  return {
    id: uuidv7(),
    clientId,
    kind: 'call',
    direction: 'inbound',
    subject: 'Hello',
    body: null,
    occurredAt: NOW,
    followUpAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    ...overrides,
  };
}

function isExchange(record: Client | Exchange): record is Exchange {
  return 'clientId' in record;
}

function changesBetween(before: Client | Exchange | null, after: Client | Exchange) {
  return isExchange(after)
    ? fieldChanges(before as Exchange | null, after, EXCHANGE_HISTORY_FIELDS)
    : fieldChanges(before as Client | null, after, CLIENT_HISTORY_FIELDS);
}

function entryOf(
  action: 'created' | 'updated',
  before: Client | Exchange | null,
  after: Client | Exchange,
  at: string,
  actor: Actor,
): HistoryEntry {
  return {
    recordType: isExchange(after) ? 'exchange' : 'client',
    recordId: after.id,
    version: after.version,
    action,
    at,
    actor,
    changes: changesBetween(before, after),
  };
}

/** The `created` entry the services write with a record: every field it sets, at its createdAt. */
export function createdEntry(record: Client | Exchange, actor: Actor = null): HistoryEntry {
  return entryOf('created', null, record, record.createdAt, actor);
}

/** The `updated` entry of a write from `before` to `after`: the fields that changed, at after's updatedAt. */
export function updatedEntry<T extends Client | Exchange>(before: T, after: T, actor: Actor = null): HistoryEntry {
  return entryOf('updated', before, after, after.updatedAt, actor);
}

/** When and by whom a trash move, restore or permanent delete happens. */
export function changeAt(at: string, actor: Actor = null): ChangeContext {
  return { at, actor };
}
