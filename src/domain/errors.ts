/**
 * The domain's failures, each with a stable code. They know nothing of HTTP: the one error
 * middleware maps them to statuses.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  /** Without an id the message echoes nothing (the caller's text was not even an id). */
  constructor(readonly resource: string, readonly id?: string) {
    super(id ? `${resource} ${id} was not found` : `No ${resource.toLowerCase()} has this id`);
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(readonly errors: FieldError[], message = 'The request body is not valid') {
    super(message);
  }
}

export class VersionConflictError extends DomainError {
  readonly code = 'precondition_failed';
  constructor(readonly expected: number, readonly actual: number) {
    super(`The resource is at version ${actual}, not ${expected}`);
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
  constructor(readonly errors: FieldError[], message = 'A query parameter is not valid') {
    super(message);
  }
}
