import type { Client } from '../domain/client';
import { ValidationError } from '../domain/errors';
import type { Exchange } from '../domain/exchange';
import { HISTORY_ACTIONS, type FieldChanges, type HistoryEntry } from '../domain/history';
import { normaliseId } from '../domain/id';
import { CreateClientBody } from '../http/schemas/client.schemas';
import { instant } from '../http/schemas/common.schemas';
import { CreateExchangeBody } from '../http/schemas/exchange.schemas';
import { z } from '../http/schemas/zod';

/**
 * What an imported record must satisfy: the API's own field rules (the ones a POST enforces,
 * so an import cannot store what the API would refuse) plus the fields the server normally
 * assigns. Strict objects: an unknown field means a file from another format, not one to guess at.
 */
const id = z
  .string()
  .transform((value, ctx) => normaliseId(value) ?? (ctx.addIssue({ code: 'custom', message: 'must be a UUID' }), z.NEVER));
const version = z.number().int().min(1);

const ClientRecord = CreateClientBody.extend({ id, createdAt: instant, updatedAt: instant, version });

const ExchangeRecord = CreateExchangeBody.extend({
  id,
  clientId: id,
  direction: CreateExchangeBody.shape.direction.unwrap().default(null),
  subject: CreateExchangeBody.shape.subject.unwrap().default(null),
  body: CreateExchangeBody.shape.body.unwrap().default(null),
  occurredAt: instant,
  followUpAt: instant.nullable().default(null),
  createdAt: instant,
  updatedAt: instant,
  version,
}).refine((exchange) => exchange.subject !== null || exchange.body !== null, {
  message: 'an exchange needs a subject or a body',
  path: ['subject'],
});

/** The history as the API shows it, with the record it belongs to; `actor` fits its column (64 characters). */
const HistoryRecord = z.strictObject({
  recordType: z.enum(['client', 'exchange']),
  recordId: id,
  version,
  action: z.enum(HISTORY_ACTIONS),
  at: instant,
  actor: z.string().min(1).max(64).nullable(),
  changes: z.record(z.string().min(1), z.strictObject({ from: z.json(), to: z.json() })),
});

/** A trashed record's line: the record in `data` (checked apart), and when and with what it went to the trash. */
const TrashedClientLine = z.strictObject({ type: z.literal('trashedClient'), deletedAt: instant, data: z.unknown() });
const TrashedExchangeLine = z.strictObject({
  type: z.literal('trashedExchange'),
  deletedAt: instant,
  trashedWithClient: id.nullable(),
  data: z.unknown(),
});

export function parseClientRecord(data: unknown): Client {
  const c = parse(ClientRecord, data);
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    phone: c.phone,
    company: c.company,
    status: c.status,
    tags: c.tags,
    notes: c.notes,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    version: c.version,
  };
}

export function parseExchangeRecord(data: unknown): Exchange {
  const e = parse(ExchangeRecord, data);
  return {
    id: e.id,
    clientId: e.clientId,
    kind: e.kind,
    direction: e.direction,
    subject: e.subject,
    body: e.body,
    occurredAt: e.occurredAt,
    followUpAt: e.followUpAt,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    version: e.version,
  };
}

export function parseHistoryRecord(data: unknown): HistoryEntry {
  const h = parse(HistoryRecord, data);
  return {
    recordType: h.recordType,
    recordId: h.recordId,
    version: h.version,
    action: h.action,
    at: h.at,
    actor: h.actor,
    changes: h.changes as FieldChanges,
  };
}

/** deletedAt of a trashedClient line (the line itself, without its data). */
export function parseTrashedClientLine(line: unknown): { deletedAt: string } {
  return { deletedAt: parse(TrashedClientLine, line).deletedAt };
}

/** deletedAt and trashedWithClient of a trashedExchange line. */
export function parseTrashedExchangeLine(line: unknown): { deletedAt: string; trashedWithClient: string | null } {
  const { deletedAt, trashedWithClient } = parse(TrashedExchangeLine, line);
  return { deletedAt, trashedWithClient };
}

function parse<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(record)', message: issue.message })));
}
