/**
 * The call policy shared by every wire-protocol adapter: retries, the time budget,
 * cancellation, and the mapping of provider failures onto the domain's errors.
 *
 * Invariants:
 * - The SDK clients run with their own retries off; every retry happens here, so the
 *   behaviour is the same for every protocol and observable through the logger.
 * - Retried: HTTP 429, HTTP 5xx and connection failures, at most `maxRetries` times.
 *   Never retried: any other 4xx, a malformed body, a timeout, a cancellation, or a
 *   failure after streamed text already reached the caller (a retry would repeat it).
 * - A 429 waits what `Retry-After` says (seconds or an HTTP date), capped by
 *   `maxRetryAfterMs`; a wait beyond the cap is not attempted and the call fails as
 *   rate limited. Otherwise the wait is exponential with jitter, capped by `maxDelayMs`.
 * - Each attempt has its own time budget (`timeoutMs`), covering the response and,
 *   when streaming, the whole stream; running out aborts the attempt (`LLM.TIMEOUT`).
 * - The caller's signal aborts the attempt in flight and any wait at once (`LLM.CANCELLED`).
 * - Messages and details never carry the API key: authentication failures name the
 *   variable to set and drop the provider's text (it may echo part of the key), and
 *   every other provider text is redacted before it is used.
 */
import {
  DependencyError,
  LimitExceededError,
  PermissionDeniedError,
  TfoError,
  ValidationError,
  noopLogger,
  type Logger,
} from '@tfo/domain';
import { LLM_ERROR_CODES } from '../error-codes.js';

/** Retry settings of an adapter. */
export interface RetryOptions {
  /** Retries after the first attempt, for 429, 5xx and connection failures; default 2. */
  readonly maxRetries?: number;
  /** First backoff step in milliseconds; doubles each retry; default 500. */
  readonly baseDelayMs?: number;
  /** Longest backoff in milliseconds; default 8000. */
  readonly maxDelayMs?: number;
  /** Longest `Retry-After` honoured, in milliseconds; default 60000. */
  readonly maxRetryAfterMs?: number;
}

/** Settings every adapter accepts. */
export interface AdapterOptions {
  /** Time budget of one attempt in milliseconds; default 120000. */
  readonly timeoutMs?: number;
  /** Retry settings; see {@link RetryOptions}. */
  readonly retry?: RetryOptions;
  /** Where retries and failures are logged; default `noopLogger`. */
  readonly logger?: Logger;
  /** A `fetch` implementation handed to the SDK client (proxies, instrumentation). */
  readonly fetch?: typeof fetch;
}

/** A provider failure in protocol-neutral terms, as an adapter classifies it. */
export type ProviderFailure =
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly message: string;
      readonly retryAfter: string | undefined;
    }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'malformed'; readonly message: string };

/** Who is being called, for messages and for redaction. */
export interface CallTarget {
  /** Provider id, e.g. `anthropic`. */
  readonly provider: string;
  /** Name shown in messages, e.g. `Anthropic`. */
  readonly displayName: string;
  /** Variable the application reads the key from, named in authentication errors. */
  readonly apiKeyVariable: string | undefined;
  /** The key itself, only to redact it from provider texts. */
  readonly apiKey: string | undefined;
}

/** Resolved settings of {@link runWithPolicy}. */
export interface CallPolicy {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly logger: Logger;
}

/** Thrown by adapters' parsers when a body breaks the protocol; mapped to `LLM.MALFORMED_RESPONSE`. */
export class MalformedResponse extends Error {
  /** @param message what is wrong with the body, without its content */
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}

function whole(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(`${name} must be an integer of at least ${min}; got ${String(value)}.`, {
      code: 'VALIDATION.INVALID_ARGUMENT',
      details: { option: name, value },
    });
  }
  return value;
}

