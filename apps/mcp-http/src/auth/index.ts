/**
 * The identity layer of the HTTP server, assembled from the configuration: who may call
 * (API keys, OAuth 2.1 access tokens, anonymous loopback callers), how often (a token bucket
 * per credential) and how many expensive tool calls at once.
 *
 * Invariants:
 * - The server never runs open by accident: with no way to authenticate, or with anonymous
 *   access on a non-loopback bind, `createAuthLayer` throws a ConfigurationError.
 * - API keys need the data plane (PostgreSQL); without one they are refused and a warning
 *   says so.
 * - The OAuth audience is `auth.oauthAudience`, else the public URL or the resource
 *   identifier `<publicUrl>/mcp` (MCP clients name the latter as their RFC 8707 resource).
 * - Issuer metadata is fetched in the background at start; an issuer that is down delays
 *   nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError, noopLogger, type Clock, type Logger } from '@tfo/domain';
import { hashApiKey, type DataPlane } from '@tfo/datasources';
import type { ServerConfig } from '@tfo/runtime';
import { DEFAULT_EXPENSIVE_TOOLS, ToolConcurrencyLimiter } from '../limits/concurrency.js';
import { TokenBucketRateLimiter } from '../limits/rate-limiter.js';
import { ApiKeyVerifier } from './api-keys.js';
import { HttpAuthenticator } from './authenticator.js';
import { Challenges } from './challenge.js';
import { issueLocalKey, type LocalKeyFile } from './local-key.js';
import { OAuthVerifier } from './oauth.js';
import type { Authenticator, ConcurrencyLimiter, RateLimiter } from './types.js';

export type {
  AuthOutcome,
  Authenticated,
  Authenticator,
  ConcurrencyLimiter,
  RateClass,
  RateLimiter,
  Refused,
} from './types.js';
export { ApiKeyVerifier, type ApiKeyVerifierOptions } from './api-keys.js';
export { HttpAuthenticator, type HttpAuthenticatorOptions } from './authenticator.js';
export { Challenges, MCP_PATH, RESOURCE_METADATA_PATH, RESOURCE_NAME } from './challenge.js';
export { presentedCredential, type PresentedCredential, type RequestHeaders } from './credentials.js';
export {
  issueLocalKey,
  LOCAL_KEY_RENEW_MS,
  LOCAL_KEY_TTL_MS,
  type LocalKeyFile,
  type LocalKeyInputs,
} from './local-key.js';
export { ACCEPTED_ALGORITHMS, OAuthVerifier, discoveryUrls, type OAuthVerifierOptions } from './oauth.js';

/** What {@link createAuthLayer} is built from. */
export interface AuthLayerInputs {
  config: ServerConfig;
  /** The data plane; API keys (and the local key) need its PostgreSQL. */
  plane?: DataPlane;
  logger: Logger;
  /** Where clients reach the server (`http.publicUrl`, or the bound address). */
  publicUrl: string;
  /** True when the server listens on a loopback address only. */
  loopback: boolean;
  /** Names of the expensive tools (see `expensiveTools`). Default: the current catalog's. */
  expensiveTools?: Iterable<string>;
  /** Source of "now" for key expiry, token checks and rate limits. Default: the system clock. */
  clock?: Clock;
  /** Longest wait for PostgreSQL before giving up the local key. Default 120 000 ms. */
  localKeyWaitMs?: number;
  /** The engines' data directory: the local key is kept there between starts. */
  dataDir?: string;
}

