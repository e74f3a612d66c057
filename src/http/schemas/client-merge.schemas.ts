import { MAX_MERGE_SOURCES } from '../../domain/client-merge';
import { normaliseId } from '../../domain/id';
import { z } from './zod';

const sourceId = z
  .string()
  .transform((value, context) => {
    const id = normaliseId(value);
    if (id === null) context.addIssue({ code: 'custom', message: 'must be a client id' });
    return id ?? value;
  })
  .openapi({ type: 'string', description: 'The id of a client to fold into this one', example: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7c' });

export const MergeClientsBody = z
  .strictObject({
    sources: z
      .array(sourceId)
      .min(1, 'must name at least one client')
      .max(MAX_MERGE_SOURCES, `must name at most ${MAX_MERGE_SOURCES} clients`)
      .openapi({
        description:
          'The clients to merge into this one, each once, not this client itself; their values fill its empty fields in this order',
      }),
  })
  .openapi({ description: 'The duplicates to fold into the client of the path' });
