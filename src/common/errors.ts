/**
 * The one error family. Services throw these; the error middleware turns them into the contract's envelope.
 * `code` is the stable machine-readable UPPER_SNAKE code clients switch on.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type FieldErrors = Record<string, string[]>;

export class ValidationError extends AppError {
  constructor(details: FieldErrors, message = 'Request validation failed') {
    super(400, 'VALIDATION_ERROR', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code = 'UNAUTHORIZED') {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this', code = 'FORBIDDEN') {
    super(403, code, message);
  }
}

/** `new NotFoundError('Product')` → 404 `PRODUCT_NOT_FOUND`, "Product not found". */
export class NotFoundError extends AppError {
  constructor(entity: string, message = `${entity} not found`) {
    super(404, `${entity.trim().replace(/\s+/g, '_').toUpperCase()}_NOT_FOUND`, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'CONFLICT', details?: unknown) {
    super(409, code, message, details);
  }
}

/** 422: the request is well-formed but breaks a state rule (status transitions, idempotency key reuse…). */
export class UnprocessableError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(422, code, message, details);
  }
}

export class AccountLockedError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(423, 'ACCOUNT_LOCKED', 'Too many failed login attempts. Try again later.', undefined, {
      'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
  }
}

export class PaymentProviderError extends AppError {
  constructor(message = 'The payment provider could not process the request') {
    super(502, 'PAYMENT_PROVIDER_ERROR', message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'A required service is unavailable') {
    super(503, 'SERVICE_UNAVAILABLE', message);
  }
}
