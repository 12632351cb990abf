/**
 * Stable error codes raised by the catalog and by provider resolution. Callers may
 * branch on them; messages may change, codes do not.
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
} as const);

/** One of the codes in {@link LLM_ERROR_CODES}. */
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[keyof typeof LLM_ERROR_CODES];
