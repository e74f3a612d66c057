import { InvalidParameterError, ValidationError, type FieldError } from '../domain/errors';
import { z } from './schemas/zod';

function toFieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      // Named one by one: a typo must be visible, never silently dropped.
      for (const key of issue.keys) errors.push({ path: base ? `${base}.${key}` : key, message: 'unknown field' });
    } else {
      errors.push({ path: base, message: issue.message });
    }
  }
  return errors;
}

/** Validates a JSON request body against its schema; 422 with one entry per problem. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError([{ path: '', message: 'the body must be a JSON object' }]);
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new ValidationError(toFieldErrors(result.error));
  return result.data;
}

const NO_FIELDS = z.strictObject({});

/** The body of an action that takes no input: none, or `{}`; any field is unknown (422), as elsewhere. */
export function parseNoBody(body: unknown): void {
  if (body !== undefined) parseBody(NO_FIELDS, body);
}

/** What parseQuery reads of a request: koa's Context has both. */
export interface QuerySource {
  /** The raw query string, without '?'. */
  readonly querystring: string;
  readonly query: Record<string, string | string[] | undefined>;
}

/**
 * Validated queries by their text, per schema. Lists are asked the same few questions over and
 * over (limit=20, sort=name, status=customer); parsing the string and running zod cost more
 * than reading a small page from SQLite. A query's validation depends on its text alone, so a
 * remembered result is exact. Queries with a cursor are unique per page and are not kept;
 * the memo is emptied when full rather than tracked per entry, which keeps a hit cheap.
 */
const MEMO_ENTRIES = 256;
const MEMO_MAX_QUERY_LENGTH = 512;
const validQueries = new WeakMap<z.ZodType, Map<string, unknown>>();

/** Validates query parameters; 400 with one entry per problem (unknown parameters included). */
export function parseQuery<S extends z.ZodType>(schema: S, source: QuerySource): Readonly<z.output<S>> {
  const text = source.querystring;
  const memorable = text.length <= MEMO_MAX_QUERY_LENGTH && !text.includes('cursor=');
  let memo = validQueries.get(schema);
  const known = memorable ? memo?.get(text) : undefined;
  if (known !== undefined) return known as z.output<S>;
  const parsed = Object.freeze(validateQuery(schema, source.query));
  if (memorable) {
    if (!memo) validQueries.set(schema, (memo = new Map()));
    if (memo.size >= MEMO_ENTRIES) memo.clear();
    memo.set(text, parsed);
  }
  return parsed;
}

function validateQuery<S extends z.ZodType>(schema: S, query: Record<string, string | string[] | undefined>): z.output<S> {
  const repeated = Object.entries(query)
    .filter(([, value]) => Array.isArray(value))
    .map(([key]) => ({ path: key, message: 'must be given once' }));
  if (repeated.length > 0) throw new InvalidParameterError(repeated);
  const result = schema.safeParse({ ...query });
  if (!result.success) {
    const errors = toFieldErrors(result.error).map((e) => (e.message === 'unknown field' ? { ...e, message: 'unknown parameter' } : e));
    throw new InvalidParameterError(errors);
  }
  return result.data;
}
