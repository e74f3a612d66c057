/** The stable codes of the domain's failures; the HTTP layer answers each with its own status. */
export type DomainErrorCode =
  'not_found' | 'validation_failed' | 'precondition_failed' | 'idempotency_conflict' | 'invalid_parameter' | 'conflict' | 'gone';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/**
 * The domain's failures, each with a stable code. They know nothing of HTTP: the one error
 * middleware maps them to statuses through their code.
 */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** The fields or parameters at fault, for the errors that are about some. */
  declare readonly errors?: FieldError[];
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  /** Without an id the message echoes nothing (the caller's text was not even an id). */
  constructor(
    readonly resource: string,
    readonly id?: string,
  ) {
    super(id ? `${resource} ${id} was not found` : `No ${resource.toLowerCase()} has this id`);
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    override readonly errors: FieldError[],
    message = 'The request body is not valid',
  ) {
    super(message);
  }
}

/**
 * A write conditioned on a version the resource is no longer at. Without an expected version
 * (the write had no If-Match; callers may pass a negative one) the resource changed while the
 * write ran.
 */
export class VersionConflictError extends DomainError {
  readonly code = 'precondition_failed';
  constructor(
    readonly expected: number | undefined,
    readonly actual: number,
  ) {
    super(
      expected !== undefined && expected >= 0
        ? `The resource is at version ${actual}, not ${expected}`
        : `The resource changed while this request ran; it is now at version ${actual}`,
    );
  }
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'idempotency_conflict';
  constructor() {
    super('This Idempotency-Key was already used with a different request');
  }
}

/** A query parameter (including a cursor) that cannot be honoured. */
export class InvalidParameterError extends DomainError {
  readonly code = 'invalid_parameter';
  constructor(
    override readonly errors: FieldError[],
    message = 'A query parameter is not valid',
  ) {
    super(message);
  }
}

/** The request contradicts the current state (restoring an exchange whose client is in the trash). */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** The resource existed but is no longer available (an upload past its expiry). */
export class GoneError extends DomainError {
  readonly code = 'gone';
}
