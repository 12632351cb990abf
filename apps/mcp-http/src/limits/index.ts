/**
 * Rate and concurrency limits of the HTTP server: a token bucket per credential and a cap on
 * the expensive tool calls one credential runs at once.
 */
export {
  TokenBucketRateLimiter,
  type RateLimits,
  type TokenBucketRateLimiterOptions,
} from './rate-limiter.js';
export {
  DEFAULT_EXPENSIVE_TOOLS,
  EXPENSIVE_SCOPES,
  EXPENSIVE_TOOL_NAMES,
  ToolConcurrencyLimiter,
  expensiveTools,
} from './concurrency.js';
