import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { API_PREFIX } from './clients.router';
import { api, etag, idempotencyKey, idParam, ifMatch, json, jsonBody, problem, writeResponses } from './openapi-responses';
import { ClientSchema } from './schemas/client.schemas';
import { MergeClientsBody } from './schemas/client-merge.schemas';

const DESCRIPTION = [
  'Folds duplicate clients (the sources) into this one (the survivor), all or nothing, in one transaction.',
  "The sources' exchanges move to the survivor (each at a new version with a merged history entry).",
  "The survivor keeps its own values: its empty fields (email, phone, company, notes) take the first non-empty value among the sources, in the order given; tags are united (the survivor's first); name and status stay the survivor's.",
  'The survivor moves to its next version with a merged entry listing mergedFrom (the source ids) and the fields that changed.',
  'The sources go to the trash with a merged entry; restoring one brings it back without its exchanges, which stay with the survivor.',
  'If-Match applies to the survivor; an Idempotency-Key replays the first answer.',
].join(' ');

/** POST /api/v1/clients/{id}/merge. */
export function registerClientMerge(registry: OpenAPIRegistry): void {
  api(registry, {
    method: 'post',
    path: `${API_PREFIX}/clients/{id}/merge`,
    operationId: 'mergeClients',
    tags: ['Clients'],
    summary: 'Merge duplicate clients into one',
    description: DESCRIPTION,
    request: { params: idParam, headers: ifMatch.extend(idempotencyKey.shape), body: jsonBody(MergeClientsBody) },
    responses: {
      200: json('The surviving client after the merge (or the replayed answer for a repeated Idempotency-Key)', ClientSchema, {
        ETag: etag,
      }),
      404: problem('No such client, or it is in the trash'),
      409: problem('A source is in the trash: restore it first, or leave it out'),
      412: problem('If-Match does not match the surviving client'),
      ...writeResponses,
      422: problem(
        'Validation failed: sources missing, empty, too many, malformed, repeated, naming this client, or naming no client (errors lists each sources.N); or an Idempotency-Key reused with another body',
      ),
    },
  });
}
