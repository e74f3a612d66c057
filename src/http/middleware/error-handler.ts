import type { Context } from 'koa';
import type { Logger } from 'pino';
import { DomainError } from '../../domain/errors';
import { HttpProblem, PROBLEM_CONTENT_TYPE, PROBLEM_STATUS, problemBody, type ProblemCode } from '../problem';

/**
 * The one place errors become responses, called by requestBoundary for whatever the rest of
 * the chain throws. Known errors keep their meaning; anything else is logged here and answered
 * as a bare 500 that shows no stack, SQL or path (the koa `expose` rule, made strict).
 */
export function respondWithProblem(ctx: Context, error: unknown, logger: Logger): void {
  const problem = toProblem(error);
  if (problem.status >= 500 && problem.code === 'internal_error') {
    logger.error({ err: error, reqId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
  }
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(problem.options.headers ?? {})) ctx.set(name, value);
  ctx.body = problem.toBody();
  ctx.type = PROBLEM_CONTENT_TYPE;
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainError) return fromDomain(error);
  const status = (error as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) return fromClientHttpError(error as HttpLikeError, status);
  return new HttpProblem(500, 'internal_error', 'An unexpected error occurred. It has been logged.');
}

/** A domain error's code is a problem code, and the code decides the status. */
function fromDomain(error: DomainError): HttpProblem {
  return new HttpProblem(PROBLEM_STATUS[error.code], error.code, error.message, { errors: error.errors });
}

interface HttpLikeError {
  status: number;
  type?: string;
  expose?: boolean;
  message?: string;
  headers?: Record<string, string>;
}

/** Errors from body parsers and koa itself carry a status; their messages are safe to show. */
function fromClientHttpError(error: HttpLikeError, status: number): HttpProblem {
  const byStatus: Record<number, ProblemCode> = {
    400: 'invalid_parameter',
    401: 'unauthorized',
    404: 'not_found',
    405: 'method_not_allowed',
    412: 'precondition_failed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    422: 'validation_failed',
    429: 'rate_limited',
  };
  const code: ProblemCode = error.type === 'entity.parse.failed' ? 'malformed_json' : (byStatus[status] ?? 'invalid_parameter');
  const detail = error.expose && error.message ? error.message : problemBody(status, code, '').title;
  return new HttpProblem(status, code, detail, { headers: error.headers });
}
