import { CLIENT_SORTS, CLIENT_STATUSES } from '../../domain/client';
import { cursorParam, idOut, instant, limitParam, pageOf, requiredText, text, timestampOut } from './common.schemas';
import { z } from './zod';

const name = requiredText(200).openapi({ example: 'Hélène Dupont', description: '1 to 200 characters' });
const email = z.email({ message: 'must be an email address' }).max(320).openapi({ example: 'helene@example.fr' });
const phone = text(64)
  .refine((value) => /\d/.test(value), { message: 'must contain digits' })
  .openapi({ example: '+33 6 12 34 56 78' });
const company = requiredText(200).openapi({ example: 'Boulangerie Dupont' });
const status = z.enum(CLIENT_STATUSES).openapi({ description: 'Where the client is in the pipeline' });
const tag = requiredText(50)
  .refine((value) => !/[\p{Cc}]/u.test(value), { message: 'must not contain control characters' })
  .openapi({ example: 'vip' });
const tags = z
  .array(tag)
  .max(50)
  .refine((list) => new Set(list).size === list.length, { message: 'must not repeat a tag' })
  .openapi({ example: ['vip', 'paris'] });
const notes = text(10_000).openapi({ example: 'Prefers calls in the morning.' });

export const ClientSchema = z
  .object({
    id: idOut,
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    status,
    tags: z.array(z.string()),
    notes: z.string().nullable(),
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int().openapi({ example: 1, description: 'Starts at 1, +1 per change; also the ETag' }),
  })
  .openapi('Client');

/**
 * Described inline in the request body rather than as a named component: client generators
 * (openapi-typescript by default) make a component's properties with defaults required, which
 * would force callers to send every field of a new client.
 */
export const CreateClientBody = z
  .strictObject({
    name,
    email: email.nullable().default(null),
    phone: phone.nullable().default(null),
    company: company.nullable().default(null),
    status: status.default('lead'),
    tags: tags.default([]),
    notes: notes.nullable().default(null),
  })
  .openapi({ description: 'A new client: only name is required' });

/** JSON merge semantics: an absent field is kept, null clears a nullable one. */
export const PatchClientBody = z
  .strictObject({
    name: name.optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    company: company.nullable().optional(),
    status: status.optional(),
    tags: tags.optional(),
    notes: notes.nullable().optional(),
  })
  .openapi('UpdateClient');

export const ListClientsQuery = z.strictObject({
  limit: limitParam,
  cursor: cursorParam,
  q: text(200).optional().openapi({ description: 'Search name, email, company and phone; ignores case and accents', example: 'helene' }),
  status: status.optional(),
  tag: text(50).optional().openapi({ description: 'Only clients carrying this tag', example: 'vip' }),
  sort: z.enum(CLIENT_SORTS).default('-createdAt').openapi({ description: 'Sort key; a leading - sorts descending' }),
  updatedSince: instant.optional().openapi({ description: 'Only clients updated at or after this instant' }),
});

export const ClientPageSchema = pageOf(ClientSchema, 'ClientPage');
