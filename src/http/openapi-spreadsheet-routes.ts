import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { MEMBERS_PER_GROUP } from '../services/duplicates.service';
import { API_PREFIX } from './clients.router';
import { api, json, problem } from './openapi-responses';
import { DuplicateGroupPageSchema, ListDuplicatesQuery } from './schemas/duplicates.schemas';
import { z } from './schemas/zod';

const DUPLICATES_DESCRIPTION = [
  'Groups of live clients that share a folded email (case and accents ignored), a phone number (06 12 34 56 78 and +33 6 12 34 56 78 are one, read in PHONE_DEFAULT_REGION), or a folded name and company.',
  'Email groups come first, then phone, then name and company, each in key order; a client may be in several groups.',
  `Each group lists its oldest ${MEMBERS_PER_GROUP} clients at most, and its total. Keyset-paginated over the groups.`,
].join(' ');

/** GET /api/v1/clients/duplicates. */
export function registerClientDuplicates(registry: OpenAPIRegistry): void {
  api(registry, {
    method: 'get',
    path: `${API_PREFIX}/clients/duplicates`,
    operationId: 'listClientDuplicates',
    tags: ['Clients'],
    summary: 'List groups of duplicate clients',
    description: DUPLICATES_DESCRIPTION,
    request: { query: ListDuplicatesQuery },
    responses: { 200: json('A page of duplicate groups', DuplicateGroupPageSchema), 400: problem('Invalid query parameter or cursor') },
  });
}

/*
 * The CSV answer is described in words, not as a second media type of the 200: generated typed
 * clients (openapi-typescript + openapi-fetch) would type every list response as "page or
 * string", and every consumer reading .data of a page would stop compiling.
 */
const CSV_DESCRIPTION = [
  'With Accept: text/csv, the answer is every matching client instead of a page: the same filters and sort (limit and cursor are refused with 400), streamed',
  'as RFC 4180 CSV in UTF-8 with a byte order mark, Content-Type text/csv; charset=utf-8 and Content-Disposition: attachment; filename="clients-<date>.csv".',
  'Columns: id,name,email,phone,company,status,tags,notes,createdAt,updatedAt (tags joined with ", "); delimiter=semicolon separates them with ";" as French Excel expects.',
  'A cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return, other than a plain number) is written with a leading apostrophe.',
  'Any other Accept gets JSON.',
].join(' ');

/** listClients' 200: a JSON page; the CSV export by content negotiation is described in words. */
export function clientListResponse(pageSchema: z.ZodType) {
  return {
    description: `A page of clients. ${CSV_DESCRIPTION}`,
    content: { 'application/json': { schema: pageSchema } },
  };
}
