/**
 * Stable error codes raised by the catalog, by provider resolution, by the
 * wire-protocol adapters and by the gateway. Callers may branch on them; messages may
 * change, codes do not.
 */

/** Error codes of @tfo/llm-providers. */
export const LLM_ERROR_CODES = Object.freeze({
  /** A model id is neither in the catalog nor matched by a provider rule (ValidationError). */
  UnknownModel: 'LLM.UNKNOWN_MODEL',
  /** A provider id names no known provider (ValidationError, or ConfigurationError in additions). */
  UnknownProvider: 'LLM.UNKNOWN_PROVIDER',
  /** An added model reuses an id already in the catalog (ConfigurationError). */
  DuplicateModel: 'LLM.DUPLICATE_MODEL',
  /** An added provider reuses an id already known (ConfigurationError). */
  DuplicateProvider: 'LLM.DUPLICATE_PROVIDER',
  /** An added model is malformed: bad id, limits, capabilities (ConfigurationError). */
  InvalidModel: 'LLM.INVALID_MODEL',
  /** An added provider is malformed: bad id, base URL, variable name, protocol (ConfigurationError). */
  InvalidProvider: 'LLM.INVALID_PROVIDER',
  /** The provider rejected the credentials, HTTP 401 or 403 (PermissionDeniedError). */
  Authentication: 'LLM.AUTHENTICATION',
  /** The provider kept answering 429 after the retries (LimitExceededError). */
  RateLimited: 'LLM.RATE_LIMITED',
  /** The provider rejected the request, HTTP 400 or another 4xx (ValidationError). */
  BadRequest: 'LLM.BAD_REQUEST',
  /** 5xx after the retries, or the provider could not be reached (DependencyError). */
  ProviderUnavailable: 'LLM.PROVIDER_UNAVAILABLE',
  /** The provider answered with a body the protocol does not allow (DependencyError). */
  MalformedResponse: 'LLM.MALFORMED_RESPONSE',
  /** An attempt outlived the adapter's time budget and was aborted (DependencyError). */
  Timeout: 'LLM.TIMEOUT',
  /** The caller aborted the request through its signal (DependencyError). */
  Cancelled: 'LLM.CANCELLED',
  /** The model's provider needs an API key and none is configured (ConfigurationError). */
  MissingApiKey: 'LLM.MISSING_API_KEY',
  /** The provider has no base URL: no default, and none configured (ConfigurationError). */
  MissingBaseUrl: 'LLM.MISSING_BASE_URL',
  /** The `sampling` model was asked for, and the client offers no sampling (ValidationError). */
  SamplingUnavailable: 'LLM.SAMPLING_UNAVAILABLE',
} as const);

/** One of the codes in {@link LLM_ERROR_CODES}. */
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[keyof typeof LLM_ERROR_CODES];
