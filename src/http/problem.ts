import type { FieldError } from '../domain/errors';

/** Every code a problem answer may carry: the one list the OpenAPI schema and the handlers share. */
export const PROBLEM_CODES = [
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
  'conflict',
  'gone',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** The status each code is answered with, so that a domain error maps to HTTP through its code. */
export const PROBLEM_STATUS: Readonly<Record<ProblemCode, number>> = {
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
  conflict: 409,
  gone: 410,
  rate_limited: 429,
  service_unavailable: 503,
  internal_error: 500,
};

const TITLES: Readonly<Record<ProblemCode, string>> = {
  malformed_json: 'Malformed JSON',
  invalid_parameter: 'Invalid parameter',
  unauthorized: 'Unauthorized',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  precondition_failed: 'Precondition failed',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  validation_failed: 'Validation failed',
  idempotency_conflict: 'Idempotency key reused',
  conflict: 'Conflict',
  gone: 'Gone',
  rate_limited: 'Too many requests',
  service_unavailable: 'Service unavailable',
  internal_error: 'Internal server error',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The body of an RFC 9457 problem details response. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An error that already knows its HTTP answer. Thrown by middleware; rendered by the error handler. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    detail: string,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail);
  }

  toBody(): ProblemBody {
    return problemBody(this.status, this.code, this.message, this.options.errors, this.options.extensions);
  }
}

export function problemBody(
  status: number,
  code: ProblemCode,
  detail: string,
  errors?: FieldError[],
  extensions: Record<string, unknown> = {},
): ProblemBody {
  return {
    type: `urn:crm:problem:${code}`,
    title: TITLES[code],
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...extensions,
  };
}
