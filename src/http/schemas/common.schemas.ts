import { PROBLEM_CODES } from '../problem';
import { z } from './zod';

/**
 * Text the databases can store and give back byte for byte: no lone UTF-16 surrogates (they
 * cannot be encoded as UTF-8) and no NUL (PostgreSQL text cannot hold it).
 */
export function text(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => value.isWellFormed(), { message: 'must be valid Unicode (no lone surrogates)' })
    .refine((value) => !value.includes('\u0000'), { message: 'must not contain NUL characters' });
}

/** Non-blank text: at least one visible character. */
export function requiredText(max: number) {
  return text(max).refine((value) => value.trim().length > 0, { message: 'must not be blank' });
}

// A date-time with an explicit offset, or a bare date (midnight UTC, as Date.parse reads it).
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i;

/** The shape, and a calendar date that exists (Date.parse would read 2026-02-30 as March 2). */
function isValidInstant(value: string): boolean {
  if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) return false;
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An instant with an explicit offset, normalised to UTC with milliseconds, the form every
 * timestamp is stored and returned in. Finer precision is truncated to the millisecond.
 */
export const instant = z
  .string()
  .refine(isValidInstant, {
    message: 'must be an ISO-8601 date-time with a time zone (2026-11-24T18:00:00.000Z) or a date (2026-11-24, midnight UTC)',
  })
  .transform((value) => new Date(value).toISOString())
  .openapi({ type: 'string', format: 'date-time', example: '2026-11-24T18:00:00.000Z' });

export const timestampOut = z.string().openapi({ format: 'date-time', example: '2026-11-24T18:00:00.000Z' });

export const idOut = z.string().openapi({ example: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b', description: 'Opaque id (UUIDv7)' });

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:crm:problem:validation_failed' }),
    title: z.string().openapi({ example: 'Validation failed' }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: 'The request body is not valid' }),
    code: z.enum(PROBLEM_CODES),
    errors: z
      .array(
        z.object({ path: z.string().openapi({ example: 'email' }), message: z.string().openapi({ example: 'Invalid email address' }) }),
      )
      .optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details' });

export const limitParam = z
  .string()
  .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
  .optional()
  .openapi({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Page size' });

export const cursorParam = z.string().max(2048).optional().openapi({ description: 'Opaque cursor from the previous page’s nextCursor' });

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: 'Pass as cursor to get the next page; null on the last page', example: 'WzEsIi1jcmVhdGVkQXQiLC...' }),
    })
    .openapi(name);
}