/** Validates adapter options and fills in the defaults. */
export function resolvePolicy(options: AdapterOptions = {}): CallPolicy {
  const retry = options.retry ?? {};
  return Object.freeze({
    timeoutMs: whole('timeoutMs', options.timeoutMs, 120_000, 1),
    maxRetries: whole('retry.maxRetries', retry.maxRetries, 2, 0),
    baseDelayMs: whole('retry.baseDelayMs', retry.baseDelayMs, 500, 0),
    maxDelayMs: whole('retry.maxDelayMs', retry.maxDelayMs, 8_000, 0),
    maxRetryAfterMs: whole('retry.maxRetryAfterMs', retry.maxRetryAfterMs, 60_000, 0),
    logger: options.logger ?? noopLogger,
  });
}

/**
 * Milliseconds a `Retry-After` value asks for: delta seconds or an HTTP date
 * (a date in the past means now). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Replaces every occurrence of the key in `text`. */
export function redact(text: string, apiKey: string | undefined): string {
  return apiKey === undefined || apiKey.length === 0 ? text : text.split(apiKey).join('[redacted]');
}

function clip(text: string): string {
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** Maps a final failure onto the domain's error classes and LLM codes. */
export function failureToError(
  failure: ProviderFailure,
  target: CallTarget,
  context: { readonly attempts: number; readonly timeoutMs: number; readonly cause: unknown },
): TfoError {
  const { provider, displayName } = target;
  const { attempts, cause } = context;
  switch (failure.kind) {
    case 'aborted':
      return new DependencyError(`The request to ${displayName} was cancelled by the caller.`, {
        code: LLM_ERROR_CODES.Cancelled,
        details: { provider, attempts },
      });
    case 'timeout':
      return new DependencyError(
        `${displayName} did not answer within the ${context.timeoutMs} ms budget; the request was aborted. ` +
          `Raise timeoutMs or try a smaller request.`,
        { code: LLM_ERROR_CODES.Timeout, details: { provider, timeoutMs: context.timeoutMs, attempts } },
      );
    case 'malformed':
      return new DependencyError(
        `${displayName} answered with a malformed response: ${clip(redact(failure.message, target.apiKey))}`,
        { code: LLM_ERROR_CODES.MalformedResponse, details: { provider, attempts } },
      );
    case 'network':
      return new DependencyError(
        `${displayName} could not be reached after ${attempts} attempt(s): ` +
          `${clip(redact(failure.message, target.apiKey))}. Check the base URL and the network.`,
        { code: LLM_ERROR_CODES.ProviderUnavailable, details: { provider, attempts }, cause },
      );
    case 'http':
      break;
  }
  const { status } = failure;
  const said = clip(redact(failure.message, target.apiKey));
  if (status === 401 || status === 403) {
    const variable = target.apiKeyVariable ?? 'the provider API key';
    return new PermissionDeniedError(
      `${displayName} rejected the credentials (HTTP ${status}). Set ${variable} to a valid API key ` +
        `for ${provider} and check its permissions.`,
      {
        code: LLM_ERROR_CODES.Authentication,
        details: { provider, status, variable: target.apiKeyVariable },
      },
    );
  }
  if (status === 429) {
    return new LimitExceededError(
      `${displayName} is rate limiting requests (HTTP 429) after ${attempts} attempt(s): ${said}`,
      {
        code: LLM_ERROR_CODES.RateLimited,
        details: { provider, status, attempts, retryAfterMs: parseRetryAfter(failure.retryAfter) },
      },
    );
  }
  if (status >= 400 && status < 500) {
    return new ValidationError(`${displayName} rejected the request (HTTP ${status}): ${said}`, {
      code: LLM_ERROR_CODES.BadRequest,
      details: { provider, status },
    });
  }
  return new DependencyError(
    `${displayName} is unavailable (HTTP ${status}) after ${attempts} attempt(s): ${said}`,
    { code: LLM_ERROR_CODES.ProviderUnavailable, details: { provider, status, attempts } },
  );
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function retryable(failure: ProviderFailure): boolean {
  if (failure.kind === 'network') return true;
  return failure.kind === 'http' && (failure.status === 429 || failure.status >= 500);
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve(false);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One attempt: the signal to hand the SDK, and a flag set once text reached the caller. */
export interface Attempt {
  /** Aborts on the caller's signal and on the time budget. */
  readonly signal: AbortSignal;
  /** Call once output was delivered; later failures are then not retried. */
  markDelivered(): void;
}

/**
 * Runs `attempt` under the policy: a time budget per attempt, retries with backoff,
 * the caller's signal, and every failure mapped through `classify` and
 * {@link failureToError}. Errors of ours (TfoError) pass through untouched.
 */
export async function runWithPolicy<T>(
  policy: CallPolicy,
  target: CallTarget,
  signal: AbortSignal | undefined,
  classify: (error: unknown) => ProviderFailure,
  attempt: (current: Attempt) => Promise<T>,
): Promise<T> {
  const log = policy.logger;
  for (let number = 1; ; number += 1) {
    const fail = (failure: ProviderFailure, cause: unknown): TfoError =>
      failureToError(failure, target, { attempts: number, timeoutMs: policy.timeoutMs, cause });
    if (signal?.aborted === true) throw fail({ kind: 'aborted' }, undefined);

    const controller = new AbortController();
    let timedOut = false;
    let delivered = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, policy.timeoutMs);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });

    let failure: ProviderFailure;
    let cause: unknown;
    try {
      return await attempt({ signal: controller.signal, markDelivered: () => (delivered = true) });
    } catch (error) {
      if (error instanceof TfoError) throw error;
      cause = error;
      if (isAborted(signal)) failure = { kind: 'aborted' };
      else if (timedOut) failure = { kind: 'timeout' };
      else if (error instanceof MalformedResponse) failure = { kind: 'malformed', message: error.message };
      else failure = classify(error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }

    if (!retryable(failure) || delivered || number > policy.maxRetries) throw fail(failure, cause);
    let delayMs: number;
    const asked = failure.kind === 'http' ? parseRetryAfter(failure.retryAfter) : undefined;
    if (asked !== undefined) {
      if (asked > policy.maxRetryAfterMs) throw fail(failure, cause);
      delayMs = asked;
    } else {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (number - 1));
      delayMs = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    }
    log.warn(
      {
        provider: target.provider,
        attempt: number,
        delayMs,
        retryAfterMs: asked,
        status: failure.kind === 'http' ? failure.status : undefined,
      },
      'LLM provider call failed; retrying',
    );
    if (!(await wait(delayMs, signal))) throw fail({ kind: 'aborted' }, undefined);
  }
}

