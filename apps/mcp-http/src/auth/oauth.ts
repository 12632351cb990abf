/**
 * OAuth 2.1 resource-server side of the HTTP server: bearer JWT access tokens issued by the
 * configured authorization servers, verified against their published keys.
 *
 * Invariants:
 * - A token is checked against one configured issuer only: the one its `iss` names (read
 *   before verification only to pick the key set; the verification then requires that very
 *   issuer). Tokens of any other issuer are refused without a network call.
 * - Keys come from the issuer's `jwks_uri`, discovered from its RFC 8414 metadata
 *   (`/.well-known/oauth-authorization-server`, path-inserted), else OpenID Connect discovery
 *   (`/.well-known/openid-configuration`, path-inserted, then appended). The metadata must
 *   name the same issuer. Discovery is cached for the life of the process once it succeeds;
 *   a failure is remembered for `discoveryRetryMs` so a dead issuer is not asked on every
 *   request. jose's remote key set caches the keys and refetches on an unknown `kid`.
 * - Verification requires: a signature by an asymmetric algorithm (no `none`, no HMAC: a
 *   shared secret would let anyone holding it mint tokens), `exp`, `iss` = the issuer, an
 *   `aud` that includes the configured audience (default: the public URL or the resource
 *   identifier `<publicUrl>/mcp`), and a UUID organization in the configured claim.
 * - Scopes come from `scope` (space-separated) or `scp` (array or string). A token without an
 *   end user (no `sub`, `sub` equal to `client_id` / `azp`, or `gty` = `client-credentials`)
 *   gets the service rate class.
 * - An issuer or key set that cannot be reached is not the caller's fault: a DependencyError
 *   propagates (the transport answers 503). The token itself is never logged, never quoted in
 *   a refusal and never sent anywhere.
 */
import { createHash } from 'node:crypto';
import { DependencyError, type Logger } from '@tfo/domain';
import { toolScopesOf } from '@tfo/mcp-tools';
import {
  createRemoteJWKSet,
  decodeJwt,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWSAlgorithm,
} from 'jose';
import type { Challenges } from './challenge.js';
import type { AuthOutcome } from './types.js';

