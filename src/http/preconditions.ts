import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { NotFoundError } from '../domain/errors';
import { normaliseId } from '../domain/id';
import { HttpProblem } from './problem';
import type { IdempotencyRequest } from '../services/idempotency.service';

/** Single resources carry their version as a strong ETag. */
export function setEtag(ctx: Context, version: number): void {
  ctx.res.setHeader('ETag', `"${version}"`);
}

/**
 * If-Match -> the version a write must apply to. `*` only requires existence (undefined here;
 * the service answers 404 if the resource is gone). A weak or malformed tag can never match
 * strongly, so it fails the precondition as RFC 9110 says.
 */
export function expectedVersion(ctx: Context): number | undefined {
  const header = ctx.get('If-Match').trim();
  if (header === '' || header === '*') return undefined;
  const match = /^"(\d{1,9})"$/.exec(header);
  if (match?.[1]) return Number(match[1]);
  // Only a weak tag of digits is quoted back: any other text is the caller's and may be hostile.
  const weak = /^W\/"(\d{1,9})"$/.exec(header)?.[1];
  const detail = weak
    ? `If-Match W/"${weak}" is a weak tag, and a weak tag never matches a write; send the strong ETag "${weak}"`
    : 'If-Match must be one quoted version such as "3" (the ETag of the resource), or *';
  throw new HttpProblem(412, 'precondition_failed', detail);
}

/** A path id that is not even well-formed names nothing: 404, like any unknown id. */
export function pathId(ctx: Context, resource: string): string {
  const id = normaliseId(String(ctx.params.id ?? ''));
  // Whatever the caller sent is not echoed back: it names nothing, and may be hostile.
  if (!id) throw new NotFoundError(resource);
  return id;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key request, scoped to the caller and bound to this exact request. */
export function idempotencyRequest(ctx: Context): IdempotencyRequest | null {
  const key = ctx.get('Idempotency-Key');
  if (key === '') return null;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpProblem(400, 'invalid_parameter', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {
      errors: [{ path: 'Idempotency-Key', message: 'invalid header value' }],
    });
  }
  const requestHash = createHash('sha256')
    .update(`${ctx.method} ${ctx.path}\n`)
    .update(canonicalJson(ctx.request.body ?? null))
    .digest('hex');
  return { scope: String(ctx.state.callerScope ?? 'anonymous'), key, requestHash };
}

/** JSON with object keys sorted, so {"a":1,"b":2} and {"b":2,"a":1} are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