/** The identity layer handed to the transport. */
export interface AuthLayer {
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  concurrency: ConcurrencyLimiter;
  /** The local API key issued at this start, to show once to the person at this machine. */
  localKey?: string;
  /** Releases caches. */
  close(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/** Name of the file in the data directory that keeps the local key (mode 0600). */
export const LOCAL_KEY_FILE = 'local-api-key';

/** The local key's file: read when present, written readable by its owner only. */
export function localKeyFile(path: string): LocalKeyFile {
  return {
    read: () => readFile(path, 'utf8').catch(() => undefined),
    write: (plainKey) => writeFile(path, `${plainKey}\n`, { mode: 0o600 }),
  };
}

function audiencesOf(config: ServerConfig, publicUrl: string): string[] {
  if (config.auth.oauthAudience !== '') return [config.auth.oauthAudience];
  const base = publicUrl.replace(/\/+$/, '');
  return [base, `${base}/`, `${base}/mcp`];
}

/** Builds the identity layer; see the module header. */
export async function createAuthLayer(inputs: AuthLayerInputs): Promise<AuthLayer> {
  const { config, plane, loopback } = inputs;
  const logger = (inputs.logger ?? noopLogger).child({ component: 'auth' });
  const clock = inputs.clock ?? systemClock;
  const { auth, limits } = config;

  if (auth.anonymousLoopback && !loopback) {
    throw new ConfigurationError(
      'auth.anonymousLoopback lets callers in without a credential and is refused on a non-loopback bind; ' +
        'bind to 127.0.0.1 or turn it off.',
      { code: 'CONFIG.ANONYMOUS_NOT_LOOPBACK' },
    );
  }
  if (auth.apiKeys && !plane) {
    logger.warn('auth.apiKeys is on but no datasource is configured (data.enabled): API keys are refused');
  }
  const useApiKeys = auth.apiKeys && plane !== undefined;
  const useOAuth = auth.oauthIssuers.length > 0;
  const anonymous = auth.anonymousLoopback && loopback;
  if (!useApiKeys && !useOAuth && !anonymous) {
    throw new ConfigurationError(
      'The HTTP server has no way to authenticate callers: turn on auth.apiKeys (with data.enabled), ' +
        'list auth.oauthIssuers, or, on a loopback bind only, turn on auth.anonymousLoopback.',
      { code: 'CONFIG.NO_AUTHENTICATION' },
    );
  }

  const challenges = new Challenges(inputs.publicUrl, auth.oauthIssuers);
  const apiKeys =
    useApiKeys && plane ? new ApiKeyVerifier({ store: plane.apiKeys, challenges, logger, clock }) : undefined;
  let oauth: OAuthVerifier | undefined;
  if (useOAuth) {
    try {
      oauth = new OAuthVerifier({
        issuers: auth.oauthIssuers,
        audiences: audiencesOf(config, inputs.publicUrl),
        organizationClaim: auth.oauthOrganizationClaim,
        challenges,
        logger,
        now: () => clock.now(),
      });
    } catch (error) {
      throw new ConfigurationError(
        `auth.oauthIssuers must be absolute URLs: ${error instanceof Error ? error.message : String(error)}`,
        { code: 'CONFIG.INVALID_ISSUER', cause: error },
      );
    }
    oauth.warmUp();
  }
  const authenticator = new HttpAuthenticator({
    challenges,
    ...(apiKeys ? { apiKeys } : {}),
    ...(oauth ? { oauth } : {}),
    ...(anonymous ? { anonymousOrganizationId: config.tenancy.organizationId } : {}),
  });
  if (anonymous) {
    logger.warn(
      { organizationId: config.tenancy.organizationId },
      'requests without a credential act for the configured organization with every scope (auth.anonymousLoopback)',
    );
  }

  const rateLimiter = new TokenBucketRateLimiter(limits, { clock });
  const concurrency = new ToolConcurrencyLimiter(
    limits.expensiveToolConcurrency,
    inputs.expensiveTools ?? DEFAULT_EXPENSIVE_TOOLS,
  );

  let localKey: string | undefined;
  if (auth.localKey && loopback && useApiKeys && plane && config.postgres.url === '') {
    localKey = await issueLocalKey({
      store: plane.apiKeys,
      organizationId: config.tenancy.organizationId,
      postgres: () => plane.status().postgres,
      demo: () => plane.status().demo,
      logger,
      clock,
      waitMs: inputs.localKeyWaitMs ?? 120_000,
      ...(inputs.dataDir
        ? { keyFile: localKeyFile(join(inputs.dataDir, LOCAL_KEY_FILE)), hash: hashApiKey }
        : {}),
    });
  }

  return {
    authenticator,
    rateLimiter,
    concurrency,
    ...(localKey === undefined ? {} : { localKey }),
    close: () => authenticator.close(),
  };
}