/** Signature algorithms accepted: asymmetric only. */
export const ACCEPTED_ALGORITHMS: readonly JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** Options of {@link OAuthVerifier}. */
export interface OAuthVerifierOptions {
  /** Issuer identifiers whose tokens are accepted, exactly as their tokens' `iss` says. */
  issuers: readonly string[];
  /** Audiences of which a token's `aud` must include at least one. */
  audiences: readonly string[];
  /** Claim naming the organization (UUID) a token acts for. */
  organizationClaim: string;
  challenges: Challenges;
  logger: Logger;
  /** Source of "now" for `exp` / `nbf` checks. Default: the system clock. */
  now?: () => Date;
  /** Allowed clock skew in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** Time limit of one metadata or key-set request, in milliseconds. Default 5 000. */
  fetchTimeoutMs?: number;
  /** How long a failed discovery is remembered before trying again. Default 30 000 ms. */
  discoveryRetryMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_METADATA_BYTES = 1 << 20;

/** Failures of the token itself: they get a 401. Anything else means an issuer is unreachable. */
const TOKEN_FAULTS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

/** The metadata documents to try for `issuer`, in order (RFC 8414 §3.1, then OpenID Connect). */
export function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const origin = url.origin;
  const candidates = [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}/.well-known/openid-configuration${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
  return [...new Set(candidates)];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function scopesOf(payload: JWTPayload): string[] {
  const scope = payload['scope'];
  if (typeof scope === 'string') return scope.split(/\s+/).filter((s) => s !== '');
  const scp = payload['scp'];
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  if (typeof scp === 'string') return scp.split(/\s+/).filter((s) => s !== '');
  return [];
}

function describeList(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

interface KeySetEntry {
  keys?: JWTVerifyGetKey;
  pending?: Promise<JWTVerifyGetKey>;
  failure?: { error: DependencyError; until: number };
}

/** Verifies bearer JWTs of the configured issuers; see the module header. */
export class OAuthVerifier {
  private readonly keySets = new Map<string, KeySetEntry>();
  private readonly now: () => Date;
  private readonly fetchTimeoutMs: number;
  private readonly discoveryRetryMs: number;

  /** See {@link OAuthVerifierOptions}. */
  constructor(private readonly options: OAuthVerifierOptions) {
    if (options.issuers.length === 0) throw new RangeError('OAuthVerifier needs at least one issuer');
    for (const issuer of options.issuers) new URL(issuer);
    this.now = options.now ?? (() => new Date());
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;
    this.discoveryRetryMs = options.discoveryRetryMs ?? 30_000;
  }

  /** Accepts or refuses `token`; rejects only with a DependencyError when an issuer cannot be reached. */
  async verify(token: string): Promise<AuthOutcome> {
    const { challenges, issuers } = this.options;
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      return challenges.invalid(
        'invalid_token',
        'The bearer token is neither an API key (tfo_...) nor a signed JWT access token.',
      );
    }
    const issuer = text(unverified.iss);
    if (issuer === undefined || !issuers.includes(issuer)) {
      return challenges.invalid(
        'invalid_token',
        `The token's issuer ${issuer === undefined ? '(none)' : `"${issuer.slice(0, 200)}"`} is not trusted here; ` +
          `accepted issuers: ${describeList(issuers)}.`,
      );
    }
    const keys = await this.keysOf(issuer);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer,
        audience: [...this.options.audiences],
        algorithms: [...ACCEPTED_ALGORITHMS],
        requiredClaims: ['exp'],
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        currentDate: this.now(),
      }));
    } catch (error) {
      return this.refusal(error, issuer);
    }
    return this.accepted(issuer, payload);
  }

  /** Starts discovery of every issuer (errors are logged, not thrown). */
  warmUp(): void {
    for (const issuer of this.options.issuers) {
      this.keysOf(issuer).catch((error: unknown) =>
        this.options.logger.warn(
          { issuer, err: error instanceof Error ? error.message : String(error) },
          'OAuth issuer metadata is not reachable yet; tokens of this issuer are refused with 503 until it is',
        ),
      );
    }
  }

  private accepted(issuer: string, payload: JWTPayload): AuthOutcome {
    const { challenges, organizationClaim } = this.options;
    const clientId = text(payload['client_id']) ?? text(payload['azp']);
    const subject = text(payload.sub) ?? clientId;
    if (subject === undefined) {
      return challenges.invalid(
        'invalid_token',
        'The token names no subject (sub) and no client (client_id, azp).',
      );
    }
    const organization = payload[organizationClaim];
    if (typeof organization !== 'string' || !UUID.test(organization)) {
      return challenges.forbidden(
        organization === undefined
          ? `The token has no "${organizationClaim}" claim naming the organization (a UUID) it acts for; ` +
              'ask the authorization server to include it.'
          : `The token's "${organizationClaim}" claim must be an organization id (a UUID).`,
      );
    }
    // No end user: no `sub`, `sub` naming the client itself, or a client-credentials grant type
    // claim (`gty`, as some authorization servers add).
    const service =
      text(payload.sub) === undefined ||
      subject === text(payload['client_id']) ||
      subject === text(payload['azp']) ||
      payload['gty'] === 'client-credentials';
    const credentialKey = createHash('sha256').update(`${issuer}\u0000${subject}`).digest('hex').slice(0, 32);
    return {
      ok: true,
      principal: {
        organizationId: organization.toLowerCase(),
        subject,
        kind: 'oauth',
        scopes: toolScopesOf(scopesOf(payload)),
      },
      rateClass: service ? 'service' : 'user',
      credentialId: `oauth:${credentialKey}`,
    };
  }

  private refusal(error: unknown, issuer: string): AuthOutcome {
    const code = codeOf(error);
    const { challenges, audiences } = this.options;
    if (code === undefined || !TOKEN_FAULTS.has(code)) {
      throw new DependencyError(`The keys of OAuth issuer ${issuer} could not be fetched; retry shortly.`, {
        code: 'AUTH.ISSUER_UNAVAILABLE',
        cause: error,
        details: { issuer },
      });
    }
    const claim = (error as { claim?: unknown }).claim;
    const reason = (error as { reason?: unknown }).reason;
    let description: string;
    switch (code) {
      case 'ERR_JWT_EXPIRED':
        description = 'The access token has expired; obtain a new one.';
        break;
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        if (claim === 'aud') {
          description = `The token is not meant for this server: its audience must include one of ${describeList(audiences)}.`;
        } else if (claim === 'exp' && reason === 'missing') {
          description = 'The token has no expiry (exp); only expiring access tokens are accepted.';
        } else if (claim === 'nbf') {
          description = 'The token is not valid yet (nbf is in the future).';
        } else if (claim === 'iss') {
          description = `The token's issuer does not match; accepted issuers: ${describeList(this.options.issuers)}.`;
        } else {
          description = `The token's "${String(claim)}" claim is not valid.`;
        }
        break;
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
      case 'ERR_JOSE_NOT_SUPPORTED':
        description = `The token's signature algorithm is not accepted; accepted: ${ACCEPTED_ALGORITHMS.join(', ')}.`;
        break;
      case 'ERR_JWKS_NO_MATCHING_KEY':
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        description = `The token was not signed by a key the issuer ${issuer} publishes.`;
        break;
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        description = 'The token signature does not verify against the issuer keys.';
        break;
      default:
        description = 'The bearer token is not a well-formed signed JWT.';
    }
    return challenges.invalid('invalid_token', description);
  }

  /** The issuer's key set, discovering it on first use; see the module header. */
  private async keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const entry = this.keySets.get(issuer) ?? {};
    this.keySets.set(issuer, entry);
    if (entry.keys) return entry.keys;
    if (entry.failure && entry.failure.until > this.now().getTime()) throw entry.failure.error;
    entry.pending ??= this.discover(issuer).then(
      (keys) => {
        entry.keys = keys;
        delete entry.failure;
        delete entry.pending;
        return keys;
      },
      (error: unknown) => {
        const failure =
          error instanceof DependencyError
            ? error
            : new DependencyError(`OAuth issuer ${issuer} could not be discovered; retry shortly.`, {
                code: 'AUTH.ISSUER_UNAVAILABLE',
                cause: error,
                details: { issuer },
              });
        entry.failure = { error: failure, until: this.now().getTime() + this.discoveryRetryMs };
        delete entry.pending;
        throw failure;
      },
    );
    return entry.pending;
  }

  private async discover(issuer: string): Promise<JWTVerifyGetKey> {
    const problems: string[] = [];
    for (const url of discoveryUrls(issuer)) {
      const metadata = await this.fetchJson(url).catch((error: unknown) => {
        problems.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      if (metadata === undefined) continue;
      if (metadata['issuer'] !== issuer) {
        problems.push(
          `${url}: names issuer ${JSON.stringify(metadata['issuer'])}, expected ${JSON.stringify(issuer)}`,
        );
        continue;
      }
      const jwksUri = text(metadata['jwks_uri']);
      if (jwksUri === undefined) {
        problems.push(`${url}: has no jwks_uri`);
        continue;
      }
      const jwks = new URL(jwksUri);
      if (jwks.protocol !== 'https:' && new URL(issuer).protocol === 'https:') {
        problems.push(`${url}: jwks_uri is not https`);
        continue;
      }
      this.options.logger.info({ issuer, jwksUri: jwks.href }, 'discovered OAuth issuer keys');
      return createRemoteJWKSet(jwks, { timeoutDuration: this.fetchTimeoutMs });
    }
    throw new DependencyError(
      `OAuth issuer ${issuer} publishes no usable metadata (${problems.join('; ')}); retry shortly.`,
      { code: 'AUTH.ISSUER_UNAVAILABLE', details: { issuer } },
    );
  }

  private async fetchJson(url: string): Promise<Record<string, unknown>> {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.fetchTimeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    const body = await response.text();
    if (body.length > MAX_METADATA_BYTES) throw new Error('metadata document too large');
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('metadata is not a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
}
