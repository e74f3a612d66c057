import { Readable, pipeline } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import type { Client } from '../domain/client';
import { neutraliseFormula } from '../domain/spreadsheet-formulas';
import type { KeysetPosition } from '../repositories/page';
import type { UnitOfWork } from '../repositories/unit-of-work';
import { clientListQuery, type ClientListFilter } from './client.service';

/** The columns of a client export, in order: the header row names them as they are written here. */
export const CLIENT_CSV_COLUMNS = ['id', 'name', 'email', 'phone', 'company', 'status', 'tags', 'notes', 'createdAt', 'updatedAt'] as const;

export const CSV_DELIMITERS = { comma: ',', semicolon: ';' } as const;
export type CsvDelimiterName = keyof typeof CSV_DELIMITERS;

/** The list's filters and sort (GET /clients), without its paging: an export is every match. */
export type ClientExportFilter = ClientListFilter;

/**
 * Clients read per query. Memory holds one page and what the stream buffers (its highWaterMark),
 * whatever the number of clients; 500 rows take a few milliseconds to read on either backend.
 */
const PAGE_SIZE = 500;

/** One CSV record of a client, in CLIENT_CSV_COLUMNS order; null fields are empty cells. */
export function clientCsvRecord(client: Client): string[] {
  const cell = (value: string | null) => (value === null ? '' : neutraliseFormula(value));
  return [
    client.id,
    cell(client.name),
    cell(client.email),
    cell(client.phone),
    cell(client.company),
    client.status,
    cell(client.tags.join(', ')),
    cell(client.notes),
    client.createdAt,
    client.updatedAt,
  ];
}

/**
 * Every client matching the filter, page by page through the list query and its keyset (the
 * same order, filters and indexes as GET /clients). A page is read only when the consumer asks
 * for more: a slow reader slows the walk, and a reader that goes away stops it (return()).
 */
export async function* matchingClients(uow: UnitOfWork, filter: ClientExportFilter, pageSize = PAGE_SIZE): AsyncGenerator<Client> {
  let after: KeysetPosition | null = null;
  do {
    const page = await uow.repositories.clients.list(clientListQuery(filter, pageSize, after));
    yield* page.data;
    after = page.nextPosition;
  } while (after !== null);
}

/**
 * The export as a byte stream: RFC 4180 (fields with a delimiter, quote or line break quoted,
 * quotes doubled, CRLF between records), UTF-8 with a byte order mark so Excel reads the
 * accents right, a header row. csv-stringify does the quoting. Destroying the returned stream
 * (a client that disconnects) ends the walk of the clients.
 */
export function clientCsvStream(clients: AsyncIterable<Client>, delimiter: CsvDelimiterName): Stringifier {
  const records = Readable.from(
    (async function* () {
      for await (const client of clients) yield clientCsvRecord(client);
    })(),
  );
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...CLIENT_CSV_COLUMNS],
    delimiter: CSV_DELIMITERS[delimiter],
    record_delimiter: 'windows',
  });
  // pipeline, not pipe: when either side ends early or fails, the other is destroyed too.
  pipeline(records, csv, () => {});
  return csv;
}
