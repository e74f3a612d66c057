import type { RawRequest, RawResponse } from './raw-http';

const PROBLEM_CODES = new Set([
  'malformed_json',
  'invalid_parameter',
  'unauthorized',
  'not_found',
  'method_not_allowed',
  'precondition_failed',
  'payload_too_large',
  'unsupported_media_type',
  'validation_failed',
  'idempotency_conflict',
  'rate_limited',
  'internal_error',
]);

// The status each problem code may carry: a problem whose code and status disagree is a contract
// violation whatever the request was.
const STATUS_OF: Record<string, number> = {
  malformed_json: 400,
  invalid_parameter: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  idempotency_conflict: 422,
  rate_limited: 429,
};

/**
 * The contract every answer keeps, whatever was sent: never a 5xx; an error is RFC 9457
 * problem+json whose status and code agree with the HTTP status; a success is JSON.
 * Returns a description of what is wrong, or null.
 */
export function contractViolation(request: RawRequest, response: RawResponse): string | null {
  const describe = (what: string) =>
    `${what}\n  request: ${request.method} ${request.path} ${JSON.stringify(request.headers ?? {})} body=${JSON.stringify(request.body?.toString('latin1').slice(0, 300) ?? null)}\n  response: ${response.status} ${response.text.slice(0, 300)}`;
  if (response.status >= 500) return describe('server error');
  if (request.method === 'HEAD' || response.status === 204) return null;
  const type = String(response.headers['content-type'] ?? '');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    return describe('body is not JSON');
  }
  if (response.status < 400) return type.startsWith('application/json') ? null : describe(`success with content-type ${type}`);
  if (!type.startsWith('application/problem+json')) return describe(`error with content-type ${type}`);
  if (body.status !== response.status) return describe('problem status differs from the HTTP status');
  if (typeof body.code !== 'string' || !PROBLEM_CODES.has(body.code)) return describe(`unknown problem code ${String(body.code)}`);
  if (STATUS_OF[body.code] !== response.status) return describe(`code ${body.code} with status ${response.status}`);
  for (const field of ['type', 'title', 'detail']) if (typeof body[field] !== 'string') return describe(`problem without ${field}`);
  if (/\bat [\w.<>]+ \(|\.ts:\d+|SQLITE_|syntax error at|select .* from/i.test(response.text)) return describe('error leaks internals');
  return null;
}
