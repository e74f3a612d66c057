import type { z } from 'zod';
import { InvalidParameterError, ValidationError, type FieldError } from '../domain/errors';

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

/** Validates query parameters; 400 with one entry per problem (unknown parameters included). */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string | string[] | undefined>): z.output<S> {
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
