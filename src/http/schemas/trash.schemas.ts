import { TRASH_TYPES } from '../../domain/trash';
import { ClientSchema } from './client.schemas';
import { cursorParam, idOut, limitParam, pageOf, timestampOut } from './common.schemas';
import { ExchangeSchema } from './exchange.schemas';
import { z } from './zod';

const trashed = {
  id: idOut,
  deletedAt: timestampOut,
  purgeAt: timestampOut.openapi({ description: 'When the purge deletes it for good: deletedAt + TRASH_RETENTION_DAYS' }),
};

const ClientTrashItem = z.object({ type: z.literal('client'), ...trashed, record: ClientSchema }).openapi('ClientTrashItem');
const ExchangeTrashItem = z.object({ type: z.literal('exchange'), ...trashed, record: ExchangeSchema }).openapi('ExchangeTrashItem');

export const TrashItemSchema = z.discriminatedUnion('type', [ClientTrashItem, ExchangeTrashItem]).openapi('TrashItem', {
  description: 'A trashed record as it was when deleted; an exchange trashed with its client is not listed on its own',
});

export const TrashQuery = z.strictObject({
  limit: limitParam,
  cursor: cursorParam,
  type: z.enum(TRASH_TYPES).optional().openapi({ description: 'Only trashed clients, or only exchanges trashed on their own' }),
});

export const TrashPageSchema = pageOf(TrashItemSchema, 'TrashPage');

/** DELETE's one parameter: anything but `true` is refused, so `permanent=false` cannot be misread. */
export const DeleteQuery = z.strictObject({
  permanent: z
    .literal('true', { message: 'must be true, or left out to move the record to the trash' })
    .optional()
    .openapi({ description: 'true: delete for good, live or trashed, instead of moving to the trash' }),
});
