import { HISTORY_ACTIONS } from '../../domain/history';
import { cursorParam, limitParam, pageOf, timestampOut } from './common.schemas';
import { z } from './zod';

/** A field's value: text, a list of text (tags), or null. */
const fieldValue = () => z.union([z.string(), z.array(z.string())]).nullable();

const fieldChange = z
  .object({
    from: fieldValue().openapi({ description: 'The value before the change; null for a field a create set' }),
    to: fieldValue().openapi({ description: 'The value after the change' }),
  })
  .openapi('FieldChange');

export const HistoryEntrySchema = z
  .object({
    version: z.number().int().openapi({ example: 2, description: 'The version this change produced' }),
    action: z.enum(HISTORY_ACTIONS).openapi({ example: 'updated' }),
    at: timestampOut,
    actor: z.string().nullable().openapi({
      example: 'crm-sync',
      description:
        'The label of the API key (API_KEYS entry label:key), else key- and 8 hex digits of its SHA-256; null without authentication',
    }),
    changes: z.record(z.string(), fieldChange).openapi({
      description:
        'created: every field set; updated: only the fields that changed; deleted and restored: none; merged: on the surviving client mergedFrom (to: the source ids) and the fields the merge filled, on each moved exchange clientId, on each source none',
      example: { status: { from: 'lead', to: 'customer' } },
    }),
  })
  .openapi('HistoryEntry');

export const HistoryQuery = z.strictObject({ limit: limitParam, cursor: cursorParam });

export const HistoryPageSchema = pageOf(HistoryEntrySchema, 'HistoryPage');