/**
 * Classifies an error thrown by a Stainless-generated SDK (`@anthropic-ai/sdk`,
 * `openai`): both expose `status`, `headers` and the parsed error body, and name
 * their abort, timeout and connection errors alike.
 */
export function classifySdkError(error: unknown): ProviderFailure {
  if (!(error instanceof Error) && !isErrorLike(error)) return { kind: 'network', message: String(error) };
  // By name: a body parser's SyntaxError may come from another realm than ours.
  if (error.name === 'SyntaxError') return { kind: 'malformed', message: 'the body is not valid JSON' };
  const name = error.constructor.name;
  if (name === 'APIUserAbortError' || error.name === 'AbortError') return { kind: 'aborted' };
  if (name === 'APIConnectionTimeoutError') return { kind: 'timeout' };
  const shaped = error as Error & { status?: unknown; headers?: unknown; error?: unknown };
  if (typeof shaped.status === 'number') {
    // Structural: the Headers class may come from another realm than ours.
    const headers = shaped.headers as { get?: (name: string) => string | null } | undefined;
    const retryAfter =
      typeof headers?.get === 'function' ? (headers.get('retry-after') ?? undefined) : undefined;
    return {
      kind: 'http',
      status: shaped.status,
      message: bodyMessage(shaped.error) ?? error.message,
      retryAfter,
    };
  }
  if (name === 'APIConnectionError') {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return { kind: 'network', message: reason };
  }
  return { kind: 'network', message: error.message };
}

function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function bodyMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { message?: unknown; error?: unknown };
  if (typeof record.message === 'string') return record.message;
  return bodyMessage(record.error);
}
