import { DUPLICATE_REASONS } from '../../repositories/duplicates.repository';
import { MEMBERS_PER_GROUP } from '../../services/duplicates.service';
import { ClientSchema } from './client.schemas';
import { cursorParam, limitParam, pageOf } from './common.schemas';
import { z } from './zod';

export const ListDuplicatesQuery = z.strictObject({
  limit: limitParam.openapi({ description: 'Groups per page' }),
  cursor: cursorParam,
});

const DuplicateGroupSchema = z
  .object({
    reason: z.enum(DUPLICATE_REASONS).openapi({
      description: 'What the clients share: the email ignoring case and accents, the phone number however written, or name and company',
    }),
    key: z.string().openapi({
      description: 'The shared value as compared: folded email, E.164 phone (or its digits), or folded "name|company"',
      example: '+33612345678',
    }),
    total: z.number().int().openapi({ description: 'How many live clients share it', example: 2 }),
    clients: z.array(ClientSchema).openapi({ description: `The oldest first, at most ${MEMBERS_PER_GROUP}` }),
  })
  .openapi('DuplicateGroup');

export const DuplicateGroupPageSchema = pageOf(DuplicateGroupSchema, 'DuplicateGroupPage');
