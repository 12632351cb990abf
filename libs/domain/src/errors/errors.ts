/**
 * The error taxonomy. A few classes, each with a stable string `code` that callers
 * may switch on (`DATASOURCE.QUERY_TIMEOUT`), an optional `cause`, and optional
 * structured `details`. Vendor errors are wrapped inside adapters so nothing above
 * them depends on a driver's error shape.
 *
 * Invariant: messages never contain secrets. Adapters redact before wrapping.
 */

/** Options accepted by every {@link TfoError} subclass. */
export interface TfoErrorOptions {
  /** Stable, dotted error code, e.g. `VALIDATION.INVALID_ARGUMENT`. Defaults per class. */
  code?: string;
  /** The underlying error, kept for logs; never shown to a model verbatim. */
  cause?: unknown;
  /** Structured, secret-free facts about the failure (allowed values, limits, ...). */
  details?: Record<string, unknown>;
}

/** Base class of every error the product raises on purpose. */
export abstract class TfoError extends Error {
  /** Stable dotted code, safe to branch on. */
  readonly code: string;
  /** Structured, secret-free facts about the failure. */
  readonly details: Record<string, unknown> | undefined;
  /** True for errors that describe a caller mistake or an expected condition. */
  abstract readonly expected: boolean;

  protected constructor(message: string, defaultCode: string, options: TfoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? defaultCode;
    this.details = options.details;
  }
}

/** Input that breaks a rule: wrong type, value out of range, unknown key. */
export class ValidationError extends TfoError {
  readonly expected = true;
  constructor(message: string, options?: TfoErrorOptions) {
    super(message, 'VALIDATION.INVALID_ARGUMENT', options);
  }
}

/** Something named by the caller does not exist (file, table, session, model). */
export class NotFoundError extends TfoError {
  readonly expected = true;
  constructor(message: string, options?: TfoErrorOptions) {
    super(message, 'NOT_FOUND', options);
  }
}

/** The caller may not do this: a path outside the roots, a command not allowed, a missing scope. */
export class PermissionDeniedError extends TfoError {
  readonly expected = true;
  constructor(message: string, options?: TfoErrorOptions) {
    super(message, 'PERMISSION.DENIED', options);
  }
}

/** An aggregate was asked for a transition its state machine does not allow. */
export class InvalidStateError extends TfoError {
  readonly expected = true;
  constructor(message: string, options?: TfoErrorOptions) {
    super(message, 'STATE.INVALID_TRANSITION', options);
  }
}

/** A size, time or rate budget ran out (file too large, query timeout, rate limit). */
export class LimitExceededError extends TfoError {
  readonly expected = true;
  constructor(message: string, options?: TfoErrorOptions) {
    super(message, 'LIMIT.EXCEEDED', options);
  }
}

/** A dependency (database, LLM provider, file system) failed or is unreachable. */
export class DependencyError extends TfoError {
  readonly expected = false;
  constructor(message: string, options?: TfoErrorOptions) {
    super(message, 'DEPENDENCY.FAILED', options);
  }
}

/** Configuration is missing or invalid. Raised at start-up, before anything is served. */
export class ConfigurationError extends TfoError {
  readonly expected = true;
  constructor(message: string, options?: TfoErrorOptions) {
    super(message, 'CONFIG.INVALID', options);
  }
}

/** True when `error` is one of ours and describes an expected condition (not a bug). */
export function isExpectedError(error: unknown): error is TfoError {
  return error instanceof TfoError && error.expected;
}

/** True when `error` is any {@link TfoError}. */
export function isTfoError(error: unknown): error is TfoError {
  return error instanceof TfoError;
}
