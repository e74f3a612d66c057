import Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { UnsupportedCharsetError } from '../imports/csv-encoding';
import type { ImportJob } from '../imports/import-job';
import type { ImportService } from '../services/import.service';
import { API_PREFIX } from './clients.router';
import { requestActor } from './middleware/auth';
import { pathId } from './preconditions';
import { HttpProblem } from './problem';
import { respondJson } from './respond';
import { CommitImportBody } from './schemas/import.schemas';
import { parseBody } from './validate';

export const IMPORTS_PATH = `${API_PREFIX}/imports`;

/**
 * What a CSV may be sent as: text/csv, and what browsers and spreadsheets label .csv files
 * with (application/vnd.ms-excel on Windows), plain text, or bytes with no claim at all.
 */
const CSV_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
  'application/octet-stream',
];

/** The upload's body is CSV, read by its route: the JSON body reader lets it through. */
export function isCsvUpload(ctx: Context): boolean {
  return ctx.method === 'POST' && (ctx.path === IMPORTS_PATH || ctx.path === `${IMPORTS_PATH}/`);
}

export interface ImportsRouterDeps {
  imports: ImportService;
  /** IMPORT_BODY_LIMIT: the largest upload. */
  bodyLimit: string;
}

export function createImportsRouter({ imports, bodyLimit }: ImportsRouterDeps): Router {
  const router = new Router({ prefix: IMPORTS_PATH });

  router.post('/', async (ctx) => {
    const bytes = await readCsvBody(ctx, bodyLimit);
    let job: ImportJob;
    try {
      job = await imports.upload(bytes, ctx.request.charset || undefined);
    } catch (error) {
      if (error instanceof UnsupportedCharsetError) throw new HttpProblem(415, 'unsupported_media_type', error.message);
      throw error;
    }
    ctx.status = 201;
    ctx.set('Location', `${IMPORTS_PATH}/${job.id}`);
    respondJson(ctx, job);
  });

  router.get('/:id', async (ctx) => {
    respondJson(ctx, await imports.get(pathId(ctx, 'Import')));
  });

  router.post('/:id/commit', async (ctx) => {
    const id = pathId(ctx, 'Import');
    const request = parseBody(CommitImportBody, ctx.request.body ?? {});
    respondJson(ctx, await imports.commit(id, request, requestActor(ctx.state)));
  });

  router.delete('/:id', async (ctx) => {
    const undone = await imports.remove(pathId(ctx, 'Import'), requestActor(ctx.state));
    if (undone === null) ctx.status = 204;
    else respondJson(ctx, undone);
  });

  return router;
}

/** The raw upload, refused early: another media type or a compressed body (415), over the limit (413, while streaming). */
async function readCsvBody(ctx: Context, limit: string): Promise<Uint8Array> {
  // By its declared type: ctx.is() answers null for an empty body, which is a 422 here, not a 415.
  if (!CSV_TYPES.includes(ctx.request.type.toLowerCase()))
    throw new HttpProblem(415, 'unsupported_media_type', 'Send the file as text/csv (the bytes of the CSV as saved)');
  const encoding = ctx.get('Content-Encoding').toLowerCase();
  if (encoding && encoding !== 'identity')
    throw new HttpProblem(415, 'unsupported_media_type', `Content-Encoding ${encoding} is not supported`);
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.request.length });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      throw new HttpProblem(413, 'payload_too_large', `The file is larger than ${limit} (IMPORT_BODY_LIMIT)`);
    }
    throw new HttpProblem(400, 'invalid_parameter', 'The body could not be read');
  }
}
