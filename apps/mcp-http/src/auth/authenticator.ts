/**
 * The HTTP server's Authenticator: reads the one credential a request presents and hands it
 * to the verifier for its kind — API keys to the ApiKeyVerifier, other bearer tokens to the
 * OAuthVerifier — or, with no credential, lets an anonymous loopback caller in when allowed.
 *
 * Invariants:
 * - A presented credential is always verified: a bad one is refused even where anonymous
 *   access is allowed (no silent downgrade).
 * - A method that is off refuses its credentials with a description of what is accepted.
 * - `authenticate` resolves to an answer for anything the caller sent; it rejects only when a
 *   credential cannot be checked right now (database or issuer unavailable: a DependencyError,
 *   for the transport to answer 503).
 */
import { TOOL_SCOPES, type Principal } from '@tfo/mcp-tools';
import type { ApiKeyVerifier } from './api-keys.js';
import type { Challenges } from './challenge.js';
import { presentedCredential, type RequestHeaders } from './credentials.js';
import type { OAuthVerifier } from './oauth.js';
import type { AuthOutcome, Authenticator, Refused } from './types.js';

/** Options of {@link HttpAuthenticator}. */
export interface HttpAuthenticatorOptions {
  challenges: Challenges;
  /** Present when API keys are accepted. */
  apiKeys?: ApiKeyVerifier;
  /** Present when OAuth access tokens are accepted. */
  oauth?: OAuthVerifier;
  /** Present when requests without a credential act for this organization with every scope. */
  anonymousOrganizationId?: string;
}

/** Authenticates requests by API key, OAuth access token or (on loopback) nobody; see the module header. */
export class HttpAuthenticator implements Authenticator {
  private readonly anonymous: Principal | undefined;

  /** See {@link HttpAuthenticatorOptions}. */
  constructor(private readonly options: HttpAuthenticatorOptions) {
    this.anonymous =
      options.anonymousOrganizationId === undefined
        ? undefined
        : {
            organizationId: options.anonymousOrganizationId,
            subject: 'anonymous',
            kind: 'anonymous',
            scopes: new Set(TOOL_SCOPES),
          };
  }

  /** Authenticates one request from its headers. */
  async authenticate(headers: RequestHeaders): Promise<AuthOutcome> {
    const { challenges, apiKeys, oauth } = this.options;
    const credential = presentedCredential(headers);
    switch (credential.kind) {
      case 'none':
        if (this.anonymous) {
          return { ok: true, principal: this.anonymous, rateClass: 'user', credentialId: 'anonymous' };
        }
        return challenges.missing(`This server needs a credential: ${this.accepted()}.`);
      case 'malformed':
        return challenges.invalid(
          'invalid_request',
          `The credential could not be read: ${credential.reason}.`,
        );
      case 'api_key':
        if (!apiKeys) {
          return challenges.invalid('invalid_token', `API keys are not accepted here; ${this.accepted()}.`);
        }
        return apiKeys.verify(credential.key);
      case 'bearer':
        if (!oauth) {
          return challenges.invalid(
            'invalid_token',
            `The bearer token is not an API key (tfo_...) and this server trusts no OAuth issuer; ${this.accepted()}.`,
          );
        }
        return oauth.verify(credential.token);
    }
  }

  /** 403 for a caller that lacks `scope`. */
  insufficientScope(scope: string): Refused {
    return this.options.challenges.forbidden(
      `This needs the "${scope}" scope, which the credential does not grant; use a credential with "${scope}" (or "mcp:*").`,
      scope,
    );
  }

  /** RFC 9728 protected-resource metadata. */
  protectedResourceMetadata(): Record<string, unknown> {
    return this.options.challenges.metadata();
  }

  /** Forgets cached keys. */
  async close(): Promise<void> {
    this.options.apiKeys?.clear();
  }

  /** What this server accepts, for refusals. */
  private accepted(): string {
    const ways: string[] = [];
    if (this.options.apiKeys) ways.push('an API key as "Authorization: Bearer tfo_..." or "X-API-Key"');
    if (this.options.oauth) ways.push('an OAuth access token as "Authorization: Bearer <token>"');
    return ways.length === 0
      ? 'no credential is accepted (authentication is not configured)'
      : `send ${ways.join(' or ')}`;
  }
}
