import { normaliseId } from '../../domain/id';
import { EXCHANGE_DIRECTIONS, EXCHANGE_KINDS, EXCHANGE_SORTS } from '../../domain/exchange';
import { cursorParam, idOut, instant, limitParam, pageOf, requiredText, timestampOut } from './common.schemas';
import { z } from './zod';

const kind = z.enum(EXCHANGE_KINDS).openapi({ example: 'call' });
const direction = z.enum(EXCHANGE_DIRECTIONS).openapi({ example: 'outbound' });
const subject = requiredText(500).openapi({ example: 'Quote follow-up' });
const body = requiredText(100_000).openapi({ example: 'Called about the spring order; she wants 20 % more.' });

export const ExchangeSchema = z
  .object({
    id: idOut,
    clientId: idOut,
    kind,
    direction: direction.nullable(),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    occurredAt: timestampOut,
    followUpAt: timestampOut.nullable(),
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int().openapi({ example: 1 }),
  })
  .openapi('Exchange');

export const CreateExchangeBody = z
  .strictObject({
    kind,
    direction: direction.nullable().optional(),
    subject: subject.nullable().optional(),
    body: body.nullable().optional(),
    occurredAt: instant.optional().openapi({ description: 'When it happened; defaults to now' }),
    followUpAt: instant.nullable().optional().openapi({ description: 'When to follow up, if ever' }),
  })
  .openapi('CreateExchange', { description: 'At least one of subject and body is required' });

export const PatchExchangeBody = z
  .strictObject({
    kind: kind.optional(),
    direction: direction.nullable().optional(),
    subject: subject.nullable().optional(),
    body: body.nullable().optional(),
    occurredAt: instant.optional(),
    followUpAt: instant.nullable().optional(),
  })
  .openapi('UpdateExchange');

const exchangeFilters = {
  limit: limitParam,
  cursor: cursorParam,
  kind: kind.optional(),
  direction: direction.optional(),
  occurredFrom: instant.optional().openapi({ description: 'Only exchanges at or after this instant (inclusive)' }),
  occurredTo: instant.optional().openapi({ description: 'Only exchanges before this instant (exclusive)' }),
  sort: z.enum(EXCHANGE_SORTS).default('-occurredAt').openapi({ description: 'Newest first by default' }),
};

export const TimelineQuery = z.strictObject(exchangeFilters);

export const ListExchangesQuery = z.strictObject({
  ...exchangeFilters,
  clientId: z
    .string()
    .transform((value, ctx) => normaliseId(value) ?? (ctx.addIssue({ code: 'custom', message: 'must be a client id' }), z.NEVER))
    .optional()
    .openapi({ type: 'string', description: 'Only this client’s exchanges' }),
  followUpDue: z.enum(['true', 'false']).optional().openapi({ description: 'true: only exchanges whose followUpAt has passed' }),
  updatedSince: instant.optional().openapi({ description: 'Only exchanges updated at or after this instant' }),
});

export const ExchangePageSchema = pageOf(ExchangeSchema, 'ExchangePage');
