import type { Context } from 'koa';
import { matchingClients, clientCsvStream, CSV_DELIMITERS, type CsvDelimiterName } from '../services/client-csv-export';
import type { Clock } from '../services/clock';
import type { UnitOfWork } from '../repositories/unit-of-work';
import { ListClientsQuery } from './schemas/client.schemas';
import { z } from './schemas/zod';
import { parseQuery } from './validate';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const delimiter = z
  .enum(Object.keys(CSV_DELIMITERS) as [CsvDelimiterName, ...CsvDelimiterName[]])
  .default('comma')
  .openapi({ description: 'text/csv only: the field separator; semicolon is what French Excel expects' });

/**
 * GET /clients as CSV takes the list's filters and sort, and no limit or cursor: an export has
 * no pages, so a page parameter is refused (400) rather than silently ignored.
 */
export const ExportClientsQuery = ListClientsQuery.omit({ limit: true, cursor: true }).extend({ delimiter });

/** The list's documented query: its own parameters and delimiter (which a JSON request refuses). */
export const ListClientsDocumentedQuery = ListClientsQuery.extend({ delimiter: delimiter.optional() });

export interface ClientsCsvDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
}

/**
 * Does this request name text/csv in Accept and prefer it to JSON? Any other Accept (none,
 * wildcards, text/*, types we do not serve) gets JSON, as it always did. The substring test
 * spares the list's hot path the header's full negotiation.
 */
export function wantsCsv(ctx: Context): boolean {
  return ctx.get('Accept').toLowerCase().includes('text/csv') && ctx.accepts('json', 'text/csv') === 'text/csv';
}

/** Streams the export; the query is checked before anything is sent, so a bad one is a plain 400. */
export function respondClientsCsv(ctx: Context, { uow, clock }: ClientsCsvDeps): void {
  const { delimiter: separator, ...filter } = parseQuery(ExportClientsQuery, ctx);
  ctx.status = 200;
  ctx.set('Content-Type', CSV_CONTENT_TYPE);
  ctx.set('Content-Disposition', `attachment; filename="clients-${clock().slice(0, 10)}.csv"`);
  ctx.vary('Accept');
  ctx.body = clientCsvStream(matchingClients(uow, filter), separator);
}
