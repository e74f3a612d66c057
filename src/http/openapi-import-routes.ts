import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { IMPORTS_PATH } from './imports.router';
import { api, idParam, json, jsonBody, problem } from './openapi-responses';
import { CommitImportBody, CommitOutcomeSchema, ImportJobSchema, UndoOutcomeSchema } from './schemas/import.schemas';
import { z } from './schemas/zod';

export const IMPORTS_TAG = {
  name: 'Imports',
  description: 'Clients from a spreadsheet saved as CSV: upload, check the preview, commit, undo.',
};

const csvFile = z
  .string()
  .openapi({ format: 'binary', description: 'The CSV file as saved: UTF-8 (with or without BOM) or Windows-1252; `,` `;` or tab' });

/** The CSV import: upload, read, commit and undo. */
export function registerImportRoutes(registry: OpenAPIRegistry): void {
  const one = `${IMPORTS_PATH}/{id}`;
  const tags = [IMPORTS_TAG.name];
  api(registry, {
    method: 'post',
    path: IMPORTS_PATH,
    operationId: 'createImport',
    tags,
    summary: 'Upload a CSV file',
    description:
      'Stores the file as a pending import for one day and answers what was detected: encoding, delimiter, columns, the suggested mapping (English and French headers) and the first rows as clients. Nothing is imported until the commit.',
    request: {
      body: {
        required: true,
        content: {
          'text/csv': { schema: csvFile },
          'application/vnd.ms-excel': { schema: csvFile },
          'application/octet-stream': { schema: csvFile },
        },
      },
    },
    responses: {
      201: json('The pending import', ImportJobSchema, { Location: z.string() }),
      400: problem('The body could not be read'),
      413: problem('The file is larger than IMPORT_BODY_LIMIT'),
      415: problem('Not sent as CSV, compressed, or in a charset other than UTF-8 or Windows-1252'),
      422: problem('Empty, binary, no data rows, a header naming a column twice, or a row with another number of fields than the header'),
      503: problem('Read-only mode: retry later'),
    },
  });
  api(registry, {
    method: 'get',
    path: one,
    operationId: 'getImport',
    tags,
    summary: 'Get an import',
    description: 'The import as uploaded, and what its commit and its undo did.',
    request: { params: idParam },
    responses: { 200: json('The import', ImportJobSchema), 404: problem('No such import') },
  });
  api(registry, {
    method: 'post',
    path: `${one}/commit`,
    operationId: 'commitImport',
    tags,
    summary: 'Import the rows',
    description:
      'Imports the valid rows in one transaction and reports the others by spreadsheet row (the header is row 1); with dryRun, reports the same and imports nothing. A row is a duplicate when a live client (or an earlier row) has the same email, ignoring case and accents, else the same phone number however written.',
    request: { params: idParam, body: jsonBody(CommitImportBody) },
    responses: {
      200: json('What the commit did (or would do)', CommitOutcomeSchema),
      400: problem('Malformed JSON'),
      404: problem('No such import'),
      409: problem('The import was already committed'),
      410: problem('The upload expired (a day after it was made): upload the file again'),
      413: problem('Body larger than the limit'),
      415: problem('Body is not application/json'),
      422: problem('The mapping names a column the file lacks, fills a field twice, or fills no name; or an unknown field'),
      503: problem('Read-only mode: retry later'),
    },
  });
  api(registry, {
    method: 'delete',
    path: one,
    operationId: 'deleteImport',
    tags,
    summary: 'Undo or discard an import',
    description:
      'A committed import is undone: the clients it created go to the trash, the ones it updated get their previous values back unless they changed since (those are listed, not overwritten). A pending or expired upload is discarded. Repeating the DELETE of an undone import answers the same summary.',
    request: { params: idParam },
    responses: {
      200: json('The committed import, undone', UndoOutcomeSchema),
      204: { description: 'The upload was discarded' },
      404: problem('No such import'),
      503: problem('Read-only mode: retry later'),
    },
  });
}
